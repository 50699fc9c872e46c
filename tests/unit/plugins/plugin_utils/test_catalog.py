import copy

import re

import pytest

from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog


def test_builtin_catalog_is_valid():
    assert set(catalog.catalog()) == set(catalog.SERVICES)


def test_every_builtin_entry_names_its_role_and_default():
    for name, entry in catalog.SERVICES.items():
        assert catalog.NAME_RE.match(entry['role']), name
        assert entry['default'] is True or entry['default'] is False or entry['default'] in catalog.NODE_ROLES, name


@pytest.mark.parametrize('service, name, port', [
    ('keystone', 'api', 5000), ('glance', 'api', 9292), ('placement', 'api', 8778), ('nova', 'api', 8774),
    ('nova', 'metadata', 8775), ('nova', 'novncproxy', 6080), ('neutron_server', 'api', 9696),
    ('mariadb', 'mysql', 3306), ('rabbitmq', 'amqp', 5672), ('memcached', 'memcached', 11211),
    ('neutron_linuxbridge_agent', 'vxlan', 4789), ('neutron_openvswitch_agent', 'vxlan', 4789),
    ('chrony_server', 'ntp', 123), ('ssh', 'ssh', 22), ('nova_compute', 'vnc', '5900-5999'),
    ('nova_compute', 'migration', '49152-49215'), ('heat', 'api', 8004), ('heat_cfn', 'api', 8000),
    ('ceph_mon', 'msgr2', 3300), ('ceph_mon', 'msgr1', 6789), ('ceph_osd', 'osd', '6800-7300'),
    ('swift_proxy', 'api', 8080), ('swift_storage', 'object', 6200), ('swift_storage', 'container', 6201),
    ('swift_storage', 'account', 6202), ('swift_storage', 'rsync', 873),
])
def test_install_guide_ports_are_in_the_catalog(service, name, port):
    assert catalog.SERVICES[service]['ports'][name]['port'] == port


@pytest.mark.parametrize('service, name, protocol, scope', [
    ('keystone', 'api', 'tcp', 'public'), ('nova', 'metadata', 'tcp', 'management'),
    ('chrony_server', 'ntp', 'udp', 'management'), ('neutron_linuxbridge_agent', 'vxlan', 'udp', 'management'),
    ('mariadb', 'mysql', 'tcp', 'management'), ('ceph_mon', 'msgr2', 'tcp', 'management'),
    ('ceph_mon', 'msgr1', 'tcp', 'management'), ('ceph_osd', 'osd', 'tcp', 'management'),
    ('swift_proxy', 'api', 'tcp', 'public'),
    ('swift_storage', 'object', 'tcp', 'storage'), ('swift_storage', 'container', 'tcp', 'storage'),
    ('swift_storage', 'account', 'tcp', 'storage'), ('swift_storage', 'rsync', 'tcp', 'storage'),
])
def test_ports_carry_protocol_and_scope(service, name, protocol, scope):
    spec = catalog.SERVICES[service]['ports'][name]
    assert (spec['protocol'], spec['scope']) == (protocol, scope)


def test_overrides_merge_and_remove():
    merged = catalog.catalog({'keystone': {'ports': {'api': {'scope': 'management'}}}, 'glance': None})
    assert merged['keystone']['ports'] == {'api': {'port': 5000, 'protocol': 'tcp', 'scope': 'management'}}
    assert merged['keystone']['databases'] == ['keystone']
    assert 'glance' not in merged


def _with(name, path, value):
    """The built-in entry ``name`` with the value at ``path`` replaced (or removed when value is _GONE)."""
    entry = copy.deepcopy(catalog.SERVICES[name])
    target = entry
    for key in path[:-1]:
        target = target[key]
    if value is _GONE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return entry


_GONE = object()


@pytest.mark.parametrize('overrides, name, expected', [
    # a partial port changes only the port: protocol and scope stay
    ({'glance': {'ports': {'api': {'port': 9293}}}}, 'glance', _with('glance', ['ports', 'api', 'port'], 9293)),
    ({'nova': {'ports': {'metadata': {'scope': 'public'}}}}, 'nova',
     _with('nova', ['ports', 'metadata', 'scope'], 'public')),
    # null removes a key, at any depth
    ({'nova': {'ports': {'novncproxy': None}}}, 'nova', _with('nova', ['ports', 'novncproxy'], _GONE)),
    ({'glance': {'health': None}}, 'glance', _with('glance', ['health'], _GONE)),
    ({'glance': {'debconf': {'glance-api': None}}}, 'glance', _with('glance', ['debconf', 'glance-api'], _GONE)),
    # the keystone part merges key by key
    ({'keystone': {'keystone': {'path': '/identity/v3'}}}, 'keystone',
     _with('keystone', ['keystone', 'path'], '/identity/v3')),
    # packages merge per OS family; lists are replaced, not appended to
    ({'glance': {'packages': {'Debian': ['glance']}}}, 'glance', _with('glance', ['packages', 'Debian'], ['glance'])),
    ({'nova': {'databases': ['nova']}}, 'nova', _with('nova', ['databases'], ['nova'])),
    # a new port is added beside the others
    ({'glance': {'ports': {'admin': {'port': 9393, 'scope': 'management'}}}}, 'glance',
     _with('glance', ['ports', 'admin'], {'port': 9393, 'scope': 'management'})),
    # a whole new entry
    ({'x': {'role': 'x', 'groups': ['all']}}, 'x', {'role': 'x', 'groups': ['all']}),
])
def test_recursive_overrides(overrides, name, expected):
    assert catalog.catalog(overrides)[name] == expected


