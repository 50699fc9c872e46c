"""keystone_registration against a fake openstacksdk connection (the module's own code runs unmocked)."""

import json
from types import SimpleNamespace

import keystoneauth1.exceptions
import openstack.exceptions
import pytest

from ansible_collections.gureum.openstack.plugins.modules import keystone_registration

ADMIN_PASSWORD = 'Adm1n-Pa55-xyzzy'
DEMO_PASSWORD = 'D3mo-Pa55-plugh'
URLS = {'public': 'http://10.0.0.11:5000/v3', 'internal': 'http://10.0.0.11:5000/v3',
        'admin': 'http://10.0.0.11:5000/v3'}

# Calls on the identity proxy that change Keystone; anything else is a read.
CHANGING = ('create_', 'update_', 'delete_', 'assign_', 'unassign_')


class FakeIdentity(object):
    """The part of openstack.identity.v3 the module uses, over an in-memory Keystone."""

    def __init__(self):
        self.domain_list = [SimpleNamespace(id='default', name='Default')]
        self.project_list, self.role_list, self.user_list = [], [], []
        self.assignment_list, self.region_list, self.service_list, self.endpoint_list = [], [], [], []
        self.passwords = {}
        self.calls = []
        self.auth_posts = []
        self.auth_status = None   # force an answer of POST /auth/tokens
        self.fail_on = None       # (method, exception) raised by that method
        self._next = 0

    def _id(self, kind):
        self._next += 1
        return '%s-%d' % (kind, self._next)

    def _record(self, _method, *args, **kwargs):
        self.calls.append((_method, args, kwargs))
        if self.fail_on and self.fail_on[0] == _method:
            raise self.fail_on[1]

    def changing_calls(self):
        return [call for call in self.calls if call[0].startswith(CHANGING)]

    # reads
    def domains(self):
        self.calls.append(('domains', (), {}))
        return list(self.domain_list)

    def find_domain(self, name_or_id, ignore_missing=True):
        self.calls.append(('find_domain', (name_or_id,), {}))
        for domain in self.domain_list:
            if name_or_id in (domain.id, domain.name):
                return domain
        return None

    def projects(self):
        self.calls.append(('projects', (), {}))
        return list(self.project_list)

    def roles(self):
        self.calls.append(('roles', (), {}))
        return list(self.role_list)

    def users(self):
        self.calls.append(('users', (), {}))
        return list(self.user_list)

    def role_assignments(self):
        self.calls.append(('role_assignments', (), {}))
        return list(self.assignment_list)

    def regions(self):
        self.calls.append(('regions', (), {}))
        return list(self.region_list)

    def services(self):
        self.calls.append(('services', (), {}))
        return list(self.service_list)

    def endpoints(self):
        self.calls.append(('endpoints', (), {}))
        return list(self.endpoint_list)

    def post(self, url, json=None, raise_exc=True):
        self.auth_posts.append((url, json))
        user = json['auth']['identity']['password']['user']
        if self.auth_status is not None:
            return SimpleNamespace(status_code=self.auth_status)
        works = self.passwords.get((user['name'], user['domain']['id'])) == user['password']
        return SimpleNamespace(status_code=201 if works else 401)

    # changes
    def create_domain(self, **kwargs):
        self._record('create_domain', **kwargs)
        attrs = dict(kwargs)
        domain = SimpleNamespace(id=self._id('domain'), is_enabled=attrs.pop('enabled'), **attrs)
        self.domain_list.append(domain)
        return domain

    def update_domain(self, domain, **kwargs):
        self._record('update_domain', domain.name, **kwargs)
        return domain

    def assign_domain_role_to_user(self, domain, user, role):
        self._record('assign_domain_role_to_user', domain, user.name, role.name)
        self.assignment_list.append(SimpleNamespace(user={'id': user.id}, scope={'domain': {'id': domain}},
                                                    role={'id': role.id}))

    def create_project(self, **kwargs):
        self._record('create_project', **kwargs)
        project = SimpleNamespace(id=self._id('project'), **kwargs)
        self.project_list.append(project)
        return project

    def update_project(self, project, **kwargs):
        self._record('update_project', project.name, **kwargs)
        return SimpleNamespace(**dict(vars(project), **kwargs))

    def create_role(self, **kwargs):
        self._record('create_role', **kwargs)
        role = SimpleNamespace(id=self._id('role'), **kwargs)
        self.role_list.append(role)
        return role

    def create_user(self, **kwargs):
        self._record('create_user', **kwargs)
        attrs = dict(kwargs)
        password = attrs.pop('password')
        user = SimpleNamespace(id=self._id('user'), is_enabled=attrs.pop('enabled'), **attrs)
        self.passwords[(user.name, user.domain_id)] = password
        self.user_list.append(user)
        return user

    def update_user(self, user, **kwargs):
        self._record('update_user', user.name, **kwargs)
        return user

    def assign_project_role_to_user(self, project, user, role):
        self._record('assign_project_role_to_user', project.name, user.name, role.name)
        self.add_assignment(user, project, role)

    def create_region(self, **kwargs):
        self._record('create_region', **kwargs)
        self.region_list.append(SimpleNamespace(**kwargs))

    def create_service(self, **kwargs):
        self._record('create_service', **kwargs)
        attrs = dict(kwargs)
        service = SimpleNamespace(id=self._id('service'), is_enabled=attrs.pop('enabled'), **attrs)
        self.service_list.append(service)
        return service

    def update_service(self, service, **kwargs):
        self._record('update_service', service.name, **kwargs)
        return service

    def create_endpoint(self, **kwargs):
        self._record('create_endpoint', **kwargs)
        self.endpoint_list.append(SimpleNamespace(id=self._id('endpoint'), service_id=kwargs['service_id'],
                                                  interface=kwargs['interface'], region_id=kwargs['region_id'],
                                                  url=kwargs['url'], is_enabled=kwargs['enabled']))

    def update_endpoint(self, endpoint, **kwargs):
        self._record('update_endpoint', endpoint.interface, **kwargs)

    # seeding an existing Keystone
    def add_project(self, name, description='', domain_id='default'):
        project = SimpleNamespace(id=self._id('project'), name=name, domain_id=domain_id, description=description)
        self.project_list.append(project)
        return project

    def add_role(self, name):
        role = SimpleNamespace(id=self._id('role'), name=name)
        self.role_list.append(role)
        return role

    def add_user(self, name, password, enabled=True, domain_id='default', **attrs):
        user = SimpleNamespace(id=self._id('user'), name=name, domain_id=domain_id, is_enabled=enabled,
                               description=attrs.get('description'), email=attrs.get('email'))
        self.passwords[(name, domain_id)] = password
        self.user_list.append(user)
        return user

    def add_assignment(self, user, project, role):
        self.assignment_list.append(SimpleNamespace(user={'id': user.id}, scope={'project': {'id': project.id}},
                                                    role={'id': role.id}))

    def add_service(self, name, type, description='', enabled=True):
        service = SimpleNamespace(id=self._id('service'), name=name, type=type, description=description,
                                  is_enabled=enabled)
        self.service_list.append(service)
        return service

    def add_endpoint(self, service, interface, url, region='RegionOne', enabled=True):
        self.endpoint_list.append(SimpleNamespace(id=self._id('endpoint'), service_id=service.id, interface=interface,
                                                  region_id=region, url=url, is_enabled=enabled))


