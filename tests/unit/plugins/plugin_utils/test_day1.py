import copy

import pytest

from ansible_collections.gureum.openstack.plugins.plugin_utils import day1

LAB = {
    'projects': [{'name': 'demo', 'quotas': {'instances': 10, 'cores': 20}}],
    'users': [{'name': 'demo', 'project': 'demo', 'password_secret': 'demo_password',
               'roles': [{'role': 'member', 'project': 'demo'}]}],
    'flavors': [{'name': 'm1.tiny', 'vcpus': 1, 'ram': 256, 'disk': 1}],
    'images': [{'name': 'gureum-guest', 'file': '/tmp/g.qcow2', 'disk_format': 'qcow2'}],
    'networks': [
        {'name': 'ext_net', 'external': True, 'shared': True,
         'provider': {'network_type': 'flat', 'physical_network': 'provider'},
         'subnets': [{'name': 'ext_subnet', 'cidr': '198.51.100.0/24', 'gateway_ip': '198.51.100.1',
                      'enable_dhcp': False,
                      'allocation_pools': [{'start': '198.51.100.100', 'end': '198.51.100.200'}]}]},
        {'name': 'demo_private01', 'project': 'demo', 'user': 'demo',
         'subnets': [{'name': 'demo_private01_subnet', 'cidr': '172.16.10.0/24', 'dns_nameservers': ['8.8.8.8']}]},
    ],
    'routers': [{'name': 'DEMO_R1', 'project': 'demo', 'user': 'demo', 'external_gateway': 'ext_net',
                 'interfaces': ['demo_private01_subnet']}],
    'security_groups': [{'name': 'www_SSH_PERMIT', 'project': 'demo', 'user': 'demo',
                         'rules': [{'protocol': 'tcp', 'port': 22}, {'protocol': 'tcp', 'port': 80},
                                   {'protocol': 'icmp'}]}],
    'keypairs': [{'name': 'demoweb', 'user': 'demo', 'project': 'demo'}],
    'servers': [{'name': 'web1', 'project': 'demo', 'user': 'demo', 'image': 'gureum-guest', 'flavor': 'm1.tiny',
                 'networks': ['demo_private01'], 'security_groups': ['www_SSH_PERMIT'], 'key_name': 'demoweb'}],
    'floating_ips': [{'name': 'web1-fip', 'project': 'demo', 'user': 'demo', 'network': 'ext_net', 'server': 'web1'}],
}


def broken(path, value):
    """LAB with one value replaced; path is a list of keys/indexes."""
    data = copy.deepcopy(LAB)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def test_the_lab_example_is_valid_and_gets_defaults():
    plan = day1.plan(LAB)
    assert set(plan) == set(day1.KINDS) | {'clouds'}
    assert plan['networks'][0]['user'] == 'admin' and plan['networks'][0]['project'] == 'admin'
    assert plan['servers'][0]['state'] == 'present'
    assert plan['networks'][0]['cloud'] == 'admin'
    assert plan['servers'][0]['cloud'] == 'demo@demo'
    assert plan['clouds'] == [('demo', 'demo')]


@pytest.mark.parametrize('data, message', [
    (broken(['networks', 0, 'subnets', 0, 'gateway_ip'], '10.0.0.1'), 'gateway_ip 10.0.0.1 is outside 198.51.100.0/24'),
    (broken(['networks', 0, 'subnets', 0, 'allocation_pools'], [{'start': '198.51.100.100', 'end': '198.51.101.5'}]),
     'allocation pool end 198.51.101.5 is outside'),
    (broken(['networks', 0, 'subnets', 0, 'allocation_pools'], [{'start': '198.51.100.1', 'end': '198.51.100.9'}]),
     'gateway 198.51.100.1 lies inside allocation pool'),
    (broken(['networks', 0, 'subnets', 0, 'allocation_pools'], [{'start': '198.51.100.20', 'end': '198.51.100.10'}]),
     'ends before it starts'),
    (broken(['networks', 1, 'subnets', 0, 'cidr'], '172.16.10.1/24'), 'is not a network address'),
    (broken(['routers', 0, 'external_gateway'], 'ext_nett'), "gateway on unknown network 'ext_nett'"),
    (broken(['routers', 0, 'external_gateway'], 'demo_private01'), 'which is not external'),
    (broken(['routers', 0, 'interfaces'], ['nope']), "interface on unknown subnet 'nope'"),
    (broken(['floating_ips', 0, 'network'], 'demo_private01'), 'floating IPs come from an external network'),
    (broken(['floating_ips', 0, 'server'], 'web2'), "unknown server 'web2'"),
    (broken(['servers', 0, 'flavor'], 'm1.huge'), "flavor 'm1.huge', which is not defined"),
    (broken(['servers', 0, 'networks'], ['ext_nett']), "unknown network 'ext_nett'"),
    (broken(['servers', 0, 'security_groups'], ['www']), "unknown security group 'www'"),
    (broken(['servers', 0, 'project'], 'other'), "project 'other', which is neither defined"),
    (broken(['servers', 0, 'user'], 'bob'), "user 'bob', who is not defined"),
    (broken(['users', 0, 'roles'], []), 'that user has no role in that project'),
    (broken(['users', 0, 'password_secret'], None), 'needs password_secret'),
    (broken(['projects', 0, 'quotas'], {'instances': 'ten'}), 'quota instances must be an integer'),
    (broken(['security_groups', 0, 'rules'], [{'protocol': 'icmp', 'port': 22}]), 'must be a tcp/udp port'),
    (broken(['security_groups', 0, 'rules'], [{'protocol': 'gre'}]), 'rule protocol must be one of'),
    (broken(['networks', 0, 'provider'], {'network_type': 'flat'}), 'needs physical_network'),
    (broken(['networks', 0, 'user'], 'demo'), 'only an admin can make an external network'),
    (broken(['flavors'], [{'name': 'm1.tiny'}, {'name': 'm1.tiny'}]), 'is listed twice'),
    (broken(['keypairs', 0, 'state'], 'gone'), 'state must be present or absent'),
    (dict(LAB, volumes=[]), 'unknown resource kind'),
    (broken(['images', 0, 'file'], None), 'needs file .a disk image'),
])
def test_broken_resources_are_refused(data, message):
    with pytest.raises(day1.Day1Error, match=message):
        day1.plan(data)