def test_overrides_leave_the_builtin_catalog_alone():
    before = copy.deepcopy(catalog.SERVICES)
    catalog.catalog({'glance': {'ports': {'api': {'port': 9293}}, 'health': None},
                     'nova': {'ports': {'api': None}, 'keystone': None, 'health': None}})
    assert catalog.SERVICES == before
    assert catalog.catalog()['glance']['ports']['api']['port'] == 9292


def test_an_overridden_port_moves_the_endpoint():
    assert catalog.endpoint(catalog.catalog({'glance': {'ports': {'api': {'port': 9293}}}})['glance']) == (9293, '')


@pytest.mark.parametrize('override, message', [
    ({'x': 'nope'}, 'must be a dictionary'),
    ('nope', 'must map a service name'),
    ({'x': {'role': 'x', 'ports': {}}}, "needs 'groups'"),
    ({'x': {'role': 'x', 'groups': 'all'}}, "needs 'groups'"),
    ({'x': {'role': 'x', 'groups': ['db']}}, "unknown node role 'db'"),
    ({'x': {'role': 'x', 'groups': ['all'], 'ports': [(22, 'tcp', 'public')]}}, 'ports must map a name'),
    ({'x': {'role': 'x', 'groups': ['all'], 'ports': {'ssh': 22}}}, r'port .ssh.: each port is \{port, protocol'),
    ({'x': {'role': 'x', 'groups': ['all'], 'ports': {'ssh': {'protocol': 'tcp'}}}}, r'each port is \{port'),
    ({'x': {'role': 'x', 'groups': ['all'], 'ports': {'ssh': {'port': 22, 'protocol': 'sctp'}}}}, 'not tcp or udp'),
    ({'x': {'role': 'x', 'groups': ['all'], 'ports': {'ssh': {'port': 22, 'scope': 'world'}}}},
     'not one of public, management, storage'),
    ({'x': {'role': 'x', 'groups': ['all'], 'ports': {'ssh': {'port': 70000}}}}, 'outside 1-65535'),
    ({'x': {'role': 'x', 'groups': ['all'], 'ports': {'ssh': {'port': '9-1'}}}}, 'reversed'),
    ({'x': {'role': 'x', 'groups': ['all'], 'ports': {'ssh': {'port': 'http'}}}}, 'neither a number'),
    ({'x': {'role': 'x', 'groups': ['all'], 'keystone': {'type': 'x'}}}, 'keystone needs name'),
    # a partial override of an existing port must keep it valid
    ({'glance': {'ports': {'api': {'port': 0}}}}, 'outside 1-65535'),
    ({'glance': {'ports': {'api': {'protocol': 'sctp'}}}}, 'not tcp or udp'),
    # null removes the port the Keystone endpoint needs
    ({'glance': {'ports': None}}, r"uses port 'api', which is not one of its ports \(none\)"),
    ({'glance': {'ports': {'api': None}}}, "uses port 'api', which is not one of its ports"),
    ({'glance': {'role': None}}, "catalog entry 'glance' has no role"),
    ({'glance': {'size': 1}}, r'unknown field\(s\) size'),
])
def test_bad_overrides_are_refused(override, message):
    with pytest.raises(catalog.CatalogError, match=message):
        catalog.catalog(override)


GOOD = {'role': 'x', 'groups': ['controller'], 'default': True, 'ports': {'api': {'port': 8000}},
        'keystone': {'type': 'x', 'name': 'x', 'path': '/v1'}, 'health': '/healthcheck'}


def _entry(**changes):
    entry = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if value is _GONE:
            entry.pop(key, None)
        else:
            entry[key] = value
    return entry


@pytest.mark.parametrize('entry', [
    GOOD,
    _entry(default=False), _entry(default='storage'), _entry(default='compute'), _entry(default=_GONE),
    _entry(keystone=dict(GOOD['keystone'], port='public'), ports={'public': {'port': 80}}),
    _entry(keystone=_GONE, health=_GONE),
    _entry(keystone=_GONE, health_port='api'),
    _entry(ports={'api': {'port': 8000}, 'range': {'port': '6000-6010', 'protocol': 'udp', 'scope': 'management'}}),
    {'role': 'x', 'groups': ['all']},
], ids=['full', 'default false', 'default storage', 'default compute', 'no default', 'keystone on a named port',
        'no keystone', 'health on a named port', 'a range beside', 'minimal'])
