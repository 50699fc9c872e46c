import subprocess

import pytest
import yaml

from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog
from ansible_collections.gureum.openstack.plugins.plugin_utils import wiring

ENDPOINTS = {'public': {'address': 'cloud.example.org', 'scheme': 'https'},
             'internal': {'address': '10.0.0.11'}, 'admin': {'address': '10.0.0.11', 'scheme': 'http'}}


@pytest.mark.parametrize('address, expected', [
    ('10.0.0.11', '10.0.0.11'),
    ('fd00::11', '[fd00::11]'),
    ('[fd00:0::11]', '[fd00::11]'),
    ('controller', 'controller'),
    ('controller.lab.example', 'controller.lab.example'),
])
def test_host_part(address, expected):
    assert wiring.host_part(address) == expected


@pytest.mark.parametrize('address', ['', None, 10, '10.0.0.256', 'http://controller', 'controller:5000', 'a b',
                                     '[controller]', '-bad', '10.0.0.11/24'])
def test_host_part_refuses(address):
    with pytest.raises(wiring.WiringError, match='IP address'):
        wiring.host_part(address)


@pytest.mark.parametrize('args, kwargs, expected', [
    (('10.0.0.11', 'nova', 'pw'), {}, 'rabbit://nova:pw@10.0.0.11:5672/'),
    (('10.0.0.11', 'nova', 'pw', 'nova'), {}, 'rabbit://nova:pw@10.0.0.11:5672/nova'),
    ((['10.0.0.11', '10.0.0.12'], 'nova', 'pw', 'nova'), {},
     'rabbit://nova:pw@10.0.0.11:5672,nova:pw@10.0.0.12:5672/nova'),
    (('fd00::11', 'nova', 'p@ss/:w'), {'port': 5671}, 'rabbit://nova:p%40ss%2F%3Aw@[fd00::11]:5671/'),
    (('controller', 'nova', 'pw', '/nova'), {}, 'rabbit://nova:pw@controller:5672/%2Fnova'),
    (('controller', 'nova', 'pw'), {'query': {'ssl': 1}}, 'rabbit://nova:pw@controller:5672/?ssl=1'),
])
def test_transport_url(args, kwargs, expected):
    assert wiring.transport_url(*args, **kwargs) == expected


@pytest.mark.parametrize('args, kwargs, message', [
    (([], 'nova', 'pw'), {}, 'non-empty list'),
    (('10.0.0.11', '', 'pw'), {}, 'user must be a non-empty string'),
    (('10.0.0.11', 'nova', None), {}, 'password must be a non-empty string'),
    (('10.0.0.11', 'nova', 'pw', ''), {}, 'vhost must be a name'),
    (('10.0.0.11', 'nova', 'pw'), {'port': 0}, 'port must be a number'),
    (('10.0.0.11', 'nova', 'pw'), {'port': 'amqp'}, 'port must be a number'),
    (('10.0.0.11', 'nova', 'pw'), {'scheme': 'rabbit://'}, 'scheme must be a driver name'),
    (('10.0.0.11:5672', 'nova', 'pw'), {}, 'neither an IP address nor a host name'),
])
def test_transport_url_refuses(args, kwargs, message):
    with pytest.raises(wiring.WiringError, match=message):
        wiring.transport_url(*args, **kwargs)


@pytest.mark.parametrize('hosts, port, expected', [
    ('10.0.0.11', 11211, ['10.0.0.11:11211']),
    (['10.0.0.11', 'fd00::12'], 11211, ['10.0.0.11:11211', 'inet6:[fd00::12]:11211']),
    (['controller'], '11212', ['controller:11212']),
])
def test_memcached_servers(hosts, port, expected):
    assert wiring.memcached_servers(hosts, port) == expected


@pytest.mark.parametrize('hosts, port, message', [
    ([], 11211, 'non-empty list'),
    ({'a': 1}, 11211, 'non-empty list'),
    (['10.0.0.11'], 70000, 'port must be a number'),
    (['10.0.0.11'], True, 'port must be a number'),
])
def test_memcached_servers_refuses(hosts, port, message):
    with pytest.raises(wiring.WiringError, match=message):
        wiring.memcached_servers(hosts, port)


