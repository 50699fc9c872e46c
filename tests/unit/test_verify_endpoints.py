"""The URLs verify's endpoints check asks, rendered from roles/verify/tasks/checks/endpoints.yml with the catalog.

Since the catalog names ports (an entry's keystone part names its port in ``ports``, 'api' by default), the health
URL of an API is the health_url filter's; the check must ask the same URL, on the internal address.
"""

import os

import pytest
import yaml
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog, wiring

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TASKS = os.path.join(ROOT, 'roles', 'verify', 'tasks', 'checks', 'endpoints.yml')
ENDPOINTS = {interface: {'address': '10.0.0.%d' % number, 'scheme': 'http'}
             for interface, number in (('public', 10), ('internal', 11), ('admin', 12))}
APIS = sorted(name for name, entry in catalog.catalog().items() if entry.get('keystone') and entry.get('health'))


def _tasks():
    with open(TASKS) as handle:
        return yaml.safe_load(handle)


def _render(text, **variables):
    return Templar(loader=DataLoader(), variables=variables).template(trust_as_template(text))


def test_the_apis_are_found():
    assert 'keystone' in APIS and 'glance' in APIS


def test_the_endpoints_check_asks_each_apis_health_url():
    text = _tasks()[0]['ansible.builtin.uri']['url']
    for name in APIS:
        entry = catalog.catalog()[name]
        url = _render(text, item={'key': name, 'value': entry}, verify_endpoints=ENDPOINTS)
        assert url == wiring.health_url(entry, '10.0.0.11'), name


def test_the_novnc_check_asks_the_catalogs_port():
    task = _tasks()[1]
    assert 'vnc_lite.html' in task['ansible.builtin.uri']['url']
    overrides = {'nova': {'ports': {'novncproxy': {'port': 6081}}}}
    url = _render(task['ansible.builtin.uri']['url'], verify_endpoints=ENDPOINTS, verify_catalog_overrides=overrides,
                  __verify_catalog=catalog.select(catalog.catalog(overrides), ['nova']))
    assert url == 'http://10.0.0.10:6081/vnc_lite.html'


# ---- the heat check: run only where Heat is deployed, with a template whose parameters the check gives ----

VARS = os.path.join(ROOT, 'roles', 'verify', 'vars', 'main.yml')
HEAT_TASKS = os.path.join(ROOT, 'roles', 'verify', 'tasks', 'checks', 'heat.yml')


def _checks(services):
    with open(VARS) as handle:
        variables = yaml.safe_load(handle)
    return _render(variables['__verify_checks'], __verify_base_checks=variables['__verify_base_checks'],
                   __verify_server_checks=variables['__verify_server_checks'], verify_services=services)


def test_the_heat_check_runs_last_and_only_with_heat():
    without = _checks(['keystone', 'nova'])
    assert 'heat' not in without and without[-1] == 'ssh'
    assert _checks(['keystone', 'nova', 'heat', 'heat_cfn']) == without + ['heat']


def test_the_heat_check_gives_every_parameter_its_template_needs():
    from ansible_collections.gureum.openstack.plugins.plugin_utils import day1
    with open(HEAT_TASKS) as handle:
        create = yaml.safe_load(handle)[0]['openstack.cloud.stack']
    template = os.path.join(ROOT, 'roles', 'verify', 'files', 'stack.yaml')
    stack = {'name': 'verify-stack', 'template': template, 'parameters': create['parameters']}
    assert day1.stack_problems(stack) == []
    with open(template) as handle:
        assert 'server_ip' in yaml.safe_load(handle)['outputs']


# ---- the load balancer check: run last, only where Octavia is deployed; the answers it counts ----

LB_TASKS = os.path.join(ROOT, 'roles', 'verify', 'tasks', 'checks', 'load_balancer.yml')
UUIDS = ('0b7a3c9e-1d2f-4a5b-8c6d-7e8f9a0b1c2d', '5f4e3d2c-1b0a-4987-b6a5-c4d3e2f1a0b9')


def test_the_load_balancer_is_asked_for_before_the_servers_and_checked_last_only_with_octavia():
    without = _checks(['keystone', 'nova', 'cinder'])
    assert not {'load_balancer_boot', 'load_balancer'} & set(without)
    network = without.index('network') + 1
    assert _checks(['keystone', 'nova', 'cinder', 'octavia']) == (
        without[:network] + ['load_balancer_boot'] + without[network:] + ['load_balancer'])


def _lb_task(name):
    with open(LB_TASKS) as handle:
        return [t for t in yaml.safe_load(handle) if t['name'] == name][0]


@pytest.mark.parametrize('contents, seen', [
    (['gureum-guest uuid=%s name=verify-compute1\n' % UUIDS[0], 'gureum-guest uuid=%s name=verify-compute2\n' % UUIDS[1],
      'gureum-guest uuid=%s name=verify-compute1\n' % UUIDS[0]], sorted(UUIDS)),
    (['gureum-guest uuid=%s name=verify-compute1\n' % UUIDS[0]] * 3, [UUIDS[0]]),
    (['<html>503 Service Unavailable</html>', 'gureum-guest uuid=%s name=verify-compute2' % UUIDS[1]], [UUIDS[1]]),
    ([], []),
], ids=['both', 'one', 'an-error-page-is-no-answer', 'none'])
def test_the_load_balancer_check_counts_the_guests_that_answered(contents, seen):
    for name in ('The answers came from both servers', 'Every answer came from the server still running'):
        expression = _lb_task(name)['vars']['__verify_lb_seen']
        answers = {'results': [{'content': c} for c in contents]}
        assert sorted(_render(expression, __verify_lb_answers=answers)) == seen


def test_the_load_balancer_checks_monitor_is_one_octavia_takes():
    from ansible_collections.gureum.openstack.plugins.plugin_utils import day1
    with open(os.path.join(ROOT, 'roles', 'verify', 'defaults', 'main.yml')) as handle:
        monitor = dict(yaml.safe_load(handle)['verify_load_balancer_monitor'], type='HTTP', url_path='/',
                       expected_codes='200')
    data = {'servers': [], 'networks': [{'name': 'net', 'subnets': [{'name': 'sub', 'cidr': '192.168.250.0/24'}]}],
            'load_balancers': [{'name': 'verify-lb', 'vip_subnet': 'sub', 'listeners': [
                {'name': 'http', 'protocol': 'HTTP', 'port': 80, 'pool': {'name': 'pool', 'health_monitor': monitor}}]}]}
    assert day1.check(data) == []
