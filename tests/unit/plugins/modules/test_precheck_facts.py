"""precheck_facts: its readers, over fake files under tmp_path and fake commands."""

import glob
import os
import socket
from types import SimpleNamespace

import pytest

from ansible_collections.gureum.openstack.plugins.modules import precheck_facts

MIB = 1048576


@pytest.fixture
def root(tmp_path, monkeypatch):
    """Serve the module's absolute paths (/proc, /sys, /etc, /dev) from tmp_path; returns write(path, text)."""
    base = str(tmp_path)

    def at(path):
        return base + path if os.path.isabs(path) else path

    real_open = open
    monkeypatch.setattr(precheck_facts, 'open', lambda path, *a, **kw: real_open(at(path), *a, **kw), raising=False)
    monkeypatch.setattr(precheck_facts, 'os', SimpleNamespace(
        path=SimpleNamespace(exists=lambda p: os.path.exists(at(p)), isdir=lambda p: os.path.isdir(at(p)),
                             join=os.path.join, dirname=os.path.dirname),
        statvfs=lambda p: os.statvfs(at(p))))
    monkeypatch.setattr(precheck_facts, 'glob', SimpleNamespace(
        glob=lambda pattern: [p[len(base):] for p in glob.glob(at(pattern))]))

    def write(path, text=''):
        target = tmp_path / path.lstrip('/')
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return write


class FakeModule(object):
    """What the readers use of AnsibleModule: get_bin_path, run_command, warn."""

    def __init__(self, bins=('ss', 'systemctl'), answers=None):
        self.bins = bins
        self.answers = answers or {}
        self.commands = []
        self.warnings = []

    def get_bin_path(self, name):
        return '/usr/bin/%s' % name if name in self.bins else None

    def run_command(self, argv):
        self.commands.append(argv)
        answer = self.answers.get(argv[-1], self.answers.get('*', (0, '', '')))
        return answer

    def warn(self, text):
        self.warnings.append(text)


# ---- listening sockets from `ss -H -l -n -t -u -p`

@pytest.mark.parametrize('line, expected', [
    ('tcp   LISTEN 0      4096         0.0.0.0:22        0.0.0.0:*    users:(("sshd",pid=612,fd=3))',
     {'protocol': 'tcp', 'port': 22, 'process': 'sshd'}),
    ('tcp   LISTEN 0      4096            [::]:22           [::]:*    users:(("sshd",pid=612,fd=4))',
     {'protocol': 'tcp', 'port': 22, 'process': 'sshd'}),
    ('tcp   LISTEN 0      511                *:80              *:*    users:(("apache2",pid=9,fd=4),("apache2",pid=8,fd=4))',
     {'protocol': 'tcp', 'port': 80, 'process': 'apache2'}),
    ('udp   UNCONN 0      0      127.0.0.53%lo:53        0.0.0.0:*    users:(("systemd-resolve",pid=4,fd=13))',
     {'protocol': 'udp', 'port': 53, 'process': 'systemd-resolve'}),
    ('udp   UNCONN 0      0    [fe80::1%eth0]:546           [::]:*    users:(("dhclient",pid=7,fd=5))',
     {'protocol': 'udp', 'port': 546, 'process': 'dhclient'}),
    ('tcp   LISTEN 0      128      10.0.0.11:9292        0.0.0.0:*',
     {'protocol': 'tcp', 'port': 9292, 'process': ''}),
], ids=['ipv4', 'ipv6', 'two-processes', 'udp-scoped', 'ipv6-link-local', 'no-process'])
def test_listening_parses_a_socket(line, expected):
    assert precheck_facts.listening(FakeModule(answers={'-p': (0, line + '\n', '')})) == [expected]


@pytest.mark.parametrize('line', [
    '',
    'tcp LISTEN 0 128',
    'udp UNCONN 0 0 *:* *:*',
], ids=['blank', 'short', 'no-port'])
def test_listening_skips_a_line_without_a_port(line):
    assert precheck_facts.listening(FakeModule(answers={'-p': (0, line + '\n', '')})) == []