@pytest.mark.parametrize('args, kwargs, expected', [
    (('10.0.0.11', 'keystone', 'keystone', 'pw'), {}, 'mysql+pymysql://keystone:pw@10.0.0.11/keystone'),
    (('fd00::11', 'nova_api', 'nova', 'a:b@c'), {'port': 3307},
     'mysql+pymysql://nova:a%3Ab%40c@[fd00::11]:3307/nova_api'),
    (('db', 'glance', 'glance', 'pw'), {'driver': 'mysql', 'query': {'charset': 'utf8'}},
     'mysql://glance:pw@db/glance?charset=utf8'),
])
def test_database_url(args, kwargs, expected):
    assert wiring.database_url(*args, **kwargs) == expected


@pytest.mark.parametrize('args, kwargs, message', [
    (('10.0.0.11', 'key-stone', 'keystone', 'pw'), {}, 'database must be a name'),
    (('10.0.0.11', 'keystone', 'keystone', ''), {}, 'password must be a non-empty string'),
    (('10.0.0.11', 'keystone', 'keystone', 'pw'), {'driver': 'MySQL+'}, 'driver must be like'),
    (('10.0.0.11', 'keystone', 'keystone', 'pw'), {'query': 'charset=utf8'}, 'query must be a dictionary'),
    (('', 'keystone', 'keystone', 'pw'), {}, 'host must be an IP address or a host name'),
])
def test_database_url_refuses(args, kwargs, message):
    with pytest.raises(wiring.WiringError, match=message):
        wiring.database_url(*args, **kwargs)


@pytest.mark.parametrize('args, expected', [
    (('10.0.0.11', 5000, '/v3'), 'http://10.0.0.11:5000/v3'),
    (('fd00::11', 9292), 'http://[fd00::11]:9292'),
    (('cloud.example.org', 8776, '/v3/%(project_id)s', 'https'), 'https://cloud.example.org:8776/v3/%(project_id)s'),
    (('cloud.example.org', None, None, 'https'), 'https://cloud.example.org'),
])
def test_endpoint_url(args, expected):
    assert wiring.endpoint_url(*args) == expected


@pytest.mark.parametrize('args, message', [
    (('10.0.0.11', 5000, 'v3'), "path must be empty or start with '/'"),
    (('10.0.0.11', 5000, '/v3', 'ftp'), 'scheme must be http or https'),
    (('10.0.0.11', -1), 'port must be a number'),
    (('http://10.0.0.11', 5000), 'give the host alone'),
])
def test_endpoint_url_refuses(args, message):
    with pytest.raises(wiring.WiringError, match=message):
        wiring.endpoint_url(*args)


def test_oslo_config_renders_sorted_with_default_first():
    text = wiring.oslo_config({
        'token': {'provider': 'fernet'},
        'DEFAULT': {'debug': False, 'log_dir': '/var/log/keystone', 'removed': None},
        'cache': {'enabled': True, 'memcache_servers': ['10.0.0.11:11211', '10.0.0.12:11211'], 'expiration_time': 600},
        'empty': {},
    })
    assert text == ('[DEFAULT]\ndebug = false\nlog_dir = /var/log/keystone\n\n'
                    '[cache]\nenabled = true\nexpiration_time = 600\nmemcache_servers = 10.0.0.11:11211,10.0.0.12:11211\n\n'
                    '[empty]\n\n[token]\nprovider = fernet\n')


def test_oslo_config_takes_paste_deploy_sections():
    assert wiring.oslo_config({'pipeline:main': {'pipeline': 'healthcheck proxy-server'},
                               'filter:healthcheck': {'use': 'egg:swift#healthcheck'}}) == (
        '[filter:healthcheck]\nuse = egg:swift#healthcheck\n\n[pipeline:main]\npipeline = healthcheck proxy-server\n')


def test_oslo_config_drops_a_section_set_to_none():
    assert wiring.oslo_config({'a': {'x': 1}, 'b': None}) == '[a]\nx = 1\n'


@pytest.mark.parametrize('sections, message', [
    ([], r'expects \{section'),
    ({'a': 'x=1'}, 'must be a dictionary of options'),
    ({'a b': {}}, 'section name'),
    ({'filter:': {}}, 'section name'),
    ({'a:b:c': {}}, 'section name'),
    ({'a': {'x y': 1}}, 'option name'),
    ({'a': {'x': 'one\ntwo'}}, 'line break'),
    ({'a': {'x': {'y': 1}}}, 'string, number, boolean or list'),
])
def test_oslo_config_refuses(sections, message):
    with pytest.raises(wiring.WiringError, match=message):
        wiring.oslo_config(sections)


