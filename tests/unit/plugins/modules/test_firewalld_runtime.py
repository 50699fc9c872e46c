"""firewalld_runtime: parsing of the zone views, and reload only when runtime and permanent differ."""

import pytest
from ansible.module_utils import basic

from ansible_collections.gureum.openstack.plugins.modules import firewalld_runtime

# As firewall-cmd (firewalld 1.x/2.x) prints --list-all: forward ports and rich rules go one per line after a tab.
ZONE = '\n'.join([
    'public{active}',
    '  target: default',
    '  ingress-priority: 0',
    '  egress-priority: 0',
    '  icmp-block-inversion: no',
    '  interfaces: {interfaces}',
    '  sources: ',
    '  services: ',
    '  ports: {ports}',
    '  protocols: ',
    '  forward: yes',
    '  masquerade: no',
    '  forward-ports: {forward_ports}',
    '  source-ports: ',
    '  icmp-blocks: ',
    '  rich rules: {rich_rules}',
    '',
])


def zone(active=True, interfaces='eth0 br-ex', ports='22/tcp 5000/tcp', forward_ports=(), rich_rules=()):
    return ZONE.format(active=' (active)' if active else '', interfaces=interfaces, ports=ports,
                       forward_ports=''.join('\n\t' + f for f in forward_ports),
                       rich_rules=''.join('\n\t' + r for r in rich_rules))


# ---- normalize and from_text

@pytest.mark.parametrize('settings, expected', [
    ({'ports': [('5000', 'tcp'), ('22', 'tcp')]}, ['ports: 22/tcp 5000/tcp']),
    ({'services': ['ssh', 'dhcpv6-client']}, ['services: dhcpv6-client ssh']),
    ({'interfaces': ['eth0'], 'target': 'default'}, ['target: default']),
    ({'masquerade': False, 'forward': True}, ['forward: True', 'masquerade: False']),
    ({'forward_ports': [('80', 'tcp', '8080', '')]}, ['forward_ports: 80/tcp/8080/']),
    ({'rules_str': []}, ['rules_str: ']),
], ids=['port-tuples', 'sorted-values', 'interfaces-left-out', 'scalars-sorted-keys', 'forward-ports', 'empty'])
def test_normalize(settings, expected):
    assert firewalld_runtime.normalize(settings) == expected


def test_from_text_reads_the_list_all_output():
    assert firewalld_runtime.from_text(zone(ports='5000/tcp 22/tcp')) == [
        'egress_priority: 0', 'forward: yes', 'forward_ports: ', 'icmp_block_inversion: no', 'icmp_blocks: ',
        'ingress_priority: 0', 'masquerade: no', 'ports: 22/tcp 5000/tcp', 'protocols: ', 'rich_rules: ',
        'services: ', 'source_ports: ', 'sources: ', 'target: default']


@pytest.mark.parametrize('runtime, permanent', [
    (zone(active=True), zone(active=False)),
    (zone(interfaces='eth0 br-ex'), zone(interfaces='')),
    (zone(ports='5000/tcp 22/tcp'), zone(ports='22/tcp 5000/tcp')),
], ids=['active-marker', 'interfaces', 'order'])
def test_from_text_equal_views(runtime, permanent):
    assert firewalld_runtime.from_text(runtime) == firewalld_runtime.from_text(permanent)


@pytest.mark.parametrize('runtime, permanent', [
    (zone(ports='22/tcp 5000/tcp 8080/tcp'), zone()),
    (zone(ports='22/tcp'), zone()),
    (zone(forward_ports=['port=80:proto=tcp:toport=8080:toaddr=']), zone()),
    (zone(rich_rules=['rule family="ipv6" source address="fd00::/64" accept']), zone()),
], ids=['runtime-port', 'permanent-port', 'runtime-forward-port', 'runtime-ipv6-rich-rule'])
def test_from_text_differing_views(runtime, permanent):
    assert firewalld_runtime.from_text(runtime) != firewalld_runtime.from_text(permanent)


