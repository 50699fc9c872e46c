"""The URLs verify's endpoints check asks, rendered from roles/verify/tasks/checks/endpoints.yml with the catalog.

Since the catalog names ports (an entry's keystone part names its port in ``ports``, 'api' by default), the health
URL of an API is the health_url filter's; the check must ask the same URL, on the internal address.
"""

import os

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
                   verify_services=services)


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