def test_listening_keeps_every_socket_in_order():
    out = ('tcp LISTEN 0 4096 0.0.0.0:5000 0.0.0.0:* users:(("uwsgi",pid=1,fd=3))\n'
           'udp UNCONN 0 0 0.0.0.0:123 0.0.0.0:* users:(("chronyd",pid=2,fd=5))\n')
    module = FakeModule(answers={'-p': (0, out, '')})
    assert precheck_facts.listening(module) == [{'protocol': 'tcp', 'port': 5000, 'process': 'uwsgi'},
                                                {'protocol': 'udp', 'port': 123, 'process': 'chronyd'}]
    assert module.commands == [['/usr/bin/ss', '-H', '-l', '-n', '-t', '-u', '-p']]


def test_listening_without_ss_warns_and_sees_nothing():
    module = FakeModule(bins=())
    assert precheck_facts.listening(module) == []
    assert module.commands == [] and len(module.warnings) == 1 and 'ss (iproute2) is missing' in module.warnings[0]


def test_listening_when_ss_fails_warns_with_its_error():
    module = FakeModule(answers={'-p': (1, '', 'ss: netlink failure\n')})
    assert precheck_facts.listening(module) == []
    assert module.warnings == ['ss failed (ss: netlink failure): the ports check sees no listeners.']


# ---- name resolution

def test_resolve_keeps_unique_addresses_in_order(monkeypatch):
    infos = {'controller1': [(2, 1, 6, '', ('10.0.0.11', 0)), (2, 1, 6, '', ('10.0.0.11', 0)),
                             (2, 1, 6, '', ('192.0.2.11', 0))]}
    asked = []

    def getaddrinfo(name, port, family, kind):
        asked.append((name, port, family, kind))
        if name not in infos:
            raise socket.gaierror(-2, 'Name or service not known')
        return infos[name]

    monkeypatch.setattr(precheck_facts.socket, 'getaddrinfo', getaddrinfo)
    assert precheck_facts.resolve(['controller1', 'nowhere']) == {'controller1': ['10.0.0.11', '192.0.2.11'],
                                                                  'nowhere': []}
    assert asked[0] == ('controller1', None, socket.AF_INET, socket.SOCK_STREAM)


def test_resolve_survives_a_name_idna_rejects(monkeypatch):
    def getaddrinfo(*dummy):
        raise UnicodeError('label empty or too long')
    monkeypatch.setattr(precheck_facts.socket, 'getaddrinfo', getaddrinfo)
    assert precheck_facts.resolve(['a..b']) == {'a..b': []}


# ---- /etc/hosts

HOSTS = '\n'.join([
    '127.0.0.1\tlocalhost',
    "127.0.1.1 controller1.example controller1   # the installer's line",
    '# 10.0.0.99 commented-out',
    '::1     localhost ip6-localhost ip6-loopback',
    '',
    'lonely-address-without-names',
    '# BEGIN gureum.openstack hosts',
    '10.0.0.11 controller1',
    '10.0.0.31 compute1 compute1.lab',
    '  # END gureum.openstack hosts  ',
    '192.0.2.5 after-block',
    '',
])


def test_hosts_entries(root):
    root('/etc/hosts', HOSTS)
    assert precheck_facts.hosts_entries() == [
        {'address': '127.0.0.1', 'names': ['localhost'], 'managed': False},
        {'address': '127.0.1.1', 'names': ['controller1.example', 'controller1'], 'managed': False},
        {'address': '::1', 'names': ['localhost', 'ip6-localhost', 'ip6-loopback'], 'managed': False},
        {'address': '10.0.0.11', 'names': ['controller1'], 'managed': True},
        {'address': '10.0.0.31', 'names': ['compute1', 'compute1.lab'], 'managed': True},
        {'address': '192.0.2.5', 'names': ['after-block'], 'managed': False},
    ]


def test_hosts_entries_without_the_file(root):
    assert precheck_facts.hosts_entries() == []


