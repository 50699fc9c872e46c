"""The amphora image builder's pure parts, its fixes of Debian's packaging and its caching (a real build needs
root, mmdebstrap and several minutes: scripts/amphora-image does it, and its --boot-test boots the result)."""

import json
import os
import threading

import pytest

from ansible_collections.gureum.openstack.plugins.module_utils import amphora_image as ai

DEBIAN_SOURCES = '''Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
'''

# Debian's /etc/sysctl.d/octavia-agent-sysctl.conf (octavia-agent 11.0.0-2+deb12u1), abridged
PACKAGED_SYSCTL = '''# Some sysctl better defaults for Octavia
net.ipv4.tcp_max_tw_buckets=5800000
net.ipv4.tcp_tw_recycle=0
net.ipv4.tcp_tw_reuse=1
fs.file-max=2097152
net.ipv4.tcp_rmem="16384 65536 524288"
net.ipv4.tcp_wmem="16384 349520 699040"
net.ipv4.ip_local_port_range="1025 65534"
'''


def sources_dir(tmp_path, files):
    directory = tmp_path / 'sources.list.d'
    directory.mkdir()
    for name, text in files.items():
        (directory / name).write_text(text)
    return str(tmp_path / 'sources.list'), str(directory)


def test_deb822_sources_are_parsed_and_disabled_stanzas_skipped():
    text = DEBIAN_SOURCES + '\nEnabled: no\nTypes: deb\nURIs: http://off.example/\nSuites: bookworm\n'
    entries = ai.parse_sources(text, deb822=True)
    assert [e['suites'] for e in entries] == [['bookworm', 'bookworm-updates'], ['bookworm-security']]
    assert entries[0]['signed_by'] == '/usr/share/keyrings/debian-archive-keyring.gpg'


def test_one_line_sources_are_parsed():
    text = ('# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://m.example/debian bookworm main contrib\n'
            'deb-src http://m.example/debian bookworm main\n')
    entries = ai.parse_sources(text, deb822=False)
    assert entries[0] == {'types': ['deb'], 'uris': ['http://m.example/debian'], 'suites': ['bookworm'],
                          'components': ['main', 'contrib'], 'signed_by': '/k.gpg'}
    assert entries[1]['types'] == ['deb-src']


def test_only_debians_own_sources_are_used(tmp_path):
    sources, directory = sources_dir(tmp_path, {
        'debian.sources': DEBIAN_SOURCES,
        'google-cloud-sdk.list': 'deb https://packages.vendor.example/apt cloud-sdk-bookworm main\n',
        'nodesource.sources': 'Types: deb\nURIs: https://deb.node.example/node_20.x\nSuites: nodistro\n'
                              'Components: main\n',
        'old.list.disabled': 'deb http://disabled.example/debian bookworm main\n'})
    text = ai.debian_sources(sources, directory)
    assert 'mirror.example/debian' in text and 'mirror.example/debian-security' in text
    assert 'vendor.example' not in text and 'node.example' not in text and 'disabled.example' not in text
    assert ai.release_urls(text) == ['http://mirror.example/debian/dists/bookworm/InRelease',
                                     'http://mirror.example/debian/dists/bookworm-updates/InRelease',
                                     'http://mirror.example/debian-security/dists/bookworm-security/InRelease']


def test_no_debian_source_is_a_clear_error(tmp_path):
    sources, directory = sources_dir(tmp_path, {'vendor.list': 'deb http://vendor.example/apt stable main\n'})
    with pytest.raises(ai.AmphoraImageError, match='no apt source of Debian bookworm'):
        ai.debian_sources(sources, directory)


def test_mmdebstrap_reads_the_sources_from_stdin_and_keeps_the_debs():
    argv = ai.mmdebstrap_argv('/tmp/root', '/cache/debs')
    assert argv[0] == 'mmdebstrap' and argv[-3:] == ['bookworm', '/tmp/root', '-']
    assert not [arg for arg in argv if '://' in arg]  # no mirror written anywhere: the machine's own sources
    include = [arg for arg in argv if arg.startswith('--include=')][0].split('=', 1)[1].split(',')
    for package in ('octavia-agent', 'haproxy', 'keepalived', 'cloud-init', 'linux-image-amd64', 'cryptsetup',
                    'systemd-sysv', 'ifupdown', 'isc-dhcp-client'):
        assert package in include
    assert '--setup-hook=sync-in /cache/debs /var/cache/apt/archives/' in argv
    assert '--customize-hook=sync-out /var/cache/apt/archives /cache/debs' in argv
    assert '--dpkgopt=path-include=/usr/share/doc/*/copyright' in argv


