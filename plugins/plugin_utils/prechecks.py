# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The checks that run before a deployment touches anything; each problem is a sentence with the fix.

Two stages, both plain functions over plain data (the action plugin gureum.openstack.prechecks
gathers the data from the inventory and the nodes):

  inventory_problems(settings, hosts)   what the inventory alone tells (no node is contacted)
  node_problems(settings, hosts)        what the nodes tell: facts and gureum.openstack.precheck_facts

settings: release, region, groups (node role -> inventory group), services, catalog_overrides,
          endpoints ({public, internal, admin}: {address, scheme}), tls ({cert_file, key_file, ca_file}: the
          user's HTTPS files, '' when not given),
          stacks (bootstrap_stacks) and templates_dir (where their relative template paths start),
          day1 (the other day-1 lists: {projects: bootstrap_projects, ...}; networks None when the inventory
          leaves bootstrap_networks to the bootstrap role's default) and day1_errors ({variable: why it cannot be
          evaluated}), physical_network (neutron_physical_network),
          min_memory_mb and min_disk_mb (node role -> MiB, 'other' for hosts with none), max_clock_skew (s),
          required_secrets, secrets_file ({path, exists, mode} or None), ansible_version, netaddr
hosts:    a list of {name, groups, vars, facts, node, unreachable}; vars are the host's inventory
          variables the checks read (management_address, management_network, ...), facts its
          ansible_facts, node the result of gureum.openstack.precheck_facts.

Every check has an id (CHECKS); a problem is {'check': id, 'host': name or None, 'msg': sentence}.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog, cinder, day1, network_layout, prechecks_tls

CHECKS = {
    # inventory
    'ansible_version': 'ansible-core on the controller is 2.19 or newer',
    'netaddr': 'the controller has the netaddr Python library',
    'release_known': 'openstack_release names a release some supported platform offers',
    'region': 'openstack_region is a name without spaces',
    'services_known': 'every service in openstack_services is in the catalog',
    'group_map': 'openstack_groups maps every node role to a group name',
    'groups_present': 'the groups the services need exist and hold hosts',
    'hostname_valid': 'inventory host names are valid host names',
    'hostnames_unique': 'inventory host names are unique (short names, any case)',
    'management_address': 'every host has a valid management_address',
    'addresses_unique': 'no two hosts share a management, provider or amphora address',
    'networks_valid': 'management_network and provider_network are valid networks with their gateway inside',
    'networks_disjoint': 'the management and provider networks do not overlap',
    'address_in_network': 'every management address lies inside the management network, and is not its gateway',
    'provider_interface_set': 'hosts with a provider bridge name their provider_interface',
    'provider_address': 'provider addresses lie inside the provider network',
    'mtu_valid': 'network MTUs are between 576 and 9216',
    'secrets_present': 'the secrets the services need are set',
    'secrets_file': 'the secrets file exists and only its owner can read it',
    'option_values': 'network_bridge_type, nova_compute_virt_type and selinux_state have known values',
    'single_controller': 'one controller until high availability lands (MariaDB and RabbitMQ are not clustered)',
    'one_l2_agent': 'one Neutron L2 agent (linuxbridge or openvswitch) for the whole deployment, on every node',
    'bridge_driver': "the provider bridge is the kind the Neutron driver's L2 agent maps to (linux or ovs)",
    'bridge_mappings': 'the provider physical network maps to a bridge the network role builds on that node',
    'vlan_ranges': 'VLAN ranges are valid, and every day-1 VLAN network lies inside them',
    'ovs_datapath_options': 'the Open vSwitch datapath asked for is allowed',
    'stacks_valid': 'the day-1 stacks have Heat, a template that parses, and only parameters it declares',
    'tls_files': 'the HTTPS certificate, key and CA given exist, can be read, are PEM and match each other',
    'endpoint_schemes': 'endpoints on one address use one scheme (they share each listener)',
    'interface_names': 'management_interface, provider_interface and the provider bridge are possible interface names',
    'cinder_backends': 'Cinder backends (cinder_backends) are well-formed; an lvm backend has a device and the iSCSI '
                       'target service',
    # Octavia's management network (lb-mgmt-net): a physical network of its own, the amphora network
    'amphora_network': 'with Octavia, amphora_network is an IPv4 network with room for the amphorae\'s pool, apart '
                       'from the management and provider networks',
    'amphora_address': 'with Octavia, every controller has an amphora_address inside amphora_network, outside the '
                       'amphorae\'s pool',
    'amphora_interface_set': 'with Octavia, every controller, network and compute node names its own NIC on the '
                             'amphora network (amphora_interface)',
    'amphora_image_build': 'with Octavia and no octavia_image_file, the machine running Ansible can build the amphora '
                           'image: its tools, root, and the Debian archive of its apt sources reachable',
    # the day-1 data (bootstrap_*), checked here so that a mistake stops the run before any node changes
    'day1_data': 'the day-1 lists (bootstrap_*) are lists whose expressions evaluate',
    'day1_names': 'day-1 resources have names, unique per kind and project, and a known state',
    'day1_owners': 'day-1 resources are made in known projects, as known users who have a role there',
    'day1_quotas': "day-1 projects' quotas are known keys, valid numbers, and cover the day-1 resources made there",
    'day1_users': 'day-1 users have a password (or a password secret) and well-formed roles',
    'day1_flavors': 'day-1 flavors have whole, positive sizes',
    'day1_images': 'day-1 images have a file that exists here (or are the test guest) and a known disk format',
    'day1_networks': 'day-1 networks: known types on the mapped physical network, valid MTUs, subnets inside their '
                     'range (the provider one inside provider_network), pools inside their subnet, clear of the '
                     'nodes\' provider addresses',
    'day1_routers': 'day-1 routers have their gateway on a known external network and interfaces on known subnets',
    'day1_security_groups': 'day-1 security group rules have known protocols, ports and prefixes',
    'day1_keypairs': 'day-1 key pairs name public key files that exist',
    'day1_servers': 'day-1 servers use defined images, flavors, key pairs, networks and security groups',
    'day1_floating_ips': 'day-1 floating IPs come from a known external network, for known servers',
    'day1_volumes': 'day-1 volume types and volumes have Cinder; volumes a whole size, a known type, a known server of '
                    'their project',
    'day1_containers': "day-1 containers have Swift's proxy; their objects a name and content, or a text file here",
    'day1_load_balancers': 'day-1 load balancers have Octavia, a VIP on a known subnet, listeners on valid ports, pools '
                           'of known servers of their project, health monitors Octavia accepts, a floating IP from an '
                           'external network',
    # nodes
    'reachable': 'Ansible reaches every node',
    'os_supported': 'every node runs a supported platform (Debian 12, RHEL family 9)',
    'release_on_platform': "every node's platform offers openstack_release",
    'python': 'every node has Python 3.9 or newer',
    'systemd': 'every node runs systemd',
    'architecture': 'every node is x86_64 or aarch64',
    'root': 'Ansible is root on every node (or becomes root)',
    'hostname_matches': "every node's host name is its inventory name",
    'node_hostnames_unique': "no two nodes have the same host name",
    'management_interface': 'the management interface exists and carries the management address',
    'provider_interface': 'the provider interface exists where a bridge needs it, and carries no address of its own',
    'default_route': 'every node has an IPv4 default route',
    'name_resolution': 'inventory names resolve to management addresses the same way on every node',
    'ports_free': "the ports of each node's services are free or held by those services",
    'memory': 'enough memory for the node roles (measured from the host where nodes share one)',
    'disk': 'enough free disk for the node roles (measured on the shared file system where nodes share one)',
    'clock_skew': 'the node clocks agree',
    'virt_type': 'the virt type chosen for the computes is possible there',
    'ovs_datapath': 'Open vSwitch nodes have a datapath they may use (the kernel one, or userspace when allowed)',
    'other_firewall': 'no other firewall service competes with firewalld',
    'amphora_interface': 'with Octavia, the amphora interface exists, and carries no address but the node\'s '
                         'amphora_address',
    'network_conflicts': 'no other network configuration claims the interfaces the network role writes',
    'selinux_mode': 'SELinux on the RHEL family can reach selinux_state without surprises',
    'tls_platform': 'HTTPS only on platforms where the services serve it (Debian)',
    'ceph_external': 'an external Ceph has its monitors and keys, and no Ceph daemon is deployed beside it',
    'lvm_node': 'storage nodes with an lvm backend have device-mapper and the device its volume group goes on',
}

INVENTORY_CHECKS = ('ansible_version', 'netaddr', 'release_known', 'region', 'services_known', 'group_map',
                    'groups_present', 'hostname_valid', 'hostnames_unique', 'management_address', 'addresses_unique',
                    'networks_valid', 'networks_disjoint', 'address_in_network', 'provider_interface_set',
                    'provider_address', 'mtu_valid', 'secrets_present', 'secrets_file', 'option_values',
                    'single_controller', 'one_l2_agent', 'bridge_driver', 'bridge_mappings', 'vlan_ranges',
                    'ovs_datapath_options', 'stacks_valid', 'tls_files', 'endpoint_schemes', 'interface_names',
                    'cinder_backends', 'amphora_network', 'amphora_address', 'amphora_interface_set',
                    'amphora_image_build',
                    'day1_data', 'day1_names', 'day1_owners', 'day1_quotas',
                    'day1_users', 'day1_flavors', 'day1_images', 'day1_networks', 'day1_routers',
                    'day1_security_groups', 'day1_keypairs', 'day1_servers', 'day1_floating_ips', 'day1_volumes',
                    'day1_containers', 'day1_load_balancers', 'ceph_external')
