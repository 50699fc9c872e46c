import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.gureum.openstack.plugins.filter.wiring import FilterModule

FILTERS = FilterModule().filters()


@pytest.mark.parametrize('name', ['transport_url', 'memcached_servers', 'database_url', 'endpoint_url',
                                  'service_endpoints', 'health_url', 'numbered_files', 'keystonerc', 'clouds_yaml',
                                  'table_column', 'keystone_auth', 'keystone_authtoken', 'oslo_config',
                                  'service_setup_plan', 'tls_files', 'tls_paths', 'uwsgi_socket'])
def test_filter_is_exported(name):
    assert callable(FILTERS[name])


@pytest.mark.parametrize('name, args, message', [
    ('transport_url', ([], 'u', 'p'), '^transport_url: hosts must be'),
    ('memcached_servers', ('not an address',), '^memcached_servers: hosts '),
    ('database_url', ('10.0.0.11', 'db', 'u', ''), '^database_url: password'),
    ('endpoint_url', ('10.0.0.11', 5000, 'v3'), '^endpoint_url: path'),
    ('oslo_config', ('x',), '^oslo_config: expects'),
    ('service_setup_plan', ([], {}), '^service_setup_plan: expects'),
    ('service_endpoints', ({'groups': ['all']}, {}), '^service_endpoints: expects a catalog entry with a keystone'),
    ('health_url', ({}, '10.0.0.11'), '^health_url: expects a catalog entry with a health path'),
    ('numbered_files', (['k'], 'rel', 'keystone'), '^numbered_files: directory must be an absolute path'),
    ('keystonerc', ({},), '^keystonerc: a cloud needs'),
    ('clouds_yaml', ({},), '^clouds_yaml: expects'),
    ('table_column', ('| a |', 'b'), "^table_column: the table has no column 'b'"),
    ('keystone_auth', ({}, 'nova', 'pw', 'RegionOne'), '^keystone_auth: expects the Identity URLs'),
    ('endpoint_url', ('http://x', 5000), '^endpoint_url: address'),
    ('tls_files', ('keystone', '', 'x'), '^tls_files: cert of keystone must be PEM text'),
    ('tls_files', ('Keystone/..', '-----BEGIN C', '-----BEGIN K'), '^tls_files: expects a service name'),
    ('uwsgi_socket', (5000, 'ftp'), '^uwsgi_socket: scheme must be http or https'),
    ('uwsgi_socket', (5000, 'https'), '^uwsgi_socket: https needs the service name'),
    ('uwsgi_socket', (0,), '^uwsgi_socket: port must be'),
])
def test_errors_name_the_filter(name, args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        FILTERS[name](*args)


def test_transport_url_through_the_filter():
    assert FILTERS['transport_url']('10.0.0.11', 'nova', 'pw', 'nova') == 'rabbit://nova:pw@10.0.0.11:5672/nova'


def test_table_column_through_the_filter():
    assert FILTERS['table_column']('| Hostname |\n| compute10 |\n', 'Hostname') == ['compute10']


@pytest.mark.parametrize('args, wanted', [
    ((5000,), '--http-socket :5000'),
    (('8774', 'http', 'nova'), '--http-socket :8774'),
    ((5000, 'https', 'keystone'),
     '--https-socket :5000,/etc/gureum-openstack/tls/keystone.crt,/etc/gureum-openstack/tls/keystone.key'),
])
def test_uwsgi_socket(args, wanted):
    assert FILTERS['uwsgi_socket'](*args) == wanted


def test_tls_files_key_readable_by_the_group_only():
    files = FILTERS['tls_files']('heat', '-----BEGIN CERTIFICATE-----\nC\n', '-----BEGIN PRIVATE KEY-----\nK',
                                 'heat', ['heat-api'])
    assert [(f['path'], f['group'], f['mode'], f['units'], f['header']) for f in files] == [
        ('/etc/gureum-openstack/tls/heat.crt', 'root', '0644', ['heat-api'], False),
        ('/etc/gureum-openstack/tls/heat.key', 'heat', '0640', ['heat-api'], False)]
    assert files[1]['content'] == '-----BEGIN PRIVATE KEY-----\nK\n'