def test_every_problem_is_reported_at_once():
    data = broken(['routers', 0, 'external_gateway'], 'nope')
    data['servers'][0]['flavor'] = 'm1.huge'
    errors = day1.check(data)
    assert len(errors) == 2


def test_overlapping_subnets_in_one_network():
    data = copy.deepcopy(LAB)
    data['networks'][1]['subnets'].append({'name': 'second', 'cidr': '172.16.10.128/25'})
    assert any('overlaps subnet demo_private01_subnet' in e for e in day1.check(data))


def test_absent_resources_need_no_references():
    data = broken(['servers', 0, 'state'], 'absent')
    data['servers'][0]['flavor'] = 'gone'
    data['floating_ips'][0]['state'] = 'absent'
    assert day1.check(data) == []


AUTH_URL = 'http://10.0.0.11:5000/v3'


def _cloud(user, project, password):
    return {'username': user, 'project': project, 'password': password, 'auth_url': AUTH_URL, 'region': 'RegionOne'}


def test_clouds_of_the_lab():
    clouds = day1.clouds(day1.plan(LAB), {'demo': 'demo-pw'}, 'admin-pw', AUTH_URL, 'RegionOne')
    assert clouds == {
        'internal': {'admin': _cloud('admin', 'admin', 'admin-pw'), 'demo@demo': _cloud('demo', 'demo', 'demo-pw')},
        'people': {'admin': _cloud('admin', 'admin', 'admin-pw'), 'demo': _cloud('demo', 'demo', 'demo-pw')},
    }


def _two_users():
    data = copy.deepcopy(LAB)
    data['projects'].append({'name': 'ops'})
    data['users'] += [
        # acts in another project than its default one
        {'name': 'bob', 'project': 'demo', 'password': 'x',
         'roles': [{'role': 'member', 'project': 'demo'}, {'role': 'member', 'project': 'ops'}]},
        # no project: no cloud of its own for people
        {'name': 'svc', 'password': 'x', 'roles': [{'role': 'reader', 'project': 'ops'}]},
        {'name': 'gone', 'project': 'demo', 'password': 'x', 'state': 'absent'},
    ]
    data['keypairs'].append({'name': 'bobkey', 'user': 'bob', 'project': 'ops'})
    return day1.plan(data)


@pytest.mark.parametrize('part, names', [
    ('internal', ['admin', 'bob@ops', 'demo@demo']),
    ('people', ['admin', 'bob', 'demo']),
])
def test_clouds_names(part, names):
    passwords = {'demo': 'demo-pw', 'bob': 'bob-pw', 'svc': 'svc-pw'}
    assert sorted(day1.clouds(_two_users(), passwords, 'admin-pw', AUTH_URL, 'RegionOne')[part]) == names


def test_a_cloud_acts_in_the_resource_project():
    passwords = {'demo': 'demo-pw', 'bob': 'bob-pw'}
    clouds = day1.clouds(_two_users(), passwords, 'admin-pw', AUTH_URL, 'RegionOne')
    assert clouds['internal']['bob@ops'] == _cloud('bob', 'ops', 'bob-pw')
    assert clouds['people']['bob'] == _cloud('bob', 'demo', 'bob-pw')


def test_clouds_read_pairs_as_lists_too():
    # after templating, the plan's (user, project) pairs are lists
    plan = dict(day1.plan(LAB), clouds=[['demo', 'demo']])
    assert 'demo@demo' in day1.clouds(plan, {'demo': 'pw'}, 'admin-pw', AUTH_URL, 'RegionOne')['internal']


def test_an_empty_plan_has_the_admin_cloud_only():
    clouds = day1.clouds(day1.plan({}), {}, 'admin-pw', AUTH_URL, 'RegionOne')
    assert clouds == {'internal': {'admin': _cloud('admin', 'admin', 'admin-pw')},
                      'people': {'admin': _cloud('admin', 'admin', 'admin-pw')}}


@pytest.mark.parametrize('passwords, admin_password, message', [
    ({}, 'admin-pw', "user 'demo' has no password"),
    ({'demo': ''}, 'admin-pw', "user 'demo' has no password"),
    (None, 'admin-pw', "user 'demo' has no password"),
    ({'demo': 'pw'}, '', "user 'admin' has no password"),
    ({'demo': 'pw'}, None, "user 'admin' has no password"),
])
def test_clouds_refuse_a_missing_password(passwords, admin_password, message):
    with pytest.raises(day1.Day1Error, match=message):
        day1.clouds(day1.plan(LAB), passwords, admin_password, AUTH_URL, 'RegionOne')