@pytest.mark.parametrize('line, fixed', [
    ('net.ipv4.tcp_rmem="16384 65536 524288"', 'net.ipv4.tcp_rmem=16384 65536 524288'),
    ('net.ipv4.ip_local_port_range = "1025 65534"', 'net.ipv4.ip_local_port_range=1025 65534'),
    ('net.ipv4.tcp_tw_recycle=0', '# gureum amphora: net.ipv4.tcp_tw_recycle=0 (gone since Linux 4.12)'),
    ('net.ipv4.tcp_tw_reuse=1', 'net.ipv4.tcp_tw_reuse=1'),
    ('# This should allow HAProxy maxconn to be 1,000,000', '# This should allow HAProxy maxconn to be 1,000,000'),
])
def test_sysctl_values_are_unquoted_and_missing_keys_dropped(line, fixed):
    assert ai.fix_sysctl(line) == fixed + '\n'


def test_the_fixed_sysctl_file_has_no_quote_left():
    fixed = ai.fix_sysctl(PACKAGED_SYSCTL)
    assert '"' not in fixed
    assert len(fixed.splitlines()) == len(PACKAGED_SYSCTL.splitlines())


def fake_root(tmp_path):
    """What matters of a root tree after mmdebstrap: the packaged sysctl file and the enabled units."""
    root = tmp_path / 'root'
    (root / 'etc/sysctl.d').mkdir(parents=True)
    (root / 'etc/sysctl.d/octavia-agent-sysctl.conf').write_text(PACKAGED_SYSCTL)
    links = {'octavia-agent.service.wants': ['octavia-agent-netns.service', 'octavia-agent-certs-ramfs.service'],
             'multi-user.target.wants': ['octavia-agent.service', 'haproxy.service', 'keepalived.service',
                                         'pollinate.service', 'ssh.service'],
             'timers.target.wants': ['apt-daily.timer', 'apt-daily-upgrade.timer', 'fstrim.timer']}
    for wants, units in links.items():
        (root / 'etc/systemd/system' / wants).mkdir(parents=True)
        for unit in units:
            (root / 'etc/systemd/system' / wants / unit).symlink_to('/lib/systemd/system/' + unit)
    (root / 'etc/machine-id').write_text('0123456789abcdef0123456789abcdef\n')
    return root


def test_customize_fixes_the_packaging_and_limits_cloud_init(tmp_path):
    root = fake_root(tmp_path)
    ai.customize(str(root))
    system = root / 'etc/systemd/system'
    enabled = sorted(os.path.relpath(str(p), str(system)) for p in system.glob('*.wants/*'))
    assert enabled == ['multi-user.target.wants/octavia-agent.service', 'multi-user.target.wants/ssh.service',
                       'octavia-agent.service.wants/octavia-agent-certs-ramfs.service',
                       'timers.target.wants/fstrim.timer']
    assert '"' not in (root / 'etc/sysctl.d/octavia-agent-sysctl.conf').read_text()
    agent = (system / 'octavia-agent.service.d/gureum-amphora.conf').read_text()
    assert 'WorkingDirectory=/\n' in agent and 'After=rsyslog.service cloud-config.target' in agent
    assert 'Socket="/run/rsyslog/octavia/log"' in (root / 'etc/rsyslog.d/05-gureum-amphora-agent.conf').read_text()
    ramfs = (system / 'octavia-agent-certs-ramfs.service.d/gureum-amphora.conf').read_text()
    assert 'ExecStart=\nExecStart=/usr/local/sbin/octavia-agent-ramfs-start\n' in ramfs
    script = root / 'usr/local/sbin/octavia-agent-ramfs-start'
    assert os.access(str(script), os.X_OK) and '--pbkdf pbkdf2' in script.read_text()
    cloud_cfg = (root / 'etc/cloud/cloud.cfg.d/90_gureum_amphora.cfg').read_text()
    assert 'datasource_list: [ ConfigDrive, None ]\n' in cloud_cfg
    assert 'manage_etc_hosts: true\n' in cloud_cfg and 'locale: false\n' in cloud_cfg
    assert (root / 'var/lib/dhclient').is_dir()
    assert '/var/lib/dhclient/dhclient* lrw,' in (root / 'etc/apparmor.d/local/sbin.dhclient').read_text()
    assert (root / 'etc/machine-id').read_text() == ''
    assert (root / 'etc/fstab').read_text() == 'UUID=%s / ext4 errors=remount-ro 0 1\n' % ai.ROOT_UUID