@pytest.fixture
def keystone(monkeypatch):
    """A fake Keystone behind openstack.connection.Connection; .configs records what get_one was given."""
    identity = FakeIdentity()
    identity.configs = []

    class FakeConfig(object):
        def __init__(self, **kwargs):
            assert kwargs == {'load_yaml_config': False, 'load_envvars': False}

        def get_one(self, **kwargs):
            identity.configs.append(kwargs)
            return ('config', kwargs['region_name'])

    def connection(config, app_name):
        assert config == ('config', 'RegionOne')
        return SimpleNamespace(identity=identity)

    monkeypatch.setattr(keystone_registration.openstack.config, 'OpenStackConfig', FakeConfig)
    monkeypatch.setattr(keystone_registration.openstack.connection, 'Connection', connection)
    return identity


def seed_everything(keystone):
    """Keystone as a full registration leaves it."""
    service_project = keystone.add_project('service', 'Service project')
    demo_project = keystone.add_project('demo', 'Demo project')
    roles = dict((name, keystone.add_role(name)) for name in ('admin', 'member', 'reader'))
    demo = keystone.add_user('demo', DEMO_PASSWORD)
    keystone.add_assignment(demo, demo_project, roles['member'])
    keystone.region_list.append(SimpleNamespace(id='RegionOne'))
    service = keystone.add_service('keystone', 'identity', 'OpenStack Identity')
    for interface, url in URLS.items():
        keystone.add_endpoint(service, interface, url)
    return service_project, demo_project, roles, demo, service


