import pytest

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


def test_oslo_config_drops_a_section_set_to_none():
    assert wiring.oslo_config({'a': {'x': 1}, 'b': None}) == '[a]\nx = 1\n'


@pytest.mark.parametrize('sections, message', [
    ([], r'expects \{section'),
    ({'a': 'x=1'}, 'must be a dictionary of options'),
    ({'a b': {}}, 'section name'),
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
    assert plan['databases'] == [{'user': 'nova', 'names': ['nova', 'nova_api', 'nova_cell0'],
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


def test_service_endpoints_from_an_entry_or_its_keystone_part():
    entry = catalog.catalog()['keystone']
    expected = {'public': 'https://cloud.example.org:5000/v3', 'internal': 'http://10.0.0.11:5000/v3',
                'admin': 'http://10.0.0.11:5000/v3'}
    assert wiring.service_endpoints(entry, ENDPOINTS) == expected
    assert wiring.service_endpoints(entry['keystone'], ENDPOINTS) == expected


@pytest.mark.parametrize('service, endpoints, message', [
    ({'groups': ['all']}, ENDPOINTS, 'expects a catalog entry with a keystone part'),
    ({'port': 5000}, {'public': {'address': 'x'}}, 'endpoints must give public, internal and admin'),
    ({'port': 5000}, dict(ENDPOINTS, public={'address': 'http://x'}), 'give the host alone'),
])
def test_service_endpoints_refuses(service, endpoints, message):
    with pytest.raises(wiring.WiringError, match=message):
        wiring.service_endpoints(service, endpoints)


AUTH_ENDPOINTS = {'public': {'address': 'cloud.example', 'scheme': 'https'},
                  'internal': {'address': '10.0.0.11', 'scheme': 'http'},
                  'admin': {'address': '10.0.0.11', 'scheme': 'http'}}


def test_keystone_auth_uses_the_internal_identity_endpoint():
    assert wiring.keystone_auth(AUTH_ENDPOINTS, 'nova', 's3cret', 'RegionOne') == {
        'auth_url': 'http://10.0.0.11:5000', 'auth_type': 'password', 'project_domain_name': 'Default',
        'user_domain_name': 'Default', 'region_name': 'RegionOne', 'project_name': 'service',
        'username': 'nova', 'password': 's3cret'}


def test_keystone_authtoken_adds_public_uri_and_cache():
    options = wiring.keystone_authtoken(AUTH_ENDPOINTS, 'glance', 'pw', ['10.0.0.11:11211'], 'RegionOne')
    assert options['www_authenticate_uri'] == 'https://cloud.example:5000'
    assert options['auth_url'] == 'http://10.0.0.11:5000'
    assert options['memcached_servers'] == ['10.0.0.11:11211']
    assert options['service_token_roles_required'] is True


@pytest.mark.parametrize('args, message', [
    (({'public': {}}, 'nova', 'pw', 'RegionOne'), 'must give internal'),
    ((AUTH_ENDPOINTS, '', 'pw', 'RegionOne'), 'user must be a Keystone user name'),
    ((AUTH_ENDPOINTS, 'nova', '', 'RegionOne'), "password of 'nova' is empty"),
    ((AUTH_ENDPOINTS, 'nova', 'pw', ''), 'region must be a region name'),
])
def test_keystone_auth_refuses(args, message):
    with pytest.raises(wiring.WiringError, match=message):
        wiring.keystone_auth(*args)


def test_keystone_authtoken_refuses_a_bad_memcached_list():
    with pytest.raises(wiring.WiringError, match='memcached_servers must be a list'):
        wiring.keystone_authtoken(AUTH_ENDPOINTS, 'glance', 'pw', '10.0.0.11:11211', 'RegionOne')