def test_customize_refuses_a_root_without_debians_sysctl_file(tmp_path):
    root = fake_root(tmp_path)
    (root / 'etc/sysctl.d/octavia-agent-sysctl.conf').unlink()
    with pytest.raises(ai.AmphoraImageError, match='octavia-agent installed no'):
        ai.customize(str(root))


def test_volatile_files_are_removed_and_times_clamped(tmp_path):
    root = tmp_path / 'root'
    for path in ('etc/ssh/ssh_host_ed25519_key', 'var/lib/apt/lists/m_InRelease', 'var/log/dpkg.log',
                 'var/log/dbconfig-common/dbc.log', 'var/log/wtmp',
                 'etc/apt/sources.list.d/debian.sources', 'etc/shadow-', 'etc/ssh/sshd_config', 'etc/shadow',
                 'var/lib/dpkg/status'):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text('x')
    (root / 'etc/localtime').symlink_to('/usr/share/zoneinfo/Etc/UTC')
    ai.remove_volatile(str(root))
    ai.clamp_times(str(root))
    left = sorted(os.path.relpath(os.path.join(d, f), str(root)) for d, _dirs, files in os.walk(str(root))
                  for f in files)
    assert left == ['etc/localtime', 'etc/shadow', 'etc/ssh/sshd_config', 'var/lib/dpkg/status']
    assert (root / 'var/log/dbconfig-common').is_dir()
    for dirpath, dirnames, filenames in os.walk(str(root)):
        for name in dirnames + filenames:
            assert os.lstat(os.path.join(dirpath, name)).st_mtime == ai.EPOCH