# ---- /etc/nsswitch.conf

@pytest.mark.parametrize('text, expected', [
    ('passwd: files\nhosts:          files dns\n', ['files', 'dns']),
    ('hosts: files mdns4_minimal [NOTFOUND=return] dns myhostname\n', ['files', 'mdns4_minimal', 'dns', 'myhostname']),
    ('#hosts: dns files\nhosts: files resolve [!UNAVAIL=return] dns\n', ['files', 'resolve', 'dns']),
    ('hosts: dns files # resolver first\n', ['dns', 'files']),
    ('  hosts :files\n', ['files']),
    ('passwd: files\ngroup: files\n', ['files', 'dns']),
    ('', ['files', 'dns']),
], ids=['plain', 'actions', 'commented-line', 'trailing-comment', 'spacing', 'no-hosts-line', 'empty'])
def test_nsswitch_hosts(root, text, expected):
    root('/etc/nsswitch.conf', text)
    assert precheck_facts.nsswitch_hosts() == expected


def test_nsswitch_hosts_without_the_file(root):
    assert precheck_facts.nsswitch_hosts() == ['files', 'dns']


# ---- interfaces configured by ifupdown outside the network role

ROLE_FILE = '# bridge br-mgmt, written by the gureum.openstack network role (ifupdown2)\nauto br-mgmt\niface br-mgmt\n'


@pytest.mark.parametrize('files, expected', [
    ({'/etc/network/interfaces': 'auto lo\niface lo inet loopback\n\nallow-hotplug eth0\niface eth0 inet dhcp\n'},
     ['eth0']),
    ({'/etc/network/interfaces': 'source /etc/network/interfaces.d/*\n', '/etc/network/interfaces.d/br-mgmt': ROLE_FILE},
     []),
    ({'/etc/network/interfaces': 'source /etc/network/interfaces.d/*\n',
      '/etc/network/interfaces.d/50-cloud-init': 'auto ens3\niface ens3 inet dhcp\n',
      '/etc/network/interfaces.d/br-mgmt': ROLE_FILE}, ['ens3']),
    ({'/etc/network/interfaces': '# iface eth1 inet dhcp\n#auto eth1\n'}, []),
    ({'/etc/network/interfaces': '  iface eth0.100 inet manual\n\tauto eth2#comment\n'}, ['eth0.100', 'eth2']),
    ({'/etc/network/interfaces': 'iface eth0 inet static\niface eth0 inet6 auto\nallow-ovs br-ex\n'},
     ['br-ex', 'eth0']),
    ({}, []),
], ids=['debian-installer', 'role-file-only', 'cloud-init-file', 'comments', 'indented-vlan', 'dual-stack', 'no-files'])
def test_ifupdown_foreign(root, files, expected):
    for path, text in files.items():
        root(path, text)
    assert precheck_facts.ifupdown_foreign() == expected


# ---- memory as the node's cgroup sees it

@pytest.mark.parametrize('files, expected', [
    ({'/sys/fs/cgroup/memory.max': '%d\n' % (4096 * MIB),
      '/sys/fs/cgroup/memory.stat': 'anon %d\nfile %d\nshmem %d\nkernel 5\n' % (1000 * MIB, 3000 * MIB, 24 * MIB)},
     (4096, 1024)),
    ({'/sys/fs/cgroup/memory.max': 'max\n', '/sys/fs/cgroup/memory.stat': 'anon %d\n' % (512 * MIB)}, (None, 512)),
    ({'/sys/fs/cgroup/memory.max': '%d\n' % (2048 * MIB)}, (2048, None)),
    ({'/sys/fs/cgroup/memory/memory.limit_in_bytes': '%d\n' % (8192 * MIB),
      '/sys/fs/cgroup/memory/memory.stat': 'rss 1\ntotal_rss %d\nshmem 1\ntotal_shmem %d\n' % (700 * MIB, 12 * MIB)},
     (8192, 712)),
    ({'/sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712\n',
      '/sys/fs/cgroup/memory/memory.stat': 'rss %d\nshmem %d\n' % (300 * MIB, 20 * MIB)}, (None, 320)),
    ({'/sys/fs/cgroup/memory/tasks': ''}, (None, None)),
    ({}, (None, None)),
], ids=['v2-limited', 'v2-max', 'v2-no-stat', 'v1-hierarchical', 'v1-unlimited', 'v1-unreadable', 'none'])
def test_cgroup_memory(root, files, expected):
    for path, text in files.items():
        root(path, text)
    assert precheck_facts.cgroup_memory() == expected