def _secrets(names):
    return dict((name, 'secret-of-' + name) for name in names)


def test_service_setup_plan_fills_passwords_and_endpoints():
    services = catalog.select(catalog.catalog(), ['nova', 'nova_compute'])
    secrets = _secrets(['nova_database_password', 'nova_rabbitmq_password', 'nova_keystone_password'])
    plan = wiring.service_setup_plan(services, secrets, ENDPOINTS)
    assert plan['databases'] == [{'user': 'nova', 'databases': ['nova', 'nova_api', 'nova_cell0'],
                                  'secret': 'nova_database_password', 'password': 'secret-of-nova_database_password'}]
    assert plan['messaging'] == [{'user': 'nova', 'vhost': 'nova', 'secret': 'nova_rabbitmq_password',
                                  'password': 'secret-of-nova_rabbitmq_password'}]
    assert plan['users'] == [{'name': 'nova', 'secret': 'nova_keystone_password',
                              'password': 'secret-of-nova_keystone_password'}]
    assert plan['services'][0]['endpoints'] == {
        'public': 'https://cloud.example.org:8774/v2.1',
        'internal': 'http://10.0.0.11:8774/v2.1',
        'admin': 'http://10.0.0.11:8774/v2.1',
    }


def test_service_setup_plan_fills_the_domain_admins_password():
    services = catalog.select(catalog.catalog(), ['heat', 'heat_cfn'])
    secrets = _secrets(['heat_database_password', 'heat_rabbitmq_password', 'heat_keystone_password',
                        'heat_domain_admin_password', 'heat_auth_encryption_key'])
    plan = wiring.service_setup_plan(services, secrets, ENDPOINTS)
    assert plan['domain_users'] == [{'name': 'heat_domain_admin', 'domain': 'heat',
                                     'secret': 'heat_domain_admin_password',
                                     'password': 'secret-of-heat_domain_admin_password'}]
    assert [s['endpoints']['internal'] for s in plan['services']] == [
        'http://10.0.0.11:8004/v1/%(tenant_id)s', 'http://10.0.0.11:8000/v1']


def test_service_setup_plan_refuses_a_missing_domain_admin_password():
    services = catalog.select(catalog.catalog(), ['heat'])
    secrets = _secrets(['heat_database_password', 'heat_rabbitmq_password', 'heat_keystone_password'])
    with pytest.raises(wiring.WiringError, match="secret 'heat_domain_admin_password' is missing"):
        wiring.service_setup_plan(services, secrets, ENDPOINTS)


def test_service_setup_plan_without_keystone_services_needs_no_endpoints():
    services = catalog.select(catalog.catalog(), ['nova_compute'])
    plan = wiring.service_setup_plan(services, _secrets(['nova_rabbitmq_password']))
    assert plan['services'] == [] and [m['user'] for m in plan['messaging']] == ['nova']


@pytest.mark.parametrize('names, secrets, endpoints, message', [
    (['glance'], {'glance_database_password': 'x'}, ENDPOINTS, "secret 'glance_keystone_password' is missing"),
    (['glance'], _secrets(['glance_database_password', 'glance_keystone_password']), None,
     'endpoints must give public, internal and admin'),
    (['glance'], _secrets(['glance_database_password', 'glance_keystone_password']),
     dict(ENDPOINTS, admin='10.0.0.11'), r'endpoints.admin must be \{address, scheme\}'),
    (['glance'], 'nope', ENDPOINTS, 'secrets must be a dictionary'),
])
def test_service_setup_plan_refuses(names, secrets, endpoints, message):
    services = catalog.select(catalog.catalog(), names)
    with pytest.raises(wiring.WiringError, match=message):
        wiring.service_setup_plan(services, secrets, endpoints)


def test_service_endpoints_of_an_entry():
    entry = catalog.catalog()['keystone']
    expected = {'public': 'https://cloud.example.org:5000/v3', 'internal': 'http://10.0.0.11:5000/v3',
                'admin': 'http://10.0.0.11:5000/v3'}
    assert wiring.service_endpoints(entry, ENDPOINTS) == expected