# Checked after the secrets role has filled in and loaded the secrets file (still before any node is contacted)
SECRET_CHECKS = ('secrets_present', 'secrets_file', 'ceph_external')
# What an external Ceph's user puts into the secrets file (the names the ceph_mon entry would generate)
CEPH_EXTERNAL_SECRETS = ('ceph_fsid', 'ceph_client_glance_key', 'ceph_client_cinder_key',
                         'ceph_client_cinder_backup_key')
CEPH_ENTRIES = ('ceph_mon', 'ceph_mgr', 'ceph_osd')
SUPPORTED_ARCHITECTURES = ('x86_64', 'aarch64')
HOSTNAME_LABEL = re.compile(r'^(?!-)[a-z0-9-]{1,63}(?<!-)$')
OVS_DATAPATH_TYPES = ('auto', 'system', 'netdev')
BRIDGE_KINDS = {'linuxbridge': 'linux', 'openvswitch': 'ovs'}
# Linux interface names: up to 15 bytes (IFNAMSIZ), no white space, '/' or ':' (an alias cannot be bridged)
INTERFACE_NAME = re.compile(r'^(?!\.{1,2}$)[^\s/:]{1,15}$')
OTHER_FIREWALLS = ('ufw', 'netfilter-persistent', 'iptables', 'ip6tables', 'nftables', 'ebtables')


def _problem(problems, check, host, msg):
    if check not in CHECKS:
        raise ValueError('unknown check %r' % check)
    problems.append({'check': check, 'host': host, 'msg': msg})


def _text(value):
    return u'%s' % (value,)


def _net(value):
    try:
        return ipaddress.ip_network(_text(value), strict=True)
    except ValueError:
        return None


def _ip(value):
    try:
        return ipaddress.ip_address(_text(value))
    except ValueError:
        return None


def _version(text):
    return tuple(int(p) for p in re.findall(r'\d+', _text(text))[:3])


def node_roles(host, settings):
    return [r for r in catalog.node_roles(host['groups'], settings.get('groups') or {}) if r != 'all']


def needs_bridge(host, settings):
    wanted = host['vars'].get('provider_bridge')
    if wanted is None:
        return 'network' in node_roles(host, settings)
    return bool(wanted)


def _services(settings):
    return catalog.select(catalog.catalog(settings.get('catalog_overrides') or {}), settings.get('services') or [])


# ---------------------------------------------------------------------------------------------------------------------
# inventory


def inventory_problems(settings, hosts):
    problems = []
    names = [h['name'] for h in hosts]
    _controller_checks(settings, problems)
    services = _service_checks(settings, hosts, problems)
    _hostname_checks(hosts, problems)
    _network_checks(settings, hosts, problems)
    _option_checks(hosts, problems)
    _driver_checks(settings, hosts, services, problems)
    _vlan_checks(settings, problems)
    _interface_name_checks(settings, hosts, problems)
    _stack_checks(settings, problems)
    _day1_checks(settings, hosts, problems)
    _tls_checks(settings, hosts, problems)
    _ceph_checks(hosts, services, problems)
    _cinder_checks(settings, hosts, services, problems)
    _amphora_checks(settings, hosts, problems)
    if not names:
        _problem(problems, 'groups_present', None,
                 'The inventory has no hosts: add the nodes (inventories/example/hosts.yml shows how).')
    return problems


def _controller_checks(settings, problems):
    if _version(settings.get('ansible_version', '0')) < (2, 19):
        _problem(problems, 'ansible_version', None,
                 'ansible-core %s is too old: the collection needs 2.19 or newer; install requirements.txt '
                 '(pip install -r requirements.txt).' % settings.get('ansible_version'))
    if not settings.get('netaddr', True):
        _problem(problems, 'netaddr', None,
                 'The Python library netaddr is missing on the machine that runs Ansible (the ipaddr filters need it): '
                 'pip install netaddr, or install requirements.txt.')
    release = settings.get('release')
    if release not in catalog.known_releases():
        _problem(problems, 'release_known', None,
                 "openstack_release '%s' is not a release this collection deploys; use one of %s."
                 % (release, ', '.join(catalog.known_releases())))
    region = settings.get('region')
    if not region or re.search(r'\s', _text(region)):
        _problem(problems, 'region', None,
                 "openstack_region %r must be a non-empty name without spaces, like RegionOne." % (region,))


def _service_checks(settings, hosts, problems):
    group_map = settings.get('groups')
    unmapped = [r for r in catalog.NODE_ROLES
                if not isinstance(group_map, dict) or not isinstance(group_map.get(r), str) or not group_map.get(r)]
    if unmapped:
        _problem(problems, 'group_map', None,
                 'openstack_groups must map each node role (%s) to an inventory group name, got %r; '
                 'leave it out for the default (each role its own group) or see inventories/example/.'
                 % (', '.join(catalog.NODE_ROLES), group_map))
        group_map = {}
    try:
        services = _services(settings)
    except catalog.CatalogError as exc:
        _problem(problems, 'services_known', None,
                 'openstack_services: %s Fix the list (or the catalog overrides).' % exc)
        return {}
    roles = settings.get('roles')
    if roles is not None:
        for name in sorted(services):
            if services[name]['role'] not in roles:
                _problem(problems, 'services_known', None,
                         "openstack_services enables '%s', but no role of this collection deploys it (its catalog entry "
                         "names role '%s'): remove it from openstack_services, or fix the entry's role in "
                         "openstack_catalog_overrides." % (name, services[name]['role']))
    needed = set(['controller'])  # the time servers
    for entry in services.values():
        needed.update(g for g in entry['groups'] if g != 'all')
    for role in sorted(needed):
        group = group_map.get(role, role)
        members = [h['name'] for h in hosts if group in h['groups']]
        if not members:
            users = sorted(n for n, e in services.items() if role in e['groups']) or ['the time servers']
            _problem(problems, 'groups_present', None,
                     "Group '%s' (node role %s) is missing or empty, but %s run there: put at least one host in it, "
                     "or map the role to another group in openstack_groups." % (group, role, ', '.join(users)))
    controllers = sorted(h['name'] for h in hosts if group_map.get('controller', 'controller') in h['groups'])
    if len(controllers) > 1:
        _problem(problems, 'single_controller', None,
                 "Group '%s' holds %d hosts (%s): this release deploys one controller, and with more each would run "
                 "its own unclustered MariaDB and RabbitMQ while every service used the first. Keep one host in it "
                 "until high availability (Galera, a RabbitMQ cluster, a VIP) lands."
                 % (group_map.get('controller', 'controller'), len(controllers), ', '.join(controllers)))
    if 'heat_cfn' in services and 'heat' not in services:
        _problem(problems, 'services_known', None,
                 "openstack_services enables heat_cfn without heat: the CloudFormation API is deployed by the heat role "
                 "beside the orchestration API and engine; add heat, or remove heat_cfn.")
    agents = sorted(set(services) & set(catalog.l2_agent(d) for d in catalog.NETWORK_DRIVERS))
    if len(agents) > 1:
        _problem(problems, 'one_l2_agent', None,
                 'openstack_services enables both %s: one deployment runs one Neutron mechanism driver on all its '
                 'nodes; keep one (openstack_network_driver picks it when openstack_services is left to its default).'
                 % ' and '.join(agents))
    return services


def _stack_checks(settings, problems):
    """bootstrap_stacks: Heat deployed, each present stack's template readable and a Heat template, every parameter
    given one the template declares (and every one without a default given)."""
    stacks = settings.get('stacks') or []
    if not isinstance(stacks, list) or not all(isinstance(s, dict) and s.get('name') for s in stacks):
        _problem(problems, 'stacks_valid', None,
                 'bootstrap_stacks must be a list of stacks, each {name, template, parameters, project, user}; '
                 'docs/bootstrap.md shows one.')
        return
    present = [s for s in stacks if s.get('state', 'present') == 'present']
    if present and 'heat' not in (settings.get('services') or []):
        _problem(problems, 'stacks_valid', None,
                 'bootstrap_stacks lists %s, but heat is not in openstack_services: add heat and heat_cfn to it, or '
                 'remove the stacks (or mark them state: absent).' % ', '.join(s['name'] for s in present))
    for stack in present:
        for text in day1.stack_problems(stack, settings.get('templates_dir')):
            _problem(problems, 'stacks_valid', None, "bootstrap_stacks: stack '%s': %s" % (stack['name'], text))


# The bootstrap role's default bootstrap_networks (roles/bootstrap/defaults/main.yml): its external network on the
# provider network; only its name and kind matter here (its subnet is made from provider_network)
DEFAULT_EXTERNAL_NETWORK = {'name': 'ext_net', 'external': True, 'shared': True,
                            'provider': {'network_type': 'flat', 'physical_network': 'provider'}}