def test_meminfo_in_mib(root):
    root('/proc/meminfo', 'MemTotal:       16384000 kB\nMemFree:         1024000 kB\nMemAvailable:    8192000 kB\n'
                          'HugePages_Total:       0\nDirectMap4k:\n')
    assert precheck_facts.meminfo() == {'MemTotal': 16000, 'MemFree': 1000, 'MemAvailable': 8000,
                                        'HugePages_Total': 0}


# ---- disk, boot time, KVM

def test_disk_reports_the_nearest_existing_directory(root, monkeypatch, tmp_path):
    root('/var/lib/placeholder')
    monkeypatch.setattr(precheck_facts.os, 'statvfs',
                        lambda path: SimpleNamespace(f_bavail=2560, f_blocks=10240, f_frsize=4096))
    assert precheck_facts.disk('/var/lib/nova/instances') == {'path': '/var/lib', 'free_mb': 10, 'total_mb': 40}


@pytest.mark.parametrize('text, expected', [
    ('cpu  1 2 3\nintr 5\nctxt 9\nbtime 1767225600\nprocesses 77\n', 1767225600),
    ('cpu  1 2 3\n', 0),
], ids=['btime', 'missing'])
def test_boot_time(root, text, expected):
    root('/proc/stat', text)
    assert precheck_facts.boot_time() == expected


@pytest.mark.parametrize('cpuinfo, device, expected', [
    ('processor\t: 0\nflags\t\t: fpu vme sse2 vmx ept\n', True, {'device': True, 'cpu_flag': True}),
    ('processor\t: 0\nflags\t\t: fpu svm npt\n', False, {'device': False, 'cpu_flag': True}),
    ('processor\t: 0\nflags\t\t: fpu sse2 hypervisor\n', True, {'device': True, 'cpu_flag': False}),
    ('', False, {'device': False, 'cpu_flag': False}),
], ids=['intel', 'amd-no-device', 'no-flag', 'unreadable'])
def test_kvm(root, cpuinfo, device, expected):
    root('/proc/cpuinfo', cpuinfo)
    if device:
        root('/dev/kvm')
    assert precheck_facts.kvm() == expected


# ---- Open vSwitch's kernel datapath

@pytest.mark.parametrize('files, expected', [
    ({}, {'loaded': False, 'module': False, 'tested': None}),
    ({'/sys/module/openvswitch/refcnt': '0'}, {'loaded': True, 'module': False, 'tested': None}),
    ({'/lib/modules/6.1.0-31-amd64/kernel/net/openvswitch/openvswitch.ko.xz': ''},
     {'loaded': False, 'module': True, 'tested': None}),
    ({'/lib/modules/6.1.0-31-amd64/modules.builtin': 'kernel/net/openvswitch/openvswitch.ko\n'},
     {'loaded': False, 'module': True, 'tested': None}),
    ({'/var/lib/gureum/ovs_datapath.json': '{"key": "6.1.0-31-amd64 b00t", "kernel_datapath": false}'},
     {'loaded': False, 'module': False, 'tested': False}),
    ({'/var/lib/gureum/ovs_datapath.json': '{"key": "6.1.0-31-amd64 an-older-boot", "kernel_datapath": true}'},
     {'loaded': False, 'module': False, 'tested': None}),
], ids=['nothing', 'loaded', 'module-file', 'built-in', 'tested-this-boot', 'tested-another-boot'])
def test_ovs(root, monkeypatch, files, expected):
    monkeypatch.setattr(precheck_facts.platform, 'release', lambda: '6.1.0-31-amd64')
    root('/proc/sys/kernel/random/boot_id', 'b00t\n')
    for path, text in files.items():
        root(path, text)
    assert precheck_facts.ovs() == expected