@pytest.mark.parametrize('overrides, name, expected', [
    # the keystone part names the port the endpoint is on
    ({'nova': {'keystone': {'port': 'metadata'}}}, 'nova', 'http://10.0.0.11:8775/v2.1'),
    # a port override moves the endpoint, a path override changes its path
    ({'glance': {'ports': {'api': {'port': 9293}}}}, 'glance', 'http://10.0.0.11:9293'),
    ({'keystone': {'keystone': {'path': '/identity/v3'}}}, 'keystone', 'http://10.0.0.11:5000/identity/v3'),
    ({}, 'placement', 'http://10.0.0.11:8778'),
    ({}, 'neutron_server', 'http://10.0.0.11:9696'),
])
def test_service_endpoints_follow_the_entry(overrides, name, expected):
    assert wiring.service_endpoints(catalog.catalog(overrides)[name], ENDPOINTS)['internal'] == expected


@pytest.mark.parametrize('service, endpoints, message', [
    ({'groups': ['all']}, ENDPOINTS, 'expects a catalog entry with a keystone part'),
    # the keystone part alone names a port but carries no number
    (catalog.SERVICES['keystone']['keystone'], ENDPOINTS, 'expects a catalog entry with a keystone part'),
    (catalog.SERVICES['mariadb'], ENDPOINTS, 'expects a catalog entry with a keystone part'),
    ({'ports': {}, 'keystone': {'type': 'x', 'name': 'x'}}, ENDPOINTS, "has no port 'api'"),
    (catalog.SERVICES['keystone'], {'public': {'address': 'x'}}, 'endpoints must give public, internal and admin'),
    (catalog.SERVICES['keystone'], dict(ENDPOINTS, public={'address': 'http://x'}), 'give the host alone'),
])
def test_service_endpoints_refuses(service, endpoints, message):
    with pytest.raises(wiring.WiringError, match=message):
        wiring.service_endpoints(service, endpoints)


IDENTITY = {'public': 'https://cloud.example:5000', 'internal': 'http://10.0.0.11:5000',
            'admin': 'http://10.0.0.11:5000'}


def test_keystone_auth_uses_the_internal_identity_endpoint():
    assert wiring.keystone_auth(IDENTITY, 'nova', 's3cret', 'RegionOne') == {
        'auth_url': 'http://10.0.0.11:5000', 'auth_type': 'password', 'project_domain_name': 'Default',
        'user_domain_name': 'Default', 'region_name': 'RegionOne', 'project_name': 'service',
        'username': 'nova', 'password': 's3cret'}


@pytest.mark.parametrize('kwargs, key, expected', [
    ({'interface': 'public'}, 'auth_url', 'https://cloud.example:5000'),
    ({'interface': 'admin'}, 'auth_url', 'http://10.0.0.11:5000'),
    ({'project': 'admin'}, 'project_name', 'admin'),
])
def test_keystone_auth_options(kwargs, key, expected):
    assert wiring.keystone_auth(IDENTITY, 'nova', 's3cret', 'RegionOne', **kwargs)[key] == expected


def test_keystone_authtoken_adds_public_uri_and_cache():
    options = wiring.keystone_authtoken(IDENTITY, 'glance', 'pw', ['10.0.0.11:11211'], 'RegionOne')
    assert options['www_authenticate_uri'] == 'https://cloud.example:5000'
    assert options['auth_url'] == 'http://10.0.0.11:5000'
    assert options['memcached_servers'] == ['10.0.0.11:11211']
    assert options['service_token_roles_required'] is True


def test_keystone_authtoken_without_memcached():
    assert 'memcached_servers' not in wiring.keystone_authtoken(IDENTITY, 'glance', 'pw', [], 'RegionOne')


@pytest.mark.parametrize('args, message', [
    (({'public': 'https://cloud.example:5000'}, 'nova', 'pw', 'RegionOne'), r'expects the Identity URLs \{public'),
    # the old shape, {interface: {address, scheme}}, is refused with the new one named
    (({'public': {'address': 'x'}, 'internal': {'address': 'x'}, 'admin': {'address': 'x'}}, 'nova', 'pw',
      'RegionOne'), r'openstack_identity_endpoints'),
    ((dict(IDENTITY, internal='10.0.0.11:5000'), 'nova', 'pw', 'RegionOne'), 'expects the Identity URLs'),
    (('http://10.0.0.11:5000', 'nova', 'pw', 'RegionOne'), 'expects the Identity URLs'),
    ((IDENTITY, '', 'pw', 'RegionOne'), 'user must be a Keystone user name'),
    ((IDENTITY, 'nova', '', 'RegionOne'), "password of 'nova' is empty"),
    ((IDENTITY, 'nova', 'pw', ''), 'region must be a region name'),
])
def test_keystone_auth_refuses(args, message):
    with pytest.raises(wiring.WiringError, match=message):
        wiring.keystone_auth(*args)


