import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.gureum.openstack.plugins.filter.day1 import FilterModule

day1_plan = FilterModule().filters()['day1_plan']


def test_plan_through_the_filter():
    plan = day1_plan({'flavors': [{'name': 'm1.tiny', 'vcpus': 1, 'ram': 256}]})
    assert plan['flavors'] == [{'name': 'm1.tiny', 'vcpus': 1, 'ram': 256, 'state': 'present'}]
    assert plan['clouds'] == []


@pytest.mark.parametrize('data, message', [
    ([], 'expects a mapping'),
    ({'routers': [{'name': 'r', 'external_gateway': 'x'}]}, "(?s)1 problem.*unknown network 'x'"),
])
def test_filter_errors(data, message):
    with pytest.raises(AnsibleFilterError, match=message):
        day1_plan(data)


VOLUMES = {'volumes': [{'name': 'v', 'size': 1}]}


def test_the_services_refuse_volumes_without_cinder():
    assert day1_plan(VOLUMES, None, ['cinder'])['volumes'][0]['cloud'] == 'admin'
    assert day1_plan(VOLUMES)['volumes'][0]['name'] == 'v'
    with pytest.raises(AnsibleFilterError, match="bootstrap_volumes lists v, but Cinder is not deployed"):
        day1_plan(VOLUMES, None, ['keystone'])


def test_the_services_must_be_a_list():
    with pytest.raises(AnsibleFilterError, match='services must be the list of deployed catalog entries'):
        day1_plan(VOLUMES, None, 'cinder')


day1_password = FilterModule().filters()['day1_password']


@pytest.mark.parametrize('user, secrets, expected', [
    ({'name': 'a', 'password': 'x'}, {}, 'x'),
    ({'name': 'a', 'password_secret': 's'}, {'s': 'y'}, 'y'),
])
def test_day1_password(user, secrets, expected):
    assert day1_password(user, secrets) == expected


@pytest.mark.parametrize('user, secrets, message', [
    ({'name': 'a', 'password_secret': 's'}, {}, "secret 's' is not in the secrets file"),
    ({'password': 'x'}, {}, 'expects a user entry'),
])
def test_day1_password_errors(user, secrets, message):
    with pytest.raises(AnsibleFilterError, match=message):
        day1_password(user, secrets)


day1_clouds = FilterModule().filters()['day1_clouds']


def test_day1_clouds_through_the_filter():
    plan = day1_plan({'users': [{'name': 'u', 'project': 'admin', 'password': 'x'}]})
    clouds = day1_clouds(plan, {'u': 'pw'}, 'admin-pw', 'http://10.0.0.11:5000/v3', 'RegionOne')
    assert sorted(clouds['people']) == ['admin', 'u']
    assert clouds['people']['u']['password'] == 'pw'
    assert list(clouds['internal']) == ['admin']


@pytest.mark.parametrize('plan, passwords, message', [
    ([], {}, 'day1_clouds expects a day-1 plan'),
    ({}, None, 'day1_clouds expects a day-1 plan'),
    ({'users': [{'name': 'u', 'project': 'admin'}]}, {}, "^day1_clouds: user 'u' has no password"),
])
def test_day1_clouds_errors(plan, passwords, message):
    with pytest.raises(AnsibleFilterError, match=message):
        day1_clouds(plan, passwords, 'admin-pw', 'http://10.0.0.11:5000/v3', 'RegionOne')


day1_stacks_to_apply = FilterModule().filters()['day1_stacks_to_apply']
PLANNED = [{'name': 'stack1', 'cloud': 'demo@demo', 'state': 'present', 'tag': 'gureum-day1-0123456789abcdef'}]


@pytest.mark.parametrize('results, expected', [
    ([{'item': 'demo@demo', 'stacks': []}], PLANNED),
    ([{'item': 'demo@demo', 'stacks': [{'name': 'stack1', 'status': 'CREATE_COMPLETE',
                                        'tags': ['gureum-day1-0123456789abcdef']}]}], []),
], ids=['missing', 'up-to-date'])
def test_day1_stacks_to_apply(results, expected):
    assert day1_stacks_to_apply(PLANNED, results) == expected


@pytest.mark.parametrize('stacks, results, message', [
    ({}, [], 'expects the plan'),
    (PLANNED, [{'stacks': []}], 'each result needs item'),
], ids=['not-a-list', 'no-item'])
def test_day1_stacks_to_apply_errors(stacks, results, message):
    with pytest.raises(AnsibleFilterError, match=message):
        day1_stacks_to_apply(stacks, results)


day1_lb_members = FilterModule().filters()['day1_lb_members']
LB_DATA = {
    'networks': [{'name': 'net', 'subnets': [{'name': 'sub', 'cidr': '192.168.1.0/24'}]}],
    'servers': [{'name': 'web1', 'image': 'i', 'flavor': 'f', 'networks': ['net']}],
    'images': [{'name': 'i', 'guest': True}], 'flavors': [{'name': 'f', 'vcpus': 1, 'ram': 64}],
    'load_balancers': [{'name': 'lb', 'vip_subnet': 'sub', 'listeners': [
        {'name': 'http', 'port': 80, 'pool': {'name': 'pool', 'members': [{'server': 'web1', 'port': 8080}]}}]}]}


def test_lb_members_through_the_filter():
    lbs = day1_plan(LB_DATA)['load_balancers']
    servers = [{'item': 'admin', 'servers': [{'name': 'web1', 'addresses': {'net': [{'addr': '192.168.1.7'}]}}]}]
    subnets = [{'item': 'admin', 'subnets': [{'name': 'sub', 'id': 'sub-id'}]}]
    assert day1_lb_members(lbs, servers, subnets) == [
        {'cloud': 'admin', 'load_balancer': 'lb', 'pool': 'pool', 'name': 'web1', 'address': '192.168.1.7',
         'subnet_id': 'sub-id', 'port': 8080}]
    with pytest.raises(AnsibleFilterError, match="day1_lb_members: load balancer 'lb', pool 'pool', member 'web1': "
                                                 "server 'web1' is not there"):
        day1_lb_members(lbs, [{'item': 'admin', 'servers': []}], subnets)


@pytest.mark.parametrize('args, message', [
    (({}, [], []), 'expects the plan'),
    (([], [{'servers': []}], []), 'each result needs item'),
])
def test_lb_members_refuses_what_is_not_a_loop_result(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        day1_lb_members(*args)