def args(**overrides):
    base = {
        'auth': {'auth_url': 'http://10.0.0.11:5000/v3', 'username': 'admin', 'password': ADMIN_PASSWORD,
                 'project_name': 'admin'},
        'region_name': 'RegionOne',
        'projects': [{'name': 'service', 'description': 'Service project'},
                     {'name': 'demo', 'description': 'Demo project'}],
        'roles': ['admin', 'member', 'reader'],
        'users': [{'name': 'demo', 'password': DEMO_PASSWORD}],
        'role_assignments': [{'user': 'demo', 'project': 'demo', 'role': 'member'}],
        'services': [{'name': 'keystone', 'type': 'identity', 'description': 'OpenStack Identity',
                      'endpoints': dict(URLS)}],
    }
    base.update(overrides)
    return base


ALL_CHANGES = ['create project service', 'create project demo', 'create role admin', 'create role member',
               'create role reader', 'create user demo', 'assign role member to user demo on project demo',
               'create region RegionOne', 'create service keystone (identity)', 'create endpoint identity public',
               'create endpoint identity internal', 'create endpoint identity admin']


def test_empty_keystone_gets_everything_created(keystone, run_module):
    result = run_module(keystone_registration.main, args())
    assert not result.get('failed'), result
    assert result['changed'] is True
    assert result['changes'] == ALL_CHANGES
    calls = keystone.changing_calls()
    assert ('create_project', (), {'name': 'service', 'domain_id': 'default', 'description': 'Service project'}) in calls
    assert ('create_user', (), {'name': 'demo', 'domain_id': 'default', 'password': DEMO_PASSWORD,
                                'enabled': True}) in calls
    assert ('assign_project_role_to_user', ('demo', 'demo', 'member'), {}) in calls
    assert ('create_region', (), {'id': 'RegionOne'}) in calls
    assert ('create_service', (), {'name': 'keystone', 'type': 'identity', 'description': 'OpenStack Identity',
                                   'enabled': True}) in calls
    service_id = keystone.service_list[0].id
    endpoints = sorted(kwargs['interface'] for name, dummy, kwargs in calls if name == 'create_endpoint')
    assert endpoints == ['admin', 'internal', 'public']
    assert all(kwargs == {'service_id': service_id, 'interface': kwargs['interface'], 'url': URLS[kwargs['interface']],
                          'region_id': 'RegionOne', 'enabled': True}
               for name, dummy, kwargs in calls if name == 'create_endpoint')
    assert len(calls) == len(ALL_CHANGES)


def test_each_kind_is_listed_once(keystone, run_module):
    run_module(keystone_registration.main, args())
    reads = [name for name, dummy, dummy2 in keystone.calls
             if name in ('projects', 'roles', 'users', 'role_assignments', 'regions', 'services', 'endpoints')]
    assert sorted(reads) == sorted(set(reads))


def test_only_missing_roles_are_created(keystone, run_module):
    keystone.add_role('admin')
    result = run_module(keystone_registration.main, args(projects=[], users=[], role_assignments=[], services=[]))
    assert result['changes'] == ['create role member', 'create role reader']
    assert [kwargs['name'] for name, dummy, kwargs in keystone.changing_calls()] == ['member', 'reader']


def test_connection_is_configured_from_the_options(keystone, run_module):
    run_module(keystone_registration.main, args(interface='internal', validate_certs=False, ca_cert='/etc/ca.pem',
                                                retries=2, projects=[], roles=[], users=[], role_assignments=[],
                                                services=[]))
    assert keystone.configs == [{
        'auth_type': 'password', 'region_name': 'RegionOne', 'interface': 'internal', 'verify': False,
        'cacert': '/etc/ca.pem', 'connect_retries': 2, 'status_code_retries': 2,
        'auth': {'auth_url': 'http://10.0.0.11:5000/v3', 'username': 'admin', 'password': ADMIN_PASSWORD,
                 'project_name': 'admin', 'user_domain_name': 'Default', 'project_domain_name': 'Default'}}]