def test_check_entry_accepts(entry):
    catalog.check_entry('x', entry)


@pytest.mark.parametrize('entry, message', [
    ('x', 'must be a dictionary'),
    (_entry(colour='red'), r"'x' has unknown field\(s\) colour; the fields are role, "),
    (_entry(colour='red', size=1), r'unknown field\(s\) colour, size'),
    (_entry(role=_GONE), "'x' has no role"),
    (_entry(role=''), "'x' has no role"),
    (_entry(role='Glance'), "'x' has no role"),
    (_entry(role=['glance']), "'x' has no role"),
    (_entry(default='yes'), "default must be true, false or a node role .*got 'yes'"),
    (_entry(default='all'), 'default must be true, false or a node role'),
    (_entry(default=1), 'default must be true, false or a node role'),
    (_entry(default=None), 'default must be true, false or a node role'),
    (_entry(keystone=dict(GOOD['keystone'], port='admin')),
     r"its Keystone endpoint uses port 'admin', which is not one of its ports \(api\)"),
    (_entry(keystone=dict(GOOD['keystone'], port='range'), ports={'api': {'port': 80}, 'range': {'port': '80-81'}}),
     "uses port 'range', which is not one of its ports"),
    (_entry(ports={'http': {'port': 80}}), r"uses port 'api', which is not one of its ports \(http\)"),
    (_entry(keystone=_GONE), 'health is a path .* so it needs a keystone part'),
    (_entry(health='healthcheck'), "health is a path starting with '/'"),
    (_entry(keystone=_GONE, health_port='web'), r"health_port 'web' is not one of its single ports \(api\)"),
    (_entry(keystone=_GONE, health_port='range', ports={'range': {'port': '80-81'}}),
     "health_port 'range' is not one of its single ports"),
    (_entry(keystone={'type': 'x', 'path': '/v1'}), 'keystone needs name'),
    (_entry(keystone={'name': 'x'}), 'keystone needs type'),
    (_entry(keystone='identity'), 'keystone needs type, name'),
    (_entry(bridges='brq+'), 'bridges must be a list of names'),
])
def test_check_entry_refuses(entry, message):
    with pytest.raises(catalog.CatalogError, match=message):
        catalog.check_entry('x', entry)


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
    services = catalog.select(catalog.catalog(), ['ssh', 'keystone', 'nova_compute', 'neutron_linuxbridge_agent'])
    assert catalog.services_on(services, ['compute']) == ['neutron_linuxbridge_agent', 'nova_compute', 'ssh']


def test_firewall_ports_of_a_controller():
    services = catalog.select(catalog.catalog(), ['ssh', 'chrony_server', 'mariadb', 'keystone', 'nova_compute'])
    assert catalog.firewall_ports(services, ['controller']) == [
        {'port': '22', 'protocol': 'tcp', 'scope': 'public'},
        {'port': '123', 'protocol': 'udp', 'scope': 'management'},
        {'port': '3306', 'protocol': 'tcp', 'scope': 'management'},
        {'port': '5000', 'protocol': 'tcp', 'scope': 'public'},
    ]


def test_firewall_ports_of_a_compute_node():
    services = catalog.select(catalog.catalog(), ['ssh', 'nova', 'nova_compute', 'neutron_openvswitch_agent'])
    assert catalog.firewall_ports(services, ['compute']) == [
        {'port': '22', 'protocol': 'tcp', 'scope': 'public'},
        {'port': '4789', 'protocol': 'udp', 'scope': 'management'},
        {'port': '5900-5999', 'protocol': 'tcp', 'scope': 'management'},
        {'port': '49152-49215', 'protocol': 'tcp', 'scope': 'management'},
    ]


def test_firewall_ports_of_a_ceph_storage_node_are_management_only():
    services = catalog.select(catalog.catalog(), ['ssh', 'nova', 'ceph_mon', 'ceph_mgr', 'ceph_osd'])
    assert catalog.firewall_ports(services, ['storage']) == [
        {'port': '22', 'protocol': 'tcp', 'scope': 'public'},
        {'port': '3300', 'protocol': 'tcp', 'scope': 'management'},
        {'port': '6789', 'protocol': 'tcp', 'scope': 'management'},
        {'port': '6800-7300', 'protocol': 'tcp', 'scope': 'management'},
    ]
    assert catalog.packages(services, ['storage'], 'Debian') == ['ceph-mgr', 'ceph-mon', 'ceph-osd']


@pytest.mark.parametrize('agent, bridges', [
    ('neutron_linuxbridge_agent', ['brq+']),
    ('neutron_openvswitch_agent', ['qbr+']),
])
def test_firewall_bridges_where_the_l2_agent_runs(agent, bridges):
    services = catalog.select(catalog.catalog(), ['ssh', 'nova', 'nova_compute', agent])
    assert catalog.firewall_bridges(services, ['compute']) == bridges
    assert catalog.firewall_bridges(services, ['network']) == bridges
    assert catalog.firewall_bridges(services, ['controller']) == []


