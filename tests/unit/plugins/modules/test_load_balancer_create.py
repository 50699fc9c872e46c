"""load_balancer_create: a missing load balancer made in one call with its listeners, default pools and monitors; an
existing one left alone. openstack.connect is replaced by an in-memory cloud."""

from types import SimpleNamespace

import openstack
import openstack.exceptions
import pytest

from ansible_collections.gureum.openstack.plugins.modules import load_balancer_create as module

LISTENERS = [{'name': 'demo-lb-http', 'protocol': 'HTTP', 'port': 80},
             {'name': 'demo-lb-tcp', 'protocol': 'TCP', 'port': '8080'}]
POOLS = [{'name': 'demo-lb-pool', 'listener': 'demo-lb-http', 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN',
          'members': [{'server': 'demo-web01', 'port': 80}]}]
MONITORS = [{'name': 'demo-lb-monitor', 'pool': 'demo-lb-pool', 'type': 'HTTP', 'delay': 5, 'timeout': 3,
             'max_retries': 2, 'url_path': '/', 'expected_codes': '200', 'http_method': None}]
ARGS = {'cloud': 'demo', 'name': 'demo-lb', 'vip_subnet': 'demo_private01_subnet', 'listeners': LISTENERS,
        'pools': POOLS, 'health_monitors': MONITORS}


class Made(dict):
    def to_dict(self, computed=True):
        return dict(self)


class FakeCloud(object):
    def __init__(self, existing=None):
        self.existing = existing
        self.created = []
        self.clouds = []
        self.load_balancer = SimpleNamespace(find_load_balancer=lambda name: self.existing,
                                             create_load_balancer=self.create)
        self.network = SimpleNamespace(find_subnet=self.find_subnet)

    def find_subnet(self, name, ignore_missing=True):
        if name != 'demo_private01_subnet':
            raise openstack.exceptions.ResourceNotFound('No Subnet found for %s' % name)
        return SimpleNamespace(id='subnet-id')

    def create(self, **attributes):
        self.created.append(attributes)
        return Made(attributes, provisioning_status='PENDING_CREATE')


@pytest.fixture
def cloud(monkeypatch):
    fake = FakeCloud()

    def connect(cloud):
        fake.clouds.append(cloud)
        return fake
    monkeypatch.setattr(openstack, 'connect', connect)
    return fake


def test_the_listeners_get_their_pool_and_the_pool_its_monitor():
    assert module.listener_tree(LISTENERS, POOLS, MONITORS) == [
        {'name': 'demo-lb-http', 'protocol': 'HTTP', 'protocol_port': 80,
         'default_pool': {'name': 'demo-lb-pool', 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN',
                          'healthmonitor': {'name': 'demo-lb-monitor', 'type': 'HTTP', 'delay': 5, 'timeout': 3,
                                            'max_retries': 2, 'url_path': '/', 'expected_codes': '200'}}},
        {'name': 'demo-lb-tcp', 'protocol': 'TCP', 'protocol_port': 8080}]


def test_a_missing_load_balancer_is_made_in_one_call_as_its_user(cloud, run_module):
    result = run_module(module.main, ARGS)
    assert result['changed'] is True and result['load_balancer']['provisioning_status'] == 'PENDING_CREATE'
    assert cloud.clouds == ['demo'] and len(cloud.created) == 1
    made = cloud.created[0]
    assert made['name'] == 'demo-lb' and made['vip_subnet_id'] == 'subnet-id' and 'description' not in made
    assert made['listeners'] == module.listener_tree(LISTENERS, POOLS, MONITORS)


def test_an_existing_load_balancer_is_left_alone(cloud, run_module):
    cloud.existing = Made(name='demo-lb', provisioning_status='ACTIVE')
    result = run_module(module.main, ARGS)
    assert result['changed'] is False and result['load_balancer']['provisioning_status'] == 'ACTIVE'
    assert cloud.created == []


def test_check_mode_makes_nothing(cloud, run_module):
    result = run_module(module.main, ARGS, check_mode=True)
    assert result['changed'] is True and cloud.created == []


def test_an_unknown_subnet_fails_with_the_load_balancers_name(cloud, run_module):
    result = run_module(module.main, dict(ARGS, vip_subnet='nope'))
    assert result['failed'] is True and result['msg'].startswith('load balancer demo-lb: No Subnet found for nope')
    assert cloud.created == []
