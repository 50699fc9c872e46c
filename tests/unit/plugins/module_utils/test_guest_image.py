"""The guest image builder's pure parts: a deterministic cpio and module load order."""

import gzip

import pytest

from ansible_collections.gureum.openstack.plugins.module_utils import guest_image


def fake_module(path, depends):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'\x7fELF junk\0license=GPL\0depends=%s\0vermagic=6.1\0' % depends.encode())


def test_cpio_is_deterministic_and_well_formed():
    entries = [('bin', 0o40755, None), ('bin/x', 0o100755, b'hello')]
    first, second = guest_image.cpio_newc(entries), guest_image.cpio_newc(entries)
    assert first == second
    assert first.startswith(b'070701')
    assert b'bin/x\0' in first and b'hello' in first
    assert first.rstrip(b'\0').endswith(b'TRAILER!!!')
    assert len(first) % 4 == 0


def test_module_order_puts_dependencies_first(tmp_path):
    fake_module(tmp_path / 'drivers/virtio.ko', '')
    fake_module(tmp_path / 'drivers/virtio_ring.ko', '')
    fake_module(tmp_path / 'drivers/virtio_pci.ko', 'virtio,virtio_ring')
    fake_module(tmp_path / 'drivers/net/virtio_net.ko', 'net_failover,virtio,virtio_ring')
    fake_module(tmp_path / 'net/net_failover.ko', 'failover')
    fake_module(tmp_path / 'net/failover.ko', '')
    order = [name for name, _path in guest_image.modules_in_load_order(str(tmp_path), ['virtio_pci', 'virtio_net'])]
    assert order == ['virtio', 'virtio_ring', 'virtio_pci', 'failover', 'net_failover', 'virtio_net']


def test_missing_module_is_a_clear_error(tmp_path):
    fake_module(tmp_path / 'a.ko', 'b')
    with pytest.raises(guest_image.GuestImageError, match='module b .needed by a. is not in the kernel package'):
        guest_image.modules_in_load_order(str(tmp_path), ['a'])


def fake_ssh_packages(root):
    """The files the SSH packages give, as dpkg-deb -x lays them out (libraries through their soname links)."""
    files = {'dropbear-bin/usr/sbin/dropbear': b'DB', 'dropbear-bin/usr/bin/dropbearkey': b'DK',
             'libc6/lib/x86_64-linux-gnu/libc.so.6': b'LIBC',
             'libc6/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2': b'LD',
             'libcrypt1/lib/x86_64-linux-gnu/libcrypt.so.1.1.0': b'CRYPT',
             'libtomcrypt1/usr/lib/x86_64-linux-gnu/libtomcrypt.so.1.0.1': b'TOMC',
             'libtommath1/usr/lib/x86_64-linux-gnu/libtommath.so.1.2.0': b'TOMM',
             'libgmp10/usr/lib/x86_64-linux-gnu/libgmp.so.10.4.1': b'GMP',
             'zlib1g/lib/x86_64-linux-gnu/libz.so.1.2.13': b'Z'}
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    for link, target in (('libcrypt1/lib/x86_64-linux-gnu/libcrypt.so.1', 'libcrypt.so.1.1.0'),
                         ('libtomcrypt1/usr/lib/x86_64-linux-gnu/libtomcrypt.so.1', 'libtomcrypt.so.1.0.1'),
                         ('libtommath1/usr/lib/x86_64-linux-gnu/libtommath.so.1', 'libtommath.so.1.2.0'),
                         ('libgmp10/usr/lib/x86_64-linux-gnu/libgmp.so.10', 'libgmp.so.10.4.1'),
                         ('zlib1g/lib/x86_64-linux-gnu/libz.so.1', 'libz.so.1.2.13')):
        (root / link).symlink_to(target)
    return [str(root / name) for name in guest_image.SSH_PACKAGES]


def test_initramfs_has_init_modules_and_the_ssh_server(tmp_path):
    busybox = tmp_path / 'busybox'
    busybox.write_bytes(b'BB')
    ko = tmp_path / 'virtio.ko'
    ko.write_bytes(b'KO')
    roots = fake_ssh_packages(tmp_path / 'debs')
    archive = gzip.decompress(guest_image.build_initramfs(str(busybox), [('virtio', str(ko))], roots))
    for name in (b'init\0', b'bin/busybox\0', b'lib/modules/virtio.ko\0', b'etc/modules\0', b'etc/udhcpc.script\0',
                 b'sbin/dropbear\0', b'bin/dropbearkey\0', b'bin/sudo\0', b'bin/curl\0', b'etc/passwd\0', b'etc/shells\0',
                 b'lib/libc.so.6\0', b'lib/libcrypt.so.1\0', b'lib/libz.so.1\0', b'lib64/ld-linux-x86-64.so.2\0'):
        assert name in archive
    # the libraries' contents, not their links
    assert b'CRYPT' in archive and b'TOMC' in archive and b'TOMM' in archive
    assert b'GUREUM-GUEST-BOOTED' in archive and b'GUREUM-GUEST-SSH-READY' in archive
    assert guest_image.build_initramfs(str(busybox), [('virtio', str(ko))], roots) == \
        guest_image.build_initramfs(str(busybox), [('virtio', str(ko))], roots)


def test_a_missing_library_is_a_clear_error(tmp_path):
    roots = fake_ssh_packages(tmp_path / 'debs')
    (tmp_path / 'debs/zlib1g/lib/x86_64-linux-gnu/libz.so.1.2.13').unlink()
    (tmp_path / 'busybox').write_bytes(b'BB')
    with pytest.raises(guest_image.GuestImageError, match='libz.so.1 is not in the packages'):
        guest_image.build_initramfs(str(tmp_path / 'busybox'), [], roots)
