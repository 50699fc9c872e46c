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