# The check of each day-1 concern (day1.problems) whose check is not day1_<concern>
DAY1_CHECKS = {'stacks': 'stacks_valid', 'volume_types': 'day1_volumes'}


def _day1_checks(settings, hosts, problems):
    """The day-1 resources (bootstrap_*): what roles/bootstrap would refuse at the end of a deploy, and what only
    the deployment knows (provider_network, the physical network Neutron maps, the nodes' provider addresses)."""
    for variable, error in sorted((settings.get('day1_errors') or {}).items()):
        _problem(problems, 'day1_data', None, '%s cannot be evaluated (%s): fix the expression, or define what it '
                                              'refers to.' % (variable, error))
    data = settings.get('day1')
    if not isinstance(data, dict) or settings.get('day1_errors'):
        return  # (with a list missing, its references would be reported too)
    data = dict((kind, value) for kind, value in data.items() if kind != 'stacks')
    provider = next((h['vars']['provider_network'] for h in hosts
                     if isinstance(h['vars'].get('provider_network'), dict)
                     and _net(h['vars']['provider_network'].get('cidr'))), None)
    if data.get('networks') is None:
        data['networks'] = [dict(DEFAULT_EXTERNAL_NETWORK)] if provider else []
    for kind, value in sorted(data.items()):
        if not isinstance(value, list):
            _problem(problems, 'day1_data', None, 'bootstrap_%s must be a list of resources, got %r; '
                                                  'docs/bootstrap.md shows each kind.' % (kind, value))
            return
    data['stacks'] = settings.get('stacks') if isinstance(settings.get('stacks'), list) else []
    reserved = {}
    if provider:
        if provider.get('gateway'):
            reserved[_text(provider['gateway'])] = "provider_network's gateway"
        for host in hosts:
            if host['vars'].get('provider_address'):
                reserved[_text(host['vars']['provider_address'])] = "%s's provider_address" % host['name']
    context = {'provider_cidr': _text(_net(provider.get('cidr'))) if provider else None,
               'physical_network': settings.get('physical_network') or 'provider',
               'reserved': reserved, 'files': True,
               # the stacks' templates: stacks_valid
               'stack_templates': False,
               'roles': keystone_roles(settings),
               # volumes need cinder, containers swift_proxy, load balancers octavia
               'services': list(settings.get('services') or [])}
    for concern, kind, text in day1.problems(data, settings.get('templates_dir'), context):
        check = DAY1_CHECKS.get(concern, 'day1_' + concern)
        _problem(problems, check, None, '%s: %s' % ('bootstrap_%s' % kind if kind else 'day-1 data', text))


def lvm_backends(host, settings, services):
    """The lvm backends (cinder.lvm_backends) of a host that runs cinder-volume, [] otherwise or when its backends
    are malformed (cinder_backends reports those)."""
    if 'cinder_volume' not in catalog.services_on(services, host['groups'], settings.get('groups') or {}):
        return []
    backends = host['vars'].get('cinder_backends')
    if backends is None or cinder.problems(backends):
        return []
    return cinder.lvm_backends(backends, {'device': host['vars'].get('cinder_lvm_device') or ''})


def _cinder_checks(settings, hosts, services, problems):
    """cinder_backends on the nodes that run cinder-volume: well-formed; an lvm backend with a device and the iSCSI
    target service."""
    reported = set()
    for host in hosts:
        if 'cinder_volume' not in catalog.services_on(services, host['groups'], settings.get('groups') or {}):
            continue
        backends = host['vars'].get('cinder_backends')
        rbd = backends is None or (isinstance(backends, list)
                                   and any(isinstance(b, dict) and b.get('type') == 'rbd' for b in backends))
        if rbd and not _ceph_external(hosts) and not set(CEPH_ENTRIES) & set(services) and 'ceph' not in reported:
            reported.add('ceph')
            _problem(problems, 'cinder_backends', host['name'],
                     "cinder_backends has an rbd backend (the default) on %s, but no Ceph is deployed (ceph_mon, "
                     "ceph_osd are not in openstack_services) and ceph_external is not true: keep the ceph services "
                     "(they come with storage hosts), name an external Ceph (docs/ceph.md), or use an lvm backend."
                     % host['name'])
        if backends is None:
            continue  # the role's default: an rbd backend
        for text in cinder.problems(backends):
            if text not in reported:
                reported.add(text)
                _problem(problems, 'cinder_backends', host['name'], '%s (on %s); docs/cinder.md shows both kinds.'
                         % (text.rstrip('.'), host['name']))
        lvm = lvm_backends(host, settings, services)
        if lvm and 'cinder_iscsi_target' not in services and 'iscsi' not in reported:
            reported.add('iscsi')
            _problem(problems, 'cinder_backends', host['name'],
                     "cinder_backends has the lvm backend '%s', whose volumes computes reach over iSCSI, but "
                     "cinder_iscsi_target is not in openstack_services: add it (it installs and opens the target), or "
                     "use an rbd backend." % lvm[0]['name'])
        for backend in lvm:
            if not backend['device']:
                _problem(problems, 'cinder_backends', host['name'],
                         "%s: the lvm backend '%s' names no device for its volume group %s: set cinder_lvm_device "
                         "for the host (e.g. /dev/sdb), or the backend's device."
                         % (host['name'], backend['name'], backend['volume_group']))


# the roles keystone-manage bootstrap makes
BOOTSTRAP_ROLES = ('admin', 'member', 'reader')


def keystone_roles(settings):
    """The role names Keystone will have: its own, and those the deployed services' registrations make; None when
    the services are not known (then day-1 roles are not checked)."""
    try:
        services = catalog.select(catalog.catalog(settings.get('catalog_overrides')), settings.get('services') or [])
    except Exception:  # pylint: disable=broad-except
        return None  # an unknown service: its own check says so
    return set(BOOTSTRAP_ROLES) | set(role for entry in services.values()
                                      for role in (entry.get('keystone') or {}).get('roles', []))


def _interface_name_checks(settings, hosts, problems):
    for host in hosts:
        hvars = host['vars']
        for key in ('management_interface', 'provider_interface', 'network_provider_bridge', 'amphora_interface'):
            value = hvars.get(key)
            if value in (None, ''):
                continue
            if not INTERFACE_NAME.match(_text(value)):
                _problem(problems, 'interface_names', host['name'],
                         "%s: %s '%s' cannot be a Linux interface name (up to 15 characters, no spaces, '/' or ':'): "
                         "set it to the interface's name as ip link shows it." % (host['name'], key, value))


# ---------------------------------------------------------------------------------------------------------------------
# the amphora network (Octavia's lb-mgmt-net)

AMPHORA_NODE_ROLES = ('controller', 'network', 'compute')


def amphora_in_use(settings):
    """Whether the deployment has Octavia, whose amphorae live on the amphora network."""
    return 'octavia' in (settings.get('services') or [])


def amphora_node(host, settings):
    """Whether a host has a NIC on the amphora network: controllers (Octavia's worker and health manager), network
    and compute nodes (Neutron's L2 agent bridges it for the amphorae)."""
    return bool(set(node_roles(host, settings)) & set(AMPHORA_NODE_ROLES))


def _amphora_net(host):
    """(cidr text, network or None) of a host's amphora_network."""
    net = _network_of(host, 'amphora_network')
    cidr = net.get('cidr') if net else None
    return cidr, (_net(cidr) if cidr not in (None, '') else None)


def _amphora_checks(settings, hosts, problems):
    if not amphora_in_use(settings):
        return
    # what the action found on this machine (amphora_image.preflight), None when octavia_image_file is given
    for msg in settings.get('amphora_build') or []:
        _problem(problems, 'amphora_image_build', None, msg[0].upper() + msg[1:] + '.')
    checked = set()
    for host in hosts:
        name, hvars = host['name'], host['vars']
        if not amphora_node(host, settings):
            continue
        cidr, net = _amphora_net(host)
        if _network_of(host, 'amphora_network') is None or cidr in (None, ''):
            _problem(problems, 'amphora_network', name,
                     "Octavia is deployed ('octavia' in openstack_services), but %s has no amphora_network: set "
                     "amphora_network: {cidr: 172.31.0.0/24} for all hosts, a network of its own on a NIC of its own "
                     "(the amphorae's management network, lb-mgmt-net)." % name)
        elif ('cidr', _text(cidr)) not in checked:
            checked.add(('cidr', _text(cidr)))
            _check_amphora_network(cidr, net, host, problems)
        _check_amphora_interface(host, settings, problems)
        if 'controller' in node_roles(host, settings) or hvars.get('amphora_address') not in (None, ''):
            _check_amphora_address(host, net if net is not None and net.version == 4 else None, settings, problems)