@pytest.mark.parametrize('identity, memcached, message', [
    (IDENTITY, '10.0.0.11:11211', 'memcached_servers must be a list'),
    ({'internal': 'http://10.0.0.11:5000'}, [], r'^keystone_authtoken: expects the Identity URLs'),
])
def test_keystone_authtoken_refuses(identity, memcached, message):
    with pytest.raises(wiring.WiringError, match=message):
        wiring.keystone_authtoken(identity, 'glance', 'pw', memcached, 'RegionOne')


# ---------------------------------------------------------------------------------------------------------------------
# health_url, numbered_files, keystonerc, clouds_yaml, table_column


@pytest.mark.parametrize('name, overrides, address, scheme, expected', [
    ('glance', {}, '10.0.0.11', 'http', 'http://10.0.0.11:9292/healthcheck'),
    ('keystone', {}, '10.0.0.11', 'http', 'http://10.0.0.11:5000/v3'),
    ('placement', {}, 'fd00::11', 'http', 'http://[fd00::11]:8778/'),
    ('nova', {}, 'controller', 'https', 'https://controller:8774/'),
    ('neutron_server', {}, '10.0.0.11', 'http', 'http://10.0.0.11:9696/'),
    # on the Keystone endpoint's port, wherever that is
    ('glance', {'glance': {'ports': {'api': {'port': 9293}}}}, '10.0.0.11', 'http',
     'http://10.0.0.11:9293/healthcheck'),
    ('nova', {'nova': {'keystone': {'port': 'metadata'}}}, '10.0.0.11', 'http', 'http://10.0.0.11:8775/'),
    # the health path is its own, not the endpoint's path
    ('nova', {'nova': {'health': '/healthcheck'}}, '10.0.0.11', 'http', 'http://10.0.0.11:8774/healthcheck'),
    # the dashboard has no Keystone endpoint: its health path is asked on the port health_port names
    ('horizon', {}, '10.0.0.11', 'http', 'http://10.0.0.11:80/horizon/auth/login/'),
    ('horizon', {'horizon': {'ports': {'http': {'port': 8080}}}}, '10.0.0.11', 'http',
     'http://10.0.0.11:8080/horizon/auth/login/'),
])
def test_health_url(name, overrides, address, scheme, expected):
    assert wiring.health_url(catalog.catalog(overrides)[name], address, scheme) == expected


def test_health_url_defaults_to_http():
    assert wiring.health_url(catalog.SERVICES['glance'], '10.0.0.11') == 'http://10.0.0.11:9292/healthcheck'


@pytest.mark.parametrize('service, address, scheme, message', [
    (catalog.SERVICES['nova_compute'], '10.0.0.11', 'http', '^health_url: expects a catalog entry with a health'),
    (catalog.SERVICES['mariadb'], '10.0.0.11', 'http', '^health_url: expects a catalog entry with a health'),
    ('glance', '10.0.0.11', 'http', '^health_url: expects a catalog entry with a health'),
    ({'health': '/', 'ports': {'api': {'port': 80}}}, '10.0.0.11', 'http',
     '^health_url: expects a catalog entry with a keystone part'),
    ({'health': '/', 'ports': {}, 'keystone': {'type': 't', 'name': 'n'}}, '10.0.0.11', 'http',
     "^health_url: the entry has no port 'api'"),
    (catalog.SERVICES['glance'], 'http://10.0.0.11', 'http', 'give the host alone'),
    (catalog.SERVICES['glance'], '10.0.0.11', 'ftp', 'scheme must be http or https'),
])
def test_health_url_refuses(service, address, scheme, message):
    with pytest.raises(wiring.WiringError, match=message):
        wiring.health_url(service, address, scheme)