def test_firewall_bridges_are_listed_once():
    services = catalog.select(catalog.catalog(), ['neutron_linuxbridge_agent', 'neutron_openvswitch_agent'])
    assert catalog.firewall_bridges(services, ['compute', 'network']) == ['brq+', 'qbr+']


def test_bridges_must_be_names():
    with pytest.raises(catalog.CatalogError, match='bridges must be a list of names'):
        catalog.check_entry('x', {'role': 'x', 'groups': ['all'], 'bridges': 'brq+'})


def test_public_wins_over_management_for_the_same_port():
    services = {'a': {'groups': ['all'], 'ports': {'http': {'port': 80, 'protocol': 'tcp', 'scope': 'management'}}},
                'b': {'groups': ['all'], 'ports': {'web': {'port': 80, 'protocol': 'tcp', 'scope': 'public'}}},
                'c': {'groups': ['all'], 'ports': {'http': {'port': 80, 'protocol': 'udp', 'scope': 'management'}}}}
    assert catalog.firewall_ports(services, []) == [
        {'port': '80', 'protocol': 'tcp', 'scope': 'public'},
        {'port': '80', 'protocol': 'udp', 'scope': 'management'},
    ]


@pytest.mark.parametrize('scopes, expected', [
    (['storage', 'management'], 'management'),
    (['management', 'storage'], 'management'),
    (['storage', 'public'], 'public'),
    (['storage', 'storage'], 'storage'),
])
def test_the_widest_scope_wins(scopes, expected):
    services = dict((name, {'groups': ['all'], 'ports': {'p': {'port': 873, 'protocol': 'tcp', 'scope': scope}}})
                    for name, scope in zip(('a', 'b'), scopes))
    assert catalog.firewall_ports(services, []) == [{'port': '873', 'protocol': 'tcp', 'scope': expected}]


def test_firewall_ports_of_a_swift_storage_node():
    services = catalog.select(catalog.catalog(), ['ssh', 'swift_proxy', 'swift_storage'])
    assert catalog.firewall_ports(services, ['storage']) == [
        {'port': '22', 'protocol': 'tcp', 'scope': 'public'},
        {'port': '873', 'protocol': 'tcp', 'scope': 'storage'},
        {'port': '6200', 'protocol': 'tcp', 'scope': 'storage'},
        {'port': '6201', 'protocol': 'tcp', 'scope': 'storage'},
        {'port': '6202', 'protocol': 'tcp', 'scope': 'storage'},
    ]
    assert catalog.firewall_ports(services, ['controller']) == [
        {'port': '22', 'protocol': 'tcp', 'scope': 'public'},
        {'port': '8080', 'protocol': 'tcp', 'scope': 'public'},
    ]


def test_swift_is_deployed_by_default_only_with_storage_nodes():
    services = catalog.catalog()
    assert 'swift_proxy' not in catalog.default_services(services, ['controller', 'network', 'compute'])
    assert set(['swift_proxy', 'swift_storage']) <= set(catalog.default_services(services, ['controller', 'storage']))


def test_swift_registers_the_object_store_with_the_project_in_its_path():
    plan = catalog.setup_plan(catalog.select(catalog.catalog(), ['swift_proxy', 'swift_storage']))
    assert plan['services'] == [{'name': 'swift', 'type': 'object-store', 'description': 'OpenStack Object Storage',
                                 'port': 8080, 'path': '/v1/AUTH_%(project_id)s'}]
    assert plan['users'] == [{'name': 'swift', 'secret': 'swift_keystone_password'}]
    assert catalog.required_secrets(catalog.select(catalog.catalog(), ['swift_storage'])) == [
        'swift_hash_path_prefix', 'swift_hash_path_suffix']


def test_port_defaults_are_tcp_and_public():
    services = {'a': {'groups': ['all'], 'ports': {'http': {'port': 80}}}}
    assert catalog.firewall_ports(services, []) == [{'port': '80', 'protocol': 'tcp', 'scope': 'public'}]


def test_port_ranges_sort_by_number():
    services = {'a': {'groups': ['all'], 'ports': {'vnc': {'port': '5900-5999', 'scope': 'management'},
                                                   'rsync': {'port': 873, 'scope': 'management'}}}}
    assert [p['port'] for p in catalog.firewall_ports(services, [])] == ['873', '5900-5999']


# ---------------------------------------------------------------------------------------------------------------------
# port, endpoint, l2_agent, default_services, packages


@pytest.mark.parametrize('service, name, expected', [
    ('glance', 'api', 9292), ('keystone', 'api', 5000), ('nova', 'metadata', 8775), ('nova', 'novncproxy', 6080),
    ('mariadb', 'mysql', 3306), ('neutron_openvswitch_agent', 'vxlan', 4789),
])
def test_port(service, name, expected):
    assert catalog.port(catalog.SERVICES[service], name) == expected