def _check_amphora_network(cidr, net, host, problems):
    if net is None or net.version != 4:
        _problem(problems, 'amphora_network', None,
                 "amphora_network.cidr '%s' (host %s) is not an IPv4 network in CIDR notation with its host bits "
                 "clear; write it like 172.31.0.0/24." % (cidr, host['name']))
        return
    try:
        network_layout.amphora_pool(_text(net))
    except network_layout.LayoutError:
        _problem(problems, 'amphora_network', None,
                 "amphora_network.cidr %s is too small: the amphorae's pool runs from its 100th host address to the "
                 "last but one, and the nodes' addresses lie below it; use a /25 or larger, like 172.31.0.0/24."
                 % net)
    for key, what in (('management_network', 'management'), ('provider_network', 'provider')):
        other = _network_of(host, key)
        other_net = _net(other.get('cidr')) if other else None
        if other_net is not None and other_net.version == 4 and net.overlaps(other_net):
            _problem(problems, 'amphora_network', None,
                     'The amphora network %s overlaps the %s network %s: give it a range of its own (the amphorae '
                     'reach the controllers there through a NIC of its own).' % (net, what, other_net))
    mtu = (_network_of(host, 'amphora_network') or {}).get('mtu')
    if mtu not in (None, '', 0):
        try:
            value = int(mtu)
        except (TypeError, ValueError):
            value = -1
        if not 576 <= value <= 9216:
            _problem(problems, 'mtu_valid', None, 'amphora_network.mtu %r must be between 576 and 9216 (or left out).'
                     % (mtu,))


def _check_amphora_address(host, net, settings, problems):
    name, hvars = host['name'], host['vars']
    address = hvars.get('amphora_address')
    pool = None
    if net is not None:
        try:
            pool = network_layout.amphora_pool(_text(net))
        except network_layout.LayoutError:
            pool = None  # amphora_network says so
    if address in (None, ''):
        hint = ''
        if net is not None and pool is not None:
            hint = ' below %s (the amphorae\'s pool starts there), like %s' % (
                pool[0], _amphora_suggestion(hvars.get('management_address'), net, pool))
        _problem(problems, 'amphora_address', name,
                 "%s is a controller and Octavia is deployed, but it has no amphora_address: set it to an address of "
                 "amphora_network%s (Octavia's health manager receives the amphorae's heartbeats there)."
                 % (name, hint))
        return
    ip = _ip(address)
    if net is None:
        if ip is None:
            _problem(problems, 'amphora_address', name, "%s: amphora_address '%s' is not an IP address."
                     % (name, address))
        return
    if ip is None or ip.version != 4 or ip not in net or ip in (net.network_address, net.broadcast_address):
        _problem(problems, 'amphora_address', name,
                 "%s: amphora_address '%s' must be a host address inside amphora_network (%s)." % (name, address, net))
    elif pool is not None and pool[0] <= ip <= pool[1]:
        _problem(problems, 'amphora_address', name,
                 "%s: amphora_address %s lies in the amphorae's pool (%s-%s), where Neutron would give it to an "
                 "amphora too: pick an address below %s, like %s."
                 % (name, ip, pool[0], pool[1], pool[0],
                    _amphora_suggestion(hvars.get('management_address'), net, pool)))


def _amphora_suggestion(management_address, net, pool):
    """The address with the management address's host number, where that lies below the pool; else the 10th."""
    ip = _ip(management_address) if management_address not in (None, '') else None
    if ip is not None and ip.version == 4:
        host_number = int(ip) & int(net.hostmask)
        candidate = ipaddress.ip_address(int(net.network_address) + host_number)
        if candidate in net and net.network_address < candidate < pool[0]:
            return candidate
    return ipaddress.ip_address(int(net.network_address) + 10)


def _check_amphora_interface(host, settings, problems):
    name, hvars = host['name'], host['vars']
    nic = hvars.get('amphora_interface')
    if nic in (None, ''):
        _problem(problems, 'amphora_interface_set', name,
                 "Octavia is deployed, but %s (a %s node) has no amphora_interface: set it to its NIC on the amphora "
                 "network (controllers reach the amphorae through it, and Neutron's L2 agent bridges it for them)."
                 % (name, ' and '.join(r for r in node_roles(host, settings) if r in AMPHORA_NODE_ROLES)))
        return
    others = [('management_interface', hvars.get('management_interface'))]
    if needs_bridge(host, settings):
        others.append(('provider_interface', hvars.get('provider_interface')))
    for key, value in others:
        if value and value == nic:
            _problem(problems, 'amphora_interface_set', name,
                     '%s: amphora_interface %s is also its %s: the amphora network needs a NIC of its own (on VMs, '
                     'a third network: in VMware a third host-only network).' % (name, nic, key))


def _short(name):
    return _text(name).split('.', 1)[0].lower()


def _hostname_checks(hosts, problems):
    seen = {}
    for host in hosts:
        name = host['name']
        labels = _text(name).split('.')
        if not all(HOSTNAME_LABEL.match(label) for label in labels):
            _problem(problems, 'hostname_valid', name,
                     "Inventory name '%s' is not a valid host name (lowercase letters, digits and '-', up to 63 per "
                     "label, no '_'): OpenStack registers nodes by host name; rename the host." % name)
        seen.setdefault(_short(name), []).append(name)
    for short, same in sorted(seen.items()):
        if len(same) > 1:
            _problem(problems, 'hostnames_unique', None,
                     "Hosts %s share the short name '%s': /etc/hosts and Nova would mix them up; rename all but one."
                     % (', '.join(sorted(same)), short))


def _network_of(host, key):
    net = host['vars'].get(key)
    return net if isinstance(net, dict) else None


def _network_checks(settings, hosts, problems):
    addresses = {}
    networks_checked = set()
    for host in hosts:
        name, hvars = host['name'], host['vars']
        mgmt = _network_of(host, 'management_network')
        provider = _network_of(host, 'provider_network')
        for key, net in (('management_network', mgmt), ('provider_network', provider)):
            if net is None:
                if key == 'management_network':
                    _problem(problems, 'networks_valid', name,
                             '%s has no management_network: set management_network: {cidr: ..., gateway: ...} for all '
                             'hosts (the lab inventory does).' % name)
                continue
            signature = (key, _text(net.get('cidr')), _text(net.get('gateway')), _text(net.get('mtu')))
            if signature in networks_checked:
                continue
            networks_checked.add(signature)
            _check_network(key, net, name, problems)
        mgmt_net = _net(mgmt.get('cidr')) if mgmt else None
        prov_net = _net(provider.get('cidr')) if provider else None
        if mgmt_net and prov_net and mgmt_net.version == prov_net.version and mgmt_net.overlaps(prov_net) and \
                ('disjoint', _text(mgmt_net), _text(prov_net)) not in networks_checked:
            networks_checked.add(('disjoint', _text(mgmt_net), _text(prov_net)))
            _problem(problems, 'networks_disjoint', None,
                     'The management network %s and the provider network %s overlap: give them distinct ranges.'
                     % (mgmt_net, prov_net))

        address = hvars.get('management_address')
        ip = _ip(address) if address not in (None, '') else None
        if address in (None, ''):
            _problem(problems, 'management_address', name,
                     '%s has no management_address: set it to the address of its management interface.' % name)
        elif ip is None:
            _problem(problems, 'management_address', name,
                     "%s: management_address '%s' is not an IP address." % (name, address))
        else:
            addresses.setdefault(ip, []).append('%s (management)' % name)
            if mgmt_net and ip.version == mgmt_net.version:
                gateway = _ip(mgmt.get('gateway')) if mgmt.get('gateway') else None
                if ip not in mgmt_net:
                    _problem(problems, 'address_in_network', name,
                             '%s: management address %s is outside the management network %s; fix the address or '
                             'the network.' % (name, ip, mgmt_net))
                elif ip in (mgmt_net.network_address, mgmt_net.broadcast_address) and mgmt_net.prefixlen < 31:
                    _problem(problems, 'address_in_network', name,
                             '%s: management address %s is the network or broadcast address of %s; use a host address.'
                             % (name, ip, mgmt_net))
                elif gateway is not None and ip == gateway:
                    _problem(problems, 'address_in_network', name,
                             "%s: management address %s is the management network's gateway; give the node its own "
                             "address." % (name, ip))

        if needs_bridge(host, settings) and not hvars.get('provider_interface'):
            _problem(problems, 'provider_interface_set', name,
                     '%s gets the provider bridge br-ex (it is in the network group or has provider_bridge: true) but '
                     'has no provider_interface: set it to the NIC on the provider network.' % name)
        paddress = hvars.get('provider_address')
        if paddress:
            pip = _ip(paddress)
            if pip is None or prov_net is None or pip not in prov_net:
                _problem(problems, 'provider_address', name,
                         "%s: provider_address '%s' must be an address inside provider_network (%s)."
                         % (name, paddress, prov_net or 'not set'))
            else:
                addresses.setdefault(pip, []).append('%s (provider)' % name)
        aaddress = hvars.get('amphora_address')
        if amphora_in_use(settings) and aaddress not in (None, '') and _ip(aaddress) is not None:
            addresses.setdefault(_ip(aaddress), []).append('%s (amphora)' % name)
    for ip, owners in sorted(addresses.items(), key=lambda item: (item[0].version, item[0])):
        if len(owners) > 1:
            _problem(problems, 'addresses_unique', None,
                     'Address %s is given to %s: every node needs its own address.' % (ip, ', '.join(owners)))