@pytest.mark.parametrize('values, directory, units, paths', [
    (['k0', 'k1'], '/etc/keystone/fernet-keys', ['keystone'],
     ['/etc/keystone/fernet-keys/0', '/etc/keystone/fernet-keys/1']),
    (['k0', 'k1', 'k2'], '/etc/keystone/credential-keys/', None,
     ['/etc/keystone/credential-keys/0', '/etc/keystone/credential-keys/1', '/etc/keystone/credential-keys/2']),
    ([], '/etc/keystone/fernet-keys', ['keystone'], []),
    (('only',), '/k', ('a', 'b'), ['/k/0']),
])
def test_numbered_files(values, directory, units, paths):
    files = wiring.numbered_files(values, directory, 'keystone', units)
    assert [f['path'] for f in files] == paths
    for index, item in enumerate(files):
        assert item == {'path': paths[index], 'content': values[index], 'owner': 'keystone', 'group': 'keystone',
                        'mode': '0600', 'units': list(units or []), 'header': False}


@pytest.mark.parametrize('values, directory, message', [
    ('k0', '/etc/keystone/fernet-keys', r'expects a list of non-empty strings \(keys\), got 0 item'),
    (['k0', ''], '/etc/keystone/fernet-keys', 'got 2 item'),
    (['k0', None], '/etc/keystone/fernet-keys', 'got 2 item'),
    ({'0': 'k0'}, '/etc/keystone/fernet-keys', 'expects a list of non-empty strings'),
    (['k0'], 'etc/keystone/fernet-keys', 'directory must be an absolute path'),
    (['k0'], None, 'directory must be an absolute path'),
])
def test_numbered_files_refuses(values, directory, message):
    with pytest.raises(wiring.WiringError, match='^numbered_files: .*' + message) as info:
        wiring.numbered_files(values, directory, 'keystone')
    # the keys themselves never show in the message
    assert 'k0' not in str(info.value)


CLOUD = {'username': 'admin', 'password': 's3cret', 'project': 'admin', 'auth_url': 'http://10.0.0.11:5000/v3',
         'region': 'RegionOne'}
NASTY = ["it's", 'a"b', 'back\\slash', '$(touch PWNED)', '`touch PWNED`', '${HOME}', 'two  spaces', "''", '!x',
         'semi;colon', 'new\nline', "end'"]


def _source(text, tmp_path):
    """The OS_* variables a POSIX shell has after sourcing ``text`` (run in tmp_path)."""
    rc = tmp_path / 'keystonerc'
    rc.write_text(text)
    out = subprocess.run(['sh', '-c', '. ./keystonerc && env -0'], cwd=str(tmp_path), env={'PATH': '/usr/bin:/bin'},
                         capture_output=True, check=True).stdout.decode()
    found = dict(line.split('=', 1) for line in out.split('\0') if line.startswith('OS_'))
    return found


@pytest.mark.parametrize('password', NASTY + ['plain'])
def test_keystonerc_quotes_the_password_for_the_shell(password, tmp_path):
    env = _source(wiring.keystonerc(dict(CLOUD, password=password)), tmp_path)
    assert env['OS_PASSWORD'] == password
    assert not (tmp_path / 'PWNED').exists()


def test_keystonerc_exports():
    text = wiring.keystonerc(dict(CLOUD, password="it's"))
    assert "export OS_PASSWORD='it'\\''s'\n" in text
    assert text.endswith('\n') and text.startswith('# ')


def test_keystonerc_sets_every_variable(tmp_path):
    env = _source(wiring.keystonerc(dict(CLOUD, cacert='/etc/ssl/ca.pem', user_domain='Users')), tmp_path)
    assert env == {'OS_USERNAME': 'admin', 'OS_PASSWORD': 's3cret', 'OS_PROJECT_NAME': 'admin',
                   'OS_USER_DOMAIN_NAME': 'Users', 'OS_PROJECT_DOMAIN_NAME': 'Default',
                   'OS_AUTH_URL': 'http://10.0.0.11:5000/v3', 'OS_IDENTITY_API_VERSION': '3',
                   'OS_REGION_NAME': 'RegionOne', 'OS_INTERFACE': 'public', 'OS_CACERT': '/etc/ssl/ca.pem'}


def test_keystonerc_without_cacert():
    assert 'OS_CACERT' not in wiring.keystonerc(CLOUD)


