import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.gureum.openstack.plugins.filter.wiring import FilterModule

FILTERS = FilterModule().filters()


@pytest.mark.parametrize('name', ['transport_url', 'memcached_servers', 'database_url', 'endpoint_url', 'service_endpoints',
                                  'oslo_config', 'service_setup_plan'])
def test_filter_is_exported(name):
    assert callable(FILTERS[name])


@pytest.mark.parametrize('name, args, message', [
    ('transport_url', ([], 'u', 'p'), '^transport_url: hosts must be'),
    ('memcached_servers', ('not an address',), '^memcached_servers: hosts '),
    ('database_url', ('10.0.0.11', 'db', 'u', ''), '^database_url: password'),
    ('endpoint_url', ('10.0.0.11', 5000, 'v3'), '^endpoint_url: path'),
    ('oslo_config', ('x',), '^oslo_config: expects'),
    ('service_setup_plan', ([], {}), '^service_setup_plan: expects'),
])
def test_errors_name_the_filter(name, args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        FILTERS[name](*args)


def test_transport_url_through_the_filter():
    assert FILTERS['transport_url']('10.0.0.11', 'nova', 'pw', 'nova') == 'rabbit://nova:pw@10.0.0.11:5672/nova'
