"""What service_setup hands keystone_registration, rendered from roles/service_setup with the catalog.

Heat's stack domain comes from the catalog (heat's keystone part): the domain, its admin made in it with the admin
role on the domain (and no role on the service project), and the roles Heat's policy names, in the same single call
as every service user, service and endpoint.
"""

import os

import yaml
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLE = os.path.join(ROOT, 'roles', 'service_setup')
SECRETS = dict((spec['name'], 'secret-of-%s' % spec['name']) for spec in catalog.secret_specs(catalog.catalog()))
ENDPOINTS = dict((interface, {'address': '10.0.0.11', 'scheme': 'http'}) for interface in ('public', 'internal', 'admin'))


def _load(*path):
    with open(os.path.join(ROLE, *path)) as handle:
        return yaml.safe_load(handle)


def registration(services):
    args = _load('tasks', 'keystone.yml')[0]['block'][0]['gureum.openstack.keystone_registration']
    defaults = _load('defaults', 'main.yml')
    variables = {
        'service_setup_services': services, 'service_setup_catalog_overrides': {}, 'service_setup_secrets': SECRETS,
        'service_setup_endpoints': ENDPOINTS, 'service_setup_service_roles': defaults['service_setup_service_roles'],
        'service_setup_service_project': defaults['service_setup_service_project'],
        '__service_setup_plan': trust_as_template(_load('vars', 'main.yml')['__service_setup_plan']),
    }
    templar = Templar(loader=DataLoader(), variables=variables)
    return dict((key, templar.template(trust_as_template(args[key])) if isinstance(args[key], str) else args[key])
                for key in ('domains', 'roles', 'users', 'role_assignments', 'services'))


def test_heat_brings_its_domain_its_admin_and_its_roles():
    found = registration(['glance', 'heat', 'heat_cfn'])
    assert found['domains'] == [{'name': 'heat', 'description': 'Stack projects and users'}]
    assert found['roles'] == ['admin', 'service', 'heat_stack_owner', 'heat_stack_user']
    assert {'name': 'heat_domain_admin', 'domain': 'heat',
            'password': 'secret-of-heat_domain_admin_password'} in found['users']
    admin_roles = [a for a in found['role_assignments'] if a['user'] == 'heat_domain_admin']
    assert admin_roles == [{'user': 'heat_domain_admin', 'user_domain': 'heat', 'domain': 'heat', 'role': 'admin'}]
    assert {'user': 'heat', 'role': 'service', 'project': 'service'} in found['role_assignments']
    assert sorted(s['type'] for s in found['services']) == ['cloudformation', 'image', 'orchestration']


def test_without_heat_there_is_no_domain_and_no_extra_role():
    found = registration(['glance', 'nova'])
    assert found['domains'] == [] and found['roles'] == ['admin', 'service']
    assert all('domain' not in user for user in found['users'])
    assert all('project' in assignment for assignment in found['role_assignments'])
