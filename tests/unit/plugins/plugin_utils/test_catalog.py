import pytest

from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog


def test_builtin_catalog_is_valid():
    assert set(catalog.catalog()) == set(catalog.SERVICES)


@pytest.mark.parametrize('service, port', [
    ('keystone', 5000), ('glance', 9292), ('placement', 8778), ('nova', 8774), ('nova', 8775), ('nova', 6080),
    ('neutron_server', 9696), ('cinder', 8776), ('swift_proxy', 8080), ('swift_storage', 6200),
    ('swift_storage', 6202), ('heat', 8004), ('heat', 8000), ('horizon', 80), ('horizon', 443),
    ('octavia', 9876), ('mariadb', 3306), ('rabbitmq', 5672), ('memcached', 11211),
    ('neutron_l2_agent', 4789), ('chrony_server', 123), ('ssh', 22), ('nova_compute', '5900-5999'),
])
def test_install_guide_ports_are_in_the_catalog(service, port):
    assert port in [p[0] for p in catalog.SERVICES[service]['ports']]


def test_overrides_merge_and_remove():
    merged = catalog.catalog({'keystone': {'ports': [(35357, 'tcp', 'management')]}, 'horizon': None})
    assert merged['keystone']['ports'] == [(35357, 'tcp', 'management')]
    assert merged['keystone']['databases'] == ['keystone']
    assert 'horizon' not in merged


@pytest.mark.parametrize('override, message', [
    ({'x': 'nope'}, 'must be a dictionary'),
    ({'x': {'ports': []}}, "needs 'groups'"),
    ({'x': {'groups': ['db']}}, "unknown node role 'db'"),
    ({'x': {'groups': ['all'], 'ports': [(22, 'tcp')]}}, r'\[port, protocol, scope\]'),
    ({'x': {'groups': ['all'], 'ports': [(22, 'sctp', 'public')]}}, 'not tcp or udp'),
    ({'x': {'groups': ['all'], 'ports': [(22, 'tcp', 'world')]}}, 'not public or management'),
    ({'x': {'groups': ['all'], 'ports': [(70000, 'tcp', 'public')]}}, 'outside 1-65535'),
    ({'x': {'groups': ['all'], 'ports': [('9-1', 'tcp', 'public')]}}, 'reversed'),
    ({'x': {'groups': ['all'], 'ports': [('http', 'tcp', 'public')]}}, 'neither a number'),
    ({'x': {'groups': ['all'], 'keystone': {'type': 'x'}}}, 'keystone needs name, port'),
])
def test_bad_overrides_are_refused(override, message):
    with pytest.raises(catalog.CatalogError, match=message):
        catalog.catalog(override)


def test_select_refuses_unknown_services():
    with pytest.raises(catalog.CatalogError, match='unknown service.*nvoa.*known services are'):
        catalog.select(catalog.catalog(), ['keystone', 'nvoa'])


@pytest.mark.parametrize('groups, group_map, expected', [
    (['controller'], {}, ['all', 'controller']),
    (['ctl'], {'controller': 'ctl'}, ['all', 'controller']),
    (['controller'], {'controller': 'ctl'}, ['all']),
    (['network', 'compute'], {}, ['all', 'network', 'compute']),
    ([], {}, ['all']),
])
def test_node_roles(groups, group_map, expected):
    assert catalog.node_roles(groups, group_map) == expected


def test_services_on_a_compute_node():
    services = catalog.select(catalog.catalog(), ['ssh', 'keystone', 'nova_compute', 'neutron_l2_agent'])
    assert catalog.services_on(services, ['compute']) == ['neutron_l2_agent', 'nova_compute', 'ssh']


def test_firewall_ports_of_a_controller():
    services = catalog.select(catalog.catalog(), ['ssh', 'chrony_server', 'mariadb', 'keystone', 'nova_compute'])
    assert catalog.firewall_ports(services, ['controller']) == [
        {'port': '22', 'protocol': 'tcp', 'scope': 'public'},
        {'port': '123', 'protocol': 'udp', 'scope': 'management'},
        {'port': '3306', 'protocol': 'tcp', 'scope': 'management'},
        {'port': '5000', 'protocol': 'tcp', 'scope': 'public'},
    ]


