"""ovs_datapath with ovs-vsctl faked: a node whose kernel datapath works, one where it does not, one without OVS."""

import json

import pytest
from ansible.module_utils import basic

from ansible_collections.gureum.openstack.plugins.modules import ovs_datapath


class FakeOvs(object):
    """ovs-vsctl installed or not, ovs-vswitchd running or not, a kernel datapath or not."""

    def __init__(self):
        self.installed = True
        self.running = True
        self.kernel = True
        self.commands = []

    def get_bin_path(self, name, required=False, opt_dirs=None):
        return '/usr/bin/ovs-vsctl' if name == 'ovs-vsctl' and self.installed else None

    def run_command(self, argv, **kwargs):
        self.commands.append(list(argv))
        args = argv[2:]
        if not self.running:
            return 1, '', 'ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed'
        if args == ['show']:
            return 0, 'b1\n', ''
        if 'add-br' in args:
            if self.kernel:
                return 0, '', ''
            return 0, '', "ovs-vsctl: Error detected while setting up 'gureum-dp-probe'.  See ovs-vswitchd log."
        if args[:1] == ['get'] and args[-1] == 'ofport':
            return 0, ('65534\n' if self.kernel else '-1\n'), ''
        if args[:1] == ['get'] and args[-1] == 'error':
            return 0, ('[]\n' if self.kernel else '"could not open network device gureum-dp-probe (Address family '
                                                  'not supported by protocol)"\n'), ''
        return 0, '', ''

    def probes(self):
        return [c for c in self.commands if 'add-br' in c]


@pytest.fixture
def ovs(monkeypatch):
    fake = FakeOvs()
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path', lambda module, *a, **kw: fake.get_bin_path(*a, **kw))
    monkeypatch.setattr(basic.AnsibleModule, 'run_command', lambda module, *a, **kw: fake.run_command(*a, **kw))
    return fake


def args(tmp_path, **extra):
    base = {'cache': str(tmp_path / 'state' / 'ovs_datapath.json')}
    base.update(extra)
    return base


def test_a_working_kernel_datapath_is_used(ovs, tmp_path, run_module):
    result = run_module(ovs_datapath.main, args(tmp_path))
    assert (result['datapath_type'], result['kernel_datapath'], result['probed'], result['changed']) == \
        ('system', True, True, True)
    # the throw-away bridge is made with the kernel datapath and deleted again
    assert ['/usr/bin/ovs-vsctl', '--timeout=20', '--', 'add-br', 'gureum-dp-probe', '--', 'set', 'Bridge',
            'gureum-dp-probe', 'datapath_type=system'] in ovs.commands
    assert ovs.commands[-1][-3:] == ['--if-exists', 'del-br', 'gureum-dp-probe']


def test_no_kernel_datapath_falls_back_to_userspace(ovs, tmp_path, run_module):
    ovs.kernel = False
    result = run_module(ovs_datapath.main, args(tmp_path))
    assert (result['datapath_type'], result['kernel_datapath'], result['probed']) == ('netdev', False, True)
    assert 'Error detected' in result['reason'] and 'userspace datapath is used' in result['reason']


def test_no_kernel_datapath_with_userspace_turned_off_fails_with_a_sentence(ovs, tmp_path, run_module):
    ovs.kernel = False
    result = run_module(ovs_datapath.main, args(tmp_path, userspace_allowed=False))
    assert result['failed']
    assert 'no working Open vSwitch kernel datapath' in result['msg']
    assert 'openstack_ovs_userspace_datapath' in result['msg']


def test_system_asked_for_without_a_kernel_datapath_fails(ovs, tmp_path, run_module):
    ovs.kernel = False
    result = run_module(ovs_datapath.main, args(tmp_path, datapath_type='system'))
    assert result['failed'] and 'modprobe openvswitch' in result['msg']


def test_netdev_asked_for_is_answered_without_a_test(ovs, tmp_path, run_module):
    result = run_module(ovs_datapath.main, args(tmp_path, datapath_type='netdev'))
    assert (result['datapath_type'], result['probed'], result['changed']) == ('netdev', False, False)
    assert ovs.commands == []


def test_netdev_asked_for_with_userspace_turned_off_fails(ovs, tmp_path, run_module):
    result = run_module(ovs_datapath.main, args(tmp_path, datapath_type='netdev', userspace_allowed=False))
    assert result['failed'] and 'turned off' in result['msg']


@pytest.mark.parametrize('installed, running', [(False, False), (True, False)], ids=['not-installed', 'not-running'])
def test_without_open_vswitch_a_probe_is_needed(ovs, tmp_path, run_module, installed, running):
    ovs.installed, ovs.running = installed, running
    result = run_module(ovs_datapath.main, args(tmp_path))
    assert (result['datapath_type'], result['probe_needed'], result['changed']) == ('', True, False)
    assert ovs.probes() == []


def test_the_answer_is_cached_for_this_boot(ovs, tmp_path, run_module):
    ovs.kernel = False
    run_module(ovs_datapath.main, args(tmp_path))
    ovs.commands[:] = []
    ovs.running = False  # a cached answer needs no Open vSwitch
    again = run_module(ovs_datapath.main, args(tmp_path))
    assert (again['datapath_type'], again['probed'], again['changed']) == ('netdev', False, False)
    assert ovs.commands == []


def test_a_new_boot_tests_again(ovs, tmp_path, run_module):
    cache = tmp_path / 'state' / 'ovs_datapath.json'
    cache.parent.mkdir()
    cache.write_text(json.dumps({'key': 'an older kernel', 'kernel_datapath': False, 'detail': 'x'}))
    result = run_module(ovs_datapath.main, args(tmp_path))
    assert (result['datapath_type'], result['probed']) == ('system', True)


def test_check_mode_makes_no_bridge(ovs, tmp_path, run_module):
    result = run_module(ovs_datapath.main, args(tmp_path), check_mode=True)
    assert (result['probe_needed'], result['changed']) == (True, False)
    assert ovs.probes() == [] and not (tmp_path / 'state').exists()