def test_nothing_changes_when_everything_is_there(keystone, run_module):
    seed_everything(keystone)
    result = run_module(keystone_registration.main, args())
    assert not result.get('failed'), result
    assert result['changed'] is False and result['changes'] == []
    assert keystone.changing_calls() == []


def test_a_second_run_changes_nothing(keystone, run_module):
    run_module(keystone_registration.main, args())
    del keystone.calls[:]
    result = run_module(keystone_registration.main, args())
    assert result['changed'] is False and result['changes'] == []
    assert keystone.changing_calls() == []


@pytest.mark.parametrize('interface, url, enabled, expected', [
    ('public', 'http://192.0.2.9:5000/v3', True, {'url': URLS['public'], 'enabled': True}),
    ('internal', URLS['internal'], False, {'url': URLS['internal'], 'enabled': True}),
], ids=['changed-url', 'disabled'])
def test_an_endpoint_that_differs_is_updated(keystone, run_module, interface, url, enabled, expected):
    seed_everything(keystone)
    endpoint = [e for e in keystone.endpoint_list if e.interface == interface][0]
    endpoint.url, endpoint.is_enabled = url, enabled
    result = run_module(keystone_registration.main, args())
    assert result['changed'] is True
    assert result['changes'] == ['update endpoint identity %s' % interface]
    assert keystone.changing_calls() == [('update_endpoint', (interface,), expected)]


def test_an_endpoint_in_another_region_does_not_count(keystone, run_module):
    service_project, demo_project, roles, demo, service = seed_everything(keystone)
    keystone.endpoint_list[:] = []
    for interface, url in URLS.items():
        keystone.add_endpoint(service, interface, url, region='RegionTwo')
    result = run_module(keystone_registration.main, args())
    assert result['changes'] == ['create endpoint identity public', 'create endpoint identity internal',
                                 'create endpoint identity admin']
    assert all(kwargs['region_id'] == 'RegionOne' for dummy, dummy2, kwargs in keystone.changing_calls())


def test_only_the_given_interfaces_get_endpoints(keystone, run_module):
    result = run_module(keystone_registration.main, args(
        projects=[], roles=[], users=[], role_assignments=[],
        services=[{'name': 'placement', 'type': 'placement', 'endpoints': {'internal': 'http://10.0.0.11:8778'}}]))
    assert result['changes'] == ['create region RegionOne', 'create service placement (placement)',
                                 'create endpoint placement internal']


@pytest.mark.parametrize('description, enabled', [('Old words', True), ('OpenStack Identity', False)],
                         ids=['description', 'disabled'])
def test_a_service_that_differs_is_updated(keystone, run_module, description, enabled):
    service = seed_everything(keystone)[4]
    service.description, service.is_enabled = description, enabled
    result = run_module(keystone_registration.main, args())
    assert result['changes'] == ['update service keystone (identity)']
    assert keystone.changing_calls() == [('update_service', ('keystone',),
                                          {'description': 'OpenStack Identity', 'enabled': True})]


def test_a_project_description_is_updated(keystone, run_module):
    seed_everything(keystone)[0].description = 'Something else'
    result = run_module(keystone_registration.main, args())
    assert result['changes'] == ['update project service']
    assert keystone.changing_calls() == [('update_project', ('service',), {'description': 'Service project'})]


def test_user_attributes_that_differ_are_updated(keystone, run_module):
    seed_everything(keystone)
    result = run_module(keystone_registration.main, args(
        users=[{'name': 'demo', 'password': DEMO_PASSWORD, 'email': 'demo@example.org'}]))
    assert result['changes'] == ['update user demo (email)']
    assert keystone.changing_calls() == [('update_user', ('demo',), {'email': 'demo@example.org'})]


