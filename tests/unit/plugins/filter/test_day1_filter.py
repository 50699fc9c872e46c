import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.gureum.openstack.plugins.filter.day1 import FilterModule

day1_plan = FilterModule().filters()['day1_plan']


def test_plan_through_the_filter():
    assert day1_plan({'flavors': [{'name': 'm1.tiny'}]})['flavors'] == [{'name': 'm1.tiny', 'state': 'present'}]


@pytest.mark.parametrize('data, message', [
    ([], 'expects a mapping'),
    ({'routers': [{'name': 'r', 'external_gateway': 'x'}]}, "(?s)1 problem.*unknown network 'x'"),
])
def test_filter_errors(data, message):
    with pytest.raises(AnsibleFilterError, match=message):
        day1_plan(data)
