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


def test_initramfs_has_init_and_modules(tmp_path):
    busybox = tmp_path / 'busybox'
    busybox.write_bytes(b'BB')
    ko = tmp_path / 'virtio.ko'
    ko.write_bytes(b'KO')
    archive = gzip.decompress(guest_image.build_initramfs(str(busybox), [('virtio', str(ko))]))
    for name in (b'init\0', b'bin/busybox\0', b'lib/modules/virtio.ko\0', b'etc/modules\0', b'etc/udhcpc.script\0'):
        assert name in archive
    assert b'GUREUM-GUEST-BOOTED' in archive
    assert guest_image.build_initramfs(str(busybox), [('virtio', str(ko))]) == \
        guest_image.build_initramfs(str(busybox), [('virtio', str(ko))])