def _check_network(key, net, name, problems):
    cidr, gateway = net.get('cidr'), net.get('gateway')
    network = _net(cidr)
    if network is None:
        _problem(problems, 'networks_valid', None,
                 "%s.cidr '%s' (host %s) is not a network in CIDR notation with its host bits clear, like 10.0.0.0/24."
                 % (key, cidr, name))
        return
    if gateway not in (None, ''):
        gw = _ip(gateway)
        if gw is None or gw not in network or gw in (network.network_address, network.broadcast_address):
            _problem(problems, 'networks_valid', None,
                     "%s.gateway '%s' must be a host address inside %s." % (key, gateway, network))
    mtu = net.get('mtu')
    if mtu not in (None, '', 0):
        try:
            value = int(mtu)
        except (TypeError, ValueError):
            value = -1
        low = 1280 if network.version == 6 else 576
        if not low <= value <= 9216:
            _problem(problems, 'mtu_valid', None,
                     '%s.mtu %r must be between %d and 9216 (or left out).' % (key, mtu, low))


def _ceph_external(hosts):
    """Whether the inventory names an external Ceph (ceph_external, read from the first host's variables)."""
    return bool(hosts) and _bool(hosts[0]['vars'].get('ceph_external'), default=False)


def _ceph_checks(hosts, services, problems):
    if not _ceph_external(hosts):
        return
    deployed = sorted(set(services) & set(CEPH_ENTRIES))
    if deployed:
        _problem(problems, 'ceph_external', None,
                 'ceph_external is true, but openstack_services deploys %s: with an external Ceph no Ceph daemon runs '
                 'here; leave them out (openstack_catalog_overrides: {ceph_mon: {default: false}, ceph_mgr: '
                 '{default: false}, ceph_osd: {default: false}}, or list openstack_services without them).'
                 % ', '.join(deployed))
    monitors = hosts[0]['vars'].get('ceph_mon_hosts')
    if not isinstance(monitors, list) or not monitors or not all(isinstance(m, str) and m.strip() for m in monitors):
        _problem(problems, 'ceph_external', None,
                 'ceph_external is true, but ceph_mon_hosts is %r: list the external cluster\'s monitor addresses '
                 '(its mon_host, e.g. [192.0.2.11, 192.0.2.12, 192.0.2.13]).' % (monitors,))


def secrets_problems(settings, hosts):
    problems = []
    try:
        services = _services(settings)
    except catalog.CatalogError:
        services = {}  # reported by the services_known check of the inventory stage
    _secret_checks(settings, hosts, services, problems)
    if _ceph_external(hosts):
        for secret in CEPH_EXTERNAL_SECRETS:
            missing = sorted(h['name'] for h in hosts if not h['vars'].get('secrets', {}).get(secret))
            if missing:
                what = 'ceph fsid' if secret == 'ceph_fsid' else 'ceph auth get-key client.%s' % (
                    secret[len('ceph_client_'):-len('_key')].replace('_', '-'))
                _problem(problems, 'ceph_external', None,
                         "ceph_external is true, but secret '%s' is not in the secrets file: an external Ceph's "
                         "fsid and client keys are given, not generated; put it there (on the cluster: %s)."
                         % (secret, what))
    return problems


def _secret_checks(settings, hosts, services, problems):
    required = sorted(set(catalog.required_secrets(services)) | set(settings.get('required_secrets') or []))
    for secret in required:
        missing = sorted(h['name'] for h in hosts if not h['vars'].get('secrets', {}).get(secret))
        if missing:
            _problem(problems, 'secrets_present', None,
                     "Secret '%s' is not set (or empty) for %s: the secrets role fills in missing secrets in the "
                     "secrets file (playbooks/common.yml), so an empty one there was left blank on purpose: "
                     "remove the line to have it generated, or set the variable." % (secret, ', '.join(missing)))
    secrets_file = settings.get('secrets_file')
    if secrets_file:
        if not secrets_file.get('exists'):
            _problem(problems, 'secrets_file', None,
                     'The secrets file %s does not exist: generate it (or fix openstack_secrets_file).'
                     % secrets_file.get('path'))
        elif secrets_file.get('mode') is not None and secrets_file['mode'] & 0o077:
            _problem(problems, 'secrets_file', None,
                     'The secrets file %s is readable by others (mode %04o): chmod 600 %s.'
                     % (secrets_file.get('path'), secrets_file['mode'], secrets_file.get('path')))


def https_wanted(settings):
    """Whether any endpoint uses https."""
    return any((where or {}).get('scheme') == 'https' for where in (settings.get('endpoints') or {}).values())


def _tls_checks(settings, hosts, problems):
    """With https anywhere: the user's certificate, key and CA files; and one scheme per address, since every
    endpoint on an address reaches the same listener."""
    endpoints = settings.get('endpoints') or {}
    names = ('public', 'internal', 'admin')
    for index, first in enumerate(names):
        for second in names[index + 1:]:
            one, two = endpoints.get(first) or {}, endpoints.get(second) or {}
            if one.get('address') and one.get('address') == two.get('address') and \
                    (one.get('scheme') or 'http') != (two.get('scheme') or 'http'):
                _problem(problems, 'endpoint_schemes', None,
                         "openstack_%s_scheme is %s but openstack_%s_scheme is %s, and both endpoints are on %s, where "
                         "one listener per port serves them: set both to the same scheme (leave openstack_internal_scheme "
                         "and openstack_admin_scheme unset and they follow openstack_public_scheme), or give the %s "
                         "endpoints an address of their own (openstack_%s_address)."
                         % (first, one.get('scheme') or 'http', second, two.get('scheme') or 'http', one['address'],
                            first, first))
    if not https_wanted(settings):
        return
    tls = settings.get('tls') or {}
    for msg in prechecks_tls.pair_problems(tls.get('cert_file') or '', tls.get('key_file') or ''):
        _problem(problems, 'tls_files', None, msg)
    for msg in prechecks_tls.ca_problems(tls.get('ca_file') or '', tls.get('cert_file') or ''):
        _problem(problems, 'tls_files', None, msg)
    names = [where.get('address') for where in endpoints.values() if (where or {}).get('address')]
    names += [h['vars'].get('management_address') for h in hosts
              if 'controller' in node_roles(h, settings) and h['vars'].get('management_address')]
    if tls.get('key_file'):
        for msg in prechecks_tls.name_problems(tls.get('cert_file') or '', names):
            _problem(problems, 'tls_files', None, msg)


def _option_checks(hosts, problems):
    allowed = {'network_bridge_type': ('linux', 'ovs'), 'nova_compute_virt_type': ('auto', 'kvm', 'qemu'),
               'selinux_state': ('enforcing', 'permissive', 'disabled'),
               'openstack_network_driver': catalog.NETWORK_DRIVERS,
               'openstack_ovs_datapath_type': OVS_DATAPATH_TYPES}
    for host in hosts:
        for key, values in sorted(allowed.items()):
            value = host['vars'].get(key)
            if value is not None and value not in values:
                _problem(problems, 'option_values', host['name'],
                         "%s: %s is '%s'; use one of %s." % (host['name'], key, value, ', '.join(values)))


def _bool(value, default=True):
    if value is None or value == '':
        return default
    if isinstance(value, bool):
        return value
    return _text(value).strip().lower() in ('1', 'true', 'yes', 'on')


def network_driver(host, settings, services):
    """The mechanism driver a host runs: its own openstack_network_driver, else the deployment's; an L2 agent listed
    in openstack_services (without the other) decides over both, as it decides the neutron role's driver."""
    listed = [d for d in catalog.NETWORK_DRIVERS if catalog.l2_agent(d) in services]
    if len(listed) == 1:
        return listed[0]
    return host['vars'].get('openstack_network_driver') or settings.get('network_driver') or 'linuxbridge'


def runs_l2_agent(host, settings):
    return bool(set(node_roles(host, settings)) & set(('network', 'compute')))