def test_port_of_a_string_number():
    assert catalog.port({'ports': {'api': {'port': '8080'}}}, 'api') == 8080


@pytest.mark.parametrize('entry, name, message', [
    (catalog.SERVICES['nova_compute'], 'vnc', "port 'vnc' is the range 5900-5999, not a single port"),
    (catalog.SERVICES['glance'], 'admin', r"the entry has no port 'admin' \(it has api\)"),
    (catalog.SERVICES['nova'], 'API', r"no port 'API' \(it has api, metadata, novncproxy\)"),
    (catalog.SERVICES['neutron_network_agents'], 'api', r"no port 'api' \(it has none\)"),
    ({'groups': ['all']}, 'api', r'\(it has none\)'),
    ('glance', 'api', r'\(it has none\)'),
    (None, 'api', r'\(it has none\)'),
])
def test_port_refuses(entry, name, message):
    with pytest.raises(catalog.CatalogError, match=message):
        catalog.port(entry, name)


@pytest.mark.parametrize('service, expected', [
    ('keystone', (5000, '/v3')), ('glance', (9292, '')), ('placement', (8778, '')), ('nova', (8774, '/v2.1')),
    ('neutron_server', (9696, '')),
])
def test_endpoint(service, expected):
    assert catalog.endpoint(catalog.SERVICES[service]) == expected


def test_endpoint_on_a_named_port():
    entry = catalog.catalog({'nova': {'keystone': {'port': 'metadata'}}})['nova']
    assert catalog.endpoint(entry) == (8775, '/v2.1')


def test_endpoint_path_defaults_to_empty():
    assert catalog.endpoint({'ports': {'api': {'port': 80}}, 'keystone': {'type': 't', 'name': 'n'}}) == (80, '')


@pytest.mark.parametrize('entry, message', [
    (catalog.SERVICES['mariadb'], 'expects a catalog entry with a keystone part'),
    (catalog.SERVICES['keystone']['keystone'], 'expects a catalog entry with a keystone part'),
    ('keystone', 'expects a catalog entry with a keystone part'),
    ({'ports': {}, 'keystone': {'type': 't', 'name': 'n'}}, "no port 'api'"),
])
def test_endpoint_refuses(entry, message):
    with pytest.raises(catalog.CatalogError, match=message):
        catalog.endpoint(entry)


@pytest.mark.parametrize('driver, expected', [
    ('linuxbridge', 'neutron_linuxbridge_agent'), ('openvswitch', 'neutron_openvswitch_agent'),
])
def test_l2_agent(driver, expected):
    assert catalog.l2_agent(driver) == expected
    assert expected in catalog.SERVICES


@pytest.mark.parametrize('driver', ['ovn', 'ovs', '', None, 'LinuxBridge'])
def test_l2_agent_refuses(driver):
    with pytest.raises(catalog.CatalogError, match='is not one of linuxbridge, openvswitch'):
        catalog.l2_agent(driver)


DEFAULTS = ['chrony_server', 'glance', 'heat', 'heat_cfn', 'horizon', 'keystone', 'mariadb', 'memcached',
            'neutron_network_agents', 'neutron_server', 'nova', 'nova_compute', 'placement', 'rabbitmq', 'ssh']


@pytest.mark.parametrize('driver, agent', [
    ('linuxbridge', 'neutron_linuxbridge_agent'), ('openvswitch', 'neutron_openvswitch_agent'),
])
def test_default_services_take_only_the_chosen_l2_agent(driver, agent):
    assert catalog.default_services(catalog.catalog(), [], driver) == sorted(DEFAULTS + [agent])


def test_default_services_default_to_linuxbridge():
    assert catalog.default_services(catalog.catalog(), ['controller']) == sorted(DEFAULTS +
                                                                                 ['neutron_linuxbridge_agent'])


STORAGE = {'backup': {'role': 'backup', 'groups': ['storage'], 'default': 'storage'},
           'extra': {'role': 'extra', 'groups': ['controller'], 'default': False},
           'computes': {'role': 'computes', 'groups': ['compute'], 'default': 'compute'}}


@pytest.mark.parametrize('populated, added', [
    ([], []),
    (None, []),
    (['controller', 'network', 'compute'], ['computes']),
    (['storage'], ['backup']),
    (['controller', 'storage'], ['backup']),
    (['controller', 'compute', 'storage'], ['backup', 'computes']),
])
def test_default_services_take_a_node_role_default_only_where_that_role_has_hosts(populated, added):
    services = catalog.catalog(STORAGE)
    # the built-in storage services (Ceph's daemons, Swift, Cinder) come with storage hosts too
    builtin = [name for name, entry in catalog.SERVICES.items() if entry['default'] == 'storage']
    added = added + (builtin if 'storage' in (populated or []) else [])
    assert catalog.default_services(services, populated) == sorted(DEFAULTS + ['neutron_linuxbridge_agent'] + added)


