# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Check day-1 resources (flavors, images, projects, users, networks, routers, volumes, ...) before any API call.

The resources are plain data, one list per kind (see roles/bootstrap). ``check`` finds every mistake a
user can make in them that needs no cloud to spot (a subnet outside its network, a router on an unknown
network, a floating IP on a network that is not external, a server on a missing flavor, a volume without a size
or attached to an unknown server, a Heat stack whose template is missing or does not parse, or that is given a
parameter its template does not declare ...) and reports all of them at once. ``plan`` then fills in defaults and
says, for each resource, as whom it is made.

Stack templates and the files of objects are files on the machine running Ansible; a relative path is taken from
``templates_dir`` (the inventory's directory).
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
         'servers', 'floating_ips', 'volume_types', 'volumes', 'containers', 'load_balancers', 'stacks')
# The kinds the admin makes, outside any project
ADMIN_KINDS = ('projects', 'flavors', 'images', 'users', 'volume_types')
# The services a kind needs (catalog entries), with what to call them in a sentence and how to deploy them
STORAGE_HINT = '; by default it comes with hosts in the storage group): add storage hosts'
NEEDS = (('volume_types', 'cinder', 'Cinder', STORAGE_HINT), ('volumes', 'cinder', 'Cinder', STORAGE_HINT),
         ('containers', 'swift_proxy', "Swift's proxy", STORAGE_HINT),
         ('load_balancers', 'octavia', 'Octavia', '): add octavia to openstack_services'))
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
# Cinder's own volume type, which every cloud has: volumes may name it without a bootstrap_volume_types entry
DEFAULT_VOLUME_TYPE = '__DEFAULT__'


class Day1Error(Exception):
    """The resources are wrong; the message lists every problem found."""


def _net(text):
    return ipaddress.ip_network(u'%s' % text, strict=True)


def _ip(text):
    return ipaddress.ip_address(u'%s' % text)


def template_path(template, templates_dir=None):
    """A file on the machine running Ansible (a stack's template, an object's file): absolute, or relative to
    ``templates_dir``."""
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


# The quotas the bootstrap role sets (roles/bootstrap/tasks/present.yml); any other key would be ignored
QUOTAS = ('instances', 'cores', 'ram', 'key_pairs', 'floating_ips', 'networks', 'subnets', 'ports', 'routers',
          'security_groups', 'security_group_rules')
# The disk formats Glance Zed accepts by default
DISK_FORMATS = ('ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop')
MTU_RANGE = (576, 9216)
# Octavia with the amphora provider: listener protocols that need no key manager (TERMINATED_HTTPS needs Barbican),
# the pool protocols each listener protocol takes, algorithms and health monitor types
LISTENER_PROTOCOLS = ('HTTP', 'HTTPS', 'TCP', 'UDP', 'SCTP')
POOL_PROTOCOLS = {'HTTP': ('HTTP', 'PROXY', 'PROXYV2'), 'HTTPS': ('HTTPS', 'PROXY', 'PROXYV2', 'TCP'),
                  'TCP': ('HTTP', 'HTTPS', 'PROXY', 'PROXYV2', 'TCP'), 'UDP': ('UDP',), 'SCTP': ('SCTP',)}