def _driver_checks(settings, hosts, services, problems):
    """One mechanism driver on every node, the provider bridge of its kind, the physical network mapped to a bridge
    the node builds, and a datapath the node may use."""
    wanted = settings.get('network_driver') or 'linuxbridge'
    listed = [d for d in catalog.NETWORK_DRIVERS if catalog.l2_agent(d) in (settings.get('services') or [])]
    if len(listed) == 1 and listed[0] != wanted and settings.get('network_driver'):
        _problem(problems, 'one_l2_agent', None,
                 'openstack_services lists %s but openstack_network_driver is %s: the provider bridges would be built '
                 'for the other driver; set openstack_network_driver: %s (or list %s).'
                 % (catalog.l2_agent(listed[0]), wanted, listed[0], catalog.l2_agent(wanted)))
    drivers = {}
    for host in hosts:
        if runs_l2_agent(host, settings) or 'controller' in node_roles(host, settings):
            drivers.setdefault(host['vars'].get('openstack_network_driver') or wanted, []).append(host['name'])
    if len(drivers) > 1:
        _problem(problems, 'one_l2_agent', None,
                 'openstack_network_driver differs between nodes (%s): this collection runs one Neutron mechanism '
                 'driver on every node (the server configures ML2 for one, and the network node\'s L3 and DHCP agents '
                 'plug into that driver\'s bridges); set it once, in group_vars/all, and remove it from host_vars. '
                 'docs/services.md says why a mix is refused.'
                 % '; '.join('%s on %s' % (d, ', '.join(sorted(names))) for d, names in sorted(drivers.items())))
    physical = settings.get('physical_network') or 'provider'
    for host in hosts:
        name, hvars = host['name'], host['vars']
        driver = network_driver(host, settings, services)
        builds = needs_bridge(host, settings)
        built = hvars.get('network_provider_bridge') or 'br-ex'
        kind = hvars.get('network_bridge_type') or BRIDGE_KINDS.get(driver, 'linux')
        if builds and runs_l2_agent(host, settings) and driver in BRIDGE_KINDS and kind != BRIDGE_KINDS[driver]:
            _problem(problems, 'bridge_driver', name,
                     "%s: network_bridge_type is %s, but the %s agent maps the provider network to a%s bridge: set "
                     "network_bridge_type: %s there (or remove it: the driver's kind is the default)."
                     % (name, kind, driver, 'n Open vSwitch' if driver == 'openvswitch' else ' Linux',
                        BRIDGE_KINDS[driver]))
        mapped = hvars.get('neutron_provider_bridge') or 'br-ex'
        if 'network' in node_roles(host, settings) and builds and mapped != built:
            _problem(problems, 'bridge_mappings', name,
                     '%s: Neutron maps the physical network %s to %s (neutron_provider_bridge), but the network role '
                     'builds %s there (network_provider_bridge): give both the same name.'
                     % (name, physical, mapped, built))
        elif 'network' in node_roles(host, settings) and not builds:
            _problem(problems, 'bridge_mappings', name,
                     '%s runs the L3 agent, but provider_bridge: false leaves it without %s, so no bridge carries the '
                     'physical network %s there: remove provider_bridge: false.' % (name, mapped, physical))
        if driver == 'openvswitch' and runs_l2_agent(host, settings):
            if hvars.get('openstack_ovs_datapath_type') == 'netdev' and \
                    not _bool(hvars.get('openstack_ovs_userspace_datapath')):
                _problem(problems, 'ovs_datapath_options', name,
                         '%s: openstack_ovs_datapath_type is netdev (userspace), but openstack_ovs_userspace_datapath '
                         'is false there: allow the userspace datapath, or ask for auto or system.' % name)
    # (a day-1 network on another physical network: day1_networks)


def parse_vlan_ranges(ranges):
    """[(first, last)] of 'first:last' texts; ValueError with a sentence on a bad one."""
    if ranges in (None, ''):
        return []
    if not isinstance(ranges, list):
        raise ValueError('openstack_provider_vlan_ranges must be a list of \'first:last\' texts, like [\'100:199\'], '
                         'got %r.' % (ranges,))
    result = []
    for item in ranges:
        match = re.match(r'^\s*(\d+)\s*:\s*(\d+)\s*$', _text(item))
        first, last = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        if not match or not 1 <= first <= last <= 4094:
            raise ValueError("openstack_provider_vlan_ranges: %r is not a range 'first:last' of VLAN IDs within "
                             "1-4094 (first not above last)." % (item,))
        result.append((first, last))
    return result


def _vlan_checks(settings, problems):
    try:
        ranges = parse_vlan_ranges(settings.get('vlan_ranges'))
    except ValueError as exc:
        _problem(problems, 'vlan_ranges', None, _text(exc))
        return
    shown = ', '.join('%d:%d' % r for r in ranges) or 'none'
    if ranges and (settings.get('network_driver') or 'linuxbridge') == 'linuxbridge':
        _problem(problems, 'vlan_ranges', None,
                 'openstack_provider_vlan_ranges (%s) asks for VLAN networks, but the linuxbridge agent maps the '
                 'provider network to a bridge (br-ex) and would put every VLAN on it untagged: use '
                 'openstack_network_driver: openvswitch for VLANs, or leave the ranges empty.' % shown)
    if 'vlan' in (settings.get('tenant_network_types') or []) and not ranges:
        _problem(problems, 'vlan_ranges', None,
                 'neutron_tenant_network_types has vlan, but openstack_provider_vlan_ranges is empty, so ML2 has no VLAN '
                 'ID to give a project network: list the VLAN IDs the provider network carries (e.g. [\'100:199\']), '
                 'or remove vlan.')
    for net in (settings.get('day1') or {}).get('networks') or []:
        provider = net.get('provider') if isinstance(net, dict) else None
        if not isinstance(provider, dict) or provider.get('network_type') != 'vlan':
            continue
        segment = provider.get('segmentation_id')
        if segment in (None, ''):
            if not ranges:
                _problem(problems, 'vlan_ranges', None,
                         "bootstrap_networks: VLAN network '%s' has no segmentation_id and openstack_provider_vlan_ranges "
                         "is empty, so ML2 cannot pick one: give it a segmentation_id inside the VLANs the provider "
                         "network carries, or set the ranges." % net.get('name'))
            continue
        try:
            number = int(_text(segment))
        except ValueError:
            number = -1
        if not any(first <= number <= last for first, last in ranges):
            _problem(problems, 'vlan_ranges', None,
                     "bootstrap_networks: VLAN network '%s' has segmentation_id %s, outside "
                     "openstack_provider_vlan_ranges (%s): the provider network carries only those VLANs, so its frames "
                     "would go nowhere; pick an ID inside them or widen the ranges." % (net.get('name'), segment, shown))


# ---------------------------------------------------------------------------------------------------------------------
# nodes


def node_problems(settings, hosts):
    problems = []
    live = []
    for host in hosts:
        if host.get('unreachable') or not host.get('facts') or not host.get('node'):
            _problem(problems, 'reachable', host['name'],
                     'Ansible cannot reach %s (%s): check that it is up, that ansible_host is right and that SSH '
                     'logins as ansible_user work.' % (host['name'], host.get('unreachable') or 'no facts'))
            continue
        live.append(host)
    for host in live:
        _platform_checks(settings, host, problems)
        _interface_checks(settings, host, problems)
        _service_node_checks(settings, host, problems)
    _hostname_node_checks(live, problems)
    _resolution_checks(live, problems)
    _capacity_checks(settings, live, problems)
    _clock_checks(settings, live, problems)
    return problems


def _platform_checks(settings, host, problems):
    name, facts = host['name'], host['facts']
    family, major = facts.get('os_family'), _text(facts.get('distribution_major_version'))
    platform = '%s %s' % (facts.get('distribution'), facts.get('distribution_version') or major)
    offered = catalog.platform_releases(family, major)
    if not offered:
        _problem(problems, 'os_supported', name,
                 '%s runs %s, which this collection does not support: use Debian 12 or a RHEL 9 family system.'
                 % (name, platform))
    elif settings.get('release') not in offered:
        _problem(problems, 'release_on_platform', name,
                 "%s runs %s, which offers OpenStack %s, not '%s': set openstack_release to one of those."
                 % (name, platform, ', '.join(offered), settings.get('release')))
    if https_wanted(settings) and offered and family != 'Debian':
        _problem(problems, 'tls_platform', name,
                 '%s runs %s, but HTTPS is done for Debian only so far (the RHEL family serves Keystone, Placement '
                 'and the dashboard from httpd, which does not take the certificate yet): keep openstack_public_scheme: '
                 'http on the RHEL family.' % (name, platform))
    python = facts.get('python', {}).get('version', {})
    if (python.get('major', 0), python.get('minor', 0)) < (3, 9):
        _problem(problems, 'python', name,
                 '%s has Python %s.%s for Ansible: install python3 (3.9 or newer) and set ansible_python_interpreter.'
                 % (name, python.get('major', '?'), python.get('minor', '?')))
    if facts.get('service_mgr') != 'systemd':
        _problem(problems, 'systemd', name,
                 '%s runs %s as its service manager: the roles need systemd.' % (name, facts.get('service_mgr')))
    if facts.get('architecture') not in SUPPORTED_ARCHITECTURES:
        _problem(problems, 'architecture', name,
                 '%s is %s: OpenStack packages are built for %s.'
                 % (name, facts.get('architecture'), ' and '.join(SUPPORTED_ARCHITECTURES)))
    if _text(facts.get('user_uid')) != '0' and not host['vars'].get('ansible_become'):
        _problem(problems, 'root', name,
                 '%s: Ansible logs in as %s (uid %s) without become: log in as root or set ansible_become: true.'
                 % (name, facts.get('user_id'), facts.get('user_uid')))
    node = host['node']
    if family == 'RedHat':
        state = host['vars'].get('selinux_state') or 'enforcing'
        status = (facts.get('selinux') or {}).get('status')
        if state != 'disabled' and status != 'enabled':
            _problem(problems, 'selinux_mode', name,
                     '%s has SELinux %s, but selinux_state is %s: enabling SELinux needs a relabel and a reboot; '
                     'set SELINUX=permissive in /etc/selinux/config, touch /.autorelabel and reboot first (or set '
                     'selinux_state: disabled, which the selinux role warns about).' % (name, status, state))
    enabled = [unit for unit in node.get('firewall_units', []) if unit in OTHER_FIREWALLS]
    if enabled:
        _problem(problems, 'other_firewall', name,
                 '%s has %s enabled, which would fight firewalld over the rules: systemctl disable --now %s.'
                 % (name, ', '.join(enabled), ' '.join(u + '.service' for u in enabled)))


