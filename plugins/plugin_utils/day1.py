# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Check day-1 resources (flavors, images, projects, users, networks, routers, ...) before any API call.

The resources are plain data, one list per kind (see roles/bootstrap). ``check`` finds every mistake a
user can make in them that needs no cloud to spot (a subnet outside its network, a router on an unknown
network, a floating IP on a network that is not external, a server on a missing flavor, a Heat stack whose
template is missing or does not parse, or that is given a parameter its template does not declare ...) and
reports all of them at once. ``plan`` then fills in defaults and says, for each resource, as whom it is made.

Stack templates are files on the machine running Ansible; a relative path is taken from ``templates_dir`` (the
inventory's directory).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import ipaddress
import json
import os
import re

import yaml

KINDS = ('projects', 'users', 'flavors', 'images', 'networks', 'routers', 'security_groups', 'keypairs',
         'servers', 'floating_ips', 'stacks')
BUILTIN_PROJECTS = ('admin', 'service')
BUILTIN_USERS = ('admin',)
STATES = ('present', 'absent')
PROTOCOLS = ('tcp', 'udp', 'icmp', 'any')
NETWORK_TYPES = ('flat', 'vlan', 'vxlan', 'local')
# The template versions Heat Zed knows (its heat.templates entry points)
HOT_VERSIONS = ('2013-05-23', '2014-10-16', '2015-04-30', '2015-10-15', '2016-04-08', '2016-10-14', '2017-02-24',
                '2017-09-01', '2018-03-02', '2018-08-31', '2021-04-16', 'newton', 'ocata', 'pike', 'queens', 'rocky',
                'wallaby')
CFN_VERSIONS = ('2010-09-09',)
STACK_NAME = re.compile(r'^[a-zA-Z][a-zA-Z0-9_.-]{0,254}$')


class Day1Error(Exception):
    """The resources are wrong; the message lists every problem found."""


def _net(text):
    return ipaddress.ip_network(u'%s' % text, strict=True)


def _ip(text):
    return ipaddress.ip_address(u'%s' % text)


def template_path(template, templates_dir=None):
    """The file a stack's template names: absolute, or relative to ``templates_dir``."""
    path = os.path.expanduser(u'%s' % template)
    if not os.path.isabs(path) and templates_dir:
        path = os.path.join(u'%s' % templates_dir, path)
    return os.path.abspath(path)


class _TemplateLoader(yaml.SafeLoader):
    """YAML as Heat reads it: dates such as 2017-02-24 stay strings."""


_TemplateLoader.add_constructor(u'tag:yaml.org,2002:timestamp', _TemplateLoader.construct_yaml_str)


def load_template(path):
    """(the template's declared parameters {name: has a default}, None) or (None, what is wrong with the file)."""
    if not os.path.isfile(path):
        return None, ('template %s does not exist; give the path of a Heat template on the machine running Ansible '
                      '(absolute, or relative to the inventory\'s directory).' % path)
    try:
        with open(path, 'rb') as handle:
            text = handle.read().decode('utf-8')
    except (IOError, OSError) as exc:
        return None, 'template %s cannot be read (%s); make it readable by the user running Ansible.' % (
            path, exc.strerror or exc)
    except UnicodeDecodeError:
        return None, 'template %s is not UTF-8 text; save it as UTF-8.' % path
    try:
        template = yaml.load(text, Loader=_TemplateLoader)  # nosec - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, 'problem_mark', None)
        where = ' at line %d, column %d' % (mark.line + 1, mark.column + 1) if mark is not None else ''
        return None, 'template %s does not parse as YAML%s (%s); fix the file.' % (
            path, where, getattr(exc, 'problem', None) or exc)
    if not isinstance(template, dict):
        return None, ('template %s is not a Heat template: a mapping with heat_template_version and resources is '
                      'expected.' % path)
    if 'heat_template_version' in template:
        version, parameters_key, resources_key = u'%s' % template['heat_template_version'], 'parameters', 'resources'
        known = HOT_VERSIONS
    elif 'AWSTemplateFormatVersion' in template:
        version, parameters_key, resources_key = u'%s' % template['AWSTemplateFormatVersion'], 'Parameters', 'Resources'
        known = CFN_VERSIONS
    else:
        return None, ('template %s is not a Heat template: it has no heat_template_version (for example 2017-02-24, '
                      'or ocata).' % path)
    if version not in known:
        return None, ('template %s: version %s is not one Heat knows; use one of %s.'
                      % (path, version, ', '.join(known)))
    resources = template.get(resources_key)
    if not isinstance(resources, dict) or not resources:
        return None, 'template %s is not a Heat template: it declares no %s.' % (path, resources_key)
    parameters = template.get(parameters_key) or {}
    if not isinstance(parameters, dict) or not all(isinstance(p, dict) for p in parameters.values()):
        return None, 'template %s: %s must map each parameter name to its declaration (type ...).' % (
            path, parameters_key)
    declared = dict((u'%s' % name, 'default' in spec or 'Default' in spec) for name, spec in parameters.items())
    return declared, None


def stack_problems(stack, templates_dir=None):
    """What is wrong with one stack's template and parameters, as sentences (empty when all is well)."""
    problems = []
    if not stack.get('template'):
        return ['needs template, the path of a Heat template file.']
    declared, error = load_template(template_path(stack['template'], templates_dir))
    if error:
        return [error]
    parameters = stack.get('parameters') or {}
    if not isinstance(parameters, dict):
        return ['parameters must be a mapping of parameter name to value, got %r.' % (parameters,)]
    for name in sorted(parameters):
        if u'%s' % name not in declared:
            problems.append("parameter '%s' is not declared by template %s; it declares %s."
                            % (name, stack['template'], ', '.join(sorted(declared)) or 'no parameters'))
    for name in sorted(declared):
        if not declared[name] and name not in parameters:
            problems.append("template %s needs parameter '%s' (it has no default); add it under parameters."
                            % (stack['template'], name))
    return problems


def stack_tag(stack, templates_dir=None):
    """A tag naming the stack's template content and parameters: a stack without it is out of date."""
    with open(template_path(stack['template'], templates_dir), 'rb') as handle:
        digest = hashlib.sha256(handle.read())
    digest.update(json.dumps(stack.get('parameters') or {}, sort_keys=True, default=str).encode('utf-8'))
    return 'gureum-day1-%s' % digest.hexdigest()[:16]


class _Checker(object):
    def __init__(self, data, templates_dir=None):
        self.data = dict((kind, list(data.get(kind) or [])) for kind in KINDS)
        self.templates_dir = templates_dir
        self.errors = []

    def error(self, kind, name, text):
        self.errors.append('%s %r: %s' % (kind[:-1].replace('_', ' '), name, text))

    def names(self, kind, present_only=True):
        return set(r.get('name') for r in self.data[kind]
                   if not present_only or r.get('state', 'present') == 'present')

    def run(self):
        for kind in KINDS:
            self.common(kind)
        self.projects_and_users()
        subnets = self.networks()
        self.routers(subnets)
        self.security_groups()
        self.images()
        self.servers()
        self.floating_ips()
        self.stacks()
        return self.errors

    def stacks(self):
        for stack in self.data['stacks']:
            if not stack.get('name'):
                continue
            if not STACK_NAME.match(u'%s' % stack['name']):
                self.error('stacks', stack['name'], 'a stack name starts with a letter and holds only letters, digits, '
                                                    '_, . and -.')
            if stack.get('state', 'present') == 'absent':
                continue
            self.project_known('stacks', stack)
            self.acting_user_known('stacks', stack)
            for text in stack_problems(stack, self.templates_dir):
                self.error('stacks', stack['name'], text)

    def images(self):
        for image in self.data['images']:
            if image.get('name') and image.get('state', 'present') == 'present' \
                    and not image.get('file') and not image.get('guest'):
                self.error('images', image['name'], 'needs file (a disk image on the machine running Ansible) or '
                                                    'guest: true (the test guest gureum.openstack.guest_image builds).')

    def common(self, kind):
        seen = set()
        for index, res in enumerate(self.data[kind]):
            if not isinstance(res, dict) or not res.get('name'):
                self.errors.append('%s entry #%d has no name.' % (kind, index + 1))
                continue
            key = (res['name'], res.get('project'))
            if key in seen:
                self.error(kind, res['name'], 'is listed twice%s; names must be unique.'
                           % (" in project '%s'" % res['project'] if res.get('project') else ''))
            seen.add(key)
            if res.get('state', 'present') not in STATES:
                self.error(kind, res['name'], "state must be present or absent, not %r." % res.get('state'))

    def project_known(self, kind, res):
        project = res.get('project')
        if project and project not in self.names('projects') | set(BUILTIN_PROJECTS):
            self.error(kind, res['name'], "belongs to project '%s', which is neither defined under projects nor "
                                          "built in (%s)." % (project, ', '.join(BUILTIN_PROJECTS)))

    def acting_user_known(self, kind, res):
        user = res.get('user')
        if not user:
            return
        users = dict((u['name'], u) for u in self.data['users'] if isinstance(u, dict) and u.get('name'))
        if user not in users and user not in BUILTIN_USERS:
            self.error(kind, res['name'], "is made as user '%s', who is not defined under users." % user)
            return
        project = res.get('project')
        if user in users and project:
            # a default project grants nothing in Keystone: only role assignments count
            projects = set(r.get('project') for r in users[user].get('roles', []) if isinstance(r, dict))
            if project not in projects:
                self.error(kind, res['name'], "is made as user '%s' in project '%s', but that user has no role in "
                                              "that project; add one under the user's roles." % (user, project))

    def projects_and_users(self):
        for project in self.data['projects']:
            quotas = project.get('quotas') or {}
            if not isinstance(quotas, dict):
                self.error('projects', project.get('name'), 'quotas must be a mapping such as {instances: 10}.')
                continue
            for key, value in quotas.items():
                if not isinstance(value, int) or value < -1:
                    self.error('projects', project.get('name'), 'quota %s must be an integer >= -1, not %r.'
                               % (key, value))
        for user in self.data['users']:
            if not user.get('name'):
                continue
            self.project_known('users', user)
            if not (user.get('password') or user.get('password_secret')):
                self.error('users', user['name'], 'needs password_secret (the name of a secret in the secrets file) '
                                                  'or password.')
            for role in user.get('roles', []):
                if not isinstance(role, dict) or not role.get('role') or not role.get('project'):
                    self.error('users', user['name'], 'each role needs role and project, got %r.' % (role,))
                elif role['project'] not in self.names('projects') | set(BUILTIN_PROJECTS):
                    self.error('users', user['name'], "has a role in unknown project '%s'." % role['project'])

    def networks(self):
        subnets = {}
        for net in self.data['networks']:
            if not net.get('name'):
                continue
            self.project_known('networks', net)
            self.acting_user_known('networks', net)
            provider = net.get('provider') or {}
            if provider:
                ntype = provider.get('network_type')
                if ntype not in NETWORK_TYPES:
                    self.error('networks', net['name'], 'provider network_type must be one of %s, not %r.'
                               % (', '.join(NETWORK_TYPES), ntype))
                if ntype in ('flat', 'vlan') and not provider.get('physical_network'):
                    self.error('networks', net['name'], 'a %s provider network needs physical_network '
                                                        '(for example provider).' % ntype)
                if provider.get('segmentation_id') not in (None, ''):
                    try:
                        segment = int(u'%s' % provider['segmentation_id'])
                    except ValueError:
                        segment = -1
                    top = 4094 if ntype == 'vlan' else 16777215
                    if ntype in ('vlan', 'vxlan') and not 1 <= segment <= top:
                        self.error('networks', net['name'], 'provider segmentation_id %r is not a %s ID (1-%d).'
                                   % (provider['segmentation_id'], ntype.upper(), top))
                if net.get('user'):
                    self.error('networks', net['name'], 'only an admin can give provider attributes (network_type, '
                                                        'physical_network, segmentation_id); remove user, and the '
                                                        'admin makes it in its project.')
            if net.get('external') and net.get('user'):
                self.error('networks', net['name'], 'only an admin can make an external network; remove user.')
            cidrs = []
            for sub in net.get('subnets', []):
                name = sub.get('name')
                if not name:
                    self.error('networks', net['name'], 'every subnet needs a name.')
                    continue
                if name in subnets:
                    self.error('networks', net['name'], "subnet '%s' is listed twice." % name)
                subnets[name] = net
                self.subnet(net, sub, cidrs)
        return subnets

    def subnet(self, net, sub, cidrs):
        where = "subnet '%s'" % sub['name']
        try:
            cidr = _net(sub.get('cidr'))
        except ValueError:
            self.error('networks', net['name'], '%s: cidr %r is not a network address such as 172.16.10.0/24.'
                       % (where, sub.get('cidr')))
            return
        for other_name, other in cidrs:
            if cidr.overlaps(other):
                self.error('networks', net['name'], '%s %s overlaps subnet %s (%s) of the same network.'
                           % (where, cidr, other_name, other))
        cidrs.append((sub['name'], cidr))
        gateway = sub.get('gateway_ip')
        addresses = []
        if gateway:
            try:
                gateway = _ip(gateway)
                addresses.append(('gateway_ip', gateway))
            except ValueError:
                self.error('networks', net['name'], '%s: gateway_ip %r is not an address.' % (where, gateway))
        pools = []
        for pool in sub.get('allocation_pools', []):
            try:
                start, end = _ip(pool['start']), _ip(pool['end'])
            except (KeyError, TypeError, ValueError):
                self.error('networks', net['name'], '%s: allocation pool %r needs start and end addresses.'
                           % (where, pool))
                continue
            if start > end:
                self.error('networks', net['name'], '%s: allocation pool %s-%s ends before it starts.'
                           % (where, start, end))
            addresses += [('allocation pool start', start), ('allocation pool end', end)]
            pools.append((start, end))
        for what, address in addresses:
            if address not in cidr or address in (cidr.network_address, cidr.broadcast_address):
                self.error('networks', net['name'], '%s: %s %s is outside %s.' % (where, what, address, cidr))
        if isinstance(gateway, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
            for start, end in pools:
                if start <= gateway <= end:
                    self.error('networks', net['name'], '%s: the gateway %s lies inside allocation pool %s-%s.'
                               % (where, gateway, start, end))
        for index, (start, end) in enumerate(pools):
            for other_start, other_end in pools[index + 1:]:
                if start <= other_end and other_start <= end:
                    self.error('networks', net['name'], '%s: allocation pools %s-%s and %s-%s overlap.'
                               % (where, start, end, other_start, other_end))

    def routers(self, subnets):
        networks = dict((n['name'], n) for n in self.data['networks'] if n.get('name'))
        for router in self.data['routers']:
            if not router.get('name'):
                continue
            self.project_known('routers', router)
            self.acting_user_known('routers', router)
            gateway = router.get('external_gateway')
            if gateway:
                if gateway not in networks:
                    self.error('routers', router['name'], "has its gateway on unknown network '%s'." % gateway)
                elif not networks[gateway].get('external'):
                    self.error('routers', router['name'], "has its gateway on network '%s', which is not external "
                                                          "(set external: true on it)." % gateway)
            for iface in router.get('interfaces', []):
                if iface not in subnets:
                    self.error('routers', router['name'], "has an interface on unknown subnet '%s'." % iface)
                elif subnets[iface].get('external'):
                    self.error('routers', router['name'], "has an interface on subnet '%s' of external network "
                                                          "'%s'; use external_gateway for it." % (iface, subnets[iface]['name']))

    def security_groups(self):
        for group in self.data['security_groups']:
            if not group.get('name'):
                continue
            self.project_known('security_groups', group)
            self.acting_user_known('security_groups', group)
            for rule in group.get('rules', []):
                protocol = rule.get('protocol', 'tcp')
                if protocol not in PROTOCOLS:
                    self.error('security_groups', group['name'], 'rule protocol must be one of %s, not %r.'
                               % (', '.join(PROTOCOLS), protocol))
                if rule.get('direction', 'ingress') not in ('ingress', 'egress'):
                    self.error('security_groups', group['name'], 'rule direction must be ingress or egress.')
                port = rule.get('port')
                if port is not None:
                    first, dummy, last = str(port).partition('-')
                    try:
                        first, last = int(first), int(last or first)
                        valid = 1 <= first <= last <= 65535 and protocol in ('tcp', 'udp')
                    except ValueError:
                        valid = False
                    if not valid:
                        self.error('security_groups', group['name'], "rule port %r must be a tcp/udp port or "
                                                                     "'first-last' range." % (port,))
                prefix = rule.get('remote_ip_prefix')
                if prefix:
                    try:
                        ipaddress.ip_network(u'%s' % prefix, strict=False)
                    except ValueError:
                        self.error('security_groups', group['name'], 'rule remote_ip_prefix %r is not a network.'
                                   % prefix)

    def servers(self):
        for server in self.data['servers']:
            if not server.get('name') or server.get('state', 'present') == 'absent':
                continue
            self.project_known('servers', server)
            self.acting_user_known('servers', server)
            for kind, key in (('images', 'image'), ('flavors', 'flavor'), ('keypairs', 'key_name')):
                value = server.get(key)
                if key != 'key_name' and not value:
                    self.error('servers', server['name'], 'needs %s.' % key)
                elif value and value not in self.names(kind):
                    self.error('servers', server['name'], "uses %s '%s', which is not defined under %s." % (
                        key, value, kind))
            networks = server.get('networks') or []
            if not networks:
                self.error('servers', server['name'], 'needs networks (a list of network names).')
            for network in networks:
                if network not in self.names('networks'):
                    self.error('servers', server['name'], "is on unknown network '%s'." % network)
            for group in server.get('security_groups', []):
                if group not in self.names('security_groups') | set(['default']):
                    self.error('servers', server['name'], "uses unknown security group '%s'." % group)

    def floating_ips(self):
        networks = dict((n['name'], n) for n in self.data['networks'] if n.get('name'))
        for fip in self.data['floating_ips']:
            if not fip.get('name') or fip.get('state', 'present') == 'absent':
                continue
            self.project_known('floating_ips', fip)
            self.acting_user_known('floating_ips', fip)
            network = fip.get('network')
            if network not in networks:
                self.error('floating_ips', fip['name'], "is on unknown network '%s'." % network)
            elif not networks[network].get('external'):
                self.error('floating_ips', fip['name'], "is on network '%s', which is not external; floating IPs "
                                                        "come from an external network." % network)
            if fip.get('server') and fip['server'] not in self.names('servers'):
                self.error('floating_ips', fip['name'], "is for unknown server '%s'." % fip['server'])


def check(data, templates_dir=None):
    """Every problem in ``data`` (a dict of kind -> list), as sentences; empty when all is well."""
    unknown = sorted(set(data) - set(KINDS))
    if unknown:
        return ['unknown resource kind(s) %s; the kinds are %s.' % (', '.join(unknown), ', '.join(KINDS))]
    return _Checker(data, templates_dir).run()


def plan(data, templates_dir=None):
    """``data`` with defaults filled in, or Day1Error listing every problem.

    Project-scoped resources get ``project`` and ``user`` (default admin) and ``cloud``, the name of the
    clouds.yaml entry to make them with; ``clouds`` lists the (user, project) pairs those entries need. Stacks
    get their template's absolute path and ``tag``, which changes with the template's content and the parameters.
    """
    errors = check(data, templates_dir)
    if errors:
        raise Day1Error('the day-1 resources have %d problem(s):\n- %s' % (len(errors), '\n- '.join(errors)))
    result = {}
    for kind in KINDS:
        items = []
        for res in data.get(kind) or []:
            item = dict(res)
            item.setdefault('state', 'present')
            if kind not in ('projects', 'flavors', 'images', 'users'):
                item.setdefault('project', 'admin')
                item.setdefault('user', 'admin')
                # the clouds.yaml entry the resource is made with: the admin's, or its user's in its project
                item['cloud'] = 'admin' if item['user'] == 'admin' else '%s@%s' % (item['user'], item['project'])
            if kind == 'stacks':
                item.setdefault('parameters', {})
                if item['state'] == 'present':
                    item['template'] = template_path(item['template'], templates_dir)
                    item['tag'] = stack_tag(item)
            items.append(item)
        result[kind] = items
    result['clouds'] = sorted(set((r['user'], r['project']) for kind in KINDS for r in result[kind]
                                  if r.get('cloud', 'admin') != 'admin'))
    return result


def clouds(day1_plan, passwords, admin_password, auth_url, region):
    """The clouds.yaml entries of a plan: {'internal': the clouds resources are made as (admin and
    '<user>@<project>' for each pair the plan acts as), 'people': admin and each present user that has a project,
    by user name}. Each cloud is {username, password, project, auth_url, region}."""
    def cloud(user, project, password):
        if not password:
            raise Day1Error("user '%s' has no password: give it one, or a password_secret the secrets file holds."
                            % user)
        return {'username': user, 'project': project, 'password': password, 'auth_url': auth_url, 'region': region}
    admin = cloud('admin', 'admin', admin_password)
    internal = {'admin': admin}
    for user, project in day1_plan.get('clouds', []):
        internal['%s@%s' % (user, project)] = cloud(user, project, (passwords or {}).get(user))
    people = {'admin': admin}
    for user in day1_plan.get('users', []):
        if user.get('state', 'present') == 'present' and user.get('project'):
            people[user['name']] = cloud(user['name'], user['project'], (passwords or {}).get(user['name']))
    return {'internal': internal, 'people': people}


COMPLETE = ('CREATE_COMPLETE', 'UPDATE_COMPLETE')


def stacks_to_apply(stacks, found):
    """The present stacks of a plan that need creating or updating: missing, not complete, or without their tag.

    ``found`` maps a cloud name to the stacks it lists, each {name, status (or stack_status), tags}.
    """
    todo = []
    for stack in stacks or []:
        if stack.get('state', 'present') != 'present':
            continue
        current = [s for s in (found or {}).get(stack['cloud'], []) if s.get('name') == stack['name']]
        ok = [s for s in current if (s.get('status') or s.get('stack_status')) in COMPLETE
              and stack.get('tag') in (s.get('tags') or [])]
        if not ok:
            todo.append(stack)
    return todo
