# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The service catalog: one table of what each service needs, from which the rest is derived.

Firewall ports per node, the packages each node installs, Keystone registration, databases and messaging users,
secrets, the ports services listen on, their units and health URLs, prechecks and verify all read this table
(through the filters in plugins/filter/catalog.py), so adding a service means one entry here plus one role.
Every field is read by something; docs/lifecycle.md lists who reads what.

Each entry:
  role        the collection role that deploys it (roles/<role>); an entry without one is refused.
  groups      node roles that run it: controller, network, compute, storage, or all. Deployments map
              these roles to their own inventory group names (openstack_groups).
  default     whether openstack_services includes it when the inventory does not say: true, false, or a node
              role (included when that role's group has hosts, e.g. the storage services).
  ports       {name: {port, protocol, scope}}: port a number or 'first-last'; scope 'public' is open to anyone,
              'management' only to the management network, 'storage' only to the management addresses of the
              controller and storage nodes (Swift's storage servers and their replication, which only the proxies
              and the other storage nodes use). Roles configure their listeners from these, the firewall opens
              them, endpoints and health URLs are built from them.
  keystone    the Keystone service (type, name, description), the name of its port in 'ports' (default 'api')
              and the endpoint path; or absent. Optionally 'domains', Keystone domains the service owns, each
              {name, description, admin}: admin is a user made in that domain with the admin role on it (password
              secret '<admin>_password'); and 'roles', further role names it needs (heat_stack_owner).
  health      path on the Keystone endpoint's port that answers without a token once the service works.
  health_port for an entry without a keystone part (the dashboard): the name of the port in 'ports' its health
              path is asked on.
  user        the Keystone service user, when it needs one (password secret '<user>_keystone_password').
  databases   MariaDB databases it owns; its database user gets all of them and nothing else.
  database_user
              that database user (default: 'user', else the entry's name); password secret
              '<database_user>_database_password'.
  messaging   the RabbitMQ user and vhost it connects as (several entries of one project share it,
              e.g. nova and nova_compute); password secret '<messaging>_rabbitmq_password'.
  secrets     further secrets it needs: a list of {name, kind (password, fernet_key, ssh_key, uuid or ceph_key),
              length or count}.
  packages    per OS family.
  units       systemd units per OS family: the lifecycle starts, enables and restarts these; the diagnostics
              bundle collects their journals, states, configuration and logs. A name ending in '@' is a templated
              unit (ceph-osd@): its role names the instances this node runs (openstack_service_units), diagnostics
              takes every instance the node has.
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

from ansible_collections.gureum.openstack.plugins.module_utils import ports

NODE_ROLES = ('controller', 'network', 'compute', 'storage')

# OpenStack releases each platform offers (OS family -> major version -> releases, oldest first):
# Debian ships them in its own archive; the RHEL family gets them from RDO.
PLATFORMS = {
    'Debian': {'12': ['zed']},
    'RedHat': {'9': ['zed', 'antelope', 'bobcat', 'caracal', 'dalmatian', 'epoxy']},
}
SCOPES = ('public', 'management', 'storage')
# A port asked for with several scopes on one node is opened with the widest
SCOPE_WIDTH = {'public': 2, 'management': 1, 'storage': 0}
PROTOCOLS = ('tcp', 'udp')
SECRET_KINDS = ('password', 'fernet_key', 'ssh_key', 'uuid', 'ceph_key')
NAME_RE = re.compile(r'^[a-z][a-z0-9_]*$')
FIELDS = ('role', 'groups', 'default', 'ports', 'keystone', 'health', 'health_port', 'user', 'database_user', 'databases',
          'messaging', 'secrets', 'packages', 'units', 'listeners', 'bridges', 'debconf')


def _port(port, protocol='tcp', scope='public'):
    return {'port': port, 'protocol': protocol, 'scope': scope}


SERVICES = {
    'ssh': {
        'role': 'firewalld',
        'groups': ['all'],
        'default': True,
        'ports': {'ssh': _port(22)},
        'listeners': ['sshd'],
    },
    'chrony_server': {
        'role': 'chrony',
        'groups': ['controller'],
        'default': True,
        'ports': {'ntp': _port(123, 'udp', 'management')},
        'packages': {'Debian': ['chrony'], 'RedHat': ['chrony']},
        'units': {'Debian': ['chrony'], 'RedHat': ['chronyd']},
        'listeners': ['chronyd'],
    },
    'mariadb': {
        'role': 'mariadb',
        'groups': ['controller'],
        'default': True,
        'ports': {'mysql': _port(3306, scope='management')},
        'packages': {'Debian': ['mariadb-server', 'python3-pymysql'], 'RedHat': ['mariadb-server', 'python3-PyMySQL']},
        'units': {'Debian': ['mariadb'], 'RedHat': ['mariadb']},
        'listeners': ['mariadbd', 'mysqld'],
    },
    'rabbitmq': {
        'role': 'rabbitmq',
        'groups': ['controller'],
        'default': True,
        'ports': {'amqp': _port(5672, scope='management')},
        'packages': {'Debian': ['rabbitmq-server'], 'RedHat': ['rabbitmq-server']},
        'units': {'Debian': ['rabbitmq-server'], 'RedHat': ['rabbitmq-server']},
        'listeners': ['beam.smp'],
    },
    'memcached': {
        'role': 'memcached',
        'groups': ['controller'],
        'default': True,
        'ports': {'memcached': _port(11211, scope='management')},
        'packages': {'Debian': ['memcached', 'python3-memcache'], 'RedHat': ['memcached', 'python3-memcached']},
        'units': {'Debian': ['memcached'], 'RedHat': ['memcached']},
        'listeners': ['memcached'],
    },
    'keystone': {
        'role': 'keystone',
        'groups': ['controller'],
        'default': True,
        'ports': {'api': _port(5000)},
        'keystone': {'type': 'identity', 'name': 'keystone', 'description': 'OpenStack Identity', 'path': '/v3'},
        'health': '/v3',
        'databases': ['keystone'],
        'secrets': [{'name': 'keystone_admin_password', 'kind': 'password'},
                    {'name': 'keystone_fernet_keys', 'kind': 'fernet_key', 'count': 2},
                    {'name': 'keystone_credential_keys', 'kind': 'fernet_key', 'count': 2}],
        'packages': {'Debian': ['keystone'], 'RedHat': ['openstack-keystone', 'httpd', 'python3-mod_wsgi']},
        'units': {'Debian': ['keystone'], 'RedHat': ['httpd']},
        'listeners': ['uwsgi', 'keystone', 'apache2', 'httpd'],
        'debconf': {'keystone': ['keystone/configure_db', 'keystone/create-admin-tenant', 'keystone/register-endpoint']},
    },
    'glance': {
        'role': 'glance',
        'groups': ['controller'],
        'default': True,
        'ports': {'api': _port(9292)},
        'keystone': {'type': 'image', 'name': 'glance', 'description': 'OpenStack Image', 'path': ''},
        'health': '/healthcheck',
        'user': 'glance',
        'databases': ['glance'],
        'packages': {'Debian': ['glance-api'], 'RedHat': ['openstack-glance']},
        'units': {'Debian': ['glance-api'], 'RedHat': ['openstack-glance-api']},
        'listeners': ['uwsgi', 'glance-api'],
        'debconf': {'glance-common': ['glance/configure_db', 'glance/configure_rabbit', 'glance/configure_ksat'],
                    'glance-api': ['glance/configure_api-endpoint']},
    },
    'placement': {
        'role': 'placement',
        'groups': ['controller'],
        'default': True,
        'ports': {'api': _port(8778)},
        'keystone': {'type': 'placement', 'name': 'placement', 'description': 'Placement API', 'path': ''},
        'health': '/',
        'user': 'placement',
        'databases': ['placement'],
        'packages': {'Debian': ['placement-api'], 'RedHat': ['openstack-placement-api']},
        'units': {'Debian': ['placement-api'], 'RedHat': ['httpd']},
        'listeners': ['uwsgi', 'placement-api', 'apache2', 'httpd'],
        'debconf': {'placement-common': ['placement/configure_db', 'placement/configure_ksat'],
                    'placement-api': ['placement/configure_api-endpoint']},
    },
    'nova': {
        'role': 'nova',
        'groups': ['controller'],
        'default': True,
        'ports': {'api': _port(8774), 'metadata': _port(8775, scope='management'), 'novncproxy': _port(6080)},
        'keystone': {'type': 'compute', 'name': 'nova', 'description': 'OpenStack Compute', 'path': '/v2.1'},
        'health': '/',
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
        'listeners': ['uwsgi', 'nova-api', 'nova-api-metadata', 'nova-novncproxy'],
        'debconf': {'nova-common': ['nova/configure_db', 'nova/configure_rabbit', 'nova/configure_ksat',
                                    'nova/configure_neutron', 'nova/configure_placement'],
                    'nova-api': ['novaapi/configure_db', 'nova/configure_api-endpoint']},
    },
    'nova_compute': {
        'role': 'nova_compute',
        'groups': ['compute'],
        'default': True,
        # the guests' VNC consoles (the console proxy on the controllers connects to them) and QEMU's migration
        # streams; nova_compute gives libvirt these ranges
        'ports': {'vnc': _port('5900-5999', scope='management'),
                  'migration': _port('49152-49215', scope='management')},
        'messaging': 'nova',
        # nova's key pair for migrations between the computes (SSH as nova)
        'secrets': [{'name': 'nova_migration_ssh_key', 'kind': 'ssh_key'}],
        # genisoimage writes config drives (`server create --config-drive true`; Octavia boots every amphora with one)
        'packages': {'Debian': ['nova-compute', 'nova-compute-qemu', 'genisoimage'],
                     'RedHat': ['openstack-nova-compute', 'genisoimage']},
        'units': {'Debian': ['libvirtd', 'nova-compute'], 'RedHat': ['libvirtd', 'openstack-nova-compute']},
        'debconf': {'nova-common': ['nova/configure_db', 'nova/configure_rabbit', 'nova/configure_ksat',
                                    'nova/configure_neutron', 'nova/configure_placement']},
    },
    'neutron_server': {
        'role': 'neutron',
        'groups': ['controller'],
        'default': True,
        'ports': {'api': _port(9696)},
        'keystone': {'type': 'network', 'name': 'neutron', 'description': 'OpenStack Networking', 'path': ''},
        'health': '/',
        'user': 'neutron',
        'databases': ['neutron'],
        'messaging': 'neutron',
        'packages': {'Debian': ['neutron-server'],
                     'RedHat': ['openstack-neutron', 'openstack-neutron-ml2']},
        'units': {'Debian': ['neutron-api', 'neutron-rpc-server'], 'RedHat': ['neutron-server']},
        'listeners': ['uwsgi', 'neutron-server', 'neutron-api'],
        'debconf': {'neutron-common': ['neutron/configure_db', 'neutron/configure_rabbit', 'neutron/configure_ksat',
                                       'neutron/configure_nova'],
                    'neutron-api': ['neutron/configure_api-endpoint']},
    },
    'neutron_network_agents': {
        'role': 'neutron',
        'groups': ['network'],
        'default': True,
        'ports': {},
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
    # The L2 agent: one of the two, chosen by openstack_network_driver (default_services)
    'neutron_linuxbridge_agent': {
        'role': 'neutron',
        'groups': ['network', 'compute'],
        'default': True,
        'ports': {'vxlan': _port(4789, 'udp', 'management')},
        # one brq<network> bridge per network
        'bridges': ['brq+'],
        # the VXLAN port is held by the kernel's VXLAN devices
        'listeners': ['kernel'],
        'messaging': 'neutron',
        'packages': {'Debian': ['neutron-linuxbridge-agent'], 'RedHat': ['openstack-neutron-linuxbridge']},
        'units': {'Debian': ['neutron-linuxbridge-agent'], 'RedHat': ['neutron-linuxbridge-agent']},
        'debconf': {'neutron-common': ['neutron/configure_db', 'neutron/configure_rabbit', 'neutron/configure_ksat',
                                       'neutron/configure_nova']},
    },
    'neutron_openvswitch_agent': {
        'role': 'neutron',
        'groups': ['network', 'compute'],
        'default': True,
        'ports': {'vxlan': _port(4789, 'udp', 'management')},
        # the iptables_hybrid firewall puts each port behind a qbr<port> Linux bridge
        'bridges': ['qbr+'],
        # the VXLAN port is held by the kernel's datapath, or by ovs-vswitchd with the userspace one
        'listeners': ['kernel', 'ovs-vswitchd'],
        'messaging': 'neutron',
        # gureum-ovs-tx-checksum: the neutron role's own unit, only where OVS runs in userspace (netdev), which
        # forwards guests' checksums unfilled (roles/neutron/files/gureum-ovs-tx-checksum)
        'packages': {'Debian': ['openvswitch-switch', 'neutron-openvswitch-agent', 'ethtool'],
                     'RedHat': ['openvswitch', 'openstack-neutron-openvswitch', 'ethtool']},
        'units': {'Debian': ['openvswitch-switch', 'neutron-openvswitch-agent', 'gureum-ovs-tx-checksum'],
                  'RedHat': ['openvswitch', 'neutron-openvswitch-agent', 'gureum-ovs-tx-checksum']},
        'debconf': {'neutron-common': ['neutron/configure_db', 'neutron/configure_rabbit', 'neutron/configure_ksat',
                                       'neutron/configure_nova']},
    },
    # Heat: the orchestration API and the engine; the CloudFormation-compatible API is an entry of its own (a
    # Keystone service of its own, on its own port), deployed by the same role
    'heat': {
        'role': 'heat',
        'groups': ['controller'],
        'default': True,
        'ports': {'api': _port(8004)},
        'keystone': {'type': 'orchestration', 'name': 'heat', 'description': 'Orchestration',
                     'path': '/v1/%(tenant_id)s',
                     # the install guide's stack domain (projects and users Heat makes for stacks) and its admin
                     # (password secret 'heat_domain_admin_password'), and the roles Heat's policy names
                     'domains': [{'name': 'heat', 'description': 'Stack projects and users',
                                  'admin': 'heat_domain_admin'}],
                     'roles': ['heat_stack_owner', 'heat_stack_user']},
        'health': '/healthcheck',
        'user': 'heat',
        'databases': ['heat'],
        'messaging': 'heat',
        # the AES key of the credentials Heat stores: exactly 16, 24 or 32 characters
        'secrets': [{'name': 'heat_auth_encryption_key', 'kind': 'password', 'length': 32}],
        'packages': {'Debian': ['heat-api', 'heat-engine'],
                     'RedHat': ['openstack-heat-api', 'openstack-heat-engine']},
        'units': {'Debian': ['heat-api', 'heat-engine'],
                  'RedHat': ['openstack-heat-api', 'openstack-heat-engine']},
        'listeners': ['uwsgi', 'heat-api'],
        'debconf': {'heat-common': ['heat/configure_with_debconf', 'heat/configure_db', 'heat/configure_rabbit',
                                    'heat/configure_ksat'],
                    'heat-api': ['heat/configure_api-endpoint']},
    },
    'heat_cfn': {
        'role': 'heat',
        'groups': ['controller'],
        'default': True,
        'ports': {'api': _port(8000)},
        'keystone': {'type': 'cloudformation', 'name': 'heat-cfn', 'description': 'Orchestration (CloudFormation)',
                     'path': '/v1'},
        'health': '/healthcheck',
        'packages': {'Debian': ['heat-api-cfn'], 'RedHat': ['openstack-heat-api-cfn']},
        'units': {'Debian': ['heat-api-cfn'], 'RedHat': ['openstack-heat-api-cfn']},
        'listeners': ['uwsgi', 'heat-api-cfn'],
        'debconf': {'heat-common': ['heat/configure_with_debconf', 'heat/configure_db', 'heat/configure_rabbit',
                                    'heat/configure_ksat'],
                    'heat-api-cfn': ['heat-api-cfn/configure_api-endpoint']},
    },
    # Octavia: the load-balancer API (uwsgi on Debian), worker, health manager and housekeeping on the controllers.
    # The amphora provider boots a service VM (an amphora, from the image the octavia role builds) per load balancer
    # on the lb-mgmt-net provider network, which the controllers join on their amphora NIC: the worker drives the
    # amphorae's agents (9443/tcp, on the amphorae) and the health managers take their heartbeats on 5555/udp,
    # signed with the heartbeat key. Not deployed by default: it needs the amphora network (docs/octavia.md).
    'octavia': {
        'role': 'octavia',
        'groups': ['controller'],
        'default': False,
        'ports': {'api': _port(9876), 'health': _port(5555, 'udp')},
        # the roles Octavia's default policies read: a user needs load-balancer_member to make load balancers
        'keystone': {'type': 'load-balancer', 'name': 'octavia', 'description': 'Octavia Load Balancing Service',
                     'path': '', 'roles': ['load-balancer_member', 'load-balancer_observer',
                                           'load-balancer_global_observer', 'load-balancer_quota_admin',
                                           'load-balancer_admin']},
        'health': '/healthcheck',
        'user': 'octavia',
        'databases': ['octavia'],
        'messaging': 'octavia',
        # the heartbeats' HMAC key; the passphrase of the server CA's key; the key Octavia encrypts the amphorae's
        # certificates with in its database (exactly 32 characters, base64url's alphabet)
        'secrets': [{'name': 'octavia_heartbeat_key', 'kind': 'password'},
                    {'name': 'octavia_ca_passphrase', 'kind': 'password'},
                    {'name': 'octavia_server_certs_key_passphrase', 'kind': 'password', 'length': 32}],
        'packages': {'Debian': ['octavia-api', 'octavia-worker', 'octavia-health-manager', 'octavia-housekeeping'],
                     'RedHat': ['openstack-octavia-api', 'openstack-octavia-worker',
                                'openstack-octavia-health-manager', 'openstack-octavia-housekeeping']},
        'units': {'Debian': ['octavia-api', 'octavia-worker', 'octavia-health-manager', 'octavia-housekeeping'],
                  'RedHat': ['octavia-api', 'octavia-worker', 'octavia-health-manager', 'octavia-housekeeping']},
        # ss names a process by its first 15 characters
        'listeners': ['uwsgi', 'octavia-api', 'octavia-health-manager', 'octavia-health-'],
        'debconf': {'octavia-common': ['octavia/configure_db', 'octavia/configure_rabbit', 'octavia/configure_ksat'],
                    'octavia-api': ['octavia/configure_api-endpoint'],
                    'octavia-health-manager': ['octavia/configure_health_manager']},
    },
    # Swift: the proxy on the controllers (Keystone's tokens through keystoneauth, memcached for the token and
    # account caches); the account, container and object servers with their replicators, auditors, updaters and the
    # account reaper on the storage nodes, and rsync, which the replicators copy through. Both need swift.conf's hash
    # path prefix and suffix, which no cluster may ever change. The storage servers' ports are reached only by the
    # proxies and the other storage nodes (scope storage).
    'swift_proxy': {
        'role': 'swift',
        'groups': ['controller'],
        'default': 'storage',
        'ports': {'api': _port(8080)},
        # ResellerAdmin: keystoneauth's reseller_admin_role, which may manage any account (account quotas)
        'keystone': {'type': 'object-store', 'name': 'swift', 'description': 'OpenStack Object Storage',
                     'path': '/v1/AUTH_%(project_id)s', 'roles': ['ResellerAdmin']},
        'health': '/healthcheck',
        'user': 'swift',
        'secrets': [{'name': 'swift_hash_path_prefix', 'kind': 'password'},
                    {'name': 'swift_hash_path_suffix', 'kind': 'password'}],
        'packages': {'Debian': ['swift-proxy', 'python3-keystonemiddleware'],
                     'RedHat': ['openstack-swift-proxy', 'python3-keystonemiddleware']},
        'units': {'Debian': ['swift-proxy'], 'RedHat': ['openstack-swift-proxy']},
        # ss names a process by its first 15 characters
        'listeners': ['swift-proxy-server', 'swift-proxy-ser'],
    },
    'swift_storage': {
        'role': 'swift',
        'groups': ['storage'],
        'default': 'storage',
        'ports': {'object': _port(6200, scope='storage'), 'container': _port(6201, scope='storage'),
                  'account': _port(6202, scope='storage'), 'rsync': _port(873, scope='storage')},
        'secrets': [{'name': 'swift_hash_path_prefix', 'kind': 'password'},
                    {'name': 'swift_hash_path_suffix', 'kind': 'password'}],
        'packages': {'Debian': ['swift-account', 'swift-container', 'swift-object', 'rsync'],
                     'RedHat': ['openstack-swift-account', 'openstack-swift-container', 'openstack-swift-object',
                                'rsync', 'rsync-daemon']},
        'units': {'Debian': ['swift-account', 'swift-account-auditor', 'swift-account-reaper',
                             'swift-account-replicator', 'swift-container', 'swift-container-auditor',
                             'swift-container-replicator', 'swift-container-updater', 'swift-object',
                             'swift-object-auditor', 'swift-object-replicator', 'swift-object-updater', 'rsync'],
                  'RedHat': ['openstack-swift-account', 'openstack-swift-account-auditor',
                             'openstack-swift-account-reaper', 'openstack-swift-account-replicator',
                             'openstack-swift-container', 'openstack-swift-container-auditor',
                             'openstack-swift-container-replicator', 'openstack-swift-container-updater',
                             'openstack-swift-object', 'openstack-swift-object-auditor',
                             'openstack-swift-object-replicator', 'openstack-swift-object-updater', 'rsyncd']},
        'listeners': ['swift-object-server', 'swift-object-se', 'swift-container-server', 'swift-container',
                      'swift-account-server', 'swift-account-s', 'rsync'],
    },
    # Cinder: the Block Storage API and scheduler on the controllers (Debian serves the API with uwsgi, like the other
    # APIs: /etc/default/cinder-api); the volume and backup services on the storage nodes. All three default to the
    # storage group having hosts, as does the iSCSI target an LVM backend exports its volumes with.
    'cinder': {
        'role': 'cinder',
        'groups': ['controller'],
        'default': 'storage',
        'ports': {'api': _port(8776)},
        'keystone': {'type': 'volumev3', 'name': 'cinderv3', 'description': 'OpenStack Block Storage',
                     'path': '/v3/%(project_id)s'},
        'health': '/healthcheck',
        'user': 'cinder',
        'databases': ['cinder'],
        'messaging': 'cinder',
        'packages': {'Debian': ['cinder-api', 'cinder-scheduler'], 'RedHat': ['openstack-cinder']},
        'units': {'Debian': ['cinder-api', 'cinder-scheduler'],
                  'RedHat': ['openstack-cinder-api', 'openstack-cinder-scheduler']},
        'listeners': ['uwsgi', 'cinder-api'],
        'debconf': {'cinder-common': ['cinder/configure_db', 'cinder/configure_rabbit', 'cinder/configure_ksat'],
                    'cinder-api': ['cinder/configure_api-endpoint']},
    },
    # cinder-volume reaches the database itself (unlike nova-compute), as the cinder user; an RBD backend reads
    # Ceph as client.cinder, whose key the computes' libvirt secret (ceph_libvirt_secret_uuid) holds too. The Ceph
    # client keys are the ceph_mon entry's secrets, not these entries': with an external Ceph they are given, and a
    # key generated here would pass the ceph_external precheck and fail at the first volume
    'cinder_volume': {
        'role': 'cinder',
        'groups': ['storage'],
        'default': 'storage',
        'ports': {},
        'messaging': 'cinder',
        'secrets': [{'name': 'ceph_libvirt_secret_uuid', 'kind': 'uuid'}],
        'packages': {'Debian': ['cinder-volume'], 'RedHat': ['openstack-cinder']},
        'units': {'Debian': ['cinder-volume'], 'RedHat': ['openstack-cinder-volume']},
        'debconf': {'cinder-common': ['cinder/configure_db', 'cinder/configure_rabbit', 'cinder/configure_ksat']},
    },
    'cinder_backup': {
        'role': 'cinder',
        'groups': ['storage'],
        'default': 'storage',
        'ports': {},
        'messaging': 'cinder',
        'packages': {'Debian': ['cinder-backup'], 'RedHat': ['openstack-cinder']},
        'units': {'Debian': ['cinder-backup'], 'RedHat': ['openstack-cinder-backup']},
        'debconf': {'cinder-common': ['cinder/configure_db', 'cinder/configure_rabbit', 'cinder/configure_ksat']},
    },
    # The iSCSI target an LVM backend exports its volumes with (computes connect to it): tgt on Debian (the
    # install guide's tgtadm), LIO through targetcli on the RHEL family (lioadm). Not deployed by default: add it to
    # openstack_services with an lvm backend (the prechecks ask for it); an RBD backend needs no target.
    'cinder_iscsi_target': {
        'role': 'cinder',
        'groups': ['storage'],
        'default': False,
        'ports': {'iscsi': _port(3260, scope='management')},
        'packages': {'Debian': ['tgt'], 'RedHat': ['targetcli']},
        'units': {'Debian': ['tgt'], 'RedHat': ['target']},
        # LIO's portals are the kernel's
        'listeners': ['tgtd', 'kernel'],
    },
    # The dashboard (Apache and mod_wsgi) under /horizon. Both ports are opened: Apache serves the dashboard on 'http'
    # while the public scheme (openstack_public_scheme) is http; with https it serves it on 'https' and 'http' only
    # redirects there. Horizon's panels for Heat and Octavia are packages the role adds when those services are
    # deployed, not catalog packages. Deployed by default: the study notes do most of day 1 in the dashboard; it
    # costs the controller Apache and two mod_wsgi processes (horizon_wsgi_processes), not yet measured here.
    'horizon': {
        'role': 'horizon',
        'groups': ['controller'],
        'default': True,
        'ports': {'http': _port(80), 'https': _port(443)},
        'health': '/horizon/auth/login/',
        'health_port': 'http',
        # Django's SECRET_KEY (sessions, CSRF tokens): one key shared by every controller
        'secrets': [{'name': 'horizon_secret_key', 'kind': 'password', 'length': 50}],
        'packages': {'Debian': ['openstack-dashboard', 'openstack-dashboard-apache'],
                     'RedHat': ['openstack-dashboard']},
        'units': {'Debian': ['apache2'], 'RedHat': ['httpd']},
        'listeners': ['apache2', 'httpd'],
        # false: the package enables its /horizon alias (not a virtual host of its own) and no SSL site
        'debconf': {'openstack-dashboard-apache': ['horizon/activate_vhost', 'horizon/use_ssl']},
    },
    # Ceph (Debian 12's Pacific; on the RHEL family from the CentOS Storage SIG that RDO's release package enables)
    # on the storage nodes: monitors, managers and OSDs, deployed by the ceph role unless the cloud uses an external
    # Ceph (ceph_external: leave these out, e.g. openstack_catalog_overrides: {ceph_mon: {default: false}, ...}).
    # Their units are templates, one instance per daemon (ceph-mon@<host>, ceph-mgr@<host>, ceph-osd@<id>): a unit
    # name ending in '@' stands for its instances; the ceph role hands the lifecycle the instances this node runs
    # (openstack_service_units), and diagnostics collects every instance the node has.
    'ceph_mon': {
        'role': 'ceph',
        'groups': ['storage'],
        'default': 'storage',
        # msgr2 (Ceph's own protocol since Nautilus) and the legacy v1 port, both in every mon address (mon_host)
        'ports': {'msgr2': _port(3300, scope='management'), 'msgr1': _port(6789, scope='management')},
        # the cluster's fsid and the keys it is made with (mon. and client.admin), and the OpenStack clients' keys,
        # which the ceph role imports into the cluster with the same key (an external Ceph's are given here too)
        'secrets': [{'name': 'ceph_fsid', 'kind': 'uuid'},
                    {'name': 'ceph_mon_key', 'kind': 'ceph_key'},
                    {'name': 'ceph_admin_key', 'kind': 'ceph_key'},
                    {'name': 'ceph_client_glance_key', 'kind': 'ceph_key'},
                    {'name': 'ceph_client_cinder_key', 'kind': 'ceph_key'},
                    {'name': 'ceph_client_cinder_backup_key', 'kind': 'ceph_key'}],
        'packages': {'Debian': ['ceph-mon'], 'RedHat': ['ceph-mon']},
        'units': {'Debian': ['ceph-mon@'], 'RedHat': ['ceph-mon@']},
        'listeners': ['ceph-mon'],
    },
    # The manager binds in the OSDs' port range (ceph_osd.ports.osd, ms_bind_port_min/max on the node)
    'ceph_mgr': {
        'role': 'ceph',
        'groups': ['storage'],
        'default': 'storage',
        'ports': {},
        'packages': {'Debian': ['ceph-mgr'], 'RedHat': ['ceph-mgr']},
        'units': {'Debian': ['ceph-mgr@'], 'RedHat': ['ceph-mgr@']},
    },
    'ceph_osd': {
        'role': 'ceph',
        'groups': ['storage'],
        'default': 'storage',
        # every OSD (and the manager) binds its public, cluster and heartbeat ports in this range
        'ports': {'osd': _port('6800-7300', scope='management')},
        'packages': {'Debian': ['ceph-osd'], 'RedHat': ['ceph-osd']},
        'units': {'Debian': ['ceph-osd@'], 'RedHat': ['ceph-osd@']},
        'listeners': ['ceph-osd', 'ceph-mgr'],
    },
}


class CatalogError(Exception):
    """Bad catalog data or a bad question about it; the message says how to fix it."""


def port_range(port):
    """(first, last) of a port number or 'first-last' range."""
    try:
        return ports.port_range(port)
    except ValueError as exc:
        raise CatalogError(str(exc))


def _check_list_by_os(name, field, value):
    if not isinstance(value, dict) or not all(isinstance(v, list) and all(isinstance(i, str) and i for i in v)
                                              for v in value.values()):
        raise CatalogError("catalog entry '%s': %s must map an OS family (Debian, RedHat) to a list of names, got %r."
                           % (name, field, value))


def check_entry(name, entry):
    """Raise CatalogError unless ``entry`` is a well-formed catalog entry."""
    if not isinstance(entry, dict):
        raise CatalogError("catalog entry '%s' must be a dictionary." % name)
    unknown = sorted(set(entry) - set(FIELDS))
    if unknown:
        raise CatalogError("catalog entry '%s' has unknown field(s) %s; the fields are %s."
                           % (name, ', '.join(unknown), ', '.join(FIELDS)))
    role = entry.get('role')
    if not isinstance(role, str) or not NAME_RE.match(role):
        raise CatalogError("catalog entry '%s' has no role: every service needs the collection role that deploys it "
                           "(role: <name of a role under roles/>); a service no role deploys cannot be enabled."
                           % name)
    groups = entry.get('groups')
    if not groups or not isinstance(groups, list):
        raise CatalogError("catalog entry '%s' needs 'groups', a list of node roles (%s or all)."
                           % (name, ', '.join(NODE_ROLES)))
    for group in groups:
        if group not in NODE_ROLES + ('all',):
            raise CatalogError("catalog entry '%s': unknown node role '%s'; use %s or all."
                               % (name, group, ', '.join(NODE_ROLES)))
    default = entry.get('default', False)
    if not isinstance(default, bool) and default not in NODE_ROLES:
        raise CatalogError("catalog entry '%s': default must be true, false or a node role (%s), got %r."
                           % (name, ', '.join(NODE_ROLES), default))
    ports = entry.get('ports', {})
    if not isinstance(ports, dict):
        raise CatalogError("catalog entry '%s': ports must map a name to {port, protocol, scope}, got %r."
                           % (name, ports))
    for pname, spec in ports.items():
        where = "catalog entry '%s', port '%s'" % (name, pname)
        if not isinstance(spec, dict) or 'port' not in spec:
            raise CatalogError('%s: each port is {port, protocol, scope}, got %r.' % (where, spec))
        port_range(spec['port'])
        if spec.get('protocol', 'tcp') not in PROTOCOLS:
            raise CatalogError('%s: protocol %r is not tcp or udp.' % (where, spec.get('protocol')))
        if spec.get('scope', 'public') not in SCOPES:
            raise CatalogError('%s: scope %r is not one of %s.' % (where, spec.get('scope'), ', '.join(SCOPES)))
    keystone = entry.get('keystone')
    if keystone is not None:
        missing = [k for k in ('type', 'name') if k not in keystone]
        if missing:
            raise CatalogError("catalog entry '%s': keystone needs %s." % (name, ', '.join(missing)))
        pname = keystone.get('port', 'api')
        if pname not in ports or '-' in str(ports[pname]['port']):
            raise CatalogError("catalog entry '%s': its Keystone endpoint uses port '%s', which is not one of its "
                               "ports (%s)." % (name, pname, ', '.join(sorted(ports)) or 'none'))
    if keystone is not None:
        _check_keystone_extras(name, keystone)
    health_port = entry.get('health_port')
    if health_port is not None and (health_port not in ports or '-' in str(ports[health_port]['port'])):
        raise CatalogError("catalog entry '%s': health_port '%s' is not one of its single ports (%s)."
                           % (name, health_port, ', '.join(sorted(ports)) or 'none'))
    if 'health' in entry and ((keystone is None and health_port is None) or not str(entry['health']).startswith('/')):
        raise CatalogError("catalog entry '%s': health is a path starting with '/' on its Keystone endpoint, "
                           "so it needs a keystone part (or a health_port naming the port it is asked on)." % name)
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
    for field in ('packages', 'units'):
        if field in entry:
            _check_list_by_os(name, field, entry[field])
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


def _check_keystone_extras(name, keystone):
    """The optional domains and roles of an entry's keystone part."""
    domains = keystone.get('domains', [])
    if not isinstance(domains, list):
        raise CatalogError("catalog entry '%s': keystone domains must be a list of {name, description, admin}, got %r."
                           % (name, domains))
    for domain in domains:
        if not isinstance(domain, dict) or not isinstance(domain.get('name'), str) or not domain['name']:
            raise CatalogError("catalog entry '%s': each keystone domain is {name, description, admin}, got %r."
                               % (name, domain))
        unknown = sorted(set(domain) - set(('name', 'description', 'admin')))
        if unknown:
            raise CatalogError("catalog entry '%s': keystone domain '%s' has unknown field(s) %s."
                               % (name, domain['name'], ', '.join(unknown)))
        admin = domain.get('admin')
        if admin is not None and not (isinstance(admin, str) and NAME_RE.match(admin)):
            raise CatalogError("catalog entry '%s': the admin of keystone domain '%s' must be a lower-case user name, "
                               "got %r." % (name, domain['name'], admin))
    roles = keystone.get('roles', [])
    if not isinstance(roles, list) or not all(isinstance(r, str) and r for r in roles):
        raise CatalogError("catalog entry '%s': keystone roles must be a list of role names, got %r." % (name, roles))


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


def _merge(base, override):
    """``override`` merged over ``base``: dictionaries recursively, a None value removes the key."""
    result = copy.deepcopy(base)
    for key, value in override.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def catalog(overrides=None):
    """The catalog, with ``overrides`` merged over it.

    ``overrides`` maps a service to a (partial) entry merged recursively over the built-in one (dictionaries such as
    ports, packages or keystone merge key by key; lists are replaced; a null value removes a key), or to null to
    remove the service.
    """
    result = copy.deepcopy(SERVICES)
    if overrides is not None and not isinstance(overrides, dict):
        raise CatalogError('catalog overrides must map a service name to a (partial) entry, got %r.' % (overrides,))
    for name, entry in (overrides or {}).items():
        if entry is None:
            result.pop(name, None)
            continue
        if not isinstance(entry, dict):
            raise CatalogError("catalog override '%s' must be a dictionary (or null to remove it)." % name)
        result[name] = _merge(result.get(name, {}), entry)
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


NETWORK_DRIVERS = ('linuxbridge', 'openvswitch')


def l2_agent(driver):
    """The catalog entry of the L2 agent of a Neutron mechanism driver."""
    if driver not in NETWORK_DRIVERS:
        raise CatalogError("network driver %r is not one of %s." % (driver, ', '.join(NETWORK_DRIVERS)))
    return 'neutron_%s_agent' % driver


def default_services(services, populated_roles, network_driver='linuxbridge'):
    """Names of the services deployed when the inventory does not list them, sorted.

    ``populated_roles``: the node roles whose inventory group has hosts. An entry whose default is a node role
    is included only when that role is populated (the storage services need storage nodes). Of the L2 agents, only
    the one of ``network_driver`` is included.
    """
    populated = set(populated_roles or [])
    others = set(l2_agent(d) for d in NETWORK_DRIVERS) - set([l2_agent(network_driver)])
    return sorted(name for name, entry in services.items()
                  if name not in others and (entry.get('default') is True or (entry.get('default') in NODE_ROLES
                                                                              and entry['default'] in populated)))


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


def port(entry, name):
    """The number of the port ``name`` of a catalog entry (a single port, not a range)."""
    ports = entry.get('ports', {}) if isinstance(entry, dict) else {}
    if name not in ports:
        raise CatalogError("the entry has no port '%s' (it has %s)." % (name, ', '.join(sorted(ports)) or 'none'))
    first, last = port_range(ports[name]['port'])
    if first != last:
        raise CatalogError("port '%s' is the range %s, not a single port." % (name, ports[name]['port']))
    return first


def endpoint(entry):
    """(port number, path) of an entry's Keystone endpoint."""
    keystone = entry.get('keystone') if isinstance(entry, dict) else None
    if not keystone:
        raise CatalogError('expects a catalog entry with a keystone part, got %r.' % (entry,))
    return port(entry, keystone.get('port', 'api')), keystone.get('path', '')


def health_endpoint(entry):
    """(port number, path) where an entry's health path is asked: its health_port, else its Keystone endpoint's."""
    if not isinstance(entry, dict) or not entry.get('health'):
        raise CatalogError('expects a catalog entry with a health path, got %r.' % (entry,))
    if entry.get('health_port'):
        return port(entry, entry['health_port']), entry['health']
    return endpoint(entry)[0], entry['health']


def _ports(entry):
    for spec in entry.get('ports', {}).values():
        yield spec['port'], spec.get('protocol', 'tcp'), spec.get('scope', 'public')


def firewall_ports(services, host_groups, group_map=None):
    """Ports a host must open: sorted, de-duplicated dicts of port ('22' or '5900-5999'), protocol, scope.

    A port asked for with several scopes is opened with the widest: public, then management, then storage.
    """
    wanted = {}
    for name in services_on(services, host_groups, group_map):
        for number, protocol, scope in _ports(services[name]):
            first, last = port_range(number)
            key = ('%d' % first if first == last else '%d-%d' % (first, last), protocol)
            if key not in wanted or SCOPE_WIDTH[scope] > SCOPE_WIDTH[wanted[key]]:
                wanted[key] = scope
    return [{'port': number, 'protocol': protocol, 'scope': wanted[(number, protocol)]}
            for number, protocol in sorted(wanted, key=lambda k: (port_range(k[0]), k[1]))]


SCAN_SIDES = ('management', 'provider')


def scan_expectation(ports, side, idle=None):
    """The TCP ports a peer on ``side`` should find answering on a node whose firewall opens ``ports``.

    ``ports``: what the firewalld role opens on the node, firewall_ports' dicts (port, protocol, scope) plus its
    extra ports. From the management network every port is let through (the management zone holds them all; a
    'storage' port only from the controllers' and storage nodes' addresses, so a storage node's scanning peer must be
    one of them); from the provider side only the public ones. UDP ports are left out: a TCP connect scan cannot see
    them.
    ``idle``: single ports that are opened but may have no listener (the dashboard's HTTPS port while it serves
    plain HTTP); they may answer, and need not.

    Returns {'required': sorted single ports that must answer, 'optional': sorted single ports that may,
    'ranges': sorted [first, last] ranges whose ports answer only while something uses them: a guest's VNC console,
    a live migration's stream}.
    """
    if side not in SCAN_SIDES:
        raise CatalogError("side %r is not one of %s." % (side, ', '.join(SCAN_SIDES)))
    if not isinstance(ports, (list, tuple)):
        raise CatalogError('expects the ports a node opens (a list of {port, protocol, scope}), got %r.' % (ports,))
    idle = set(_port_numbers(idle or [], 'idle'))
    required, ranges = set(), set()
    for spec in ports:
        if not isinstance(spec, dict) or 'port' not in spec:
            raise CatalogError('each port is {port, protocol, scope}, got %r.' % (spec,))
        protocol, scope = spec.get('protocol', 'tcp'), spec.get('scope', 'public')
        if protocol not in PROTOCOLS or scope not in SCOPES:
            raise CatalogError('port %r: protocol must be tcp or udp and scope one of %s.'
                               % (spec, ', '.join(SCOPES)))
        if protocol != 'tcp' or (side == 'provider' and scope != 'public'):
            continue
        first, last = port_range(spec['port'])
        if first == last:
            required.add(first)
        else:
            ranges.add((first, last))
    return {'required': sorted(required - idle), 'optional': sorted(required & idle),
            'ranges': [list(r) for r in sorted(ranges)]}


def _port_numbers(ports, what):
    if not isinstance(ports, (list, tuple, set)):
        raise CatalogError('%s must be a list of port numbers, got %r.' % (what, ports))
    numbers = []
    for number in ports:
        first, last = port_range(number)
        if first != last:
            raise CatalogError('%s must be single port numbers, got the range %r.' % (what, number))
        numbers.append(first)
    return numbers


def scan_differences(expectation, answering):
    """How the TCP ports that answered on a node differ from ``expectation`` (scan_expectation's).

    Returns {'unexpected': sorted ports that answered though nothing declares them, 'missing': sorted required
    ports that did not answer}.
    """
    if not isinstance(expectation, dict) or not all(key in expectation for key in ('required', 'optional', 'ranges')):
        raise CatalogError('expects what scan_expectation returns ({required, optional, ranges}), got %r.'
                           % (expectation,))
    found = set(_port_numbers(answering, 'the answering ports'))
    required = set(expectation['required'])
    allowed = required | set(expectation['optional'])
    ranges = [port_range('%s-%s' % tuple(r)) for r in expectation['ranges']]
    unexpected = [n for n in found - allowed if not any(first <= n <= last for first, last in ranges)]
    return {'unexpected': sorted(unexpected), 'missing': sorted(required - found)}


def firewall_bridges(services, host_groups, group_map=None):
    """Bridges (names, 'brq+' a prefix) whose instance traffic a host must forward, sorted, each once."""
    return sorted(set(bridge for name in services_on(services, host_groups, group_map)
                      for bridge in services[name].get('bridges', [])))


def packages(services, host_groups, os_family, group_map=None):
    """Every package a host installs for the services that run on it, sorted, each once."""
    return sorted(set(pkg for name in services_on(services, host_groups, group_map)
                      for pkg in services[name].get('packages', {}).get(os_family, [])))


def units(services, host_groups, os_family, group_map=None):
    """Every systemd unit a host runs for its services, sorted, each once (diagnostics reads their journals)."""
    return sorted(set(unit for name in services_on(services, host_groups, group_map)
                      for unit in services[name].get('units', {}).get(os_family, [])))


def databases(services):
    """Every MariaDB database the given entries own, sorted, each once (what a backup dumps and a restore loads)."""
    return sorted(set(name for entry in services.values() for name in entry.get('databases', [])))


def database_units(services, host_groups, os_family, group_map=None):
    """The units a host runs for the entries that own databases, sorted, each once: what a restore of the
    databases stops first, so nothing writes while they load."""
    owners = dict((name, entry) for name, entry in services.items() if entry.get('databases'))
    return units(owners, host_groups, os_family, group_map)


def _secret(name, kind='password', **extra):
    spec = {'name': name, 'kind': kind}
    spec.update(extra)
    return spec


# Databases whose password a rotation cannot change: Nova keeps cell1's database URL, password included, in its
# API database (nova-manage cell_v2 create_cell), so a new password in nova.conf alone would cut off the cell.
ROTATION_REFUSED_DATABASES = {'nova': 'Nova keeps the cell database URLs, password included, in its API database '
                                      '(cell mappings)'}


def rotation_secrets(services, enabled, name, database=False):
    """The secrets a password rotation of one service gives new values: its Keystone user's password and, with
    ``database``, its database user's.

    ``name`` is a catalog entry (``neutron_server``) or its Keystone user (``neutron``); it must be one of the
    ``enabled`` services and have a Keystone service user. Anything else is refused with a sentence, before any
    secret changes.
    """
    if not isinstance(name, str) or not name:
        raise CatalogError('name the service whose password to rotate, e.g. -e rotate_service=glance.')
    deployed = select(services, enabled)
    users = dict((entry['user'], key) for key, entry in sorted(deployed.items()) if entry.get('user'))
    choices = ', '.join(sorted(users))
    if name in users:
        entry_name = users[name]
    elif name in deployed and deployed[name].get('user'):
        entry_name = name
    elif name in deployed:
        raise CatalogError("'%s' has no Keystone service user of its own, so it has no password to rotate; the "
                           "services that have one are: %s." % (name, choices))
    elif name in services or name in [entry.get('user') for entry in services.values()]:
        raise CatalogError("'%s' is not deployed here (it is not in openstack_services); the services whose "
                           "password can be rotated are: %s." % (name, choices))
    else:
        raise CatalogError("'%s' is not a service of the catalog; the services whose password can be rotated are: "
                           "%s." % (name, choices))
    entry = deployed[entry_name]
    names = ['%s_keystone_password' % entry['user']]
    if database:
        if not entry.get('databases'):
            raise CatalogError("'%s' has no database, so it has no database password to rotate; rotate its "
                               "Keystone password without rotate_database." % name)
        if entry_name in ROTATION_REFUSED_DATABASES:
            raise CatalogError("the database password of '%s' cannot be rotated by this playbook: %s. Rotate its "
                               "Keystone password without rotate_database." % (name, ROTATION_REFUSED_DATABASES[entry_name]))
        names.append('%s_database_password' % database_user(entry_name, entry))
    return names


def secret_specs(services):
    """Every secret the given services need, sorted by name: derived ones and each entry's own 'secrets'.

    Derived: '<database_user>_database_password' for entries with databases, '<user>_keystone_password' for
    Keystone service users, '<messaging>_rabbitmq_password' for RabbitMQ users, '<admin>_password' for the admins
    of the Keystone domains of entries. Two services may ask for the
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
        for domain in (entry.get('keystone') or {}).get('domains', []):
            if domain.get('admin'):
                specs.append(_secret('%s_password' % domain['admin']))
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
      databases  [{user, databases, secret}]: one MariaDB user per owner, with all its databases;
      messaging  [{user, vhost, secret}]: one RabbitMQ user and vhost per owner;
      users      [{name, secret}]: Keystone service users (they get the admin role on the service project);
      services   [{name, type, description, port, path}]: Keystone services and their endpoints;
      domains    [{name, description}]: Keystone domains the services own;
      domain_users [{name, domain, secret}]: each domain's admin, made in that domain;
      domain_assignments [{user, user_domain, domain, role}]: the admin role of each domain admin on its domain;
      roles      further Keystone role names the services need.
    """
    databases, messaging, users, registered = {}, {}, {}, {}
    domains, domain_users, roles = {}, {}, set()
    for name in sorted(services):
        entry = services[name]
        if entry.get('databases'):
            user = database_user(name, entry)
            item = databases.setdefault(user, {'user': user, 'databases': [],
                                               'secret': '%s_database_password' % user})
            item['databases'] = sorted(set(item['databases']) | set(entry['databases']))
        if entry.get('messaging'):
            user = entry['messaging']
            messaging[user] = {'user': user, 'vhost': user, 'secret': '%s_rabbitmq_password' % user}
        if entry.get('user'):
            users[entry['user']] = {'name': entry['user'], 'secret': '%s_keystone_password' % entry['user']}
        keystone = entry.get('keystone')
        if keystone:
            if keystone['name'] in registered:
                raise CatalogError("Keystone service '%s' is registered by two catalog entries." % keystone['name'])
            number, path = endpoint(entry)
            registered[keystone['name']] = {
                'name': keystone['name'], 'type': keystone['type'],
                'description': keystone.get('description', ''), 'port': number, 'path': path,
            }
            for domain in keystone.get('domains', []):
                if domain['name'] in domains:
                    raise CatalogError("Keystone domain '%s' is owned by two catalog entries." % domain['name'])
                domains[domain['name']] = {'name': domain['name'], 'description': domain.get('description', '')}
                if domain.get('admin'):
                    domain_users[domain['admin']] = {'name': domain['admin'], 'domain': domain['name'],
                                                     'secret': '%s_password' % domain['admin']}
            roles.update(keystone.get('roles', []))
    return {
        'databases': [databases[k] for k in sorted(databases)],
        'messaging': [messaging[k] for k in sorted(messaging)],
        'users': [users[k] for k in sorted(users)],
        'services': [registered[k] for k in sorted(registered)],
        'domains': [domains[k] for k in sorted(domains)],
        'domain_users': [domain_users[k] for k in sorted(domain_users)],
        'domain_assignments': [{'user': k, 'user_domain': domain_users[k]['domain'],
                                'domain': domain_users[k]['domain'], 'role': 'admin'} for k in sorted(domain_users)],
        'roles': sorted(roles),
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
        for number, protocol, dummy in _ports(entry):
            first, last = port_range(number)
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