@pytest.mark.parametrize('cloud, message', [
    (dict(CLOUD, password=''), r'^keystonerc: a cloud needs username, password, project, auth_url, region'),
    (dict((k, v) for k, v in CLOUD.items() if k != 'region'), 'a cloud needs'),
    ('admin', 'a cloud needs'),
])
def test_keystonerc_refuses(cloud, message):
    with pytest.raises(wiring.WiringError, match=message):
        wiring.keystonerc(cloud)


def _cloud_as_read(cloud):
    expected = {
        'auth': {'auth_url': cloud['auth_url'], 'username': cloud['username'], 'password': cloud['password'],
                 'project_name': cloud['project'], 'user_domain_name': cloud.get('user_domain') or 'Default',
                 'project_domain_name': cloud.get('project_domain') or 'Default'},
        'region_name': cloud['region'], 'interface': 'public', 'identity_api_version': 3,
    }
    if cloud.get('cacert'):
        expected['cacert'] = cloud['cacert']
    return expected


@pytest.mark.parametrize('value', NASTY + [
    'yes', 'no', 'null', '~', '1e3', '0o17', '12', 'true', 'a: b', 'a #b', '- x', '[x]', '{x}', '*x', '&x', '!x',
    '%x', '@x', '|', '>', '"', "'", '\t', ' lead', 'trail ', 'ü', '\x85', '\u2028', 'a\x00b',
    '😀',
])
def test_clouds_yaml_reads_back_the_same_values(value):
    clouds = {'admin': dict(CLOUD, password=value), value: dict(CLOUD, username=value, project=value, region=value),
              'demo@demo': dict(CLOUD, username='demo', project='demo', cacert='/etc/ssl/ca.pem', user_domain=value)}
    loaded = yaml.safe_load(wiring.clouds_yaml(clouds))
    assert loaded == {'clouds': dict((name, _cloud_as_read(cloud)) for name, cloud in clouds.items())}


def test_clouds_yaml_lists_clouds_in_name_order():
    text = wiring.clouds_yaml({'b': CLOUD, 'a': CLOUD, 'demo@demo': CLOUD})
    assert list(yaml.safe_load(text)['clouds']) == ['a', 'b', 'demo@demo']
    assert [line for line in text.splitlines() if line.startswith('  ') and not line.startswith('   ')] == [
        '  a:', '  b:', '  demo@demo:']
    assert text.endswith('\n')


@pytest.mark.parametrize('clouds, message', [
    ({}, r'^clouds_yaml: expects \{cloud name: cloud\}'),
    ([CLOUD], r'^clouds_yaml: expects \{cloud name: cloud\}, got .list.'),
    ({'admin': dict(CLOUD, auth_url=None)}, '^clouds_yaml: a cloud needs'),
    ({'admin': 'x'}, '^clouds_yaml: a cloud needs'),
])
def test_clouds_yaml_refuses(clouds, message):
    with pytest.raises(wiring.WiringError, match=message):
        wiring.clouds_yaml(clouds)


def test_clouds_yaml_never_shows_a_password_in_its_errors():
    with pytest.raises(wiring.WiringError) as info:
        wiring.clouds_yaml({'admin': dict(CLOUD, region='')})
    assert 's3cret' not in str(info.value)


CELLS = '''+-------+--------------------------------------+-----------+-----------------+
| Cell Name | Cell UUID                            | Hostname  | Compute Host    |
+-------+--------------------------------------+-----------+-----------------+
| cell1     | 8b5b9e9d-0000-4000-8000-000000000001 | compute10 | compute10       |
| cell1     | 8b5b9e9d-0000-4000-8000-000000000002 | compute2  | compute2        |
+-------+--------------------------------------+-----------+-----------------+
'''


@pytest.mark.parametrize('text, column, expected', [
    (CELLS, 'Hostname', ['compute10', 'compute2']),
    (CELLS, 'Cell Name', ['cell1', 'cell1']),
    (CELLS, 'Compute Host', ['compute10', 'compute2']),
    # header only: no rows
    (CELLS.splitlines()[0] + '\n' + CELLS.splitlines()[1] + '\n' + CELLS.splitlines()[2] + '\n', 'Hostname', []),
    ('| Hostname |\n', 'Hostname', []),
    # no table at all (a command that printed nothing)
    ('', 'Hostname', []),
    ('Found 0 unmapped computes in cell: 8b5b9e9d\n', 'Hostname', []),
    # text around the table and indentation are ignored
    ('Getting computes from cell: cell1\n  | Hostname |\n  | compute1 |\n', 'Hostname', ['compute1']),
    # an empty cell is an empty value
    ('| a | b |\n| 1 |   |\n', 'b', ['']),
])
def test_table_column(text, column, expected):
    assert wiring.table_column(text, column) == expected