# update_password, the password Keystone holds, the user enabled -> the update, whether it authenticated as the user
@pytest.mark.parametrize('mode, held, enabled, update, authenticated', [
    ('verify', DEMO_PASSWORD, True, None, True),
    ('verify', 'an-old-password', True, {'password': DEMO_PASSWORD}, True),
    ('verify', DEMO_PASSWORD, False, {'password': DEMO_PASSWORD, 'enabled': True}, False),
    ('on_create', 'an-old-password', True, None, False),
    ('on_create', DEMO_PASSWORD, False, {'enabled': True}, False),
], ids=['verify-works', 'verify-changed', 'verify-disabled', 'on_create-changed', 'on_create-disabled'])
def test_password_update(keystone, run_module, mode, held, enabled, update, authenticated):
    seed_everything(keystone)
    keystone.passwords[('demo', 'default')] = held
    keystone.user_list[0].is_enabled = enabled
    result = run_module(keystone_registration.main, args(update_password=mode))
    assert not result.get('failed'), result
    expected = [('update_user', ('demo',), update)] if update else []
    assert keystone.changing_calls() == expected
    assert result['changed'] is bool(update)
    assert result['changes'] == (['update user demo (%s)' % ', '.join(sorted(update))] if update else [])
    assert bool(keystone.auth_posts) is authenticated


def test_password_check_authenticates_as_the_user_in_its_domain(keystone, run_module):
    seed_everything(keystone)
    run_module(keystone_registration.main, args())
    assert keystone.auth_posts == [('/auth/tokens', {'auth': {'identity': {'methods': ['password'], 'password': {
        'user': {'name': 'demo', 'domain': {'id': 'default'}, 'password': DEMO_PASSWORD}}}}})]


def test_a_new_user_is_not_authenticated_as(keystone, run_module):
    run_module(keystone_registration.main, args())
    assert keystone.auth_posts == []


def test_an_unexpected_answer_to_the_password_check_fails_without_the_password(keystone, run_module):
    seed_everything(keystone)
    keystone.auth_status = 500
    result = run_module(keystone_registration.main, args())
    assert result['failed'] is True
    assert result['msg'] == 'checking the password of user demo: Keystone answered 500.'
    assert DEMO_PASSWORD not in result['_raw'] and ADMIN_PASSWORD not in result['_raw']
    assert keystone.changing_calls() == []


def test_check_mode_on_an_empty_keystone_reports_all_and_changes_nothing(keystone, run_module):
    result = run_module(keystone_registration.main, args(), check_mode=True)
    assert not result.get('failed'), result
    assert result['changed'] is True
    assert result['changes'] == ALL_CHANGES
    assert keystone.changing_calls() == []


@pytest.mark.parametrize('spoil', [
    lambda k: setattr(k.project_list[0], 'description', 'old'),
    lambda k: k.passwords.update({('demo', 'default'): 'old'}),
    lambda k: setattr(k.user_list[0], 'is_enabled', False),
    lambda k: k.assignment_list.pop(),
    lambda k: setattr(k.service_list[0], 'is_enabled', False),
    lambda k: setattr(k.endpoint_list[0], 'url', 'http://old'),
    lambda k: k.endpoint_list.pop(),
    lambda k: k.region_list.pop(),
], ids=['project', 'password', 'disabled-user', 'assignment', 'service', 'endpoint-url', 'endpoint', 'region'])
def test_check_mode_reports_an_update_and_changes_nothing(keystone, run_module, spoil):
    seed_everything(keystone)
    spoil(keystone)
    result = run_module(keystone_registration.main, args(), check_mode=True)
    assert not result.get('failed'), result
    assert result['changed'] is True and len(result['changes']) == 1
    assert keystone.changing_calls() == []


def test_an_assignment_to_a_user_not_given_fails(keystone, run_module):
    seed_everything(keystone)
    result = run_module(keystone_registration.main, args(
        role_assignments=[{'user': 'someone', 'project': 'demo', 'role': 'member'}]))
    assert result['failed'] is True
    assert result['msg'].startswith('assign role member to user someone on project demo: ')
    assert keystone.changing_calls() == []


def test_an_existing_assignment_is_not_made_again(keystone, run_module):
    seed_everything(keystone)
    result = run_module(keystone_registration.main, args(
        role_assignments=[{'user': 'demo', 'project': 'demo', 'role': 'member'},
                          {'user': 'demo', 'project': 'service', 'role': 'reader'}]))
    assert result['changes'] == ['assign role reader to user demo on project service']
    assert keystone.changing_calls() == [('assign_project_role_to_user', ('service', 'demo', 'reader'), {})]


