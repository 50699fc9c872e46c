"""What a port scan should find on a node, from the ports its firewall opens (catalog.scan_expectation), and how a
scan's answer differs from it (catalog.scan_differences)."""

import pytest

from ansible_collections.gureum.openstack.plugins.filter.catalog import FilterModule
from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog

FILTERS = FilterModule().filters()
DEFAULTS = catalog.default_services(catalog.SERVICES, ['controller', 'network', 'compute'])
CONTROLLER_TCP = [22, 80, 443, 3306, 5000, 5672, 6080, 8000, 8004, 8774, 8775, 8778, 9292, 9696, 11211]


def _expected(groups, side, services=None, idle=None, extra=()):
    enabled = catalog.select(catalog.catalog(), services or DEFAULTS)
    return catalog.scan_expectation(catalog.firewall_ports(enabled, groups) + list(extra), side, idle)


@pytest.mark.parametrize('groups, side, required, ranges', [
    (['controller'], 'management', CONTROLLER_TCP, []),
    # the provider side sees only the public ports: no MariaDB, RabbitMQ, memcached, metadata API
    (['controller'], 'provider', [22, 80, 443, 5000, 6080, 8000, 8004, 8774, 8778, 9292, 9696], []),
    # VXLAN is UDP: nothing a TCP scan can see
    (['network'], 'management', [22], []),
    (['network'], 'provider', [22], []),
    (['compute'], 'management', [22], [[5900, 5999], [49152, 49215]]),
    (['compute'], 'provider', [22], []),
    (['controller', 'network', 'compute'], 'management', CONTROLLER_TCP, [[5900, 5999], [49152, 49215]]),
])
def test_expectation_of_the_default_services(groups, side, required, ranges):
    assert _expected(groups, side) == {'required': required, 'optional': [], 'ranges': ranges}


def test_expectation_follows_a_moved_port():
    enabled = catalog.select(catalog.catalog({'glance': {'ports': {'api': {'port': 9393}}}}), ['ssh', 'glance'])
    found = catalog.scan_expectation(catalog.firewall_ports(enabled, ['controller']), 'management')
    assert found['required'] == [22, 9393]


def test_expectation_leaves_out_udp():
    found = _expected(['controller'], 'management', ['ssh', 'chrony_server'])
    assert found == {'required': [22], 'optional': [], 'ranges': []}


def test_idle_ports_may_answer():
    found = _expected(['controller'], 'management', ['ssh', 'horizon'], idle=[443])
    assert found == {'required': [22, 80], 'optional': [443], 'ranges': []}


@pytest.mark.parametrize('side, required', [('management', [22, 8443, 9100]), ('provider', [22, 8443])])
def test_extra_ports_count_by_scope(side, required):
    extra = [{'port': '8443', 'protocol': 'tcp', 'scope': 'public'},
             {'port': 9100, 'protocol': 'tcp', 'scope': 'management'},
             {'port': '53', 'protocol': 'udp', 'scope': 'public'}]
    assert _expected(['network'], side, extra=extra)['required'] == required


@pytest.mark.parametrize('ports, side, idle, message', [
    ([], 'public', None, "side 'public' is not one of management, provider"),
    ('22/tcp', 'management', None, 'expects the ports a node opens'),
    (['22'], 'management', None, r'each port is \{port, protocol, scope\}'),
    ([{'port': 22, 'protocol': 'sctp'}], 'management', None, 'protocol must be tcp or udp'),
    ([{'port': '70000'}], 'management', None, 'outside 1-65535'),
    ([], 'management', ['5900-5999'], 'idle must be single port numbers'),
    ([], 'management', 443, 'idle must be a list of port numbers'),
])
def test_expectation_refuses(ports, side, idle, message):
    with pytest.raises(catalog.CatalogError, match=message):
        catalog.scan_expectation(ports, side, idle)


EXPECTED = {'required': [22, 3306], 'optional': [443], 'ranges': [[5900, 5999]]}


@pytest.mark.parametrize('answering, unexpected, missing', [
    ([22, 3306], [], []),
    ([22, 3306, 443, 5900, 5999], [], []),
    # a guest console just outside the range, and a port nothing declares
    ([22, 3306, 6000, 25], [25, 6000], []),
    ([22], [], [3306]),
    ([], [], [22, 3306]),
    ([4369, 5899], [4369, 5899], [22, 3306]),
])
def test_differences(answering, unexpected, missing):
    assert catalog.scan_differences(EXPECTED, answering) == {'unexpected': unexpected, 'missing': missing}


def test_differences_refuse_something_else_than_an_expectation():
    with pytest.raises(catalog.CatalogError, match='expects what scan_expectation returns'):
        catalog.scan_differences([22], [22])


def test_the_filters_wrap_the_errors():
    from ansible.errors import AnsibleFilterError
    with pytest.raises(AnsibleFilterError, match='^port_scan_expectation: side'):
        FILTERS['port_scan_expectation']([], 'outside')
    assert FILTERS['port_scan_differences'](EXPECTED, [22, 3306, 80]) == {'unexpected': [80], 'missing': []}