@pytest.mark.parametrize('wanted, present', [
    ('compute1', False), ('compute10', True), ('compute2', True), ('compute', False), ('ompute2', False),
])
def test_table_column_values_are_exact(wanted, present):
    assert (wanted in wiring.table_column(CELLS, 'Hostname')) is present


@pytest.mark.parametrize('text, column, message', [
    (CELLS, 'Host', r"^table_column: the table has no column 'Host' \(it has Cell Name, Cell UUID, Hostname, "
                    r"Compute Host\)"),
    (CELLS, 'hostname', "no column 'hostname'"),
    ('| a |\n| 1 |\n', 'b', r"no column 'b' \(it has a\)"),
    (None, 'Hostname', '^table_column: expects the text of a table, got .NoneType.'),
    (['| a |'], 'a', 'expects the text of a table'),
])
def test_table_column_refuses(text, column, message):
    with pytest.raises(wiring.WiringError, match=message):
        wiring.table_column(text, column)


# ---------------------------------------------------------------------------------------------------------------------
# django_settings


@pytest.mark.parametrize('settings, expected', [
    ({}, '\n'),
    ({'DEBUG': False, 'ALLOWED_HOSTS': ['10.0.0.11', 'localhost']},
     "ALLOWED_HOSTS = ['10.0.0.11', 'localhost']\nDEBUG = False\n"),
    # dictionaries with sorted keys, whatever order they came in
    ({'OPENSTACK_NEUTRON_NETWORK': {'enable_router': True, 'enable_ha_router': False}},
     "OPENSTACK_NEUTRON_NETWORK = {'enable_ha_router': False, 'enable_router': True}\n"),
    ({'OPENSTACK_API_VERSIONS': {'identity': 3}}, "OPENSTACK_API_VERSIONS = {'identity': 3}\n"),
    # a null setting is left out (an override removes one), a null inside a value stays
    ({'TIME_ZONE': None, 'X': {'a': None}}, "X = {'a': None}\n"),
    # quotes and backslashes are escaped, never evaluated
    ({'SECRET_KEY': "a'b\"c\\d"}, "SECRET_KEY = 'a\\'b\"c\\\\d'\n"),
    ({'SESSION_TIMEOUT': 3600, 'RATIO': 1.5}, 'RATIO = 1.5\nSESSION_TIMEOUT = 3600\n'),
], ids=['empty', 'list and boolean', 'sorted keys', 'number in a dict', 'null', 'quotes', 'numbers'])
def test_django_settings(settings, expected):
    assert wiring.django_settings(settings) == expected


def test_django_settings_is_python():
    text = wiring.django_settings({'CACHES': {'default': {'BACKEND': 'x', 'LOCATION': ['10.0.0.11:11211']}},
                                   'SECRET_KEY': "it's", 'DEBUG': False})
    scope = {}
    exec(compile(text, 'local_settings.py', 'exec'), scope)  # pylint: disable=exec-used
    assert scope['CACHES']['default']['LOCATION'] == ['10.0.0.11:11211']
    assert scope['SECRET_KEY'] == "it's" and scope['DEBUG'] is False


@pytest.mark.parametrize('settings, message', [
    (['DEBUG'], r'^django_settings: expects \{NAME: value\}, got .list'),
    ({'debug': True}, r"^django_settings: 'debug' is not a setting name"),
    ({'1X': True}, "is not a setting name"),
    ({'X': {1.5: 'a'}}, r'X has the key 1.5; keys are strings or numbers'),
    ({'X': {'a': object()}}, r"X\['a'\] must be a string, number, boolean, null, list or dictionary, got object"),
    ({'X': [set()]}, r'X\[0\] must be a string'),
], ids=['not a dict', 'lower case', 'digit first', 'float key', 'object', 'set in a list'])
def test_django_settings_refuses(settings, message):
    with pytest.raises(wiring.WiringError, match=message):
        wiring.django_settings(settings)