def test_default_services_leave_out_a_removed_agent():
    services = catalog.catalog({'neutron_linuxbridge_agent': None})
    assert catalog.default_services(services, []) == DEFAULTS


def test_default_services_leave_out_an_entry_that_defaults_to_false():
    services = catalog.catalog({'glance': {'default': False}})
    assert 'glance' not in catalog.default_services(services, ['controller'])


def test_default_services_refuse_an_unknown_driver():
    with pytest.raises(catalog.CatalogError, match="network driver 'ovn'"):
        catalog.default_services(catalog.catalog(), [], 'ovn')


@pytest.mark.parametrize('names, groups, family, group_map, expected', [
    (['ssh', 'nova_compute', 'neutron_linuxbridge_agent'], ['compute'], 'Debian', None,
     ['genisoimage', 'neutron-linuxbridge-agent', 'nova-compute', 'nova-compute-qemu']),
    (['ssh', 'nova_compute', 'neutron_openvswitch_agent'], ['compute'], 'RedHat', None,
     ['ethtool', 'genisoimage', 'openstack-neutron-openvswitch', 'openstack-nova-compute', 'openvswitch']),
    (['keystone', 'mariadb', 'ssh'], ['controller'], 'RedHat', None,
     ['httpd', 'mariadb-server', 'openstack-keystone', 'python3-PyMySQL', 'python3-mod_wsgi']),
    # openstack-neutron comes with the server and the network agents: once
    (['neutron_server', 'neutron_network_agents', 'neutron_openvswitch_agent'], ['controller', 'network'], 'RedHat',
     None, ['ethtool', 'openstack-neutron', 'openstack-neutron-ml2', 'openstack-neutron-openvswitch', 'openvswitch']),
    (['keystone', 'nova_compute'], ['ctl'], 'Debian', {'controller': 'ctl'}, ['keystone']),
    (['keystone', 'nova_compute'], ['controller'], 'Debian', {'controller': 'ctl'}, []),
    (['keystone'], ['controller'], 'Suse', None, []),
    (['ssh'], ['controller', 'compute'], 'Debian', None, []),
])
def test_packages(names, groups, family, group_map, expected):
    services = catalog.select(catalog.catalog(), names)
    assert catalog.packages(services, groups, family, group_map) == expected


# ---------------------------------------------------------------------------------------------------------------------
# secrets, setup plan, debconf, listeners, platforms


def test_secret_specs_of_keystone_and_glance():
    services = catalog.select(catalog.catalog(), ['keystone', 'glance'])
    assert catalog.secret_specs(services) == [
        {'name': 'glance_database_password', 'kind': 'password'},
        {'name': 'glance_keystone_password', 'kind': 'password'},
        {'name': 'keystone_admin_password', 'kind': 'password'},
        {'name': 'keystone_credential_keys', 'kind': 'fernet_key', 'count': 2},
        {'name': 'keystone_database_password', 'kind': 'password'},
        {'name': 'keystone_fernet_keys', 'kind': 'fernet_key', 'count': 2},
    ]


@pytest.mark.parametrize('name', [
    'nova_database_password', 'nova_keystone_password', 'nova_rabbitmq_password', 'neutron_database_password',
    'neutron_keystone_password', 'neutron_rabbitmq_password', 'placement_database_password',
    'placement_keystone_password', 'metadata_proxy_shared_secret', 'glance_database_password',
    'glance_keystone_password', 'keystone_database_password', 'keystone_admin_password', 'keystone_fernet_keys',
    'keystone_credential_keys',
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
    ({'x': {'role': 'x', 'groups': ['all'], 'messaging': True}}, 'messaging must be a lower-case name'),
    ({'x': {'role': 'x', 'groups': ['all'], 'user': 'Glance'}}, 'user must be a lower-case name'),
    ({'x': {'role': 'x', 'groups': ['all'], 'databases': 'x'}}, 'databases must be a list'),
    ({'x': {'role': 'x', 'groups': ['all'], 'secrets': [{'kind': 'password'}]}}, 'each secret is'),
    ({'x': {'role': 'x', 'groups': ['all'], 'secrets': [{'name': 's', 'kind': 'pin'}]}}, "has kind 'pin'"),
    ({'x': {'role': 'x', 'groups': ['all'], 'secrets': [{'name': 's', 'length': 8}]}},
     'length to be a number of at least 16'),
    ({'x': {'role': 'x', 'groups': ['all'], 'secrets': [{'name': 's', 'size': 8}]}}, r'unknown field\(s\) size'),
    ({'x': {'role': 'x', 'groups': ['all'], 'listeners': 'sshd'}}, 'listeners must be a list of names'),
    ({'x': {'role': 'x', 'groups': ['all'], 'debconf': ['keystone/configure_db']}}, 'debconf must map a package'),
    ({'x': {'role': 'x', 'groups': ['all'], 'debconf': {'keystone': ['configure_db']}}}, "'owner/question'"),
    ({'x': {'role': 'x', 'groups': ['all'], 'packages': ['glance']}}, 'packages must map an OS family'),
    ({'x': {'role': 'x', 'groups': ['all'], 'units': {'Debian': 'glance-api'}}}, 'units must map an OS family'),
])
def test_bad_new_fields_are_refused(override, message):
    with pytest.raises(catalog.CatalogError, match=message):
        catalog.catalog(override)