def test_an_unknown_domain_fails(keystone, run_module):
    result = run_module(keystone_registration.main, args(projects=[{'name': 'x', 'domain': 'nowhere'}]))
    assert result['failed'] is True
    assert result['msg'] == "domain 'nowhere' does not exist."
    assert keystone.changing_calls() == []


@pytest.mark.parametrize('item, missing', [
    ({'projects': [{'description': 'no name'}]}, 'name'),
    ({'users': [{'name': 'demo'}]}, 'missing required arguments: password found in users'),
    ({'role_assignments': [{'user': 'demo', 'project': 'demo'}]}, 'role'),
    ({'services': [{'name': 'keystone'}]}, 'type'),
], ids=['project', 'user', 'assignment', 'service'])
def test_an_incomplete_item_fails_before_connecting(keystone, run_module, item, missing):
    result = run_module(keystone_registration.main, args(**item))
    assert result['failed'] is True
    assert result['msg'].endswith('%s is missing in an item.' % missing) or missing in result['msg']
    assert keystone.configs == [] and keystone.calls == []


def test_endpoints_of_an_unknown_interface_fail(keystone, run_module):
    result = run_module(keystone_registration.main, args(
        services=[{'name': 'keystone', 'type': 'identity', 'endpoints': {'private': 'http://x'}}]))
    assert result['failed'] is True
    assert result['msg'] == 'service keystone: endpoints must map public, internal or admin to a URL.'


@pytest.mark.parametrize('exception', [
    openstack.exceptions.HttpException(message='Conflict creating user demo with password %s (admin %s)'
                                       % (DEMO_PASSWORD, ADMIN_PASSWORD)),
    openstack.exceptions.SDKException('bad request {"password": "%s"} as admin:%s' % (DEMO_PASSWORD, ADMIN_PASSWORD)),
    keystoneauth1.exceptions.ConnectFailure('no route; body had %s and %s' % (DEMO_PASSWORD, ADMIN_PASSWORD)),
], ids=['http', 'sdk', 'keystoneauth'])
def test_an_sdk_error_fails_with_the_changes_so_far_and_no_password(keystone, run_module, exception):
    keystone.fail_on = ('create_user', exception)
    result = run_module(keystone_registration.main, args())
    assert result['failed'] is True
    assert result['msg'].startswith('Keystone registration failed: ')
    assert result['changes'] == ['create project service', 'create project demo', 'create role admin',
                                 'create role member', 'create role reader', 'create user demo']
    assert DEMO_PASSWORD not in result['_raw'] and ADMIN_PASSWORD not in result['_raw']


def test_a_successful_result_carries_no_password(keystone, run_module):
    result = run_module(keystone_registration.main, args())
    assert result['changed'] is True
    assert DEMO_PASSWORD not in result['_raw'] and ADMIN_PASSWORD not in result['_raw']


def test_an_incomplete_item_fails_without_the_passwords_of_other_users(keystone, run_module):
    result = run_module(keystone_registration.main, args(projects=[{'description': 'no name'}]))
    assert result['failed'] is True
    assert DEMO_PASSWORD not in result['_raw'], json.dumps(result['invocation'])
    assert ADMIN_PASSWORD not in result['_raw']


def test_the_logged_invocation_carries_no_user_password(keystone, run_module):
    run_module(keystone_registration.main, args())
    assert run_module.logged and ADMIN_PASSWORD not in run_module.logged[0]
    assert DEMO_PASSWORD not in run_module.logged[0]


# Heat's stack domain, as service_setup registers it: the domain, its admin user in it with the admin role on it,
# and the roles Heat's policy names
HEAT_PASSWORD = 'H3at-D0main-frotz'


def heat_args(**overrides):
    heat = dict(projects=[], services=[], roles=['admin', 'heat_stack_owner', 'heat_stack_user'],
                domains=[{'name': 'heat', 'description': 'Stack projects and users'}],
                users=[{'name': 'heat_domain_admin', 'domain': 'heat', 'password': HEAT_PASSWORD}],
                role_assignments=[{'user': 'heat_domain_admin', 'user_domain': 'heat', 'domain': 'heat',
                                   'role': 'admin'}])
    heat.update(overrides)
    return args(**heat)