def _iface_addresses(facts, iface):
    data = facts.get(iface.replace('-', '_').replace('.', '_').replace(':', '_')) or {}
    found = []
    for entry in [data.get('ipv4')] + list(data.get('ipv4_secondaries') or []):
        if isinstance(entry, dict) and entry.get('address'):
            found.append(entry['address'])
    return found


def _interface_checks(settings, host, problems):
    name, facts, hvars = host['name'], host['facts'], host['vars']
    interfaces = facts.get('interfaces') or []
    mgmt_if = hvars.get('management_interface')
    address = _text(hvars.get('management_address'))
    bridge = hvars.get('network_provider_bridge') or 'br-ex'
    if mgmt_if:
        if mgmt_if not in interfaces:
            _problem(problems, 'management_interface', name,
                     '%s has no interface %s (it has %s): set management_interface to the NIC that carries %s.'
                     % (name, mgmt_if, ', '.join(sorted(interfaces)), address))
        elif address not in _iface_addresses(facts, mgmt_if) + _iface_addresses(facts, bridge):
            _problem(problems, 'management_interface', name,
                     '%s: %s does not carry the management address %s (it has %s): fix management_address or '
                     'management_interface.' % (name, mgmt_if, address,
                                                ', '.join(_iface_addresses(facts, mgmt_if)) or 'no IPv4 address'))
    if needs_bridge(host, settings):
        provider_if = hvars.get('provider_interface')
        if provider_if and provider_if not in interfaces:
            _problem(problems, 'provider_interface', name,
                     '%s has no interface %s for the provider bridge (it has %s): set provider_interface to the NIC '
                     'on the provider network.' % (name, provider_if, ', '.join(sorted(interfaces))))
        elif provider_if and provider_if != mgmt_if:
            own = [a for a in _iface_addresses(facts, provider_if) if a != _text(hvars.get('provider_address'))]
            if own:
                _problem(problems, 'provider_interface', name,
                         '%s: provider interface %s carries %s, which the bridge would drop: set provider_address to '
                         'it (the bridge then carries it) or remove it.' % (name, provider_if, ', '.join(own)))
    nic = hvars.get('amphora_interface')
    if amphora_in_use(settings) and amphora_node(host, settings) and nic:
        if nic not in interfaces:
            _problem(problems, 'amphora_interface', name,
                     '%s has no interface %s for the amphora network (it has %s): set amphora_interface to its NIC on '
                     'that network.' % (name, nic, ', '.join(sorted(interfaces))))
        elif nic != mgmt_if:
            own = [a for a in _iface_addresses(facts, nic) if a != _text(hvars.get('amphora_address') or '')]
            if own:
                _problem(problems, 'amphora_interface', name,
                         '%s: amphora interface %s carries %s, which the network role would remove (it writes only '
                         'amphora_address there): move that address off the NIC, or set amphora_address to it.'
                         % (name, nic, ', '.join(own)))
    if not (facts.get('default_ipv4') or {}).get('gateway'):
        _problem(problems, 'default_route', name,
                 '%s has no IPv4 default route: set management_network.gateway (the network role adds it) or add one.'
                 % name)
    if facts.get('os_family') == 'Debian':
        managed = []
        if hvars.get('network_manage_management_interface', True) and mgmt_if:
            managed.append(mgmt_if)
        if needs_bridge(host, settings):
            managed += [i for i in (hvars.get('provider_interface'), bridge) if i]
        if amphora_in_use(settings) and amphora_node(host, settings) and nic:
            managed.append(nic)
        claimed = sorted(set(managed) & set(host['node'].get('ifupdown_foreign', [])))
        if claimed:
            _problem(problems, 'network_conflicts', name,
                     '%s: /etc/network/interfaces (or a file in interfaces.d the network role did not write) configures '
                     '%s, which the network role writes itself: remove those stanzas, or set '
                     'network_manage_management_interface: false to leave the management interface alone.'
                     % (name, ', '.join(claimed)))


def _may_hold(process, allowed):
    # Debian's uwsgi runs as uwsgi_python311: a process named after its plugin is still that program
    return process in allowed or any(process.startswith(name + '_') for name in allowed)


def _service_node_checks(settings, host, problems):
    name, node = host['name'], host['node']
    try:
        services = _services(settings)
    except catalog.CatalogError:
        return  # reported by the inventory stage
    wanted = catalog.port_listeners(services, host['groups'], settings.get('groups') or {})
    held = {}
    for sock in node.get('listening', []):
        # a socket no process holds is the kernel's (a VXLAN device's UDP port)
        held.setdefault((int(sock['port']), sock['protocol']), set()).add(sock.get('process') or 'kernel')
    on_node = catalog.services_on(services, host['groups'], settings.get('groups') or {})
    for (port, protocol), allowed in sorted(wanted.items()):
        strangers = sorted(p for p in held.get((port, protocol), set()) if not _may_hold(p, allowed))
        if strangers:
            users = [n for n in on_node
                     if [p for p in services[n].get('ports', {}).values()
                         if _text(p['port']) == _text(port) and p.get('protocol', 'tcp') == protocol]]
            _problem(problems, 'ports_free', name,
                     '%s: %s/%s is held by %s, but %s needs it: stop and disable %s there (only %s may hold it).'
                     % (name, port, protocol, ', '.join(strangers), ', '.join(users), ', '.join(strangers),
                        ', '.join(allowed) or 'the service'))
    _ovs_node_check(settings, host, services, problems)
    _lvm_node_check(settings, host, services, problems)
    virt = host['vars'].get('nova_compute_virt_type') or 'auto'
    if virt == 'kvm' and 'compute' in node_roles(host, settings):
        kvm = node.get('kvm', {})
        if not kvm.get('device') or not kvm.get('cpu_flag'):
            _problem(problems, 'virt_type', name,
                     '%s: nova_compute_virt_type is kvm, but %s: set nova_compute_virt_type: qemu (or auto), or enable '
                     'hardware '
                     'virtualization.' % (name, 'there is no /dev/kvm' if not kvm.get('device')
                                          else 'the CPU shows neither vmx nor svm'))


def _lvm_node_check(settings, host, services, problems):
    """An lvm backend needs the kernel's device-mapper (LVM's logical volumes are device-mapper devices) and its
    device on the node."""
    name = host['name']
    lvm = lvm_backends(host, settings, services)
    block = host['node'].get('block')
    if not lvm or block is None:
        return
    if not block.get('device_mapper'):
        _problem(problems, 'lvm_node', name,
                 "%s runs cinder-volume with the lvm backend '%s', but has no device-mapper (neither "
                 "/sys/class/misc/device-mapper nor /dev/mapper/control; a container usually has none), so LVM cannot "
                 "make logical volumes there: load dm_mod (modprobe dm_mod) on a real host, or use an rbd backend."
                 % (name, lvm[0]['name']))
    for backend in lvm:
        state = block.get('devices', {}).get(backend['device'])
        if backend['device'] and state != 'block':
            _problem(problems, 'lvm_node', name,
                     "%s: the lvm backend '%s' puts its volume group %s on %s, which %s there: name a block device "
                     "the node has in cinder_lvm_device (or the backend's device)."
                     % (name, backend['name'], backend['volume_group'], backend['device'],
                        'is not a block device' if state == 'other' else 'does not exist'))


def kernel_datapath(node):
    """Whether the node has Open vSwitch's kernel datapath: the role's real test when it ran this boot, else whether
    the module is loaded or shipped with the running kernel."""
    ovs = node.get('ovs') or {}
    if ovs.get('tested') is not None:
        return bool(ovs['tested']), 'the datapath test on this boot said so'
    if ovs.get('loaded'):
        return True, 'the openvswitch module is loaded'
    if ovs.get('module'):
        return True, 'the running kernel ships the openvswitch module'
    return False, 'the openvswitch module is neither loaded nor shipped with the running kernel'


def _ovs_node_check(settings, host, services, problems):
    name, hvars = host['name'], host['vars']
    ovs_bridge = needs_bridge(host, settings) and (hvars.get('network_bridge_type') or BRIDGE_KINDS.get(
        network_driver(host, settings, services), 'linux')) == 'ovs'
    agent = runs_l2_agent(host, settings) and network_driver(host, settings, services) == 'openvswitch'
    if not (ovs_bridge or agent) or 'ovs' not in host['node']:
        return
    works, why = kernel_datapath(host['node'])
    asked = hvars.get('openstack_ovs_datapath_type') or 'auto'
    if agent and (asked == 'netdev' or (asked == 'auto' and not works)):
        _tunnel_on_bridge_check(settings, host, problems)
    if works:
        return
    if asked == 'system':
        _problem(problems, 'ovs_datapath', name,
                 '%s: openstack_ovs_datapath_type is system, but %s has no Open vSwitch kernel datapath (%s): load it '
                 '(modprobe openvswitch), or set openstack_ovs_datapath_type to auto or netdev.' % (name, name, why))
    elif asked == 'auto' and not _bool(hvars.get('openstack_ovs_userspace_datapath')):
        _problem(problems, 'ovs_datapath', name,
                 '%s runs Open vSwitch, but has no kernel datapath (%s) and openstack_ovs_userspace_datapath is false: '
                 'load the openvswitch module, allow the userspace datapath (netdev), or use the linuxbridge driver '
                 '(openstack_network_driver: linuxbridge).' % (name, why))