LB_ALGORITHMS = ('ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP')
MONITOR_TYPES = ('HTTP', 'HTTPS', 'PING', 'TCP', 'TLS-HELLO', 'UDP-CONNECT', 'SCTP')
HTTP_METHODS = ('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'OPTIONS', 'PATCH', 'CONNECT')
EXPECTED_CODES = re.compile(r'^[1-5][0-9]{2}(-[1-5][0-9]{2}|(,[1-5][0-9]{2})*)$')
# The roles Octavia's default policy lets make load balancers in a project
LB_ROLES = ('load-balancer_member', 'load-balancer_admin', 'admin')


def _port(value):
    return not isinstance(value, bool) and isinstance(value, int) and 1 <= value <= 65535


def roles_projects(user):
    """The projects a day-1 user has a role in."""
    return set(r.get('project') for r in user.get('roles', []) if isinstance(r, dict))


def member_subnets(server, subnets):
    """The names of the day-1 subnets on the networks of a server (``subnets``: subnet name -> its network)."""
    return sorted(name for name, net in subnets.items() if net.get('name') in (server.get('networks') or []))


def monitor_name(pool):
    """A health monitor's name: its own, or its pool's with -monitor."""
    monitor = pool.get('health_monitor') or {}
    return monitor.get('name') or '%s-monitor' % pool['name']


class _Checker(object):
    """Every check appends (concern, sentence); the concern is the kind of resource the sentence is about, or
    'names' (duplicates, states), 'owners' (the project and user a resource is made in and as) or 'quotas' (a project's quotas)."""

    def __init__(self, data, templates_dir=None, context=None):
        self.data = dict((kind, list(data.get(kind) or [])) for kind in KINDS)
        self.templates_dir = templates_dir
        self.context = context or {}
        self.errors = []

    def error(self, kind, name, text, concern=None):
        self.errors.append((concern or kind, kind, '%s %r: %s' % (kind[:-1].replace('_', ' '), name, text)))

    def names(self, kind, present_only=True):
        return set(r.get('name') for r in self.data[kind]
                   if isinstance(r, dict) and (not present_only or r.get('state', 'present') == 'present'))

    def present(self, kind):
        return [r for r in self.data[kind]
                if isinstance(r, dict) and r.get('name') and r.get('state', 'present') == 'present']

    def run(self):
        for kind in KINDS:
            self.common(kind)
        self.projects_and_users()
        self.flavors()
        subnets = self.networks()
        self.routers(subnets)
        self.security_groups()
        self.images()
        self.keypairs()
        self.servers()
        self.floating_ips()
        self.volume_types()
        self.volumes()
        self.containers()
        self.load_balancers(subnets)
        self.services_deployed()
        self.stacks()
        self.quotas_needed()
        return self.errors

    def services_deployed(self):
        """Volumes and containers need their service deployed (context services; None: not checked)."""
        services = self.context.get('services')
        if services is None:
            return
        for kind, service, what, hint in NEEDS:
            listed = [r['name'] for r in self.data[kind] if isinstance(r, dict) and r.get('name')]
            if listed and service not in services:
                self.errors.append((kind, None, 'bootstrap_%s lists %s, but %s is not deployed (%s is not in '
                                                'openstack_services%s, or remove the %s.'
                                    % (kind, ', '.join(listed), what, service, hint, kind.replace('_', ' '))))

    def made_in_its_project(self, kind, res):
        """A volume or container is made in the project of the cloud that makes it: the admin's is admin."""
        project = res.get('project', 'admin')
        if res.get('user', 'admin') == 'admin' and project != 'admin':
            self.error(kind, res['name'], "is in project '%s' but made as admin, who would make it in project admin "
                                          "(a %s belongs to the project it is made in): set user to a user with a "
                                          "role in '%s'." % (project, kind[:-1].replace('_', ' '), project), 'owners')

    def volume_types(self):
        for vtype in self.data['volume_types']:
            if not isinstance(vtype, dict) or not vtype.get('name'):
                continue
            if vtype['name'] == DEFAULT_VOLUME_TYPE:
                self.error('volume_types', vtype['name'], "is Cinder's own default type, which every cloud has: leave "
                                                          "it out (volumes may name it all the same).")
                continue
            if vtype.get('state', 'present') != 'present':
                continue
            if 'is_public' in vtype and not isinstance(vtype['is_public'], bool):
                self.error('volume_types', vtype['name'], 'is_public must be true or false, not %r.'
                           % (vtype['is_public'],))
            properties = vtype.get('properties')
            if properties is not None and (not isinstance(properties, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in properties.items())):
                self.error('volume_types', vtype['name'], 'properties must map extra spec names to text, such as '
                                                          '{volume_backend_name: rbd} (quote numbers and booleans), '
                                                          'not %r.' % (properties,))

    def volumes(self):
        types = self.names('volume_types') - set([DEFAULT_VOLUME_TYPE])
        servers = dict((s['name'], s) for s in self.present('servers'))
        gone_images = self.names('images', present_only=False) - self.names('images')
        for volume in self.present('volumes'):
            name = volume['name']
            self.project_known('volumes', volume)
            self.acting_user_known('volumes', volume)
            self.made_in_its_project('volumes', volume)
            size = volume.get('size')
            if size is None:
                self.error('volumes', name, 'needs size, its size in GiB (a whole number, at least 1).')
            elif isinstance(size, bool) or not isinstance(size, int) or size < 1:
                self.error('volumes', name, 'size must be a whole number of GiB (at least 1), not %r; fix it in '
                                            'bootstrap_volumes.' % (size,))
            vtype = volume.get('volume_type')
            if vtype is not None and vtype != DEFAULT_VOLUME_TYPE and vtype not in types:
                self.error('volumes', name, "uses volume type '%s', which is not defined under bootstrap_volume_types: "
                                            "add it there or use one of %s." % (
                                                vtype, ', '.join(sorted(types) + [DEFAULT_VOLUME_TYPE])))
            if volume.get('image') in gone_images:
                self.error('volumes', name, "is made from image '%s', which bootstrap_images marks absent: keep the "
                                            "image, or make the volume from another one." % volume['image'])
            server = volume.get('server')
            if not server:
                continue
            if server not in servers:
                self.error('volumes', name, "is attached to unknown server '%s': add it to bootstrap_servers or fix "
                                            "server." % server)
            elif servers[server].get('project', 'admin') != volume.get('project', 'admin'):
                self.error('volumes', name, "is attached to server '%s' of project '%s', but the volume is in project "
                                            "'%s': a server takes the volumes of its own project; put both in one."
                           % (server, servers[server].get('project', 'admin'), volume.get('project', 'admin')))

    def containers(self):
        for container in self.present('containers'):
            name = container['name']
            self.project_known('containers', container)
            self.acting_user_known('containers', container)
            self.made_in_its_project('containers', container)
            if '/' in u'%s' % name or len(u'%s' % name) > 256:
                self.error('containers', name, 'a container name has at most 256 characters and no /; rename it.')
            objects = container.get('objects') or []
            if not isinstance(objects, list):
                self.error('containers', name, 'objects must be a list of {name, content or file}, not %r.'
                           % (objects,))
                continue
            seen = set()
            for obj in objects:
                if not isinstance(obj, dict) or not obj.get('name'):
                    self.error('containers', name, 'each object needs a name (and content or file), got %r.' % (obj,))
                    continue
                self.container_object(container, obj, seen)

    def container_object(self, container, obj, seen):
        where = "object '%s'" % obj['name']
        if obj['name'] in seen:
            self.error('containers', container['name'], '%s is listed twice; rename or remove one.' % where)
        seen.add(obj['name'])
        if ('content' in obj) == ('file' in obj):
            self.error('containers', container['name'], '%s needs either content (its text) or file (a file on the '
                                                        'machine running Ansible), not %s.'
                       % (where, 'both' if 'content' in obj else 'neither'))
        elif 'content' in obj and not isinstance(obj['content'], str):
            self.error('containers', container['name'], '%s: content must be text, not %r; quote it.'
                       % (where, obj['content']))
        elif 'file' in obj and not obj['file']:
            self.error('containers', container['name'], '%s: file must name a file, not %r.' % (where, obj['file']))
        elif 'file' in obj and self.context.get('files'):
            path = template_path(obj['file'], self.templates_dir)
            if not os.path.isfile(path):
                self.error('containers', container['name'], '%s: file %s does not exist on the machine running '
                                                            'Ansible; give its path (absolute, or relative to the '
                                                            "inventory's directory), or content instead."
                           % (where, path))
                return
            try:
                with open(path, 'rb') as handle:
                    handle.read().decode('utf-8')
            except (IOError, OSError) as exc:
                self.error('containers', container['name'], '%s: file %s cannot be read (%s); make it readable by '
                                                            'the user running Ansible.'
                           % (where, path, exc.strerror or exc))
            except UnicodeDecodeError:
                self.error('containers', container['name'], '%s: file %s is not UTF-8 text, and an object is put '
                                                            'from text; save it as UTF-8.' % (where, path))

    def load_balancers(self, subnets):
        """Octavia load balancers: a VIP on a known subnet, listeners on valid ports, each with a pool of day-1 servers
        of the load balancer's project and a health monitor Octavia accepts; a floating IP from an external network."""
        networks = dict((n['name'], n) for n in self.data['networks'] if isinstance(n, dict) and n.get('name'))
        servers = dict((s['name'], s) for s in self.present('servers'))
        seen = {}
        for lb in self.present('load_balancers'):
            name = lb['name']
            self.project_known('load_balancers', lb)
            self.acting_user_known('load_balancers', lb)
            self.made_in_its_project('load_balancers', lb)
            self.load_balancer_role(lb)
            vip = lb.get('vip_subnet')
            if not vip:
                self.error('load_balancers', name, 'needs vip_subnet, the name of a subnet of bootstrap_networks its '
                                                   'virtual IP comes from.')
            elif vip not in subnets:
                self.error('load_balancers', name, "has its VIP on unknown subnet '%s': name a subnet of "
                                                   "bootstrap_networks (vip_subnet takes a subnet name, not a network "
                                                   "name)." % vip)
            fip = lb.get('floating_ip')
            if fip is not None:
                network = fip.get('network') if isinstance(fip, dict) else None
                if not network:
                    self.error('load_balancers', name, 'floating_ip must be {network: <an external network>}, not %r.'
                               % (fip,))
                elif network not in networks:
                    self.error('load_balancers', name, "has its floating IP on unknown network '%s': name an external "
                                                       "network of bootstrap_networks (ext_net by default)." % network)
                elif not networks[network].get('external'):
                    self.error('load_balancers', name, "has its floating IP on network '%s', which is not external; "
                                                       "floating IPs come from an external network (ext_net): set "
                                                       "floating_ip.network to one." % network)
            listeners = lb.get('listeners') or []
            if not isinstance(listeners, list):
                self.error('load_balancers', name, 'listeners must be a list of {name, protocol, port, pool}, not %r.'
                           % (listeners,))
                continue
            ports = {}
            for listener in listeners:
                if not isinstance(listener, dict) or not listener.get('name'):
                    self.error('load_balancers', name, 'each listener needs a name (and protocol, port, pool), got %r.'
                               % (listener,))
                    continue
                self.unique_lb_name(lb, 'listener', listener['name'], seen)
                self.listener(lb, listener, ports, servers, subnets, seen)

    def load_balancer_role(self, lb):
        """Octavia's default policy lets a project's user make load balancers only with load-balancer_member (or
        load-balancer_admin) there; the admin's admin role is enough."""
        users = dict((u['name'], u) for u in self.data['users'] if isinstance(u, dict) and u.get('name'))
        user, project = lb.get('user'), lb.get('project')
        if user not in users or not project:
            return
        roles = set(r.get('role') for r in users[user].get('roles', [])
                    if isinstance(r, dict) and r.get('project') == project)
        if not roles & set(LB_ROLES) and project in roles_projects(users[user]):
            self.error('load_balancers', lb['name'], "is made as user '%s', who has no load-balancer_member role in "
                                                     "project '%s' (Octavia's default policy lets only that role, or "
                                                     "an admin, make load balancers): add {role: load-balancer_member, "
                                                     "project: %s} to the user's roles." % (user, project, project),
                       'owners')

    def unique_lb_name(self, lb, what, name, seen):
        """Octavia finds listeners, pools and health monitors by name (the admin sees every project's): one name,
        one of them, across the day-1 load balancers."""
        key = (what, name)
        if key in seen and seen[key] != lb['name']:
            self.error('load_balancers', lb['name'], "%s '%s' is also a %s of load balancer '%s'; Octavia finds them "
                                                     "by name: give each its own." % (what, name, what, seen[key]),
                       'names')
        elif key in seen:
            self.error('load_balancers', lb['name'], "%s '%s' is listed twice; give each its own name." % (what, name),
                       'names')
        seen[key] = lb['name']

    def listener(self, lb, listener, ports, servers, subnets, seen):
        where = "listener '%s'" % listener['name']
        protocol = listener.get('protocol', 'HTTP')
        if protocol not in LISTENER_PROTOCOLS:
            self.error('load_balancers', lb['name'], '%s: protocol %r is not one an amphora serves without a key '
                                                     'manager; use one of %s.'
                       % (where, protocol, ', '.join(LISTENER_PROTOCOLS)))
        port = listener.get('port')
        if not _port(port):
            self.error('load_balancers', lb['name'], '%s: port %r must be a whole number from 1 to 65535.'
                       % (where, port))
        elif (port, protocol == 'UDP') in ports:
            self.error('load_balancers', lb['name'], "%s: port %d is taken by listener '%s' already; give each "
                                                     "listener its own port." % (where, port, ports[(port, protocol == 'UDP')]))
        else:
            ports[(port, protocol == 'UDP')] = listener['name']
        pool = listener.get('pool')
        if pool is None:
            return
        if not isinstance(pool, dict) or not pool.get('name'):
            self.error('load_balancers', lb['name'], '%s: pool must be {name, protocol, lb_algorithm, members, '
                                                     'health_monitor}, with a name; got %r.' % (where, pool))
            return
        self.unique_lb_name(lb, 'pool', pool['name'], seen)
        where = "pool '%s'" % pool['name']
        pool_protocol = pool.get('protocol', protocol)
        if pool_protocol not in POOL_PROTOCOLS.get(protocol, POOL_PROTOCOLS['HTTP']):
            self.error('load_balancers', lb['name'], '%s: protocol %r cannot serve a %s listener; use one of %s.'
                       % (where, pool_protocol, protocol, ', '.join(POOL_PROTOCOLS.get(protocol, ()))))
        algorithm = pool.get('lb_algorithm', 'ROUND_ROBIN')
        if algorithm not in LB_ALGORITHMS:
            self.error('load_balancers', lb['name'], '%s: lb_algorithm %r is not one the amphora provider knows; use '
                                                     'one of %s.' % (where, algorithm, ', '.join(LB_ALGORITHMS)))
        members = pool.get('members') or []
        if not isinstance(members, list):
            self.error('load_balancers', lb['name'], '%s: members must be a list of {server, port, subnet}, not %r.'
                       % (where, members))
            members = []
        named = set()
        for member in members:
            self.member(lb, pool, member, named, servers, subnets)
        monitor = pool.get('health_monitor')
        if monitor is not None:
            self.health_monitor(lb, pool, monitor, seen)

    def member(self, lb, pool, member, named, servers, subnets):
        where = "pool '%s'" % pool['name']
        if not isinstance(member, dict) or not member.get('server'):
            self.error('load_balancers', lb['name'], '%s: each member needs server (a day-1 server by name) and port, '
                                                     'got %r.' % (where, member))
            return
        server = member['server']
        if server in named:
            self.error('load_balancers', lb['name'], "%s: server '%s' is a member twice; list it once." % (where, server))
        named.add(server)
        if not _port(member.get('port')):
            self.error('load_balancers', lb['name'], "%s: member '%s': port %r must be a whole number from 1 to 65535."
                       % (where, server, member.get('port')))
        if server not in servers:
            self.error('load_balancers', lb['name'], "%s: member '%s' is not a server of bootstrap_servers (or it is "
                                                     "marked absent): add it there or fix server." % (where, server))
            return
        project = servers[server].get('project', 'admin')
        if project != lb.get('project', 'admin'):
            self.error('load_balancers', lb['name'], "%s: member '%s' is a server of project '%s', but the load "
                                                     "balancer is in project '%s': put both in one."
                       % (where, server, project, lb.get('project', 'admin')))
            return
        candidates = member_subnets(servers[server], subnets)
        subnet = member.get('subnet')
        if subnet is not None and subnet not in subnets:
            self.error('load_balancers', lb['name'], "%s: member '%s' is on unknown subnet '%s': name a subnet of "
                                                     "bootstrap_networks, or leave subnet out for the server's own."
                       % (where, server, subnet))
        elif subnet is not None and subnet not in candidates:
            self.error('load_balancers', lb['name'], "%s: member '%s' is on subnet '%s', but server '%s' has no port "
                                                     "there (its subnets: %s): name one of them."
                       % (where, server, subnet, server, ', '.join(candidates) or 'none'))
        elif subnet is None and len(candidates) != 1 and servers[server].get('networks'):
            self.error('load_balancers', lb['name'], "%s: member '%s' sits on several subnets (%s): name the one the "
                                                     "load balancer reaches it on with subnet."
                       % (where, server, ', '.join(candidates) or 'none'))

    def health_monitor(self, lb, pool, monitor, seen):
        where = "pool '%s': health_monitor" % pool['name']
        if not isinstance(monitor, dict):
            self.error('load_balancers', lb['name'], '%s must be {type, delay, timeout, max_retries, url_path, '
                                                     'expected_codes}, not %r.' % (where, monitor))
            return
        self.unique_lb_name(lb, 'health monitor', monitor.get('name') or monitor_name(pool), seen)
        mtype = monitor.get('type', 'HTTP')
        if mtype not in MONITOR_TYPES:
            self.error('load_balancers', lb['name'], '%s: type %r is not one Octavia knows; use one of %s.'
                       % (where, mtype, ', '.join(MONITOR_TYPES)))
        numbers = {}
        for key, low, high in (('delay', 1, None), ('timeout', 1, None), ('max_retries', 1, 10)):
            value = monitor.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or value < low or (high and value > high):
                self.error('load_balancers', lb['name'], '%s: %s must be a whole number %s, not %r.'
                           % (where, key, 'from %d to %d' % (low, high) if high else 'of seconds (at least %d)' % low,
                              value))
            else:
                numbers[key] = value
        if 'delay' in numbers and 'timeout' in numbers and numbers['timeout'] > numbers['delay']:
            self.error('load_balancers', lb['name'], '%s: timeout %d is longer than delay %d; a check must end before '
                                                     'the next one starts: make timeout at most delay.'
                       % (where, numbers['timeout'], numbers['delay']))
        http = [key for key in ('url_path', 'expected_codes', 'http_method') if key in monitor]
        if http and mtype in MONITOR_TYPES and mtype not in ('HTTP', 'HTTPS'):
            self.error('load_balancers', lb['name'], '%s: %s apply to HTTP and HTTPS monitors only, not %s; remove '
                                                     'them.' % (where, ', '.join(http), mtype))
            return
        url_path = monitor.get('url_path')
        if url_path is not None and not (isinstance(url_path, str) and url_path.startswith('/')):
            self.error('load_balancers', lb['name'], '%s: url_path %r must be a path starting with /.'
                       % (where, url_path))
        codes = monitor.get('expected_codes')
        if codes is not None and not EXPECTED_CODES.match(u'%s' % codes):
            self.error('load_balancers', lb['name'], "%s: expected_codes %r must be a status code (200), a list "
                                                     "(200,202) or a range (200-204)." % (where, codes))
        method = monitor.get('http_method')
        if method is not None and method not in HTTP_METHODS:
            self.error('load_balancers', lb['name'], '%s: http_method %r is not one of %s.'
                       % (where, method, ', '.join(HTTP_METHODS)))

    def stacks(self):
        for stack in self.data['stacks']:
            if not isinstance(stack, dict) or not stack.get('name'):
                continue
            if not STACK_NAME.match(u'%s' % stack['name']):
                self.error('stacks', stack['name'], 'a stack name starts with a letter and holds only letters, digits, '
                                                    '_, . and -; rename it.')
            if stack.get('state', 'present') == 'absent':
                continue
            self.project_known('stacks', stack)
            self.acting_user_known('stacks', stack)
            if self.context.get('stack_templates', True):
                for text in stack_problems(stack, self.templates_dir):
                    self.error('stacks', stack['name'], text)

    def images(self):
        for image in self.present('images'):
            if not image.get('file') and not image.get('guest'):
                self.error('images', image['name'], 'needs file (a disk image on the machine running Ansible) or '
                                                    'guest: true (the test guest gureum.openstack.guest_image builds).')
            elif image.get('file') and not image.get('guest') and self.context.get('files'):
                path = os.path.expanduser(u'%s' % image['file'])
                if not os.path.isfile(path):
                    self.error('images', image['name'], "file %s does not exist on the machine running Ansible; give "
                                                        "the absolute path of the disk image to upload, or use "
                                                        "guest: true for the test guest." % image['file'])
            disk_format = image.get('disk_format', 'qcow2')
            if disk_format not in DISK_FORMATS:
                self.error('images', image['name'], 'disk_format %r is not one Glance accepts; use one of %s '
                                                    '(qcow2 for cloud images).' % (disk_format, ', '.join(DISK_FORMATS)))

    def keypairs(self):
        for pair in self.present('keypairs'):
            self.project_known('keypairs', pair)
            self.acting_user_known('keypairs', pair)
            if not self.context.get('files'):
                continue
            path = pair.get('public_key_file')
            if path and os.path.isabs(os.path.expanduser(u'%s' % path)) and \
                    not os.path.isfile(os.path.expanduser(u'%s' % path)):
                self.error('keypairs', pair['name'], 'public_key_file %s does not exist on the machine running '
                                                     'Ansible; fix the path, give public_key instead, or leave both '
                                                     'out to have a key pair generated.' % path)

    def flavors(self):
        for flavor in self.present('flavors'):
            for key, low, unit in (('vcpus', 1, 'virtual CPUs'), ('ram', 1, 'MiB'), ('disk', 0, 'GiB')):
                value = flavor.get(key)
                if key == 'disk' and value is None:
                    continue
                if isinstance(value, bool) or not isinstance(value, int) or value < low:
                    self.error('flavors', flavor['name'], '%s must be a whole number of %s (at least %d), not %r; '
                                                          'fix it in bootstrap_flavors.' % (key, unit, low, value))

    def common(self, kind):
        seen = set()
        for index, res in enumerate(self.data[kind]):
            if not isinstance(res, dict) or not res.get('name'):
                self.errors.append(('names', kind, 'bootstrap_%s entry #%d has no name; give it one (every resource '
                                                   'is found by its name).' % (kind, index + 1)))
                continue
            key = (res['name'], res.get('project'))
            if key in seen:
                self.error(kind, res['name'], 'is listed twice%s; names must be unique: rename or remove one.'
                           % (" in project '%s'" % res['project'] if res.get('project') else ''), 'names')
            seen.add(key)
            if res.get('state', 'present') not in STATES:
                self.error(kind, res['name'], "state must be present or absent, not %r." % res.get('state'), 'names')

    def project_known(self, kind, res):
        project = res.get('project')
        if project and project not in self.names('projects') | set(BUILTIN_PROJECTS):
            self.error(kind, res['name'], "belongs to project '%s', which is neither defined under bootstrap_projects "
                                          "nor built in (%s): add it to bootstrap_projects or fix project."
                       % (project, ', '.join(BUILTIN_PROJECTS)), 'owners')

    def acting_user_known(self, kind, res):
        user = res.get('user')
        if not user:
            return
        users = dict((u['name'], u) for u in self.data['users'] if isinstance(u, dict) and u.get('name'))
        if user not in users and user not in BUILTIN_USERS:
            self.error(kind, res['name'], "is made as user '%s', who is not defined under bootstrap_users: add the "
                                          "user or fix user (admin acts in any project)." % user, 'owners')
            return
        project = res.get('project')
        if user in users and project:
            # a default project grants nothing in Keystone: only role assignments count
            projects = set(r.get('project') for r in users[user].get('roles', []) if isinstance(r, dict))
            if project not in projects:
                self.error(kind, res['name'], "is made as user '%s' in project '%s', but that user has no role in "
                                              "that project; add one under the user's roles." % (user, project),
                           'owners')

    def projects_and_users(self):
        for project in self.data['projects']:
            if not isinstance(project, dict):
                continue
            quotas = project.get('quotas') or {}
            if not isinstance(quotas, dict):
                self.error('projects', project.get('name'), 'quotas must be a mapping such as {instances: 10}.',
                           'quotas')
                continue
            for key, value in sorted(quotas.items()):
                if key not in QUOTAS:
                    self.error('projects', project.get('name'), "quota '%s' is not one the bootstrap role sets, so it "
                                                                "would be ignored; use one of %s."
                               % (key, ', '.join(QUOTAS)), 'quotas')
                elif isinstance(value, bool) or not isinstance(value, int) or value < -1:
                    self.error('projects', project.get('name'), 'quota %s must be an integer >= -1 (-1: no limit), '
                                                                'not %r.' % (key, value), 'quotas')
        for user in self.data['users']:
            if not isinstance(user, dict) or not user.get('name'):
                continue
            self.project_known('users', user)
            if not (user.get('password') or user.get('password_secret')):
                self.error('users', user['name'], 'needs password_secret (the name of a secret in the secrets file) '
                                                  'or password.')
            for role in user.get('roles', []):
                if not isinstance(role, dict) or not role.get('role') or not role.get('project'):
                    self.error('users', user['name'], 'each role needs role and project, got %r.' % (role,))
                elif role['project'] not in self.names('projects') | set(BUILTIN_PROJECTS):
                    self.error('users', user['name'], "has a role in unknown project '%s': add it to "
                                                      "bootstrap_projects or fix the role's project." % role['project'],
                               'owners')
                elif self.context.get('roles') is not None and role['role'] not in self.context['roles']:
                    self.error('users', user['name'], "has role '%s', which nothing deployed makes (Keystone will "
                                                      "have %s): deploy the service that makes it (heat makes "
                                                      "heat_stack_owner) or remove the role."
                               % (role['role'], ', '.join(sorted(self.context['roles']))))

    def networks(self):
        subnets = {}
        physical = self.context.get('physical_network')
        for net in self.data['networks']:
            if not isinstance(net, dict) or not net.get('name'):
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
                elif ntype in ('flat', 'vlan') and physical and provider.get('physical_network') != physical:
                    self.error('networks', net['name'], "is on physical network '%s', but Neutron maps only '%s' (to "
                                                        "the provider bridge, neutron_physical_network): set "
                                                        "physical_network: %s." % (provider.get('physical_network'),
                                                                                   physical, physical))
                segment = provider.get('segmentation_id')
                if ntype == 'vlan' and (isinstance(segment, bool) or not isinstance(segment, int)
                                        or not 1 <= segment <= 4094):
                    self.error('networks', net['name'], 'a vlan provider network needs segmentation_id, a VLAN ID from '
                                                        '1 to 4094, not %r.' % (segment,))
                elif ntype == 'flat' and segment is not None:
                    self.error('networks', net['name'], 'a flat network has no segmentation_id; remove it (or use '
                                                        'network_type: vlan).')
                elif ntype == 'vxlan' and segment is not None and (
                        isinstance(segment, bool) or not isinstance(segment, int) or not 1 <= segment <= 16777215):
                    self.error('networks', net['name'], 'provider segmentation_id %r is not a VXLAN ID (1-16777215).'
                               % (segment,))
                if net.get('user'):
                    self.error('networks', net['name'], 'only an admin can give provider attributes (network_type, '
                                                        'physical_network, segmentation_id); remove user, and the '
                                                        'admin makes it in its project.')
            mtu = net.get('mtu')
            if mtu is not None and (isinstance(mtu, bool) or not isinstance(mtu, int)
                                    or not MTU_RANGE[0] <= mtu <= MTU_RANGE[1]):
                self.error('networks', net['name'], 'mtu %r must be a whole number from %d to %d (or left out: '
                                                    'Neutron then derives it from the physical network).'
                           % ((mtu,) + MTU_RANGE))
            if net.get('external') and net.get('user'):
                self.error('networks', net['name'], 'only an admin can make an external network; remove user.')
            cidrs = []
            for sub in net.get('subnets', []):
                name = sub.get('name') if isinstance(sub, dict) else None
                if not name:
                    self.error('networks', net['name'], 'every subnet needs a name.')
                    continue
                if name in subnets:
                    self.error('networks', net['name'], "subnet '%s' is listed twice; rename one." % name)
                subnets[name] = net
                self.subnet(net, sub, cidrs)
        return subnets

    def on_provider(self, net):
        """Whether a network is the provider network's (flat on the mapped physical network): its subnets are
        provider_network's addresses."""
        provider = net.get('provider') or {}
        return provider.get('network_type') == 'flat' and \
            provider.get('physical_network') == self.context.get('physical_network', provider.get('physical_network'))

    def subnet(self, net, sub, cidrs):
        where = "subnet '%s'" % sub['name']
        try:
            cidr = _net(sub.get('cidr'))
        except ValueError:
            self.error('networks', net['name'], '%s: cidr %r is not a network address such as 172.16.10.0/24 (host '
                                                'bits clear).' % (where, sub.get('cidr')))
            return
        provider_cidr = self.context.get('provider_cidr')
        on_provider = provider_cidr and self.on_provider(net)
        if on_provider:
            outer = _net(provider_cidr)
            if cidr.version != outer.version or not cidr.subnet_of(outer):
                self.error('networks', net['name'], "%s %s is outside provider_network %s, the network its flat "
                                                    "physical network '%s' is wired to: set its cidr to %s (or a part "
                                                    "of it)." % (where, cidr, outer,
                                                                 net['provider']['physical_network'], outer))
        for other_name, other in cidrs:
            if cidr.version == other.version and cidr.overlaps(other):
                self.error('networks', net['name'], '%s %s overlaps subnet %s (%s) of the same network; give each '
                                                    'its own range.' % (where, cidr, other_name, other))
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
                self.error('networks', net['name'], '%s: allocation pool %s-%s ends before it starts; swap start '
                                                    'and end.' % (where, start, end))
            addresses += [('allocation pool start', start), ('allocation pool end', end)]
            pools.append((start, end))
        for what, address in addresses:
            if address not in cidr or address in (cidr.network_address, cidr.broadcast_address):
                self.error('networks', net['name'], '%s: %s %s is outside %s; use a host address of the subnet.'
                           % (where, what, address, cidr))
        if isinstance(gateway, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
            for start, end in pools:
                if start <= gateway <= end:
                    self.error('networks', net['name'], '%s: the gateway %s lies inside allocation pool %s-%s; '
                                                        'start the pool after it.' % (where, gateway, start, end))
        for index, (start, end) in enumerate(pools):
            for other_start, other_end in pools[index + 1:]:
                if start <= other_end and other_start <= end:
                    self.error('networks', net['name'], '%s: allocation pools %s-%s and %s-%s overlap; make them '
                                                        'disjoint.' % (where, start, end, other_start, other_end))
        if on_provider:
            # the provider network's addresses the nodes use: Neutron would hand them out again
            for address, owner in sorted((self.context.get('reserved') or {}).items()):
                try:
                    address = _ip(address)
                except ValueError:
                    continue
                for start, end in pools:
                    if address.version == start.version and start <= address <= end:
                        self.error('networks', net['name'], '%s: allocation pool %s-%s holds %s, %s, which Neutron '
                                                            'would hand out again as a floating IP or router gateway: '
                                                            'move the pool past it.'
                                   % (where, start, end, address, owner))

    def routers(self, subnets):
        networks = dict((n['name'], n) for n in self.data['networks'] if isinstance(n, dict) and n.get('name'))
        for router in self.data['routers']:
            if not isinstance(router, dict) or not router.get('name'):
                continue
            self.project_known('routers', router)
            self.acting_user_known('routers', router)
            gateway = router.get('external_gateway')
            if gateway:
                if gateway not in networks:
                    self.error('routers', router['name'], "has its gateway on unknown network '%s': name a network of "
                                                          "bootstrap_networks with external: true (ext_net by "
                                                          "default)." % gateway)
                elif not networks[gateway].get('external'):
                    self.error('routers', router['name'], "has its gateway on network '%s', which is not external "
                                                          "(set external: true on it)." % gateway)
            for iface in router.get('interfaces', []):
                if iface not in subnets:
                    self.error('routers', router['name'], "has an interface on unknown subnet '%s': name a subnet of "
                                                          "bootstrap_networks (interfaces take subnet names, not "
                                                          "network names)." % iface)
                elif subnets[iface].get('external'):
                    self.error('routers', router['name'], "has an interface on subnet '%s' of external network "
                                                          "'%s'; use external_gateway for it." % (iface, subnets[iface]['name']))

    def security_groups(self):
        for group in self.data['security_groups']:
            if not isinstance(group, dict) or not group.get('name'):
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
                                                                     "'first-last' range (icmp and any take no port)."
                                   % (port,))
                prefix = rule.get('remote_ip_prefix')
                if prefix:
                    try:
                        ipaddress.ip_network(u'%s' % prefix, strict=False)
                    except ValueError:
                        self.error('security_groups', group['name'], 'rule remote_ip_prefix %r is not a network '
                                                                     '(such as 0.0.0.0/0).' % prefix)

    def servers(self):
        for server in self.present('servers'):
            self.project_known('servers', server)
            self.acting_user_known('servers', server)
            for kind, key in (('images', 'image'), ('flavors', 'flavor'), ('keypairs', 'key_name')):
                value = server.get(key)
                if key != 'key_name' and not value:
                    self.error('servers', server['name'], 'needs %s (a name from bootstrap_%s).' % (key, kind))
                elif value and value not in self.names(kind):
                    self.error('servers', server['name'], "uses %s '%s', which is not defined under bootstrap_%s: add "
                                                          "it there or use one of %s." % (
                                                              key, value, kind,
                                                              ', '.join(sorted(self.names(kind))) or 'none yet'))
            networks = server.get('networks') or []
            if not networks:
                self.error('servers', server['name'], 'needs networks (a list of network names).')
            for network in networks:
                if network not in self.names('networks'):
                    self.error('servers', server['name'], "is on unknown network '%s': add it to bootstrap_networks "
                                                          "or fix networks." % network)
            for group in server.get('security_groups', []):
                if group not in self.names('security_groups') | set(['default']):
                    self.error('servers', server['name'], "uses unknown security group '%s': add it to "
                                                          "bootstrap_security_groups or fix security_groups." % group)

    def floating_ips(self):
        networks = dict((n['name'], n) for n in self.data['networks'] if isinstance(n, dict) and n.get('name'))
        for fip in self.present('floating_ips'):
            self.project_known('floating_ips', fip)
            self.acting_user_known('floating_ips', fip)
            network = fip.get('network')
            if network not in networks:
                self.error('floating_ips', fip['name'], "is on unknown network '%s': name an external network of "
                                                        "bootstrap_networks (ext_net by default)." % network)
            elif not networks[network].get('external'):
                self.error('floating_ips', fip['name'], "is on network '%s', which is not external; floating IPs "
                                                        "come from an external network (ext_net): set network to "
                                                        "one." % network)
            if fip.get('server') and fip['server'] not in self.names('servers'):
                self.error('floating_ips', fip['name'], "is for unknown server '%s': add it to bootstrap_servers or "
                                                        "fix server." % fip['server'])

    def quotas_needed(self):
        """Each project's quotas against what the day-1 resources take in it (stacks' resources not counted)."""
        flavors = dict((f['name'], f) for f in self.present('flavors'))
        for project in self.present('projects'):
            quotas = project.get('quotas')
            if not isinstance(quotas, dict):
                continue
            name = project['name']

            def mine(kind):
                return [r for r in self.present(kind) if r.get('project', 'admin') == name]
            servers = mine('servers')
            sized = [flavors[s['flavor']] for s in servers if s.get('flavor') in flavors]

            def total(key):
                return sum(f.get(key) for f in sized if isinstance(f.get(key), int) and not isinstance(f.get(key), bool))
            needs = [
                ('instances', len(servers), 'its servers'),
                ('cores', total('vcpus'), "its servers' flavors' virtual CPUs"),
                ('ram', total('ram'), "its servers' flavors' RAM in MiB"),
                ('floating_ips', len(mine('floating_ips'))
                 + len([lb for lb in mine('load_balancers') if lb.get('floating_ip')]), 'its floating IPs'),
                ('networks', len(mine('networks')), 'its networks'),
                ('subnets', sum(len(n.get('subnets') or []) for n in mine('networks')), 'its subnets'),
                ('routers', len(mine('routers')), 'its routers'),
                # Neutron makes each project its default security group too
                ('security_groups', len(mine('security_groups')) + 1, 'its security groups, the default one too'),
            ]
            for key, need, what in needs:
                limit = quotas.get(key)
                if isinstance(limit, bool) or not isinstance(limit, int) or limit == -1 or not need:
                    continue
                if limit < need:
                    self.error('projects', name, 'quota %s is %d, but the day-1 resources need %d (%s): raise '
                                                 'it to at least %d (-1: no limit), or make fewer of them.'
                               % (key, limit, need, what, need), 'quotas')


def problems(data, templates_dir=None, context=None):
    """Every problem in ``data`` (a dict of kind -> list) as (concern, kind, sentence); empty when all is well.

    ``context`` tells what only the deployment knows: provider_cidr (provider_network's CIDR, which the subnets of
    the flat network on the mapped physical network must lie in), physical_network (the one Neutron maps),
    reserved ({address: whose} the nodes use on the provider network, which no allocation pool may hold), files
    (check that image files, absolute public_key_files and objects' files exist here), stack_templates (False:
    leave the stacks' templates to the caller), roles (the role names Keystone will have; None: not checked) and
    services (the catalog entries deployed, openstack_services: volumes need cinder, containers swift_proxy; None:
    not checked)."""
    unknown = sorted(set(data) - set(KINDS))
    if unknown:
        return [('names', None, 'unknown resource kind(s) %s; the kinds are %s.' % (', '.join(unknown), ', '.join(KINDS)))]
    return _Checker(data, templates_dir, context).run()


def check(data, templates_dir=None, context=None):
    """Every problem in ``data`` (a dict of kind -> list), as sentences; empty when all is well."""
    return [text for dummy, dummy, text in problems(data, templates_dir, context)]


def plan(data, templates_dir=None, services=None):
    """``data`` with defaults filled in, or Day1Error listing every problem.

    Project-scoped resources get ``project`` and ``user`` (default admin) and ``cloud``, the name of the
    clouds.yaml entry to make them with; ``clouds`` lists the (user, project) pairs those entries need. Stacks
    get their template's absolute path and ``tag``, which changes with the template's content and the parameters;
    objects with a file get its absolute path. ``services`` (openstack_services) refuses volumes without Cinder and
    containers without Swift (None: not checked).
    """
    errors = check(data, templates_dir, None if services is None else {'services': list(services)})
    if errors:
        raise Day1Error('the day-1 resources have %d problem(s):\n- %s' % (len(errors), '\n- '.join(errors)))
    result = {}
    for kind in KINDS:
        items = []
        for res in data.get(kind) or []:
            item = dict(res)
            item.setdefault('state', 'present')
            if kind not in ADMIN_KINDS:
                item.setdefault('project', 'admin')
                item.setdefault('user', 'admin')
                # the clouds.yaml entry the resource is made with: the admin's, or its user's in its project
                item['cloud'] = 'admin' if item['user'] == 'admin' else '%s@%s' % (item['user'], item['project'])
            if kind == 'stacks':
                item.setdefault('parameters', {})
                if item['state'] == 'present':
                    item['template'] = template_path(item['template'], templates_dir)
                    item['tag'] = stack_tag(item)
            if kind == 'load_balancers' and item['state'] == 'present':
                item.update(load_balancer_parts(item, data))
            if kind == 'containers' and item['state'] == 'present':
                item['objects'] = [dict(o, file=template_path(o['file'], templates_dir)) if 'file' in o else dict(o)
                                   for o in item.get('objects') or []]
            items.append(item)
        result[kind] = items
    result['clouds'] = sorted(set((r['user'], r['project']) for kind in KINDS for r in result[kind]
                                  if r.get('cloud', 'admin') != 'admin'))
    return result


def load_balancer_parts(lb, data):
    """A checked load balancer's listeners with their defaults, and its parts one list each, in the order they are
    made: pools ({name, listener, protocol, lb_algorithm}), members ({name, pool, server, port, subnet, cidr}: the
    server's subnet and its CIDR, where its address is looked up) and health_monitors ({name, pool, type, delay,
    timeout, max_retries} and the HTTP settings given)."""
    subnets = {}
    for net in data.get('networks') or []:
        for sub in (net.get('subnets') or []) if isinstance(net, dict) else []:
            if isinstance(sub, dict) and sub.get('name'):
                subnets[sub['name']] = dict(net, cidr=sub.get('cidr'))
    servers = dict((s['name'], s) for s in data.get('servers') or []
                   if isinstance(s, dict) and s.get('state', 'present') == 'present')
    listeners, pools, members, monitors = [], [], [], []
    for listener in lb.get('listeners') or []:
        listener = dict(listener, protocol=listener.get('protocol', 'HTTP'))
        pool = listener.get('pool')
        if pool is not None:
            pool = dict(pool, protocol=pool.get('protocol', listener['protocol']),
                        lb_algorithm=pool.get('lb_algorithm', 'ROUND_ROBIN'))
            pool['members'] = []
            for member in (listener['pool'].get('members') or []):
                subnet = member.get('subnet') or member_subnets(servers[member['server']], subnets)[0]
                pool['members'].append(dict(member, name=member['server'], pool=pool['name'], subnet=subnet,
                                            cidr=subnets[subnet]['cidr']))
            members += pool['members']
            if pool.get('health_monitor') is not None:
                pool['health_monitor'] = dict(pool['health_monitor'], name=monitor_name(pool), pool=pool['name'],
                                              type=pool['health_monitor'].get('type', 'HTTP'))
                monitors.append(pool['health_monitor'])
            pools.append(dict([(k, v) for k, v in pool.items() if k not in ('members', 'health_monitor')],
                              listener=listener['name']))
            listener['pool'] = pool
        listeners.append(listener)
    return {'listeners': listeners, 'pools': pools, 'members': members, 'health_monitors': monitors}


def lb_members(load_balancers, servers, subnets):
    """The members of a plan's present load balancers as openstack.cloud.lb_member takes them: {cloud, pool, name,
    address, subnet_id, port}. ``servers`` and ``subnets`` map a cloud to the servers ({name, addresses}) and subnets
    ({name, id}) it lists. A server without an address in its member's subnet, or a subnet not found, is an error."""
    result, problems = [], []
    for lb in load_balancers or []:
        if lb.get('state', 'present') != 'present':
            continue
        cloud = lb.get('cloud', 'admin')
        found = dict((s.get('name'), s) for s in (servers or {}).get(cloud, []))
        ids = dict((s.get('name'), s.get('id')) for s in (subnets or {}).get(cloud, []))
        for member in lb.get('members') or []:
            where = "load balancer '%s', pool '%s', member '%s'" % (lb['name'], member['pool'], member['name'])
            server = found.get(member['server'])
            if server is None:
                problems.append("%s: server '%s' is not there (as %s); run the bootstrap again after it is made."
                                % (where, member['server'], cloud))
                continue
            cidr = _net(member['cidr'])
            addresses = [a.get('addr') for addrs in (server.get('addresses') or {}).values() for a in addrs or []
                         if a.get('OS-EXT-IPS:type', 'fixed') == 'fixed' and a.get('addr')
                         and _ip(a['addr']).version == cidr.version and _ip(a['addr']) in cidr]
            if not addresses:
                problems.append("%s: server '%s' has no address in subnet '%s' (%s); give it a port there."
                                % (where, member['server'], member['subnet'], cidr))
            elif not ids.get(member['subnet']):
                problems.append("%s: subnet '%s' is not there (as %s)." % (where, member['subnet'], cloud))
            else:
                result.append({'cloud': cloud, 'load_balancer': lb['name'], 'pool': member['pool'],
                               'name': member['name'], 'address': addresses[0], 'subnet_id': ids[member['subnet']],
                               'port': member['port']})
    if problems:
        raise Day1Error('; '.join(problems))
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