def test_firewall_bridges_where_the_l2_agent_runs():
    services = catalog.select(catalog.catalog(), ['ssh', 'nova', 'nova_compute', 'neutron_l2_agent'])
    assert catalog.firewall_bridges(services, ['compute']) == ['brq+', 'qbr+']
    assert catalog.firewall_bridges(services, ['controller']) == []


def test_bridges_must_be_names():
    with pytest.raises(catalog.CatalogError, match='bridges must be a list of names'):
        catalog.check_entry('x', {'groups': ['all'], 'bridges': 'brq+'})


def test_public_wins_over_management_for_the_same_port():
    services = {'a': {'groups': ['all'], 'ports': [(80, 'tcp', 'management')]},
                'b': {'groups': ['all'], 'ports': [(80, 'tcp', 'public')]},
                'c': {'groups': ['all'], 'ports': [(80, 'udp', 'management')]}}
    assert catalog.firewall_ports(services, []) == [
        {'port': '80', 'protocol': 'tcp', 'scope': 'public'},
        {'port': '80', 'protocol': 'udp', 'scope': 'management'},
    ]


def test_port_ranges_sort_by_number():
    services = {'a': {'groups': ['all'], 'ports': [('5900-5999', 'tcp', 'management'), (873, 'tcp', 'management')]}}
    assert [p['port'] for p in catalog.firewall_ports(services, [])] == ['873', '5900-5999']


def test_secret_specs_of_keystone_and_glance():
    services = catalog.select(catalog.catalog(), ['keystone', 'glance'])
    assert catalog.secret_specs(services) == [
        {'name': 'glance_database_password', 'kind': 'password'},
        {'name': 'glance_keystone_password', 'kind': 'password'},
        {'name': 'keystone_admin_password', 'kind': 'password'},
        {'name': 'keystone_credential_keys', 'kind': 'fernet_key', 'count': 2},
        {'name': 'keystone_database_password', 'kind': 'password'},
        {'name': 'keystone_demo_password', 'kind': 'password'},
        {'name': 'keystone_fernet_keys', 'kind': 'fernet_key', 'count': 2},
    ]


@pytest.mark.parametrize('name', [
    'nova_database_password', 'nova_keystone_password', 'nova_rabbitmq_password', 'neutron_database_password',
    'neutron_keystone_password', 'neutron_rabbitmq_password', 'placement_database_password',
    'placement_keystone_password', 'metadata_proxy_shared_secret', 'cinder_rabbitmq_password',
    'swift_keystone_password', 'swift_hash_path_suffix', 'heat_domain_admin_password', 'horizon_secret_key',
    'octavia_database_password',
])
def test_the_whole_catalog_asks_for(name):
    assert name in [spec['name'] for spec in catalog.secret_specs(catalog.catalog())]


def test_shared_secrets_appear_once():
    names = [spec['name'] for spec in catalog.secret_specs(catalog.catalog())]
    assert len(names) == len(set(names))


def test_secret_specs_refuse_disagreeing_kinds():
    services = {'a': {'groups': ['all'], 'secrets': [{'name': 's', 'kind': 'password'}]},
                'b': {'groups': ['all'], 'secrets': [{'name': 's', 'kind': 'fernet_key'}]}}
    with pytest.raises(catalog.CatalogError, match="secret 's' is asked for"):
        catalog.secret_specs(services)


@pytest.mark.parametrize('override, message', [
    ({'x': {'groups': ['all'], 'messaging': True}}, 'messaging must be a lower-case name'),
    ({'x': {'groups': ['all'], 'user': 'Glance'}}, 'user must be a lower-case name'),
    ({'x': {'groups': ['all'], 'databases': 'x'}}, 'databases must be a list'),
    ({'x': {'groups': ['all'], 'secrets': [{'kind': 'password'}]}}, 'each secret is'),
    ({'x': {'groups': ['all'], 'secrets': [{'name': 's', 'kind': 'pin'}]}}, "has kind 'pin'"),
    ({'x': {'groups': ['all'], 'secrets': [{'name': 's', 'length': 8}]}}, 'length to be a number of at least 16'),
    ({'x': {'groups': ['all'], 'secrets': [{'name': 's', 'size': 8}]}}, r'unknown field\(s\) size'),
    ({'x': {'groups': ['all'], 'listeners': 'sshd'}}, 'listeners must be a list of names'),
    ({'x': {'groups': ['all'], 'debconf': ['keystone/configure_db']}}, 'debconf must map a package'),
    ({'x': {'groups': ['all'], 'debconf': {'keystone': ['configure_db']}}}, "'owner/question'"),
])
def test_bad_new_fields_are_refused(override, message):
    with pytest.raises(catalog.CatalogError, match=message):
        catalog.catalog(override)


