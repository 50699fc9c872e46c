import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.gureum.openstack.plugins.filter.day1 import FilterModule

day1_plan = FilterModule().filters()['day1_plan']


def test_plan_through_the_filter():
    plan = day1_plan({'flavors': [{'name': 'm1.tiny'}]})
    assert plan['flavors'] == [{'name': 'm1.tiny', 'state': 'present'}]
    assert plan['clouds'] == []


@pytest.mark.parametrize('data, message', [
    ([], 'expects a mapping'),
    ({'routers': [{'name': 'r', 'external_gateway': 'x'}]}, "(?s)1 problem.*unknown network 'x'"),
])
def test_filter_errors(data, message):
    with pytest.raises(AnsibleFilterError, match=message):
        day1_plan(data)


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