# ---- main() through firewall-cmd (no Python client)

class FakeFirewallCmd(object):
    def __init__(self):
        self.zones = {}      # (zone, view) -> --list-all output
        self.commands = []
        self.list_rc = 0
        self.reload = (0, 'success\n', '')

    def run_command(self, module, argv, **kwargs):
        self.commands.append(list(argv))
        if argv[1:] == ['--reload']:
            return self.reload
        view = 'permanent' if '--permanent' in argv else 'runtime'
        name = argv[argv.index('--zone') + 1]
        if self.list_rc:
            return self.list_rc, '', 'FirewallD is not running\n'
        return 0, self.zones[(name, view)], ''

    def reloads(self):
        return [argv for argv in self.commands if argv[-1] == '--reload']


@pytest.fixture
def firewall(monkeypatch):
    fake = FakeFirewallCmd()
    monkeypatch.setattr(firewalld_runtime, 'HAS_CLIENT', False)
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path', lambda module, name, *a, **kw: '/usr/bin/' + name)
    monkeypatch.setattr(basic.AnsibleModule, 'run_command',
                        lambda module, *a, **kw: fake.run_command(module, *a, **kw))  # pylint: disable=unnecessary-lambda
    for name in ('public', 'management'):
        fake.zones[(name, 'runtime')] = zone(active=True).replace('public', name)
        fake.zones[(name, 'permanent')] = zone(active=False).replace('public', name)
    return fake


def test_equal_zones_are_not_reloaded(firewall, run_module):
    result = run_module(firewalld_runtime.main, {'zones': ['public', 'management']})
    assert not result.get('failed'), result
    assert result['changed'] is False and result['differences'] == {}
    assert firewall.reloads() == []
    assert ['/usr/bin/firewall-cmd', '--permanent', '--zone', 'management', '--list-all'] in firewall.commands
    assert ['/usr/bin/firewall-cmd', '--zone', 'management', '--list-all'] in firewall.commands


def test_interfaces_bound_at_runtime_only_do_not_reload(firewall, run_module):
    firewall.zones[('public', 'permanent')] = zone(active=False, interfaces='')
    result = run_module(firewalld_runtime.main, {'zones': ['public']})
    assert result['changed'] is False and firewall.reloads() == []


@pytest.mark.parametrize('runtime', [
    zone(ports='22/tcp 5000/tcp 8080/tcp'),
    zone(ports='22/tcp'),
    zone(forward_ports=['port=80:proto=tcp:toport=8080:toaddr=']),
], ids=['port-opened-at-runtime', 'port-not-loaded', 'forward-port-at-runtime'])
def test_a_differing_zone_is_reloaded(firewall, run_module, runtime):
    firewall.zones[('management', 'runtime')] = runtime.replace('public', 'management')
    result = run_module(firewalld_runtime.main, {'zones': ['public', 'management']})
    assert not result.get('failed'), result
    assert result['changed'] is True
    assert list(result['differences']) == ['management']
    assert result['differences']['management'] == {
        'runtime': firewalld_runtime.from_text(runtime), 'permanent': firewalld_runtime.from_text(zone())}
    assert firewall.reloads() == [['/usr/bin/firewall-cmd', '--reload']]


def test_a_rich_rule_added_at_runtime_is_reloaded(firewall, run_module):
    firewall.zones[('public', 'runtime')] = zone(rich_rules=['rule family="ipv4" source address="203.0.113.0/24" accept'])
    result = run_module(firewalld_runtime.main, {'zones': ['public']})
    assert result['changed'] is True and firewall.reloads() == [['/usr/bin/firewall-cmd', '--reload']]


def test_check_mode_reports_a_difference_without_reloading(firewall, run_module):
    firewall.zones[('public', 'runtime')] = zone(ports='22/tcp 5000/tcp 8080/tcp')
    result = run_module(firewalld_runtime.main, {'zones': ['public']}, check_mode=True)
    assert result['changed'] is True and list(result['differences']) == ['public']
    assert firewall.reloads() == []


