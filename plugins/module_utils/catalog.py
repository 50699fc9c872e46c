# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The service catalog: one table of what each service needs, from which the rest is derived.

Firewall ports per node, Keystone registration, databases and messaging users, prechecks and the
verify playbook all read this table (through the filters in plugins/filter/catalog.py), so adding a
service means one entry here plus one role.

Each entry:
  groups      node roles that run it: controller, network, compute, storage, or all. Deployments map
              these roles to their own inventory group names (openstack_groups).
  ports       list of (port or 'first-last', protocol, scope); scope 'public' is open to anyone,
              'management' only to the management network.
  keystone    the Keystone service (type, name, description) and its endpoint (port, path), or None.
  user        the Keystone service user, when it needs one (password secret '<user>_keystone_password').
  databases   MariaDB databases it owns; its database user gets all of them and nothing else.
  database_user
              that database user (default: 'user', else the entry's name); password secret
              '<database_user>_database_password'.
  messaging   the RabbitMQ user and vhost it connects as (several entries of one project share it,
              e.g. nova and nova_compute); password secret '<messaging>_rabbitmq_password'.
  secrets     further secrets it needs: a list of {name, kind (password or fernet_key), length or count}.
  packages    per OS family.
  units       systemd units per OS family.
  health      path on the endpoint that answers without a token (verify, waiting for APIs).
  listeners   names of the processes that may hold its ports (prechecks: a port held by anything
              else is a conflict); 'kernel' for a socket no process holds.
  bridges     Linux bridges it makes for instance traffic ('brq+' is a name prefix): with br_netfilter on,
              their bridged frames pass the host's forward hook, so the firewall must forward within them.
  debconf     Debian only: package -> boolean debconf questions preseeded false, so the packages
              configure nothing themselves and the roles own the configuration.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

NODE_ROLES = ('controller', 'network', 'compute', 'storage')

# OpenStack releases each platform offers (OS family -> major version -> releases, oldest first):
# Debian ships them in its own archive; the RHEL family gets them from RDO.
PLATFORMS = {
    'Debian': {'12': ['zed']},
    'RedHat': {'9': ['zed', 'antelope', 'bobcat', 'caracal', 'dalmatian', 'epoxy']},
}
SCOPES = ('public', 'management')
PROTOCOLS = ('tcp', 'udp')
SECRET_KINDS = ('password', 'fernet_key')
NAME_RE = re.compile(r'^[a-z][a-z0-9_]*$')

SERVICES = {
    'ssh': {
        'groups': ['all'],
        'ports': [(22, 'tcp', 'public')],
        'listeners': ['sshd'],
    },
    'chrony_server': {
        'groups': ['controller'],
        'ports': [(123, 'udp', 'management')],
        'packages': {'Debian': ['chrony'], 'RedHat': ['chrony']},
        'units': {'Debian': ['chrony'], 'RedHat': ['chronyd']},
        'listeners': ['chronyd'],
    },
    'mariadb': {
        'groups': ['controller'],
        'ports': [(3306, 'tcp', 'management')],
        'packages': {'Debian': ['mariadb-server', 'python3-pymysql'], 'RedHat': ['mariadb-server', 'python3-PyMySQL']},
        'units': {'Debian': ['mariadb'], 'RedHat': ['mariadb']},
        'listeners': ['mariadbd', 'mysqld'],
    },
    'rabbitmq': {
        'groups': ['controller'],
        'ports': [(5672, 'tcp', 'management')],
        # python3-requests: community.rabbitmq's modules import it
        'packages': {'Debian': ['rabbitmq-server', 'python3-requests'], 'RedHat': ['rabbitmq-server', 'python3-requests']},
        'units': {'Debian': ['rabbitmq-server'], 'RedHat': ['rabbitmq-server']},
        'listeners': ['beam.smp'],
    },
    'memcached': {
        'groups': ['controller'],
        'ports': [(11211, 'tcp', 'management')],
        'packages': {'Debian': ['memcached', 'python3-memcache'], 'RedHat': ['memcached', 'python3-memcached']},
        'units': {'Debian': ['memcached'], 'RedHat': ['memcached']},
        'listeners': ['memcached'],
    },
    'keystone': {
        'groups': ['controller'],
        'ports': [(5000, 'tcp', 'public')],
        'keystone': {'type': 'identity', 'name': 'keystone', 'description': 'OpenStack Identity',
                     'port': 5000, 'path': '/v3'},
        'databases': ['keystone'],
        'secrets': [{'name': 'keystone_admin_password', 'kind': 'password'},
                    {'name': 'keystone_demo_password', 'kind': 'password'},
                    {'name': 'keystone_fernet_keys', 'kind': 'fernet_key', 'count': 2},
                    {'name': 'keystone_credential_keys', 'kind': 'fernet_key', 'count': 2}],
        'packages': {'Debian': ['keystone'], 'RedHat': ['openstack-keystone', 'httpd', 'python3-mod_wsgi']},
        'units': {'Debian': ['keystone'], 'RedHat': ['httpd']},
        'health': '/v3',
        'listeners': ['uwsgi', 'keystone', 'apache2', 'httpd'],
        'debconf': {'keystone': ['keystone/configure_db', 'keystone/create-admin-tenant', 'keystone/register-endpoint']},
    },
    'glance': {
        'groups': ['controller'],
        'ports': [(9292, 'tcp', 'public')],
        'keystone': {'type': 'image', 'name': 'glance', 'description': 'OpenStack Image',
                     'port': 9292, 'path': ''},
        'user': 'glance',
        'databases': ['glance'],
        'packages': {'Debian': ['glance-api'], 'RedHat': ['openstack-glance']},
        'units': {'Debian': ['glance-api'], 'RedHat': ['openstack-glance-api']},
        'health': '/healthcheck',
        'listeners': ['uwsgi', 'glance-api'],
        'debconf': {'glance-common': ['glance/configure_db', 'glance/configure_rabbit', 'glance/configure_ksat'],
                    'glance-api': ['glance/configure_api-endpoint']},
    },
    'placement': {
        'groups': ['controller'],
        'ports': [(8778, 'tcp', 'public')],
        'keystone': {'type': 'placement', 'name': 'placement', 'description': 'Placement API',
                     'port': 8778, 'path': ''},
        'user': 'placement',
        'databases': ['placement'],
        'packages': {'Debian': ['placement-api'], 'RedHat': ['openstack-placement-api']},
        'units': {'Debian': ['placement-api'], 'RedHat': ['httpd']},
        'health': '/',
        'listeners': ['uwsgi', 'placement-api', 'apache2', 'httpd'],
        'debconf': {'placement-common': ['placement/configure_db', 'placement/configure_ksat'],
                    'placement-api': ['placement/configure_api-endpoint']},
    },
    'nova': {
        'groups': ['controller'],
        'ports': [(8774, 'tcp', 'public'), (8775, 'tcp', 'management'), (6080, 'tcp', 'public')],
        'keystone': {'type': 'compute', 'name': 'nova', 'description': 'OpenStack Compute',
                     'port': 8774, 'path': '/v2.1'},
        'user': 'nova',
        'databases': ['nova_api', 'nova', 'nova_cell0'],
        'messaging': 'nova',
        'secrets': [{'name': 'metadata_proxy_shared_secret', 'kind': 'password'}],
        'packages': {'Debian': ['nova-api', 'nova-conductor', 'nova-scheduler', 'nova-consoleproxy'],
                     'RedHat': ['openstack-nova-api', 'openstack-nova-conductor', 'openstack-nova-novncproxy',
                                'openstack-nova-scheduler']},
        'units': {'Debian': ['nova-api', 'nova-api-metadata', 'nova-conductor', 'nova-scheduler', 'nova-novncproxy'],
                  'RedHat': ['openstack-nova-api', 'openstack-nova-scheduler', 'openstack-nova-conductor',
                             'openstack-nova-novncproxy']},
        'health': '/',
        'listeners': ['uwsgi', 'nova-api', 'nova-api-metadata', 'nova-novncproxy'],
        'debconf': {'nova-common': ['nova/configure_db', 'nova/configure_rabbit', 'nova/configure_ksat',
                                    'nova/configure_neutron', 'nova/configure_placement'],
                    'nova-api': ['novaapi/configure_db', 'nova/configure_api-endpoint']},
    },
    'nova_compute': {
        'groups': ['compute'],
        'ports': [('5900-5999', 'tcp', 'management'), (16509, 'tcp', 'management'),
                  ('49152-49215', 'tcp', 'management')],
        'messaging': 'nova',
        'packages': {'Debian': ['nova-compute', 'nova-compute-qemu'], 'RedHat': ['openstack-nova-compute']},
        'units': {'Debian': ['nova-compute', 'libvirtd'], 'RedHat': ['openstack-nova-compute', 'libvirtd']},
        'listeners': ['qemu-system-x86_64', 'qemu-system-aarch64', 'libvirtd'],
        'debconf': {'nova-common': ['nova/configure_db', 'nova/configure_rabbit', 'nova/configure_ksat',
                                    'nova/configure_neutron', 'nova/configure_placement']},
    },
    'neutron_server': {
        'groups': ['controller'],
        'ports': [(9696, 'tcp', 'public')],
        'keystone': {'type': 'network', 'name': 'neutron', 'description': 'OpenStack Networking',
                     'port': 9696, 'path': ''},
        'user': 'neutron',
        'databases': ['neutron'],
        'messaging': 'neutron',
        'packages': {'Debian': ['neutron-server'],
                     'RedHat': ['openstack-neutron', 'openstack-neutron-ml2']},
        'units': {'Debian': ['neutron-api', 'neutron-rpc-server'], 'RedHat': ['neutron-server']},
        'health': '/',
        'listeners': ['uwsgi', 'neutron-server', 'neutron-api'],
        'debconf': {'neutron-common': ['neutron/configure_db', 'neutron/configure_rabbit', 'neutron/configure_ksat',
                                       'neutron/configure_nova'],
                    'neutron-api': ['neutron/configure_api-endpoint']},
    },
    'neutron_network_agents': {
        'groups': ['network'],
        'ports': [],
        'messaging': 'neutron',
        'secrets': [{'name': 'metadata_proxy_shared_secret', 'kind': 'password'}],
        'packages': {'Debian': ['neutron-l3-agent', 'neutron-dhcp-agent', 'neutron-metadata-agent'],
                     'RedHat': ['openstack-neutron']},
        'units': {'Debian': ['neutron-l3-agent', 'neutron-dhcp-agent', 'neutron-metadata-agent'],
                  'RedHat': ['neutron-l3-agent', 'neutron-dhcp-agent', 'neutron-metadata-agent']},
        'debconf': {'neutron-common': ['neutron/configure_db', 'neutron/configure_rabbit', 'neutron/configure_ksat',
                                       'neutron/configure_nova'],
                    'neutron-metadata-agent': ['neutron-metadata/configure']},
    },
    'neutron_l2_agent': {
        'groups': ['network', 'compute'],
        'ports': [(4789, 'udp', 'management')],
        # linuxbridge: one brq<network> per network; openvswitch with the iptables firewall: qbr<port>
        'bridges': ['brq+', 'qbr+'],
        # the VXLAN port is held by the kernel's VXLAN devices (linuxbridge) or by ovs-vswitchd (userspace datapath)
        'listeners': ['kernel', 'ovs-vswitchd'],
        'messaging': 'neutron',
        'packages': {'Debian': ['neutron-linuxbridge-agent'], 'RedHat': ['openstack-neutron-linuxbridge']},
        'units': {'Debian': ['neutron-linuxbridge-agent'], 'RedHat': ['neutron-linuxbridge-agent']},
        'debconf': {'neutron-common': ['neutron/configure_db', 'neutron/configure_rabbit', 'neutron/configure_ksat',
                                       'neutron/configure_nova']},
    },
    'cinder': {
        'groups': ['controller'],
        'ports': [(8776, 'tcp', 'public')],
        'keystone': {'type': 'volumev3', 'name': 'cinderv3', 'description': 'OpenStack Block Storage',
                     'port': 8776, 'path': '/v3/%(project_id)s'},
        'user': 'cinder',
        'databases': ['cinder'],
        'messaging': 'cinder',
        'packages': {'Debian': ['cinder-api', 'cinder-scheduler'],
                     'RedHat': ['openstack-cinder']},
        'units': {'Debian': ['cinder-api', 'cinder-scheduler'],
                  'RedHat': ['openstack-cinder-api', 'openstack-cinder-scheduler']},
        'health': '/',
        'listeners': ['uwsgi', 'cinder-api', 'apache2', 'httpd'],
        'debconf': {'cinder-common': ['cinder/configure_db', 'cinder/configure_rabbit', 'cinder/configure_ksat'],
                    'cinder-api': ['cinder/configure_api-endpoint']},
    },
    'cinder_volume': {
        'groups': ['storage'],
        'ports': [(3260, 'tcp', 'management')],
        'messaging': 'cinder',
        'packages': {'Debian': ['cinder-volume'], 'RedHat': ['openstack-cinder', 'targetcli']},
        'units': {'Debian': ['cinder-volume'], 'RedHat': ['openstack-cinder-volume', 'target']},
        'listeners': ['tgtd', 'targetcli'],
        'debconf': {'cinder-common': ['cinder/configure_db', 'cinder/configure_rabbit', 'cinder/configure_ksat']},
    },
    'swift_proxy': {
        'groups': ['controller'],
        'secrets': [{'name': 'swift_hash_path_prefix', 'kind': 'password'},
                    {'name': 'swift_hash_path_suffix', 'kind': 'password'}],
        'ports': [(8080, 'tcp', 'public')],
        'keystone': {'type': 'object-store', 'name': 'swift', 'description': 'OpenStack Object Storage',
                     'port': 8080, 'path': '/v1/AUTH_%(project_id)s'},
        'user': 'swift',
        'packages': {'Debian': ['swift-proxy'], 'RedHat': ['openstack-swift-proxy']},
        'units': {'Debian': ['swift-proxy'], 'RedHat': ['openstack-swift-proxy']},
        'health': '/healthcheck',
        'listeners': ['swift-proxy-server'],
    },
    'swift_storage': {
        'groups': ['storage'],
        'secrets': [{'name': 'swift_hash_path_prefix', 'kind': 'password'},
                    {'name': 'swift_hash_path_suffix', 'kind': 'password'}],
        'ports': [(6200, 'tcp', 'management'), (6201, 'tcp', 'management'), (6202, 'tcp', 'management'),
                  (873, 'tcp', 'management')],
        'packages': {'Debian': ['swift-account', 'swift-container', 'swift-object', 'rsync'],
                     'RedHat': ['openstack-swift-account', 'openstack-swift-container', 'openstack-swift-object',
                                'rsync']},
        'units': {'Debian': ['swift-account', 'swift-container', 'swift-object'],
                  'RedHat': ['openstack-swift-account', 'openstack-swift-container', 'openstack-swift-object']},
        'listeners': ['swift-account-server', 'swift-container-server', 'swift-object-server', 'rsync'],
    },
    'heat': {
        'groups': ['controller'],
        'ports': [(8004, 'tcp', 'public'), (8000, 'tcp', 'public')],
        'keystone': {'type': 'orchestration', 'name': 'heat', 'description': 'Orchestration',
                     'port': 8004, 'path': '/v1/%(project_id)s'},
        'user': 'heat',
        'databases': ['heat'],
        'messaging': 'heat',
        'secrets': [{'name': 'heat_domain_admin_password', 'kind': 'password'}],
        'packages': {'Debian': ['heat-api', 'heat-api-cfn', 'heat-engine'],
                     'RedHat': ['openstack-heat-api', 'openstack-heat-api-cfn', 'openstack-heat-engine']},
        'units': {'Debian': ['heat-api', 'heat-api-cfn', 'heat-engine'],
                  'RedHat': ['openstack-heat-api', 'openstack-heat-api-cfn', 'openstack-heat-engine']},
        'health': '/',
        'listeners': ['uwsgi', 'heat-api', 'heat-api-cfn'],
        'debconf': {'heat-common': ['heat/configure_with_debconf', 'heat/configure_db', 'heat/configure_rabbit',
                                    'heat/configure_ksat'],
                    'heat-api': ['heat/configure_api-endpoint'],
                    'heat-api-cfn': ['heat-api-cfn/configure_api-endpoint']},
    },
    'heat_cfn': {
        'groups': ['controller'],
        'ports': [],
        'keystone': {'type': 'cloudformation', 'name': 'heat-cfn', 'description': 'Orchestration (CloudFormation)',
                     'port': 8000, 'path': '/v1'},
        'health': '/',
    },
    'horizon': {
        'groups': ['controller'],
        'secrets': [{'name': 'horizon_secret_key', 'kind': 'password', 'length': 64}],
        'ports': [(80, 'tcp', 'public'), (443, 'tcp', 'public')],
        'packages': {'Debian': ['openstack-dashboard-apache'], 'RedHat': ['openstack-dashboard']},
        'units': {'Debian': ['apache2'], 'RedHat': ['httpd']},
        'listeners': ['apache2', 'httpd'],
    },
    'octavia': {
        'groups': ['controller'],
        'ports': [(9876, 'tcp', 'public')],
        'keystone': {'type': 'load-balancer', 'name': 'octavia', 'description': 'OpenStack Load Balancer',
                     'port': 9876, 'path': ''},
        'user': 'octavia',
        'databases': ['octavia'],
        'messaging': 'octavia',
        'packages': {'Debian': ['octavia-api', 'octavia-health-manager', 'octavia-housekeeping', 'octavia-worker'],
                     'RedHat': ['openstack-octavia-api', 'openstack-octavia-health-manager',
                                'openstack-octavia-housekeeping', 'openstack-octavia-worker']},
        'units': {'Debian': ['octavia-api', 'octavia-health-manager', 'octavia-housekeeping', 'octavia-worker'],
                  'RedHat': ['octavia-api', 'octavia-health-manager', 'octavia-housekeeping', 'octavia-worker']},
        'health': '/',
        'listeners': ['uwsgi', 'octavia-api'],
        'debconf': {'octavia-common': ['octavia/configure_db', 'octavia/configure_rabbit', 'octavia/configure_ksat'],
                    'octavia-api': ['octavia/configure_api-endpoint']},
    },
}


class CatalogError(Exception):
    """Bad catalog data or a bad question about it; the message says how to fix it."""


def _port_range(port):
    text = str(port)
    first, dummy, last = text.partition('-')
    try:
        first, last = int(first), int(last or first)
    except ValueError:
        raise CatalogError("port %r is neither a number nor a 'first-last' range." % (port,))
    if not 1 <= first <= last <= 65535:
        raise CatalogError('port range %r is outside 1-65535 or reversed.' % (port,))
    return first, last


def check_entry(name, entry):
    """Raise CatalogError unless ``entry`` is a well-formed catalog entry."""
    if not isinstance(entry, dict):
        raise CatalogError("catalog entry '%s' must be a dictionary." % name)
    groups = entry.get('groups')
    if not groups or not isinstance(groups, list):
        raise CatalogError("catalog entry '%s' needs 'groups', a list of node roles (%s or all)."
                           % (name, ', '.join(NODE_ROLES)))
    for group in groups:
        if group not in NODE_ROLES + ('all',):
            raise CatalogError("catalog entry '%s': unknown node role '%s'; use %s or all."
                               % (name, group, ', '.join(NODE_ROLES)))
    for port in entry.get('ports', []):
        if not isinstance(port, (list, tuple)) or len(port) != 3:
            raise CatalogError("catalog entry '%s': each port is [port, protocol, scope], got %r." % (name, port))
        _port_range(port[0])
        if port[1] not in PROTOCOLS:
            raise CatalogError("catalog entry '%s': protocol %r is not tcp or udp." % (name, port[1]))
        if port[2] not in SCOPES:
            raise CatalogError("catalog entry '%s': scope %r is not public or management." % (name, port[2]))
    keystone = entry.get('keystone')
    if keystone is not None:
        missing = [k for k in ('type', 'name', 'port') if k not in keystone]
        if missing:
            raise CatalogError("catalog entry '%s': keystone needs %s." % (name, ', '.join(missing)))
    for field in ('user', 'database_user', 'messaging'):
        value = entry.get(field)
        if value is not None and not (isinstance(value, str) and NAME_RE.match(value)):
            raise CatalogError("catalog entry '%s': %s must be a lower-case name (letters, digits, _), got %r."
                               % (name, field, value))
    databases = entry.get('databases', [])
    if not isinstance(databases, list) or not all(isinstance(d, str) and NAME_RE.match(d) for d in databases):
        raise CatalogError("catalog entry '%s': databases must be a list of lower-case names, got %r."
                           % (name, databases))
    for spec in entry.get('secrets', []):
        check_secret_spec(spec, "catalog entry '%s'" % name)

    for field in ('listeners', 'bridges'):
        value = entry.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise CatalogError("catalog entry '%s': %s must be a list of names, got %r." % (name, field, value))
    debconf = entry.get('debconf', {})
    if not isinstance(debconf, dict):
        raise CatalogError("catalog entry '%s': debconf must map a package to its questions, got %r." % (name, debconf))
    for package, questions in debconf.items():
        if not isinstance(questions, list) or not all(isinstance(q, str) and '/' in q for q in questions):
            raise CatalogError("catalog entry '%s': debconf questions of '%s' must be a list of 'owner/question' "
                               "names, got %r." % (name, package, questions))


def check_secret_spec(spec, where='secret'):
    """Raise CatalogError unless ``spec`` is {name, kind[, length | count]}."""
    if not isinstance(spec, dict) or not isinstance(spec.get('name'), str) or not NAME_RE.match(spec['name']):
        raise CatalogError('%s: each secret is {name, kind}, with a lower-case name; got %r.' % (where, spec))
    if spec.get('kind', 'password') not in SECRET_KINDS:
        raise CatalogError("%s: secret '%s' has kind %r; use %s."
                           % (where, spec['name'], spec.get('kind'), ' or '.join(SECRET_KINDS)))
    for key, low in (('length', 16), ('count', 1)):
        if key in spec and (not isinstance(spec[key], int) or isinstance(spec[key], bool) or spec[key] < low):
            raise CatalogError("%s: secret '%s' needs %s to be a number of at least %d, got %r."
                               % (where, spec['name'], key, low, spec[key]))
    unknown = sorted(set(spec) - set(('name', 'kind', 'length', 'count')))
    if unknown:
        raise CatalogError("%s: secret '%s' has unknown field(s) %s." % (where, spec['name'], ', '.join(unknown)))


def database_user(name, entry):
    """The MariaDB user of an entry that owns databases."""
    return entry.get('database_user') or entry.get('user') or name


def catalog(overrides=None):
    """The catalog, with ``overrides`` (service -> entry or partial entry; None removes) merged over it."""
    result = copy.deepcopy(SERVICES)
    for name, entry in (overrides or {}).items():
        if entry is None:
            result.pop(name, None)
            continue
        if not isinstance(entry, dict):
            raise CatalogError("catalog override '%s' must be a dictionary (or null to remove it)." % name)
        merged = dict(result.get(name, {}))
        merged.update(entry)
        result[name] = merged
    for name, entry in result.items():
        check_entry(name, entry)
    return result


def select(services, enabled):
    """The entries of ``enabled`` services; an unknown name is an error, not a silent skip."""
    unknown = sorted(set(enabled) - set(services))
    if unknown:
        raise CatalogError('unknown service(s) %s; known services are: %s.'
                           % (', '.join(unknown), ', '.join(sorted(services))))
    return dict((name, services[name]) for name in enabled)


def node_roles(host_groups, group_map):
    """Node roles (controller, ...) of a host, from its inventory groups and the role -> group map."""
    roles = ['all']
    for role in NODE_ROLES:
        if group_map.get(role, role) in host_groups:
            roles.append(role)
    return roles


def services_on(services, host_groups, group_map=None):
    """Names of the services that run on a host, sorted."""
    roles = node_roles(host_groups, group_map or {})
    return sorted(name for name, entry in services.items() if set(entry['groups']) & set(roles))


def firewall_ports(services, host_groups, group_map=None):
    """Ports a host must open: sorted, de-duplicated dicts of port ('22' or '5900-5999'), protocol, scope.

    A port needed publicly by one service and on the management network by another is opened publicly.
    """
    wanted = {}
    for name in services_on(services, host_groups, group_map):
        for port, protocol, scope in services[name].get('ports', []):
            first, last = _port_range(port)
            key = ('%d' % first if first == last else '%d-%d' % (first, last), protocol)
            if wanted.get(key) != 'public':
                wanted[key] = scope
    return [{'port': port, 'protocol': protocol, 'scope': wanted[(port, protocol)]}
            for port, protocol in sorted(wanted, key=lambda k: (_port_range(k[0]), k[1]))]


def firewall_bridges(services, host_groups, group_map=None):
    """Bridges (names, 'brq+' a prefix) whose instance traffic a host must forward, sorted, each once."""
    return sorted(set(bridge for name in services_on(services, host_groups, group_map)
                      for bridge in services[name].get('bridges', [])))


def _secret(name, kind='password', **extra):
    spec = {'name': name, 'kind': kind}
    spec.update(extra)
    return spec


def secret_specs(services):
    """Every secret the given services need, sorted by name: derived ones and each entry's own 'secrets'.

    Derived: '<database_user>_database_password' for entries with databases, '<user>_keystone_password' for
    Keystone service users, '<messaging>_rabbitmq_password' for RabbitMQ users. Two services may ask for the
    same secret (nova and neutron share metadata_proxy_shared_secret) as long as they ask for the same kind.
    """
    wanted = {}
    for name in sorted(services):
        entry = services[name]
        specs = []
        if entry.get('databases'):
            specs.append(_secret('%s_database_password' % database_user(name, entry)))
        if entry.get('user'):
            specs.append(_secret('%s_keystone_password' % entry['user']))
        if entry.get('messaging'):
            specs.append(_secret('%s_rabbitmq_password' % entry['messaging']))
        for spec in entry.get('secrets', []):
            check_secret_spec(spec, "catalog entry '%s'" % name)
            specs.append(dict(spec, kind=spec.get('kind', 'password')))
        for spec in specs:
            known = wanted.get(spec['name'])
            if known is not None and known != spec:
                raise CatalogError("secret '%s' is asked for as %r by '%s' but as %r elsewhere; make them agree."
                                   % (spec['name'], spec, name, known))
            wanted[spec['name']] = spec
    return [wanted[key] for key in sorted(wanted)]


def setup_plan(services):
    """What the service_setup role creates for the given services, with secret names (not values).

    Returns a dict of sorted lists:
      databases  [{user, names, secret}]: one MariaDB user per owner, with all its databases;
      messaging  [{user, vhost, secret}]: one RabbitMQ user and vhost per owner;
      users      [{name, secret}]: Keystone service users (they get the admin role on the service project);
      services   [{name, type, description, port, path}]: Keystone services and their endpoints.
    """
    databases, messaging, users, registered = {}, {}, {}, {}
    for name in sorted(services):
        entry = services[name]
        if entry.get('databases'):
            user = database_user(name, entry)
            item = databases.setdefault(user, {'user': user, 'names': [], 'secret': '%s_database_password' % user})
            item['names'] = sorted(set(item['names']) | set(entry['databases']))
        if entry.get('messaging'):
            user = entry['messaging']
            messaging[user] = {'user': user, 'vhost': user, 'secret': '%s_rabbitmq_password' % user}
        if entry.get('user'):
            users[entry['user']] = {'name': entry['user'], 'secret': '%s_keystone_password' % entry['user']}
        keystone = entry.get('keystone')
        if keystone:
            if keystone['name'] in registered:
                raise CatalogError("Keystone service '%s' is registered by two catalog entries." % keystone['name'])
            registered[keystone['name']] = {
                'name': keystone['name'], 'type': keystone['type'],
                'description': keystone.get('description', ''),
                'port': keystone['port'], 'path': keystone.get('path', ''),
            }
    return {
        'databases': [databases[k] for k in sorted(databases)],
        'messaging': [messaging[k] for k in sorted(messaging)],
        'users': [users[k] for k in sorted(users)],
        'services': [registered[k] for k in sorted(registered)],
    }


def debconf_preseeds(services):
    """Boolean debconf questions (preseeded false) of the given entries: sorted dicts, each once."""
    seen = set()
    for entry in services.values():
        for package, questions in entry.get('debconf', {}).items():
            for question in questions:
                seen.add((package, question))
    return [{'package': package, 'question': question, 'vtype': 'boolean', 'value': 'false'}
            for package, question in sorted(seen)]


def port_listeners(services, host_groups, group_map=None):
    """Which processes may hold each port a host opens: {(port, protocol): sorted process names}.

    Ranges are left out: they are for guests and live migration, not for listeners to check.
    """
    result = {}
    for name in services_on(services, host_groups, group_map):
        entry = services[name]
        for port, protocol, dummy in entry.get('ports', []):
            first, last = _port_range(port)
            if first != last:
                continue
            result.setdefault((first, protocol), set()).update(entry.get('listeners', []))
    return dict((key, sorted(value)) for key, value in result.items())


def required_secrets(services):
    """Names of the secrets the given entries need, sorted (see secret_specs)."""
    return [spec['name'] for spec in secret_specs(services)]


def platform_releases(os_family, major_version):
    """OpenStack releases a platform offers (empty when the platform is not supported)."""
    return list(PLATFORMS.get('%s' % os_family, {}).get('%s' % major_version, []))


def known_releases():
    """Every release some supported platform offers, sorted."""
    return sorted(set(r for versions in PLATFORMS.values() for releases in versions.values() for r in releases))
