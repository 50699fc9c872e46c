#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: keystone_registration
short_description: Register domains, projects, roles, users, role assignments, services and endpoints at once
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
description:
  - Makes Keystone hold the given domains, projects, roles, users, project and domain role assignments, services and
    endpoints, through one openstacksdk connection and one token, reading each kind of resource once.
  - It exists for speed, against the rule of one module per resource; see C(docs/keystone.md) for the measurements
    against the openstack.cloud modules.
  - It only adds and updates; it never deletes anything it was not given.
  - An existing user's password is checked by authenticating as that user (O(update_password=verify)) and set
    again only when that fails, so a password changed in the secrets file is applied and a second run changes
    nothing.
requirements:
  - openstacksdk >= 1.0 (on the host that runs the module, usually the machine running Ansible)
options:
  auth:
    description: Credentials of an administrator.
    type: dict
    required: true
    suboptions:
      auth_url:
        description: Keystone's URL, with C(/v3).
        type: str
        required: true
      username:
        description: User name.
        type: str
        required: true
      password:
        description: Password.
        type: str
        required: true
      project_name:
        description: Project to scope the token to.
        type: str
        required: true
      user_domain_name:
        description: Domain of the user.
        type: str
        default: Default
      project_domain_name:
        description: Domain of the project.
        type: str
        default: Default
  retries:
    description:
      - How often to retry a request that could not connect or got a 503 (Keystone restarting, a busy node).
    type: int
    default: 5
  region_name:
    description: Region of the endpoints; created when it does not exist.
    type: str
    required: true
  interface:
    description: Which of Keystone's endpoints to talk to after authenticating.
    type: str
    default: public
    choices: [public, internal, admin]
  validate_certs:
    description: Verify Keystone's TLS certificate.
    type: bool
    default: true
  ca_cert:
    description: CA bundle to verify Keystone's certificate with.
    type: path
  domains:
    description:
      - Domains, each C(name) and C(description); made first, so the projects, users and role assignments below
        may name them (Heat's stack domain).
    type: list
    elements: dict
    default: []
  projects:
    description: Projects, each C(name), C(description) and C(domain) (name or id, default C(default)).
    type: list
    elements: dict
    default: []
  roles:
    description: Role names.
    type: list
    elements: str
    default: []
  users:
    description:
      - Users, each C(name), C(password), C(domain) (default C(default)), C(description) and C(email).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: User name.
        type: str
        required: true
      password:
        description: Its password (never shown; compared as O(update_password) says).
        type: str
        required: true
      domain:
        description: Its domain (name or id); one of O(domains) or an existing one.
        type: str
        default: default
      description:
        description: A description.
        type: str
      email:
        description: An e-mail address.
        type: str
  role_assignments:
    description:
      - Role assignments, each C(user), C(role), C(user_domain) (default C(default)) and its scope, either
        C(project) (with C(project_domain), default C(default)) or C(domain) (a domain's name or id; the domain
        admin of Heat's stack domain).
    type: list
    elements: dict
    default: []
  services:
    description:
      - Services, each C(name), C(type), C(description) and C(endpoints), a dictionary of interface
        (C(public), C(internal), C(admin)) to URL in O(region_name).
    type: list
    elements: dict
    default: []
  update_password:
    description:
      - C(verify) authenticates as each existing user and sets the password when that fails.
      - C(on_create) sets passwords of new users only.
    type: str
    default: verify
    choices: [verify, on_create]
attributes:
  check_mode:
    support: full
    description: Reports what it would create or update, and does nothing.
  diff_mode:
    support: none
    description: The list RV(changes) says what changed.
  platform:
    support: full
    platforms: posix
    description: Runs wherever openstacksdk can reach Keystone.
'''

EXAMPLES = r'''
- name: Register glance
  gureum.openstack.keystone_registration:
    auth:
      auth_url: http://10.0.0.11:5000/v3
      username: admin
      password: "{{ openstack_secrets.keystone_admin_password }}"
      project_name: admin
    region_name: RegionOne
    domains:
      - {name: heat, description: Stack projects and users}
    projects:
      - {name: service, description: Service project}
    roles: [admin, member, reader, heat_stack_owner]
    users:
      - {name: glance, password: "{{ openstack_secrets.glance_keystone_password }}"}
      - {name: heat_domain_admin, domain: heat, password: "{{ openstack_secrets.heat_domain_admin_password }}"}
    role_assignments:
      - {user: glance, project: service, role: admin}
      - {user: heat_domain_admin, user_domain: heat, domain: heat, role: admin}
    services:
      - name: glance
        type: image
        description: OpenStack Image
        endpoints:
          public: http://10.0.0.11:9292
          internal: http://10.0.0.11:9292
          admin: http://10.0.0.11:9292
  delegate_to: localhost
  no_log: true
'''

RETURN = r'''
changes:
  description: What was (or, in check mode, would be) created or updated, one line each; no secrets.
  returned: always
  type: list
  elements: str
  sample: ["create domain heat", "create user glance", "assign role admin to user glance on project service",
           "assign role admin to user heat_domain_admin on domain heat", "create endpoint image public"]
'''

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    import keystoneauth1.exceptions
    import openstack
    import openstack.config
    HAS_SDK = True
    SDK_ERROR = None
except ImportError:
    HAS_SDK = False
    SDK_ERROR = traceback.format_exc()

INTERFACES = ('public', 'internal', 'admin')
# The id a domain made in check mode stands under: nothing in it exists yet
NEW_DOMAIN = 'new-domain:'


def _domain_key(value):
    return (value or 'default').lower()


class Registration(object):
    """The whole registration on one connection; each kind of resource is listed once."""

    def __init__(self, module, conn):
        self.module = module
        self.conn = conn
        self.check = module.check_mode
        self.changes = []
        self._domains = {}

    def change(self, text):
        self.changes.append(text)
        return not self.check

    def domain_id(self, name_or_id):
        key = _domain_key(name_or_id)
        if key not in self._domains:
            domain = self.conn.identity.find_domain(name_or_id or 'default', ignore_missing=True)
            if domain is None:
                self.module.fail_json(msg="domain '%s' does not exist." % name_or_id, changes=self.changes)
            self._remember_domain(domain)
        return self._domains[key]

    def _remember_domain(self, domain):
        self._domains[domain.id.lower()] = domain.id
        self._domains[domain.name.lower()] = domain.id

    def domains(self, wanted):
        if not wanted:
            return
        existing = dict((d.name.lower(), d) for d in self.conn.identity.domains())
        for spec in wanted:
            domain = existing.get(spec['name'].lower())
            description = spec.get('description') or ''
            if domain is None:
                if not self.change('create domain %s' % spec['name']):
                    # check mode: the domain and everything in it would be new
                    self._domains[spec['name'].lower()] = NEW_DOMAIN + spec['name']
                    continue
                domain = self.conn.identity.create_domain(name=spec['name'], description=description, enabled=True)
            elif (getattr(domain, 'description', None) or '') != description \
                    or not getattr(domain, 'is_enabled', True):
                if self.change('update domain %s' % spec['name']):
                    domain = self.conn.identity.update_domain(domain, description=description, enabled=True)
            self._remember_domain(domain)

    def projects(self, wanted):
        existing = dict(((p.name, p.domain_id), p) for p in self.conn.identity.projects())
        result = {}
        for spec in wanted:
            domain_id = self.domain_id(spec.get('domain'))
            project = existing.get((spec['name'], domain_id))
            description = spec.get('description') or ''
            if project is None:
                if self.change('create project %s' % spec['name']):
                    project = self.conn.identity.create_project(name=spec['name'], domain_id=domain_id,
                                                                description=description)
            elif (project.description or '') != description:
                if self.change('update project %s' % spec['name']):
                    project = self.conn.identity.update_project(project, description=description)
            result[(spec['name'], domain_id)] = project
        return result

    def roles(self, wanted):
        existing = dict((r.name, r) for r in self.conn.identity.roles())
        for name in wanted:
            if name not in existing and self.change('create role %s' % name):
                existing[name] = self.conn.identity.create_role(name=name)
        return existing

    def password_works(self, user, domain_id, password):
        body = {'auth': {'identity': {'methods': ['password'], 'password': {
            'user': {'name': user, 'domain': {'id': domain_id}, 'password': password}}}}}
        response = self.conn.identity.post('/auth/tokens', json=body, raise_exc=False)
        if response.status_code == 201:
            return True
        if response.status_code == 401:
            return False
        self.module.fail_json(msg='checking the password of user %s: Keystone answered %s.'
                              % (user, response.status_code), changes=self.changes)

    def users(self, wanted):
        existing = dict(((u.name, u.domain_id), u) for u in self.conn.identity.users())
        result = {}
        for spec in wanted:
            domain_id = self.domain_id(spec.get('domain'))
            user = existing.get((spec['name'], domain_id))
            attrs = dict((key, spec[key]) for key in ('description', 'email') if spec.get(key) is not None)
            if user is None:
                if self.change('create user %s' % spec['name']):
                    user = self.conn.identity.create_user(name=spec['name'], domain_id=domain_id,
                                                          password=spec['password'], enabled=True, **attrs)
            else:
                update = dict((key, value) for key, value in attrs.items() if getattr(user, key, None) != value)
                if self.module.params['update_password'] == 'verify':
                    # a disabled user cannot authenticate: enable it and set its password
                    if not user.is_enabled or not self.password_works(spec['name'], domain_id, spec['password']):
                        update['password'] = spec['password']
                if not user.is_enabled:
                    update['enabled'] = True
                if update and self.change('update user %s (%s)' % (spec['name'], ', '.join(sorted(update)))):
                    user = self.conn.identity.update_user(user, **update)
            result[(spec['name'], domain_id)] = user
        return result

    def role_assignments(self, wanted, users, projects, roles):
        if not wanted:
            return
        existing = set()
        for assignment in self.conn.identity.role_assignments():
            scope = assignment.scope or {}
            for kind in ('project', 'domain'):
                if kind in scope and assignment.user:
                    existing.add((assignment.user['id'], kind, scope[kind]['id'], assignment.role['id']))
        for spec in wanted:
            user = users.get((spec['user'], self.domain_id(spec.get('user_domain'))))
            role = roles.get(spec['role'])
            if spec.get('domain'):
                kind, where = 'domain', spec['domain']
                target = self.domain_id(spec['domain'])
                target = None if target.startswith(NEW_DOMAIN) else target
                target_id = target
            else:
                kind, where = 'project', spec['project']
                target = projects.get((spec['project'], self.domain_id(spec.get('project_domain'))))
                target_id = target.id if target is not None else None
            text = 'assign role %s to user %s on %s %s' % (spec['role'], spec['user'], kind, where)
            if user is None or target is None or role is None:
                if self.check:
                    self.changes.append(text)
                    continue
                self.module.fail_json(msg='%s: the user, %s and role must be given in users, %s and roles.'
                                      % (text, kind, 'projects' if kind == 'project' else 'domains (or exist)'),
                                      changes=self.changes)
            if (user.id, kind, target_id, role.id) not in existing and self.change(text):
                if kind == 'domain':
                    self.conn.identity.assign_domain_role_to_user(target, user, role)
                else:
                    self.conn.identity.assign_project_role_to_user(target, user, role)

    def region(self, name):
        if name not in [r.id for r in self.conn.identity.regions()] and self.change('create region %s' % name):
            self.conn.identity.create_region(id=name)

    def services(self, wanted, region):
        if not wanted:
            return
        self.region(region)
        existing = dict(((s.type, s.name), s) for s in self.conn.identity.services())
        endpoints = {}
        for endpoint in self.conn.identity.endpoints():
            endpoints.setdefault((endpoint.service_id, endpoint.interface, endpoint.region_id), endpoint)
        for spec in wanted:
            key = (spec['type'], spec['name'])
            service = existing.get(key)
            description = spec.get('description') or ''
            if service is None:
                if self.change('create service %s (%s)' % (spec['name'], spec['type'])):
                    service = self.conn.identity.create_service(name=spec['name'], type=spec['type'],
                                                                description=description, enabled=True)
            elif (service.description or '') != description or not service.is_enabled:
                if self.change('update service %s (%s)' % (spec['name'], spec['type'])):
                    service = self.conn.identity.update_service(service, description=description, enabled=True)
            for interface in INTERFACES:
                url = (spec.get('endpoints') or {}).get(interface)
                if not url:
                    continue
                endpoint = endpoints.get((service.id, interface, region)) if service is not None else None
                text = '%s endpoint %s %s' % ('%s', spec['type'], interface)
                if endpoint is None:
                    if self.change(text % 'create'):
                        self.conn.identity.create_endpoint(service_id=service.id, interface=interface, url=url,
                                                           region_id=region, enabled=True)
                elif endpoint.url != url or not endpoint.is_enabled:
                    if self.change(text % 'update'):
                        self.conn.identity.update_endpoint(endpoint, url=url, enabled=True)


def check_specs(module):
    """Fail with a sentence when an item lacks what it needs."""
    needs = {'domains': ('name',), 'projects': ('name',), 'users': ('name', 'password'),
             'role_assignments': ('user', 'role'), 'services': ('name', 'type')}
    for key, fields in needs.items():
        for item in module.params[key]:
            missing = [field for field in fields if not item.get(field)]
            if missing:
                module.fail_json(msg='each of %s needs %s; %s is missing in an item.'
                                 % (key, ', '.join(fields), ', '.join(missing)))
    for item in module.params['role_assignments']:
        if bool(item.get('project')) == bool(item.get('domain')):
            module.fail_json(msg='role assignment of role %s to user %s needs either project or domain (one of them).'
                             % (item['role'], item['user']))
    for item in module.params['services']:
        endpoints = item.get('endpoints') or {}
        if not isinstance(endpoints, dict) or set(endpoints) - set(INTERFACES):
            module.fail_json(msg='service %s: endpoints must map public, internal or admin to a URL.' % item['name'])


def main():
    module = AnsibleModule(
        argument_spec=dict(
            auth=dict(type='dict', required=True, options=dict(
                auth_url=dict(type='str', required=True),
                username=dict(type='str', required=True),
                password=dict(type='str', required=True, no_log=True),
                project_name=dict(type='str', required=True),
                user_domain_name=dict(type='str', default='Default'),
                project_domain_name=dict(type='str', default='Default'),
            )),
            retries=dict(type='int', default=5),
            region_name=dict(type='str', required=True),
            interface=dict(type='str', default='public', choices=list(INTERFACES)),
            validate_certs=dict(type='bool', default=True),
            ca_cert=dict(type='path'),
            domains=dict(type='list', elements='dict', default=[]),
            projects=dict(type='list', elements='dict', default=[]),
            roles=dict(type='list', elements='str', default=[]),
            users=dict(type='list', elements='dict', default=[], options=dict(
                name=dict(type='str', required=True),
                password=dict(type='str', required=True, no_log=True),
                domain=dict(type='str', default='default'),
                description=dict(type='str'),
                email=dict(type='str'),
            )),
            role_assignments=dict(type='list', elements='dict', default=[]),
            services=dict(type='list', elements='dict', default=[]),
            update_password=dict(type='str', default='verify', choices=['verify', 'on_create'], no_log=False),
        ),
        supports_check_mode=True,
    )
    if not HAS_SDK:
        module.fail_json(msg=missing_required_lib('openstacksdk'), exception=SDK_ERROR)
    check_specs(module)
    for user in module.params['users']:
        module.no_log_values.add(user['password'])

    auth = dict(module.params['auth'])
    registration = None
    try:
        config = openstack.config.OpenStackConfig(load_yaml_config=False, load_envvars=False).get_one(
            auth_type='password', auth=auth, region_name=module.params['region_name'],
            interface=module.params['interface'], verify=module.params['validate_certs'],
            cacert=module.params['ca_cert'], connect_retries=module.params['retries'],
            status_code_retries=module.params['retries'])
        conn = openstack.connection.Connection(config=config, app_name='gureum.openstack')
        registration = Registration(module, conn)
        registration.domains(module.params['domains'])
        projects = registration.projects(module.params['projects'])
        roles = registration.roles(module.params['roles'])
        users = registration.users(module.params['users'])
        registration.role_assignments(module.params['role_assignments'], users, projects, roles)
        registration.services(module.params['services'], module.params['region_name'])
    except (openstack.exceptions.SDKException, keystoneauth1.exceptions.ClientException) as exc:
        module.fail_json(msg='Keystone registration failed: %s' % exc,
                         changes=registration.changes if registration else [])
    module.exit_json(changed=bool(registration.changes), changes=registration.changes)


if __name__ == '__main__':
    main()