HEAT_CHANGES = ['create domain heat', 'create role admin', 'create role heat_stack_owner',
                'create role heat_stack_user', 'create user heat_domain_admin',
                'assign role admin to user heat_domain_admin on domain heat']


def test_a_domain_its_admin_and_the_domain_role_are_made(keystone, run_module):
    result = run_module(keystone_registration.main, heat_args())
    assert not result.get('failed'), result
    assert result['changes'] == HEAT_CHANGES
    domain_id = [d.id for d in keystone.domain_list if d.name == 'heat'][0]
    calls = keystone.changing_calls()
    assert ('create_domain', (), {'name': 'heat', 'description': 'Stack projects and users', 'enabled': True}) in calls
    assert ('create_user', (), {'name': 'heat_domain_admin', 'domain_id': domain_id, 'password': HEAT_PASSWORD,
                                'enabled': True}) in calls
    assert ('assign_domain_role_to_user', (domain_id, 'heat_domain_admin', 'admin'), {}) in calls
    assert HEAT_PASSWORD not in result['_raw']


def test_a_second_run_with_a_domain_changes_nothing(keystone, run_module):
    run_module(keystone_registration.main, heat_args())
    del keystone.calls[:]
    result = run_module(keystone_registration.main, heat_args())
    assert result['changed'] is False and result['changes'] == []
    assert keystone.changing_calls() == []
    # the domain admin's password is checked in its own domain
    domain_id = [d.id for d in keystone.domain_list if d.name == 'heat'][0]
    assert keystone.auth_posts[-1][1]['auth']['identity']['password']['user']['domain'] == {'id': domain_id}


def test_check_mode_with_a_new_domain_reports_everything_in_it(keystone, run_module):
    result = run_module(keystone_registration.main, heat_args(), check_mode=True)
    assert not result.get('failed'), result
    assert result['changed'] is True
    assert result['changes'] == HEAT_CHANGES
    assert keystone.changing_calls() == []


@pytest.mark.parametrize('description, enabled', [('old words', True), ('Stack projects and users', False)],
                         ids=['description', 'disabled'])
def test_a_domain_that_differs_is_updated(keystone, run_module, description, enabled):
    run_module(keystone_registration.main, heat_args())
    domain = [d for d in keystone.domain_list if d.name == 'heat'][0]
    domain.description, domain.is_enabled = description, enabled
    del keystone.calls[:]
    result = run_module(keystone_registration.main, heat_args())
    assert result['changes'] == ['update domain heat']
    assert keystone.changing_calls() == [('update_domain', ('heat',),
                                          {'description': 'Stack projects and users', 'enabled': True})]


def test_a_project_assignment_in_a_domain_scope_is_not_taken_for_the_domain_one(keystone, run_module):
    run_module(keystone_registration.main, heat_args())
    keystone.assignment_list[:] = []
    user = [u for u in keystone.user_list if u.name == 'heat_domain_admin'][0]
    role = [r for r in keystone.role_list if r.name == 'admin'][0]
    project = keystone.add_project('heat', domain_id=[d.id for d in keystone.domain_list if d.name == 'heat'][0])
    keystone.add_assignment(user, project, role)
    del keystone.calls[:]
    result = run_module(keystone_registration.main, heat_args())
    assert result['changes'] == ['assign role admin to user heat_domain_admin on domain heat']


def test_a_domain_assignment_on_an_unknown_domain_fails(keystone, run_module):
    result = run_module(keystone_registration.main, heat_args(
        role_assignments=[{'user': 'heat_domain_admin', 'user_domain': 'heat', 'domain': 'nowhere', 'role': 'admin'}]))
    assert result['failed'] is True
    assert result['msg'] == "domain 'nowhere' does not exist."


@pytest.mark.parametrize('assignment', [
    {'user': 'demo', 'role': 'member'},
    {'user': 'demo', 'role': 'member', 'project': 'demo', 'domain': 'heat'},
], ids=['neither', 'both'])
def test_an_assignment_needs_exactly_one_scope(keystone, run_module, assignment):
    result = run_module(keystone_registration.main, args(role_assignments=[assignment]))
    assert result['failed'] is True
    assert result['msg'] == 'role assignment of role member to user demo needs either project or domain (one of them).'
    assert keystone.calls == []