def test_setup_plan_merges_owners():
    services = catalog.select(catalog.catalog(), ['neutron_server', 'neutron_linuxbridge_agent',
                                                  'neutron_network_agents', 'keystone', 'nova', 'nova_compute'])
    plan = catalog.setup_plan(services)
    assert [d['user'] for d in plan['databases']] == ['keystone', 'neutron', 'nova']
    assert [m['user'] for m in plan['messaging']] == ['neutron', 'nova']
    assert [u['name'] for u in plan['users']] == ['neutron', 'nova']
    assert plan['services'] == [
        {'name': 'keystone', 'type': 'identity', 'description': 'OpenStack Identity', 'port': 5000, 'path': '/v3'},
        {'name': 'neutron', 'type': 'network', 'description': 'OpenStack Networking', 'port': 9696, 'path': ''},
        {'name': 'nova', 'type': 'compute', 'description': 'OpenStack Compute', 'port': 8774, 'path': '/v2.1'},
    ]


def test_setup_plan_follows_a_port_override():
    services = catalog.select(catalog.catalog({'glance': {'ports': {'api': {'port': 9293}}}}), ['glance'])
    assert catalog.setup_plan(services)['services'][0]['port'] == 9293


def test_setup_plan_refuses_a_service_registered_twice():
    services = catalog.catalog({'glance2': dict(catalog.SERVICES['glance'], default=False)})
    with pytest.raises(catalog.CatalogError, match="Keystone service 'glance' is registered by two"):
        catalog.setup_plan(catalog.select(services, ['glance', 'glance2']))


def test_setup_plan_database_user_override():
    services = {'x': {'groups': ['all'], 'databases': ['a', 'b'], 'database_user': 'owner', 'user': 'svc'}}
    assert catalog.setup_plan(services)['databases'] == [
        {'user': 'owner', 'databases': ['a', 'b'], 'secret': 'owner_database_password'}]


def test_setup_plan_of_heat_has_its_domain_admin_and_roles():
    plan = catalog.setup_plan(catalog.select(catalog.catalog(), ['heat', 'heat_cfn']))
    assert plan['domains'] == [{'name': 'heat', 'description': 'Stack projects and users'}]
    assert plan['domain_users'] == [{'name': 'heat_domain_admin', 'domain': 'heat',
                                     'secret': 'heat_domain_admin_password'}]
    assert plan['domain_assignments'] == [{'user': 'heat_domain_admin', 'user_domain': 'heat', 'domain': 'heat',
                                           'role': 'admin'}]
    assert plan['roles'] == ['heat_stack_owner', 'heat_stack_user']
    assert [u['name'] for u in plan['users']] == ['heat']
    assert plan['services'] == [
        {'name': 'heat', 'type': 'orchestration', 'description': 'Orchestration', 'port': 8004,
         'path': '/v1/%(tenant_id)s'},
        {'name': 'heat-cfn', 'type': 'cloudformation', 'description': 'Orchestration (CloudFormation)',
         'port': 8000, 'path': '/v1'},
    ]


def test_setup_plan_without_domains_has_empty_lists():
    plan = catalog.setup_plan(catalog.select(catalog.catalog(), ['glance']))
    assert plan['domains'] == [] and plan['domain_users'] == [] and plan['roles'] == []
    assert plan['domain_assignments'] == []


def test_setup_plan_refuses_a_domain_owned_twice():
    other = {'keystone': {'type': 'x', 'name': 'x', 'domains': [{'name': 'heat'}]}}
    services = catalog.catalog({'x': dict(catalog.SERVICES['heat_cfn'], default=False, **other)})
    with pytest.raises(catalog.CatalogError, match="Keystone domain 'heat' is owned by two"):
        catalog.setup_plan(catalog.select(services, ['heat', 'x']))


def test_secret_specs_derive_the_domain_admins_password():
    specs = catalog.secret_specs(catalog.select(catalog.catalog(), ['heat']))
    names = [s['name'] for s in specs]
    assert names == ['heat_auth_encryption_key', 'heat_database_password', 'heat_domain_admin_password',
                     'heat_keystone_password', 'heat_rabbitmq_password']
    assert {'name': 'heat_auth_encryption_key', 'kind': 'password', 'length': 32} in specs


def _keystone(**extra):
    return {'x': {'role': 'x', 'groups': ['all'], 'ports': {'api': {'port': 1234}},
                  'keystone': dict({'type': 'x', 'name': 'x'}, **extra)}}