def test_the_partitions_fit_and_the_root_is_found_by_its_fixed_uuid():
    boot, rootfs, table = ai.disk_layout()
    assert boot[0] == 1 << 20 and boot[0] + boot[1] == rootfs[0]
    assert rootfs[0] + rootfs[1] == ai.DISK_MIB << 20 and rootfs[0] % (1 << 20) == 0
    assert 'start=%d, size=%d, type=83' % (rootfs[0] // 512, rootfs[1] // 512) in table
    argv = ai.mkfs_ext4_argv('/r', '/disk.raw', rootfs[0], rootfs[1])
    assert argv[argv.index('-U') + 1] == ai.ROOT_UUID
    assert 'hash_seed=%s,offset=%d,nodiscard' % (ai.ROOT_HASH_SEED, rootfs[0]) in argv
    assert argv[-3:] == ['/r', '/disk.raw', str(rootfs[1] // 4096)]
    assert 'root=UUID=%s ' % ai.ROOT_UUID in ai.SYSLINUX_CFG


def test_qemu_img_compresses_with_one_coroutine():
    argv = ai.qemu_img_argv('a.raw', 'b.qcow2')
    assert argv[argv.index('-m') + 1] == '1' and '-c' in argv and argv[-2:] == ['a.raw', 'b.qcow2']


def test_the_recipe_digest_follows_the_recipe(monkeypatch):
    first = ai.recipe_digest()
    assert ai.recipe_digest() == first
    monkeypatch.setattr(ai, 'PACKAGES', ai.PACKAGES + ['tcpdump'])
    assert ai.recipe_digest() != first


def test_missing_tools_name_their_debian_packages(monkeypatch):
    monkeypatch.setattr(ai.shutil, 'which', lambda tool: None if tool == 'mmdebstrap' else '/usr/bin/' + tool)
    assert 'mmdebstrap (Debian package mmdebstrap)' in ai.missing_tools()


class FakeBuild(object):
    """mmdebstrap, dpkg-query and the disk faked; the customizing of the root tree is real."""

    def __init__(self, tmp_path, monkeypatch):
        self.tmp_path = tmp_path
        self.commands = []
        self.releases = [('bookworm', 'a' * 64), ('bookworm-security', 'b' * 64)]
        monkeypatch.setattr(ai, 'missing_tools', lambda: [])
        monkeypatch.setattr(ai.os, 'geteuid', lambda: 0)
        monkeypatch.setattr(ai, 'debian_sources', lambda: DEBIAN_SOURCES)
        monkeypatch.setattr(ai, 'release_digests', lambda sources, work: list(self.releases))
        monkeypatch.setattr(ai, 'run', self.run)
        monkeypatch.setattr(ai, 'build_disk', self.build_disk)

    def run(self, argv, env=None, input_bytes=None, cwd=None):
        self.commands.append(argv[0])
        if argv[0] == 'mmdebstrap':
            assert input_bytes == DEBIAN_SOURCES.encode() and env['SOURCE_DATE_EPOCH'] == str(ai.EPOCH)
            fake_root(self.tmp_path / 'fake-parent')
            target = argv[-2]
            os.rename(str(self.tmp_path / 'fake-parent' / 'root'), target)
            (self.tmp_path / 'fake-parent').rmdir()
            os.makedirs(os.path.join(target, 'boot'))
            for name in ('vmlinuz-6.1.0-57-amd64', 'initrd.img-6.1.0-57-amd64'):
                with open(os.path.join(target, 'boot', name), 'w') as handle:
                    handle.write(name)
            return b''
        if argv[0] == 'dpkg-query':
            return b'ii  octavia-agent 11.0.0-2+deb12u1\nii  haproxy 2.6.12-1+deb12u2\nrc  gone 1.0\n'
        raise AssertionError('unexpected command %s' % argv)

    def build_disk(self, work, root, vmlinuz, initrd, output):
        assert vmlinuz.endswith('vmlinuz-6.1.0-57-amd64') and initrd.endswith('initrd.img-6.1.0-57-amd64')
        assert os.path.exists(os.path.join(root, 'etc/cloud/cloud.cfg.d/90_gureum_amphora.cfg'))
        with open(output, 'wb') as handle:
            handle.write(b'QFI\xfb an amphora')
        self.commands.append('build_disk')


def test_a_build_writes_the_manifest_and_a_second_returns_at_once(tmp_path, monkeypatch):
    fake = FakeBuild(tmp_path, monkeypatch)
    out = tmp_path / 'out'
    first = ai.build(str(out), str(tmp_path / 'cache'))
    assert first['changed'] is True and fake.commands == ['mmdebstrap', 'dpkg-query', 'build_disk']
    image = out / ai.IMAGE_NAME
    assert first['path'] == str(image) and first['size'] == image.stat().st_size
    assert first['sha256'] == ai.sha256(str(image))
    manifest = (out / 'MANIFEST').read_text().splitlines()
    assert manifest[0] == 'input recipe %s' % ai.recipe_digest()
    assert manifest[1:3] == ['input release bookworm ' + 'a' * 64, 'input release bookworm-security ' + 'b' * 64]
    assert manifest[3:5] == ['package haproxy 2.6.12-1+deb12u2', 'package octavia-agent 11.0.0-2+deb12u1']
    assert manifest[5] == 'output %s %s %s' % (ai.IMAGE_NAME, first['sha256'], first['size'])
    assert (tmp_path / 'cache' / 'debs').is_dir()
    fake.commands = []
    second = ai.build(str(out), str(tmp_path / 'cache'))
    assert second == dict(first, changed=False) and fake.commands == []


def test_a_new_debian_archive_or_a_damaged_image_builds_again(tmp_path, monkeypatch):
    fake = FakeBuild(tmp_path, monkeypatch)
    out = tmp_path / 'out'
    ai.build(str(out), str(tmp_path / 'cache'))
    fake.releases[1] = ('bookworm-security', 'c' * 64)
    fake.commands = []
    assert ai.build(str(out), str(tmp_path / 'cache'), check_mode=True)['changed'] is True
    assert fake.commands == []  # check mode builds nothing
    assert ai.build(str(out), str(tmp_path / 'cache'))['changed'] is True
    with open(str(out / ai.IMAGE_NAME), 'ab') as handle:
        handle.write(b'tampered')
    assert ai.build(str(out), str(tmp_path / 'cache'), check_mode=True)['changed'] is True


def test_check_mode_of_an_up_to_date_image_reports_no_change(tmp_path, monkeypatch):
    FakeBuild(tmp_path, monkeypatch)
    out = tmp_path / 'out'
    built = ai.build(str(out), str(tmp_path / 'cache'))
    assert ai.build(str(out), str(tmp_path / 'cache'), check_mode=True) == dict(built, changed=False)


def test_a_second_build_waits_for_the_first_and_finds_the_image_up_to_date(tmp_path, monkeypatch):
    fake = FakeBuild(tmp_path, monkeypatch)
    out = tmp_path / 'out'
    started, release = threading.Event(), threading.Event()
    real_mmdebstrap = fake.run

    def slow_run(argv, **kwargs):
        if argv[0] == 'mmdebstrap':
            started.set()
            release.wait(10)
        return real_mmdebstrap(argv, **kwargs)
    monkeypatch.setattr(ai, 'run', slow_run)
    results = {}
    first = threading.Thread(target=lambda: results.update(first=ai.build(str(out), str(tmp_path / 'cache'))))
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=lambda: results.update(second=ai.build(str(out), str(tmp_path / 'cache'))))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # held at the lock while the first builds
    release.set()
    first.join(10)
    second.join(10)
    assert fake.commands.count('mmdebstrap') == 1
    assert results['second'] == dict(results['first'], changed=False)


def test_check_mode_creates_no_image_directory(tmp_path, monkeypatch):
    FakeBuild(tmp_path, monkeypatch)
    assert ai.build(str(tmp_path / 'out'), str(tmp_path / 'cache'), check_mode=True)['changed'] is True
    assert not (tmp_path / 'out').exists()


def test_a_build_needs_root(tmp_path, monkeypatch):
    FakeBuild(tmp_path, monkeypatch)
    monkeypatch.setattr(ai.os, 'geteuid', lambda: 1000)
    with pytest.raises(ai.AmphoraImageError, match='run as root'):
        ai.build(str(tmp_path / 'out'), str(tmp_path / 'cache'))


def test_the_agent_configuration_follows_octavias_defaults():
    conf = ai.agent_config('a1b2', 'k3y', ['192.0.2.5:5555', '192.0.2.6:5555'])
    assert 'amphora_id = a1b2\n' in conf and 'heartbeat_key = k3y\n' in conf
    assert 'controller_ip_port_list = 192.0.2.5:5555, 192.0.2.6:5555\n' in conf
    assert 'agent_server_cert = /etc/octavia/certs/server.pem\n' in conf
    assert 'agent_server_ca = /etc/octavia/certs/client_ca.pem\n' in conf
    assert 'bind_port = 9443\n' in conf and 'base_cert_dir = /var/lib/octavia/certs\n' in conf


def test_the_config_drive_is_laid_out_as_nova_writes_it():
    files = {'/etc/octavia/certs/server.pem': 'PEM', '/etc/octavia/amphora-agent.conf': 'CONF'}
    tree = ai.config_drive_tree('0f1e', files, 'fa:16:3e:00:00:01', {'k': 'ssh-ed25519 AAAA k'})
    meta = json.loads(tree['openstack/latest/meta_data.json'])
    assert meta['hostname'] == 'amphora-0f1e' and meta['uuid'] == '0f1e'
    assert meta['files'] == [{'path': '/etc/octavia/certs/server.pem', 'content_path': '/content/0000'},
                             {'path': '/etc/octavia/amphora-agent.conf', 'content_path': '/content/0001'}]
    assert tree['openstack/content/0000'] == b'PEM' and tree['openstack/content/0001'] == b'CONF'
    assert meta['public_keys'] == {'k': 'ssh-ed25519 AAAA k'}
    network = json.loads(tree['openstack/latest/network_data.json'])
    assert network['links'][0]['ethernet_mac_address'] == 'fa:16:3e:00:00:01'
    assert network['networks'][0]['type'] == 'ipv4_dhcp'
    assert network['networks'][0]['link'] == network['links'][0]['id']
    assert tree['openstack/latest/user_data'].startswith(b'#cloud-config\n')
    assert ai.genisoimage_argv('/src', '/cd.iso')[-3:] == ['-V', 'config-2', '/src']


def test_the_boot_test_guest_uses_tcg_and_reaches_only_loopback():
    argv = ai.qemu_argv('/d.qcow2', '/cd.iso', {40000: 9443, 40001: 22}, 'fa:16:3e:00:00:01', '/c.log')
    assert argv[argv.index('-machine') + 1] == 'pc,accel=tcg' and argv[argv.index('-m') + 1] == '1024'
    assert not [arg for arg in argv if 'kvm' in arg]
    netdev = argv[argv.index('-netdev') + 1]
    assert netdev == ('user,id=mgmt,restrict=on,hostfwd=tcp:127.0.0.1:40000-:9443,'
                      'hostfwd=tcp:127.0.0.1:40001-:22')
    assert 'file=/cd.iso,media=cdrom,readonly=on,format=raw' in argv


DUMPE2FS = '''Inode count:              24
Inodes per group:         8
Group 0: (Blocks 0-32767) csum 0xcc7b [ITABLE_ZEROED]
  Free blocks:
  Free inodes:
Group 1: (Blocks 32768-65535) csum 0x5195 [INODE_UNINIT, ITABLE_ZEROED]
  Free blocks: 40000-65535
  Free inodes: 11-12, 15
Group 2: (Blocks 65536-98303) csum 0x1234 [INODE_UNINIT]
  Free inodes: 17-24
'''


def test_the_inodes_in_use_are_read_from_dumpe2fs():
    assert ai.used_inodes(DUMPE2FS) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 16]


def test_every_inode_in_use_gets_the_epoch_as_ctime_and_atime(monkeypatch):
    calls = []

    def run(argv, env=None, input_bytes=None, cwd=None):
        calls.append((argv, env, input_bytes))
        return DUMPE2FS.encode() if argv[0] == 'dumpe2fs' else b''
    monkeypatch.setattr(ai, 'run', run)
    assert ai.clamp_inode_times('/d.raw?offset=1048576') == 13
    argv, env, commands = calls[1]
    assert argv == ['debugfs', '-w', '-f', '-', '/d.raw?offset=1048576']
    assert env['E2FSPROGS_FAKE_TIME'] == str(ai.EPOCH)  # debugfs stamps the superblock
    lines = commands.decode().splitlines()
    assert len(lines) == 26 and 'sif <16> ctime @%d' % ai.EPOCH in lines and 'sif <13> atime @%d' % ai.EPOCH in lines
    assert not [line for line in lines if line.startswith(('sif <11> ', 'sif <15> ', 'sif <17> '))]


# ---- preflight: what the prechecks ask before anything changes ----

def _preflight_ready(monkeypatch, download):
    monkeypatch.setattr(ai, 'missing_tools', lambda: [])
    monkeypatch.setattr(ai.os, 'geteuid', lambda: 0)
    monkeypatch.setattr(ai, 'debian_sources', lambda: DEBIAN_SOURCES)
    monkeypatch.setattr(ai, 'run', download)
    monkeypatch.setattr(ai, 'sha256', lambda path: 'a' * 64)


def test_preflight_finds_nothing_when_the_archive_answers(monkeypatch):
    fetched = []
    _preflight_ready(monkeypatch, lambda argv, **kwargs: fetched.append(argv[2]))
    assert ai.preflight() == []
    assert fetched == ai.release_urls(DEBIAN_SOURCES)


def test_preflight_says_which_archive_file_did_not_download_and_what_to_do(monkeypatch):
    def unreachable(argv, **kwargs):
        raise ai.AmphoraImageError('%s failed (rc=100): E: Failed to fetch %s  Could not connect' % (argv[0], argv[2]))
    _preflight_ready(monkeypatch, unreachable)
    problems = ai.preflight()
    assert len(problems) == 1
    assert ai.release_urls(DEBIAN_SOURCES)[0] in problems[0] and 'Could not connect' in problems[0]
    assert 'octavia_image_file' in problems[0] and 'reach its Debian mirror' in problems[0]


def test_preflight_names_missing_tools_and_root_without_downloading(monkeypatch):
    _preflight_ready(monkeypatch, lambda argv, **kwargs: pytest.fail('nothing is downloaded without the tools'))
    monkeypatch.setattr(ai, 'missing_tools', lambda: ['mmdebstrap (Debian package mmdebstrap)'])
    monkeypatch.setattr(ai.os, 'geteuid', lambda: 1000)
    problems = ai.preflight()
    assert 'needs mmdebstrap (Debian package mmdebstrap)' in problems[0]
    assert 'runs as root' in problems[1] and 'octavia_image_file' in problems[1]
    assert len(problems) == 2


def test_preflight_without_debian_sources_says_so(monkeypatch):
    _preflight_ready(monkeypatch, lambda argv, **kwargs: pytest.fail('no source, nothing to download'))

    def no_sources():
        raise ai.AmphoraImageError('no apt source of Debian bookworm in x or y')
    monkeypatch.setattr(ai, 'debian_sources', no_sources)
    assert ai.preflight() == ['no apt source of Debian bookworm in x or y']