def test_setup_plan_merges_owners():
    services = catalog.select(catalog.catalog(), ['neutron_server', 'neutron_l2_agent', 'keystone', 'heat',
                                                  'heat_cfn'])
    plan = catalog.setup_plan(services)
    assert [d['user'] for d in plan['databases']] == ['heat', 'keystone', 'neutron']
    assert [m['user'] for m in plan['messaging']] == ['heat', 'neutron']
    assert [u['name'] for u in plan['users']] == ['heat', 'neutron']
    assert [s['name'] for s in plan['services']] == ['heat', 'heat-cfn', 'keystone', 'neutron']


def test_setup_plan_database_user_override():
    services = {'x': {'groups': ['all'], 'databases': ['a', 'b'], 'database_user': 'owner', 'user': 'svc'}}
    assert catalog.setup_plan(services)['databases'] == [
        {'user': 'owner', 'names': ['a', 'b'], 'secret': 'owner_database_password'}]


@pytest.mark.parametrize('package, question', [
    ('keystone', 'keystone/configure_db'), ('keystone', 'keystone/create-admin-tenant'),
    ('keystone', 'keystone/register-endpoint'), ('glance-common', 'glance/configure_db'),
    ('glance-api', 'glance/configure_api-endpoint'), ('nova-api', 'novaapi/configure_db'),
    ('nova-common', 'nova/configure_rabbit'), ('nova-common', 'nova/configure_ksat'),
    ('neutron-common', 'neutron/configure_db'), ('placement-common', 'placement/configure_db'),
    ('heat-common', 'heat/configure_with_debconf'), ('neutron-metadata-agent', 'neutron-metadata/configure'),
])
def test_lab_notes_preseeds_are_in_the_catalog(package, question):
    preseeds = catalog.debconf_preseeds(catalog.catalog())
    assert {'package': package, 'question': question, 'vtype': 'boolean', 'value': 'false'} in preseeds


def test_debconf_preseeds_are_unique_and_sorted():
    services = catalog.select(catalog.catalog(), ['nova', 'nova_compute', 'ssh'])
    preseeds = catalog.debconf_preseeds(services)
    keys = [(p['package'], p['question']) for p in preseeds]
    assert keys == sorted(set(keys))
    assert ('nova-common', 'nova/configure_db') in keys
    assert catalog.debconf_preseeds(catalog.select(catalog.catalog(), ['ssh', 'chrony_server'])) == []


def test_port_listeners_skip_ranges_and_merge():
    services = catalog.select(catalog.catalog(), ['ssh', 'chrony_server', 'nova_compute'])
    listeners = catalog.port_listeners(services, ['controller', 'compute'])
    assert listeners[(22, 'tcp')] == ['sshd']
    assert listeners[(123, 'udp')] == ['chronyd']
    assert (5900, 'tcp') not in listeners
    assert listeners[(16509, 'tcp')] == ['libvirtd', 'qemu-system-aarch64', 'qemu-system-x86_64']


def test_required_secrets():
    services = catalog.catalog({'a': {'groups': ['all'], 'secrets': [{'name': 'b_pw'}, {'name': 'a_pw'}]},
                                'b': {'groups': ['all'], 'secrets': [{'name': 'a_pw'}]}})
    assert catalog.required_secrets(catalog.select(services, ['a', 'b'])) == ['a_pw', 'b_pw']


@pytest.mark.parametrize('family, major, expected', [
    ('Debian', '12', ['zed']), ('Debian', 12, ['zed']), ('Debian', '11', []), ('Suse', '15', []),
])
def test_platform_releases(family, major, expected):
    assert catalog.platform_releases(family, major) == expected


def test_known_releases():
    assert 'zed' in catalog.known_releases() and 'caracal' in catalog.known_releases()