# ---- competing firewall services

def test_firewall_units_lists_the_enabled_ones():
    module = FakeModule(answers={'ufw.service': (0, 'enabled\n', ''), 'nftables.service': (0, 'enabled-runtime\n', ''),
                                 'iptables.service': (1, 'disabled\n', ''), 'ebtables.service': (1, 'masked\n', ''),
                                 '*': (4, '', 'Failed to get unit file state: No such file or directory\n')})
    assert precheck_facts.firewall_units(module) == ['ufw', 'nftables']
    assert module.commands[0] == ['/usr/bin/systemctl', 'is-enabled', 'ufw.service']
    assert len(module.commands) == len(precheck_facts.FIREWALL_UNITS)


def test_firewall_units_without_systemctl():
    module = FakeModule(bins=())
    assert precheck_facts.firewall_units(module) == [] and module.commands == []


# ---- the whole module

def test_main_reports_everything_and_changes_nothing(root, run_module, monkeypatch):
    from ansible.module_utils import basic
    root('/proc/meminfo', 'MemTotal: 4096000 kB\nMemAvailable: 2048000 kB\n')
    root('/proc/stat', 'btime 1700000000\n')
    root('/proc/cpuinfo', 'flags : vmx\n')
    root('/etc/hosts', '10.0.0.11 controller1\n')
    root('/etc/nsswitch.conf', 'hosts: files\n')
    root('/var/lib/placeholder')
    answers = {'-p': (0, 'tcp LISTEN 0 4096 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=1,fd=3))\n', ''),
               '*': (1, 'disabled\n', '')}
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path', lambda self, name, *a, **kw: '/usr/bin/' + name)
    monkeypatch.setattr(basic.AnsibleModule, 'run_command',
                        lambda self, argv, **kw: answers.get(argv[-1], answers['*']))
    monkeypatch.setattr(precheck_facts.socket, 'getaddrinfo', lambda *a: [(2, 1, 6, '', ('10.0.0.11', 0))])
    result = run_module(precheck_facts.main, {'names': ['controller1']}, check_mode=True)
    assert result['changed'] is False and not result.get('failed'), result
    assert result['memory'] == {'total_mb': 4000, 'available_mb': 2000, 'cgroup_limit_mb': None, 'cgroup_used_mb': None}
    assert result['disk']['path'] == '/var/lib'
    assert result['boot_time'] == 1700000000
    assert result['listening'] == [{'protocol': 'tcp', 'port': 22, 'process': 'sshd'}]
    assert result['resolved'] == {'controller1': ['10.0.0.11']}
    assert result['hosts_entries'] == [{'address': '10.0.0.11', 'names': ['controller1'], 'managed': False}]
    assert result['nsswitch_hosts'] == ['files']
    assert result['ifupdown_foreign'] == [] and result['firewall_units'] == []
    assert result['kvm'] == {'device': False, 'cpu_flag': True}
    assert sorted(result['ovs']) == ['loaded', 'module', 'tested']


def test_block_reports_each_device_and_device_mapper(tmp_path, monkeypatch):
    from ansible_collections.gureum.openstack.plugins.modules import precheck_facts as module
    regular = tmp_path / 'file'
    regular.write_text('x')
    found = module.block([str(regular), str(tmp_path / 'missing')])
    assert found['devices'] == {str(regular): 'other', str(tmp_path / 'missing'): 'missing'}
    monkeypatch.setattr(module.os.path, 'exists', lambda path: path == '/dev/mapper/control')
    assert module.block([])['device_mapper'] is True
    monkeypatch.setattr(module.os.path, 'exists', lambda path: False)
    assert module.block([])['device_mapper'] is False
