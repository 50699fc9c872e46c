import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.gureum.openstack.plugins.filter.network import FilterModule

FILTERS = FilterModule().filters()


def test_network_interfaces_filter():
    mgmt = {'interface': 'eth0', 'address': '10.0.0.11', 'cidr': '10.0.0.0/24'}
    assert FILTERS['network_interfaces'](mgmt)[0]['addresses'] == ['10.0.0.11/24']


@pytest.mark.parametrize('mgmt, message', [
    ('eth0', 'expects the management interface as a dictionary'),
    ({'interface': 'eth0', 'address': '10.0.0.11', 'cidr': '10.1.0.0/24'}, 'network_interfaces: management address'),
])
def test_network_interfaces_filter_errors(mgmt, message):
    with pytest.raises(AnsibleFilterError, match=message):
        FILTERS['network_interfaces'](mgmt)


def test_amphora_pool_filter():
    assert FILTERS['amphora_pool']('172.31.0.0/24') == {'start': '172.31.0.100', 'end': '172.31.0.253'}
    with pytest.raises(AnsibleFilterError, match='amphora_pool: amphora network 172.31.0.0/27 is too small'):
        FILTERS['amphora_pool']('172.31.0.0/27')
