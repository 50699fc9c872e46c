"""Render every service role's templates for Debian and for RHEL, offline, and compare them with the expected
files in expected/<role>/<os family>/ (RHEL is checked only this way: these machines cannot install RPMs).

The variables are the role's defaults and vars files, the lab's deployment settings
(inventories/lab/group_vars/all/main.yml) and a one-controller inventory. After a deliberate change, run
    GUREUM_UPDATE_EXPECTED=1 python -m pytest tests/unit/roles
and review the diff of the expected files.
"""

import os

import pytest
import yaml
from ansible.template import Templar, trust_as_template
from ansible.parsing.dataloader import DataLoader

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EXPECTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'expected')
UPDATE = os.environ.get('GUREUM_UPDATE_EXPECTED') == '1'


SECRETS = {
    'keystone_admin_password': 'AdminPassword0123456789abcdefghij',
    'keystone_demo_password': 'DemoPassword0123456789abcdefghijk',
    'keystone_database_password': 'KeystoneDb0123456789abcdefghijklm',
    'keystone_fernet_keys': ['fernet-key-0', 'fernet-key-1'],
    'keystone_credential_keys': ['credential-key-0', 'credential-key-1'],
}
INVENTORY = {
    'inventory_hostname': 'controller',
    'inventory_dir': '/srv/cloud/inventory',
    'groups': {'all': ['controller'], 'controller': ['controller']},
    'management_address': '10.0.0.11',
    'management_network': {'cidr': '10.0.0.0/24', 'gateway': '10.0.0.1'},
    'ansible_managed': 'Ansible managed',
    'ansible_playbook_python': '/usr/bin/python3',
    'openstack_secrets': SECRETS,
}
FAMILIES = {'Debian': 'debian', 'RedHat': 'redhat'}

# (role, template, os families, extra variables)
CASES = [
    ('mariadb', 'openstack.cnf.j2', ['Debian', 'RedHat'], {}),
    ('memcached', 'debian/memcached.conf.j2', ['Debian'], {}),
    ('memcached', 'redhat/memcached.j2', ['RedHat'], {}),
    ('rabbitmq', 'rabbitmq.conf.j2', ['Debian', 'RedHat'], {}),
    ('keystone', 'keystone.conf.j2', ['Debian', 'RedHat'], {}),
    ('keystone', 'keystone-uwsgi.ini.j2', ['Debian'], {}),
    ('keystone', 'wsgi-keystone.conf.j2', ['RedHat'], {}),
    ('keystone', 'keystonerc.j2', ['Debian'], {'item': 'demo', '__keystone_rc': '{{ __keystone_clouds.demo }}'}),
    ('keystone', 'clouds.yaml.j2', ['Debian'], {}),
]


def _trusted(value):
    if isinstance(value, str):
        return trust_as_template(value)
    if isinstance(value, dict):
        return dict((key, _trusted(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_trusted(item) for item in value]
    return value


def _load(path):
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        return yaml.safe_load(handle) or {}


def variables(role, family):
    result = {}
    result.update(_load(os.path.join(ROOT, 'inventories', 'lab', 'group_vars', 'all', 'main.yml')))
    result.update(_load(os.path.join(ROOT, 'roles', role, 'defaults', 'main.yml')))
    result.update(_load(os.path.join(ROOT, 'roles', role, 'vars', 'main.yml')))
    result.update(_load(os.path.join(ROOT, 'roles', role, 'vars', FAMILIES[family] + '.yml')))
    result = _trusted(result)
    result.update(INVENTORY)
    result['ansible_facts'] = {'os_family': family}
    result['hostvars'] = {'controller': dict(result)}
    return result


def render(role, template, family, extra):
    values = variables(role, family)
    values.update(_trusted(extra))
    with open(os.path.join(ROOT, 'roles', role, 'templates', template)) as handle:
        text = handle.read()
    return Templar(loader=DataLoader(), variables=values).template(trust_as_template(text))


@pytest.mark.parametrize('role, template, family, extra', [
    (role, template, family, extra) for role, template, families, extra in CASES for family in families
], ids=lambda value: value if isinstance(value, str) else '')
def test_template_renders_as_expected(role, template, family, extra):
    rendered = render(role, template, family, extra)
    expected_path = os.path.join(EXPECTED, role, FAMILIES[family], os.path.basename(template)[:-len('.j2')])
    if UPDATE:
        os.makedirs(os.path.dirname(expected_path), exist_ok=True)
        with open(expected_path, 'w') as handle:
            handle.write(rendered)
    with open(expected_path) as handle:
        assert rendered == handle.read()


def test_every_template_is_checked():
    checked = set((role, template) for role, template, dummy, dummy2 in CASES)
    found = set()
    for role in ('mariadb', 'memcached', 'rabbitmq', 'keystone'):
        top = os.path.join(ROOT, 'roles', role, 'templates')
        for directory, dummy, names in os.walk(top):
            for name in names:
                found.add((role, os.path.relpath(os.path.join(directory, name), top)))
    assert found == checked