def test_a_failing_reload_fails_with_the_differences(firewall, run_module):
    firewall.zones[('public', 'runtime')] = zone(ports='22/tcp')
    firewall.reload = (13, '', 'Error: COMMAND_FAILED: nft failed\n')
    result = run_module(firewalld_runtime.main, {'zones': ['public']})
    assert result['failed'] is True
    assert result['msg'] == 'firewall-cmd --reload failed: Error: COMMAND_FAILED: nft failed'
    assert list(result['differences']) == ['public']


def test_an_unreadable_zone_fails_and_does_not_reload(firewall, run_module):
    firewall.list_rc = 252
    result = run_module(firewalld_runtime.main, {'zones': ['public'], 'timeout': 0})
    assert result['failed'] is True
    assert result['msg'].startswith("Cannot read zone 'public' from firewalld (firewall-cmd cannot show the runtime "
                                    "zone: FirewallD is not running)")
    assert firewall.reloads() == []


# ---- main() through firewalld's Python client

class FakeSettings(object):
    def __init__(self, settings):
        self.settings = settings

    def getSettingsDict(self):
        return dict(self.settings)


class FakeClient(object):
    connected = True
    runtime = {}
    permanent = {}

    def getZoneSettings(self, zone):
        return FakeSettings(self.runtime[zone])

    def config(self):
        client = self

        class Config(object):
            def getZoneByName(self, zone):
                class Zone(object):
                    def getSettings(self):
                        return FakeSettings(client.permanent[zone])
                return Zone()
        return Config()


@pytest.fixture
def client(firewall, monkeypatch):
    monkeypatch.setattr(firewalld_runtime, 'HAS_CLIENT', True)
    monkeypatch.setattr(firewalld_runtime, 'FirewallClient', FakeClient, raising=False)
    settings = {'target': 'default', 'ports': [('22', 'tcp')], 'services': [], 'interfaces': [], 'rules_str': []}
    monkeypatch.setattr(FakeClient, 'runtime', {'public': dict(settings, interfaces=['eth0'])})
    monkeypatch.setattr(FakeClient, 'permanent', {'public': dict(settings)})
    return FakeClient


def test_client_equal_zone_is_not_reloaded(client, firewall, run_module):
    result = run_module(firewalld_runtime.main, {'zones': ['public']})
    assert result['changed'] is False and firewall.commands == []


@pytest.mark.parametrize('runtime', [
    {'ports': [('22', 'tcp'), ('8080', 'tcp')]},
    {'rules_str': ['rule family="ipv4" source address="203.0.113.0/24" accept']},
], ids=['port', 'rich-rule'])
def test_client_differing_zone_is_reloaded(client, firewall, run_module, runtime):
    client.runtime['public'].update(runtime)
    result = run_module(firewalld_runtime.main, {'zones': ['public']})
    assert result['changed'] is True
    assert firewall.commands == [['/usr/bin/firewall-cmd', '--reload']]


def test_client_not_connected_fails(client, firewall, run_module, monkeypatch):
    monkeypatch.setattr(client, 'connected', False)
    result = run_module(firewalld_runtime.main, {'zones': ['public'], 'timeout': 0})
    assert result['failed'] is True and 'firewalld is not running' in result['msg']
    assert firewall.commands == []


def test_a_firewalld_that_answers_late_is_waited_for(firewall, run_module, monkeypatch):
    answers = iter([252, 252, 0])
    real = firewall.list_rc
    calls = []

    def sleep(seconds):
        calls.append(seconds)
        firewall.list_rc = next(answers)
    monkeypatch.setattr(firewalld_runtime.time, 'sleep', sleep)
    firewall.list_rc = 252
    result = run_module(firewalld_runtime.main, {'zones': ['public'], 'timeout': 60})
    assert not result.get('failed'), result
    assert len(calls) >= 2 and firewall.list_rc == real == 0