def _tunnel_on_bridge_check(settings, host, problems):
    """The userspace datapath sends VXLAN only through an Open vSwitch bridge that holds the tunnel address (Open
    vSwitch looks the remote end up in its own routes, and the route's device must be one of its bridges): here br-ex,
    with the node's provider_address, or the management address where the single NIC is bridged."""
    name, hvars = host['name'], host['vars']
    tunnel = _text(hvars.get('neutron_tunnel_address') or hvars.get('management_address'))
    bridge = hvars.get('network_provider_bridge') or 'br-ex'
    on_bridge = needs_bridge(host, settings) and (
        tunnel == _text(hvars.get('provider_address') or '') or
        (hvars.get('provider_interface') and hvars.get('provider_interface') == hvars.get('management_interface')
         and tunnel == _text(hvars.get('management_address'))))
    if not on_bridge:
        _problem(problems, 'ovs_datapath', name,
                 '%s will run Open vSwitch in userspace (netdev), which sends VXLAN only from an address on one of its '
                 'bridges, but the tunnel address %s is not on %s: give the node provider_bridge: true and a '
                 'provider_address, and set neutron_tunnel_address to it (the provider network then carries the '
                 'tunnels), or use the kernel datapath.' % (name, tunnel, bridge))


def _hostname_node_checks(hosts, problems):
    seen = {}
    for host in hosts:
        actual = _short(host['facts'].get('hostname') or host['facts'].get('nodename') or '')
        seen.setdefault(actual, []).append(host['name'])
        if actual != _short(host['name']):
            _problem(problems, 'hostname_matches', host['name'],
                     "%s calls itself '%s': Nova and Neutron register nodes by host name, so set its host name to "
                     "'%s' (hostnamectl set-hostname %s) or rename the inventory host."
                     % (host['name'], actual, _short(host['name']), _short(host['name'])))
    for actual, names in sorted(seen.items()):
        if len(names) > 1:
            _problem(problems, 'node_hostnames_unique', None,
                     "Nodes %s all call themselves '%s': give each its own host name." % (', '.join(names), actual))


def _resolution_checks(hosts, problems):
    addresses = dict((h['name'], _text(h['vars'].get('management_address'))) for h in hosts)
    for node in hosts:
        info = node['node']
        order = info.get('nsswitch_hosts') or ['files', 'dns']
        if 'files' not in order or [s for s in order[:order.index('files')] if s not in ('mymachines',)]:
            _problem(problems, 'name_resolution', node['name'],
                     "%s: /etc/nsswitch.conf looks up hosts in %s: put 'files' first, so the management addresses the "
                     "hosts role writes to /etc/hosts win." % (node['name'], ' '.join(order)))
        lines = info.get('hosts_entries', [])
        for other in hosts:
            wanted = addresses[other['name']]
            names = set([other['name'], _short(other['name'])])
            for entry in lines:
                if entry.get('managed') or not names & set(entry.get('names', [])):
                    continue
                ip = _ip(entry.get('address'))
                if entry.get('address') == wanted:
                    continue
                if ip is not None and ip.is_loopback and other['name'] == node['name'] and \
                        _text(entry['address']).startswith('127.0.1.'):
                    continue  # Debian's line for its own name, which the hosts role removes
                _problem(problems, 'name_resolution', node['name'],
                         '%s: /etc/hosts maps %s to %s, but its management address is %s: remove that line (the '
                         'hosts role adds the right one).' % (node['name'], other['name'], entry['address'], wanted))
            resolved = info.get('resolved', {}).get(other['name'])
            has_block = any(e.get('managed') and names & set(e.get('names', [])) for e in lines)
            if has_block and resolved and resolved != [wanted]:
                _problem(problems, 'name_resolution', node['name'],
                         '%s resolves %s to %s, although its /etc/hosts block says %s: check /etc/hosts and '
                         '/etc/nsswitch.conf there.' % (node['name'], other['name'], ', '.join(resolved), wanted))


def _kernel_key(host):
    node = host['node']
    return (node.get('kernel'), node.get('boot_time'), node.get('memory', {}).get('total_mb'))


def _is_container(host):
    return host['facts'].get('virtualization_type') == 'container' or \
        'container' in (host['facts'].get('virtualization_tech_guest') or [])


def _requirement(table, host, settings):
    roles = node_roles(host, settings) or ['other']
    return sum(int(table.get(role, table.get('other', 0))) for role in roles), roles


def _capacity_checks(settings, hosts, problems):
    mem_table = settings.get('min_memory_mb') or {}
    disk_table = settings.get('min_disk_mb') or {}
    shared_mem, shared_disk = {}, {}
    for host in hosts:
        name, node = host['name'], host['node']
        need, roles = _requirement(mem_table, host, settings)
        memory = node.get('memory', {})
        declared = host['vars'].get('prechecks_memory_mb')
        if declared:
            if int(declared) < need:
                _problem(problems, 'memory', name,
                         '%s has %s MiB (prechecks_memory_mb), but %s need %d MiB: give it more memory or move roles '
                         'elsewhere.' % (name, declared, ' + '.join(roles), need))
        elif _is_container(host):
            limit = memory.get('cgroup_limit_mb')
            if limit and limit < need:
                _problem(problems, 'memory', name,
                         "%s may use %d MiB (its cgroup's limit), but %s need %d MiB: raise the container's memory "
                         "limit." % (name, limit, ' + '.join(roles), need))
            shared_mem.setdefault(_kernel_key(host), []).append((host, need))
        elif memory.get('total_mb', 0) < need:
            _problem(problems, 'memory', name,
                     '%s has %d MiB of memory, but %s need %d MiB: give it more memory or move roles elsewhere.'
                     % (name, memory.get('total_mb', 0), ' + '.join(roles), need))
        disk_need, dummy = _requirement(disk_table, host, settings)
        disk = node.get('disk', {})
        if _is_container(host):
            shared_disk.setdefault(_kernel_key(host) + (disk.get('total_mb'),), []).append((host, disk_need))
        elif disk.get('free_mb', 0) < disk_need:
            _problem(problems, 'disk', name,
                     '%s has %d MiB free in %s, but %s need %d MiB: free space or grow the disk.'
                     % (name, disk.get('free_mb', 0), disk.get('path', '/'), ' + '.join(roles), disk_need))
    for members in shared_mem.values():
        need = sum(n for h, n in members)
        memory = members[0][0]['node'].get('memory', {})
        used = sum(h['node'].get('memory', {}).get('cgroup_used_mb') or 0 for h, n in members)
        have = memory.get('available_mb', 0) + used
        if have < need:
            _problem(problems, 'memory', None,
                     '%s share one host, which has %d MiB for them (%d MiB available plus %d MiB they use now), but '
                     'their roles need %d MiB together: free memory on the host or run fewer nodes there.'
                     % (', '.join(h['name'] for h, n in members), have, memory.get('available_mb', 0), used, need))
    for members in shared_disk.values():
        need = sum(n for h, n in members)
        disk = members[0][0]['node'].get('disk', {})
        if disk.get('free_mb', 0) < need:
            _problem(problems, 'disk', None,
                     '%s share one file system with %d MiB free in %s, but their roles need %d MiB together: free '
                     'space on the host.' % (', '.join(h['name'] for h, n in members), disk.get('free_mb', 0),
                                             disk.get('path', '/'), need))


def _clock_checks(settings, hosts, problems):
    timed = [h for h in hosts if h['node'].get('clock_offset') is not None]
    if len(timed) < 1:
        return
    limit = float(settings.get('max_clock_skew', 2.0))
    for host in timed:
        offset = abs(host['node']['clock_offset']) - host['node'].get('clock_uncertainty', 0)
        if offset > limit:
            _problem(problems, 'clock_skew', host['name'],
                     "%s's clock is %+.1f s off the clock of the machine running Ansible (more than %.1f s): set it "
                     "(chronyc makestep, or date -s), since tokens and messages between nodes go stale across skewed "
                     "clocks." % (host['name'], host['node']['clock_offset'], limit))
    ordered = sorted(timed, key=lambda h: h['node']['clock_offset'])
    first, last = ordered[0], ordered[-1]
    spread = last['node']['clock_offset'] - first['node']['clock_offset'] - \
        first['node'].get('clock_uncertainty', 0) - last['node'].get('clock_uncertainty', 0)
    if spread > limit:
        _problem(problems, 'clock_skew', None,
                 "The node clocks disagree by %.1f s (%s is ahead of %s), more than %.1f s: synchronise them "
                 "(chronyc makestep on each) before deploying." % (spread, last['name'], first['name'], limit))


def report(problems):
    """One text block: every problem on its own line, grouped by check."""
    lines = []
    for problem in sorted(problems, key=lambda p: (list(CHECKS).index(p['check']), p['host'] or '')):
        lines.append('[%s] %s' % (problem['check'], problem['msg']))
    return lines