@pytest.mark.parametrize('extra, message', [
    ({'domains': 'heat'}, 'keystone domains must be a list'),
    ({'domains': [{'description': 'no name'}]}, 'each keystone domain is'),
    ({'domains': [{'name': 'd', 'owner': 'x'}]}, r"keystone domain 'd' has unknown field\(s\) owner"),
    ({'domains': [{'name': 'd', 'admin': 'Admin'}]}, "the admin of keystone domain 'd' must be"),
    ({'roles': 'heat_stack_owner'}, 'keystone roles must be a list'),
    ({'roles': ['']}, 'keystone roles must be a list'),
], ids=['domains-not-list', 'domain-without-name', 'domain-unknown-field', 'bad-admin', 'roles-not-list',
        'empty-role'])
def test_bad_keystone_extras_are_refused(extra, message):
    with pytest.raises(catalog.CatalogError, match=message):
        catalog.catalog(_keystone(**extra))


@pytest.mark.parametrize('package, question', [
    ('keystone', 'keystone/configure_db'), ('keystone', 'keystone/create-admin-tenant'),
    ('keystone', 'keystone/register-endpoint'), ('glance-common', 'glance/configure_db'),
    ('glance-api', 'glance/configure_api-endpoint'), ('nova-api', 'novaapi/configure_db'),
    ('nova-common', 'nova/configure_rabbit'), ('nova-common', 'nova/configure_ksat'),
    ('neutron-common', 'neutron/configure_db'), ('placement-common', 'placement/configure_db'),
    ('neutron-metadata-agent', 'neutron-metadata/configure'),
    ('heat-common', 'heat/configure_db'), ('heat-common', 'heat/configure_with_debconf'),
    ('heat-common', 'heat/configure_ksat'), ('heat-api', 'heat/configure_api-endpoint'),
    ('heat-api-cfn', 'heat-api-cfn/configure_api-endpoint'),
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
    assert (5900, 'tcp') not in listeners and (49152, 'tcp') not in listeners
    assert sorted(listeners) == [(22, 'tcp'), (123, 'udp')]


def test_port_listeners_of_both_l2_agents_merge():
    services = catalog.select(catalog.catalog(), ['neutron_linuxbridge_agent', 'neutron_openvswitch_agent'])
    assert catalog.port_listeners(services, ['compute']) == {(4789, 'udp'): ['kernel', 'ovs-vswitchd']}


def test_required_secrets():
    services = catalog.catalog({'a': {'role': 'a', 'groups': ['all'], 'secrets': [{'name': 'b_pw'}, {'name': 'a_pw'}]},
                                'b': {'role': 'b', 'groups': ['all'], 'secrets': [{'name': 'a_pw'}]}})
    assert catalog.required_secrets(catalog.select(services, ['a', 'b'])) == ['a_pw', 'b_pw']


@pytest.mark.parametrize('family, major, expected', [
    ('Debian', '12', ['zed']), ('Debian', 12, ['zed']), ('Debian', '11', []), ('Suse', '15', []),
])
def test_platform_releases(family, major, expected):
    assert catalog.platform_releases(family, major) == expected


def test_known_releases():
    assert 'zed' in catalog.known_releases() and 'caracal' in catalog.known_releases()


# password rotation: what rotate_password.yml rotates, and what it refuses before any secret changes

DEPLOYED = ['keystone', 'glance', 'placement', 'nova', 'nova_compute', 'neutron_server', 'neutron_network_agents']


@pytest.mark.parametrize('name, database, expected', [
    ('glance', False, ['glance_keystone_password']),
    ('glance', True, ['glance_keystone_password', 'glance_database_password']),
    ('neutron', False, ['neutron_keystone_password']),
    ('neutron_server', True, ['neutron_keystone_password', 'neutron_database_password']),
    ('placement', True, ['placement_keystone_password', 'placement_database_password']),
    ('nova', False, ['nova_keystone_password']),
])
def test_rotation_secrets(name, database, expected):
    assert catalog.rotation_secrets(catalog.catalog(), DEPLOYED, name, database) == expected


@pytest.mark.parametrize('name, database, message', [
    ('glancee', False, "'glancee' is not a service of the catalog; the services whose password can be rotated are: "
                       "glance, neutron, nova, placement."),
    ('heat', False, "'heat' is not deployed here"),
    ('keystone', False, "'keystone' has no Keystone service user of its own"),
    ('nova_compute', False, "'nova_compute' has no Keystone service user of its own"),
    ('nova', True, "the database password of 'nova' cannot be rotated by this playbook: Nova keeps"),
    ('', False, 'name the service'),
    (None, False, 'name the service'),
])
def test_rotation_secrets_refused(name, database, message):
    with pytest.raises(catalog.CatalogError, match=re.escape(message)):
        catalog.rotation_secrets(catalog.catalog(), DEPLOYED, name, database)
