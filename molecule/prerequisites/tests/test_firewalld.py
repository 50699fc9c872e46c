"""Each node opens exactly the ports the catalog gives its services: nothing missing, nothing extra, and the
management ports only to the management network."""

import errno
import os
import socket
import sys

import pytest
import testinfra
import testinfra.utils.ansible_runner

sys.path.insert(0, os.path.join(os.environ['MOLECULE_PROJECT_DIRECTORY'], 'collections'))
from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog  # noqa: E402

INVENTORY = os.environ['MOLECULE_INVENTORY_FILE']
RUNNER = testinfra.utils.ansible_runner.AnsibleRunner(INVENTORY)
testinfra_hosts = RUNNER.get_hosts('all')
SERVICES = ['ssh', 'chrony_server', 'mariadb', 'keystone', 'nova_compute', 'neutron_linuxbridge_agent']
CATALOG = catalog.select(catalog.catalog(), SERVICES)
VIEWS = [[], ['--permanent']]


def name_of(host):
    return host.backend.get_hostname()


def declared(name, scope=None):
    groups = RUNNER.get_variables(name)['group_names']
    return set('%s/%s' % (p['port'], p['protocol']) for p in catalog.firewall_ports(CATALOG, groups)
               if scope is None or p['scope'] == scope)


def listed(host, zone, what, view):
    return set(host.check_output(' '.join(['firewall-cmd'] + view + ['--zone', zone, '--list-' + what])).split())


def test_firewalld_is_enabled_and_running(host):
    assert host.service('firewalld').is_enabled
    assert host.check_output('firewall-cmd --state') == 'running'


@pytest.mark.parametrize('view', VIEWS, ids=['runtime', 'permanent'])
def test_public_zone_opens_exactly_the_public_ports(host, view):
    assert listed(host, 'public', 'ports', view) == declared(name_of(host), 'public')


@pytest.mark.parametrize('view', VIEWS, ids=['runtime', 'permanent'])
def test_management_zone_opens_exactly_every_declared_port(host, view):
    assert listed(host, 'management', 'ports', view) == declared(name_of(host))


@pytest.mark.parametrize('view', VIEWS, ids=['runtime', 'permanent'])
def test_management_zone_is_bound_to_the_management_network(host, view):
    # the inventory's management_network is a template over the same environment variable
    cidr = os.environ.get('MOLECULE_LAB_MGMT') or '10.250.0.0/24'
    assert listed(host, 'management', 'sources', view) == set([cidr])


@pytest.mark.parametrize('view', VIEWS, ids=['runtime', 'permanent'])
def test_public_zone_holds_exactly_the_bridges_of_instance_traffic(host, view):
    groups = RUNNER.get_variables(name_of(host))['group_names']
    assert listed(host, 'public', 'interfaces', view) == set(catalog.firewall_bridges(CATALOG, groups))


@pytest.mark.parametrize('zone', ['public', 'management'])
@pytest.mark.parametrize('view', VIEWS, ids=['runtime', 'permanent'])
def test_nothing_else_opens_the_zone(host, zone, view):
    settings = {}
    for line in host.check_output(' '.join(['firewall-cmd'] + view + ['--zone', zone, '--list-all'])).splitlines()[1:]:
        key, dummy, values = line.strip().partition(':')
        settings[key] = values.split()
    for key in ('services', 'protocols', 'forward-ports', 'source-ports', 'rich rules'):
        assert settings.get(key, []) == [], (key, settings)
    if zone == 'management':
        assert settings.get('interfaces', []) == [], settings
    assert settings['masquerade'] == ['no'] and settings['target'] == ['default']


def test_only_our_zones_are_in_use(host):
    active = [ln for ln in host.check_output('firewall-cmd --get-active-zones').splitlines() if not ln.startswith(' ')]
    assert set(active) <= set(['public', 'management'])
    assert host.check_output('firewall-cmd --get-default-zone') == 'public'


def connect(address, port):
    """Connect from the machine running the tests (outside the management network)."""
    sock = socket.socket()
    sock.settimeout(5)
    try:
        sock.connect((address, port))
        return 0
    except OSError as exc:
        return exc.errno or -1
    finally:
        sock.close()


def test_ssh_is_open_to_everyone():
    assert connect(RUNNER.get_variables('controller')['ansible_host'], 22) == 0


def test_management_port_is_closed_to_others():
    # the firewall answers with icmp-host-prohibited: no route to host, not "connection refused"
    assert connect(RUNNER.get_variables('controller')['ansible_host'], 3306) == errno.EHOSTUNREACH


def test_management_port_is_open_to_the_management_network():
    compute1 = testinfra.get_host('ansible://compute1?ansible_inventory=%s' % INVENTORY)
    address = RUNNER.get_variables('controller')['ansible_host']
    probe = ('python3 -c "import socket,sys; s=socket.socket(); s.settimeout(5)\n'
             'try:\n s.connect((sys.argv[1], 3306)); print(0)\nexcept OSError as e:\n print(e.errno)" %s' % address)
    # nothing listens on 3306 yet: a refusal from the node itself proves the firewall let the packet in
    assert int(compute1.check_output(probe)) == errno.ECONNREFUSED
