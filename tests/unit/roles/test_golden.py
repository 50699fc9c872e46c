"""Golden files of what every service role hands to the lifecycle (roles/openstack_service), rendered offline.

Each service role computes, from data, the whole files it writes (``openstack_service_files``: path, content, owner,
group, mode, units) and the single settings it puts into packaged files (``openstack_service_settings``). Nothing
else reaches the node, so rendering those two lists with Ansible's Templar, for Debian and for the RHEL family, in a
default and an overridden case, checks every role's configuration without a machine.

The variables are what a run gives the role: the openstack role's defaults (roles/openstack/defaults/main.yml,
which it settles for every host), the role's defaults, a three-node inventory (controller, network, compute), the
vars the playbooks pass to the role, the role's vars files (vars/main.yml and the OS family's file, chosen as the
role's own include_vars task chooses it), facts, the results the role registers, and fixed fake secrets (one for
every secret the catalog asks for). The lists come from the role's own call of the lifecycle (found by walking its
tasks), so a role that renders its files inline (repos) is covered too.

expected/<role>/<family>/<case>/ holds one file per rendered file (its path with / replaced by __, a first line
giving owner, group, mode and units, then the content) and settings.yml; a role rendered on several nodes has one
case directory per node (<case>-<node>). After a deliberate change, run
    GUREUM_UPDATE_EXPECTED=1 python -m pytest tests/unit/roles
and review the diff of the expected files.

The https case (Debian, the roles that serve or name HTTPS endpoints) sets openstack_public_scheme: https, with a
fake certificate and key (tls/cloud.crt, tls/cloud.key): the listeners, the services' copies of the certificate
(which the lifecycle adds to the role's files) and the https URLs show in what they render. The key counts as a
secret.

The overridden case sets each role's *_overrides variables (one option changed, one removed with null) or, for a
role without them, its ordinary variables, and moves every port of the catalog at once (openstack_catalog_overrides):
each role must then show its own moved port, and the ports of the services it talks to, in what it renders.
"""

import base64
import functools
import glob
import os
import re
import uuid

import pytest
import yaml
from ansible.module_utils._internal._datatag import AnsibleTagHelper
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

from ansible_collections.gureum.openstack.plugins.filter.secrets import secret_values
from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
ROLES_DIR = os.path.join(ROOT, 'roles')
EXPECTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'expected')
UPDATE = os.environ.get('GUREUM_UPDATE_EXPECTED') == '1'
LIFECYCLE = 'gureum.openstack.openstack_service'

# ---- The platforms ----

FAMILIES = ('Debian', 'RedHat')
FACTS = {
    'Debian': {'os_family': 'Debian', 'distribution': 'Debian', 'distribution_major_version': '12',
               'distribution_version': '12.8', 'distribution_release': 'bookworm', 'architecture': 'x86_64'},
    'RedHat': {'os_family': 'RedHat', 'distribution': 'Rocky', 'distribution_major_version': '9',
               'distribution_version': '9.5', 'distribution_release': 'Blue Onyx', 'architecture': 'x86_64'},
}

# ---- The inventory: one node of each role ----

# eth2: the amphora network's NIC; br-amphora: its Open vSwitch bridge on the L2 nodes (the neutron role's overridden
# and openvswitch cases map the amphora network)
NODES = {
    'controller': {'address': '10.0.0.11', 'interfaces': ['lo', 'eth0', 'eth1', 'eth2'],
                   'amphora_address': '172.31.0.11'},
    'network': {'address': '10.0.0.21', 'interfaces': ['lo', 'eth0', 'eth1', 'eth2', 'br-ex', 'br-amphora']},
    'compute': {'address': '10.0.0.31', 'interfaces': ['lo', 'eth0', 'eth2', 'br-amphora']},
    'storage': {'address': '10.0.0.41', 'interfaces': ['lo', 'eth0']},
}
GROUPS = dict([('all', sorted(NODES)), ('ungrouped', [])]
              + [(node, [node]) for node in NODES] + [('openstack_' + node, [node]) for node in NODES])

# ---- Fake secrets: every secret the catalog asks for, each value unmistakable ----


def _fake_secrets():
    result = {}
    for spec in catalog.secret_specs(catalog.catalog()):
        name = spec['name']
        if spec['kind'] == 'fernet_key':
            result[name] = ['FakeKey%d-%s-0123456789abcdefghijklmnopq=' % (index, name)
                            for index in range(spec.get('count', 2))]
        elif spec['kind'] == 'ssh_key':
            result[name] = {'private': '-----BEGIN OPENSSH PRIVATE KEY-----\nFakePrivateKey-%s-0123456789\n'
                                       '-----END OPENSSH PRIVATE KEY-----\n' % name,
                            'public': 'ssh-ed25519 FakePublicKey-%s' % name}
        elif spec['kind'] == 'uuid':
            result[name] = str(uuid.uuid5(uuid.NAMESPACE_URL, 'gureum-fake-' + name))
        elif spec['kind'] == 'ceph_key':
            result[name] = 'AQFakeCephKey-%s-0123456789==' % name
        else:
            result[name] = 'FakeSecret-%s-0123456789' % name
    return result


SECRETS = _fake_secrets()
TLS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'tls')
TLS_FILES = {'openstack_tls_certificate': os.path.join(TLS_DIR, 'cloud.crt'),
             'openstack_tls_private_key': os.path.join(TLS_DIR, 'cloud.key'),
             # Octavia's generated CAs and client certificate (fake PEM files)
             'octavia_certs_dir': os.path.join(os.path.dirname(os.path.abspath(__file__)), 'octavia-certs')}
TLS_KEY = 'FakeCloudKey-0123456789-for-the-golden-files'
# what must never appear in a rendered file: what the collection masks (each password and key, each private key's
# body line), and the cloud's TLS key
SECRET_VALUES = sorted(set(secret_values(SECRETS)) | set([TLS_KEY]))

# ---- The overridden case: every catalog port moved at once ----

MOVED_PORTS = {
    ('mariadb', 'mysql'): 3316,
    ('rabbitmq', 'amqp'): 5682,
    ('memcached', 'memcached'): 11221,
    ('keystone', 'api'): 5050,
    ('glance', 'api'): 9393,
    ('placement', 'api'): 8788,
    ('nova', 'api'): 8884,
    ('nova', 'metadata'): 8885,
    ('nova', 'novncproxy'): 6088,
    ('neutron_server', 'api'): 9797,
    ('heat', 'api'): 8014,
    ('heat_cfn', 'api'): 8010,
    ('neutron_linuxbridge_agent', 'vxlan'): 4799,
    ('chrony_server', 'ntp'): 1123,
    ('horizon', 'http'): 8081,
    ('horizon', 'https'): 8444,
    ('ceph_mon', 'msgr2'): 3310,
    ('ceph_mon', 'msgr1'): 6799,
    ('swift_proxy', 'api'): 8090,
    ('swift_storage', 'object'): 6210,
    ('swift_storage', 'container'): 6211,
    ('swift_storage', 'account'): 6212,
    ('swift_storage', 'rsync'): 883,
    ('cinder', 'api'): 8886,
    ('cinder_iscsi_target', 'iscsi'): 3270,
    ('octavia', 'api'): 9886,
    ('octavia', 'health'): 5565,
}
CATALOG_OVERRIDES = {}
for (_service, _port), _number in MOVED_PORTS.items():
    CATALOG_OVERRIDES.setdefault(_service, {'ports': {}})['ports'][_port] = {'port': _number}


def _proc1_status(capbnd):
    """slurp's result for /proc/1/status with the given bounding set (chrony reads CAP_SYS_TIME, bit 25)."""
    text = 'Name:\tsystemd\nState:\tS (sleeping)\nCapInh:\t0000000000000000\nCapPrm:\t%s\nCapEff:\t%s\n' \
           'CapBnd:\t%s\nCapAmb:\t0000000000000000\n' % (capbnd, capbnd, capbnd)
    return {'content': base64.b64encode(text.encode()).decode(), 'encoding': 'base64', 'source': '/proc/1/status',
            'changed': False}


# A machine (every capability) and a container without CAP_SYS_TIME (Docker's default set)
PROC1_MACHINE = _proc1_status('000001ffffffffff')
PROC1_CONTAINER = _proc1_status('00000000a80425fb')
assert int('000001ffffffffff', 16) >> 25 & 1 == 1 and int('00000000a80425fb', 16) >> 25 & 1 == 0

# ---- The roles: nodes they are rendered on, and what the overridden case changes ----
#
# overrides: inventory variables of the overridden case (beside openstack_catalog_overrides)
# registered: results of the role's own tasks, per case
# ports: per node, the moved ports (MOVED_PORTS keys) the overridden case must show: the role's own, then the ones
#        of the services it talks to

CONTROLLER_PORTS = [('mariadb', 'mysql'), ('rabbitmq', 'amqp'), ('memcached', 'memcached'), ('keystone', 'api'),
                    ('glance', 'api'), ('placement', 'api'), ('nova', 'api'), ('nova', 'metadata'),
                    ('nova', 'novncproxy'), ('neutron_server', 'api'), ('heat', 'api'), ('heat_cfn', 'api'),
                    ('chrony_server', 'ntp'), ('horizon', 'http'), ('horizon', 'https'), ('swift_proxy', 'api'),
                    ('cinder', 'api')]
SWIFT_STORAGE_PORTS = [('swift_storage', 'account'), ('swift_storage', 'container'), ('swift_storage', 'object'),
                       ('swift_storage', 'rsync')]
ROLES = {
    'mariadb': {
        'nodes': ['controller'],
        'overrides': {'mariadb_config_overrides': {'mysqld': {'max_connections': 8192, 'innodb_file_per_table': None}}},
        'ports': {'controller': [('mariadb', 'mysql')]},
    },
    'rabbitmq': {
        'nodes': ['controller'],
        'overrides': {'rabbitmq_config_overrides': {'distribution.listener.interface': '127.0.0.1',
                                                    'loopback_users.guest': None}},
        'ports': {'controller': [('rabbitmq', 'amqp')]},
    },
    'memcached': {
        # no *_overrides variable: the templates take these
        'nodes': ['controller'],
        'overrides': {'memcached_memory_mb': 256, 'memcached_max_connections': 4096},
        'ports': {'controller': [('memcached', 'memcached')]},
    },
    'keystone': {
        'nodes': ['controller'],
        'overrides': {'keystone_conf_overrides': {'token': {'expiration': 7200},
                                                  'fernet_tokens': {'max_active_keys': None}},
                      'keystone_uwsgi_processes': 4},
        'ports': {'controller': [('keystone', 'api'), ('mariadb', 'mysql'), ('memcached', 'memcached')]},
    },
    'glance': {
        'nodes': ['controller'],
        # the overridden case keeps images in Ceph (glance_store: rbd): its ceph.conf names the moved monitor ports
        'overrides': {'glance_conf_overrides': {'DEFAULT': {'workers': 4}, 'paste_deploy': {'flavor': None}},
                      'glance_store': 'rbd'},
        'ports': {'controller': [('glance', 'api'), ('mariadb', 'mysql'), ('keystone', 'api'),
                                 ('memcached', 'memcached'), ('ceph_mon', 'msgr2'), ('ceph_mon', 'msgr1')]},
    },
    'placement': {
        'nodes': ['controller'],
        'overrides': {'placement_conf_overrides': {'DEFAULT': {'log_dir': '/srv/log/placement'},
                                                   'api': {'auth_strategy': None}},
                      'placement_uwsgi_processes': 4},
        'ports': {'controller': [('placement', 'api'), ('mariadb', 'mysql'), ('keystone', 'api'),
                                 ('memcached', 'memcached')]},
    },
    'nova': {
        'nodes': ['controller'],
        'overrides': {'nova_conf_overrides': {'conductor': {'workers': 4}, 'oslo_concurrency': {'lock_path': None}},
                      'nova_uwsgi_processes': 4},
        'ports': {'controller': [('nova', 'api'), ('nova', 'metadata'), ('nova', 'novncproxy'), ('mariadb', 'mysql'),
                                 ('rabbitmq', 'amqp'), ('keystone', 'api'), ('memcached', 'memcached'),
                                 ('glance', 'api')]},
    },
    'nova_compute': {
        'nodes': ['compute'],
        'overrides': {'nova_compute_conf_overrides': {'DEFAULT': {'log_dir': '/srv/log/nova'},
                                                      'vnc': {'server_listen': None}}},
        # gureum.openstack.virt_type's answers: forced to qemu in a container (no boot test) by default; a boot
        # test under KVM that worked, on a machine, in the overridden case
        'registered': {
            'default': {
                '__nova_compute_hypervisor': {'virt_type': 'qemu', 'reason': 'forced by nova_compute_virt_type',
                                              'probed': False, 'probe_needed': False, 'cgroups_read_only': True,
                                              'changed': False},
                '__nova_compute_probed': {'skipped': True, 'changed': False,
                                          'skip_reason': 'Conditional result was False'},
            },
            'overridden': {
                '__nova_compute_hypervisor': {'virt_type': '', 'reason': 'no answer cached for this QEMU and CPU',
                                              'probed': False, 'probe_needed': True, 'cgroups_read_only': False,
                                              'changed': False},
                '__nova_compute_probed': {'virt_type': 'kvm', 'reason': 'the test kernel booted under KVM',
                                          'probed': True, 'probe_needed': False, 'cgroups_read_only': False,
                                          'changed': True},
            },
        },
        # Cinder's rbd volumes (the storage node's default): ceph.conf names the moved monitor ports
        'ports': {'compute': [('nova', 'novncproxy'), ('rabbitmq', 'amqp'), ('keystone', 'api'), ('glance', 'api'),
                              ('ceph_mon', 'msgr2'), ('ceph_mon', 'msgr1')]},
    },
    'neutron': {
        'nodes': ['controller', 'network', 'compute'],
        'overrides': {
            'neutron_conf_overrides': {'DEFAULT': {'rpc_state_report_workers': 2,
                                                   'notify_nova_on_port_data_changes': None}},
            'neutron_ml2_conf_overrides': {'ml2_type_vxlan': {'vni_ranges': '1:2000'},
                                           'ml2': {'extension_drivers': None}},
            'neutron_l3_agent_overrides': {'DEFAULT': {'interface_driver': None, 'debug': True}},
            'neutron_dhcp_agent_overrides': {'DEFAULT': {'enable_isolated_metadata': False, 'dhcp_driver': None}},
            'neutron_metadata_agent_overrides': {'DEFAULT': {'metadata_workers': 4, 'nova_metadata_host': None}},
            'neutron_l2_agent_overrides': {'vxlan': {'l2_population': False},
                                           'securitygroup': {'firewall_driver': None}},
            # the amphora network, as where Octavia is deployed ('octavia' in openstack_services)
            'neutron_extra_physical_networks': [{'name': 'amphora', 'interface': 'eth2', 'bridge': 'br-amphora'}],
        },
        'ports': {
            'controller': [('neutron_server', 'api'), ('mariadb', 'mysql'), ('rabbitmq', 'amqp'), ('keystone', 'api'),
                           ('memcached', 'memcached')],
            # the metadata agent forwards to Nova's metadata API
            'network': [('neutron_linuxbridge_agent', 'vxlan'), ('rabbitmq', 'amqp'), ('nova', 'metadata')],
            'compute': [('neutron_linuxbridge_agent', 'vxlan'), ('rabbitmq', 'amqp')],
        },
        # the openvswitch case: gureum.openstack.ovs_datapath found no kernel datapath on the node (the lab's kernel)
        # and fell back to userspace; the provider network carries two VLAN ranges; the amphora network is mapped
        'openvswitch': {'openstack_provider_vlan_ranges': ['100:199', '300:300'],
                        'neutron_tenant_network_types': ['vxlan', 'vlan'],
                        'neutron_extra_physical_networks': [{'name': 'amphora', 'interface': 'eth2',
                                                             'bridge': 'br-amphora'}]},
        'registered': {
            'openvswitch': {
                '__neutron_ovs_decided': {'datapath_type': 'netdev', 'kernel_datapath': False, 'probed': True,
                                          'probe_needed': False, 'changed': True,
                                          'reason': 'a kernel-datapath bridge failed here: could not open network '
                                                    'device gureum-dp-probe; the userspace datapath is used'},
                '__neutron_ovs_tested': {'skipped': True, 'changed': False,
                                         'skip_reason': 'Conditional result was False'},
            },
        },
    },
    'heat': {
        'nodes': ['controller'],
        'overrides': {'heat_conf_overrides': {'DEFAULT': {'num_engine_workers': 4}, 'clients': {'endpoint_type': None}},
                      'heat_api_uwsgi_processes': 4},
        'ports': {'controller': [('heat', 'api'), ('heat_cfn', 'api'), ('mariadb', 'mysql'), ('rabbitmq', 'amqp'),
                                 ('keystone', 'api'), ('memcached', 'memcached')]},
    },
    'cinder': {
        # the API and scheduler (controller), the volume and backup services (storage): an rbd backend and backups
        # to Swift (deployed with storage hosts) by default, ceph.conf left to the ceph role; the overridden case adds
        # an lvm backend (with its iSCSI target) and backs up to an external Ceph, whose ceph.conf this role writes
        'nodes': ['controller', 'storage'],
        'overrides': {'cinder_conf_overrides': {'DEFAULT': {'osapi_max_limit': 500},
                                                'oslo_concurrency': {'lock_path': None}},
                      'cinder_backends': [{'name': 'lvm', 'type': 'lvm', 'device': '/dev/sdb'},
                                          {'name': 'rbd-fast', 'type': 'rbd', 'pool': 'fast', 'volume_type': 'fast',
                                           'rbd_exclusive_cinder_pool': False}],
                      'cinder_backup_driver': 'ceph', 'ceph_external': True,
                      'ceph_mon_hosts': ['10.0.9.11', '10.0.9.12'],
                      'openstack_services': "{{ openstack_groups | gureum.openstack.default_services(groups, "
                                            "openstack_catalog_overrides, openstack_network_driver) "
                                            "+ ['cinder_iscsi_target'] }}",
                      'cinder_api_uwsgi_processes': 4},
        'ports': {'controller': [('cinder', 'api'), ('mariadb', 'mysql'), ('rabbitmq', 'amqp'), ('keystone', 'api'),
                                 ('memcached', 'memcached'), ('glance', 'api')],
                  # the external Ceph's monitors on the moved ports, the lvm backend's iSCSI portal (target_port)
                  'storage': [('mariadb', 'mysql'), ('rabbitmq', 'amqp'), ('keystone', 'api'), ('glance', 'api'),
                              ('cinder_iscsi_target', 'iscsi'), ('ceph_mon', 'msgr2'), ('ceph_mon', 'msgr1')]},
    },
    'horizon': {
        # the overridden case serves HTTPS, so the moved https port shows too
        'nodes': ['controller'],
        'overrides': {'horizon_local_settings_overrides': {'TIME_ZONE': 'Asia/Seoul', 'OPENSTACK_KEYSTONE_DEFAULT_ROLE': None,
                                                           'OPENSTACK_NEUTRON_NETWORK': {'enable_ipv6': False}},
                      'openstack_public_scheme': 'https', 'horizon_wsgi_processes': 4},
        'ports': {'controller': [('horizon', 'http'), ('horizon', 'https'), ('keystone', 'api'),
                                 ('memcached', 'memcached')]},
    },
    'chrony': {
        # a time server (controller) and a client (compute); no *_overrides variable
        'nodes': ['controller', 'compute'],
        'overrides': {'chrony_local_stratum': 8,
                      'chrony_upstream_servers': [{'host': 'ntp.example.org', 'type': 'server', 'options': 'iburst'}],
                      'chrony_extra_config': ['minsources 1']},
        'registered': {'default': {'__chrony_proc1': PROC1_MACHINE},
                       'overridden': {'__chrony_proc1': PROC1_CONTAINER}},
        'ports': {'controller': [('chrony_server', 'ntp')], 'compute': [('chrony_server', 'ntp')]},
    },
    'firewalld': {
        # the catalog reaches it as firewalld_catalog_overrides (playbooks/prerequisites.yml)
        'nodes': ['controller', 'network', 'compute', 'storage'],
        'overrides': {'firewalld_extra_ports': [{'port': '8443', 'protocol': 'tcp', 'scope': 'public'}],
                      'firewalld_management_sources': ['10.0.0.0/24', '10.0.9.0/24']},
        'ports': {'controller': CONTROLLER_PORTS,
                  'network': [('neutron_linuxbridge_agent', 'vxlan')],
                  'compute': [('neutron_linuxbridge_agent', 'vxlan')],
                  'storage': [('ceph_mon', 'msgr2'), ('ceph_mon', 'msgr1')] + SWIFT_STORAGE_PORTS},
    },
    'ceph': {
        # a storage node with its monitor, manager and three OSD files; ceph_daemons found them all (default) or
        # none yet (overridden: a first run, the lifecycle gets no daemon unit)
        'nodes': ['storage'],
        'overrides': {'ceph_conf_overrides': {'global': {'mon_max_pg_per_osd': 400, 'ms_bind_msgr2': None}},
                      'ceph_osd_file_size': '20G'},
        'registered': {
            'default': {'__ceph_found': {'units': ['ceph-mon@storage', 'ceph-mgr@storage', 'ceph-osd@0', 'ceph-osd@1',
                                                   'ceph-osd@2'], 'missing': [], 'changed': False}},
            'overridden': {'__ceph_found': {'units': [], 'missing': ['mon', 'mgr'], 'changed': True}},
        },
        'ports': {'storage': [('ceph_mon', 'msgr2'), ('ceph_mon', 'msgr1')]},
    },
    'swift': {
        # the proxy (controller) and the storage servers (storage); the overridden storage node's devices are
        # block devices, so its servers check that they are mounted
        'nodes': ['controller', 'storage'],
        'overrides': {'swift_proxy_server_overrides': {'app:proxy-server': {'allow_account_management': True},
                                                       'DEFAULT': {'log_name': None}},
                      'swift_object_server_overrides': {'object-auditor': {'files_per_second': 10},
                                                        'DEFAULT': {'workers': None}},
                      'swift_devices': [{'name': 'sdb', 'device': '/dev/sdb', 'weight': 4000},
                                        {'name': 'sdc', 'device': '/dev/sdc', 'weight': 4000}],
                      'swift_proxy_workers': 4},
        'ports': {'controller': [('swift_proxy', 'api'), ('keystone', 'api'), ('memcached', 'memcached')],
                  'storage': SWIFT_STORAGE_PORTS},
    },
    'octavia': {
        # the API, worker, health manager and housekeeping on the controller, whose amphora address the health
        # manager listens on; the IDs are what resources.yml found or made
        'nodes': ['controller'],
        'overrides': {'octavia_conf_overrides': {'controller_worker': {'workers': 2},
                                                 'task_flow': {'jobboard_enabled': None}},
                      'octavia_api_uwsgi_processes': 4, 'octavia_default_quotas': {'load_balancer': 10, 'member': 50}},
        'registered': {'default': {'__octavia_ids': {'project': 'fake-service-project-id',
                                                     'network': 'fake-lb-mgmt-net-id',
                                                     'security_group': 'fake-lb-mgmt-sec-grp-id',
                                                     'flavor': 'fake-amphora-flavor-id'}}},
        'ports': {'controller': [('octavia', 'api'), ('octavia', 'health'), ('mariadb', 'mysql'),
                                 ('rabbitmq', 'amqp'), ('keystone', 'api'), ('memcached', 'memcached')]},
    },
    'repos': {
        # no catalog entry, no *_overrides variable
        'nodes': ['controller'],
        'overrides': {'repos_apt_install_recommends': True, 'repos_apt_pin_priority': 990},
        'ports': {'controller': []},
    },
}
CASES = ('default', 'overridden')
# The roles rendered in the openvswitch case too (openstack_network_driver: openvswitch, plus the role's 'openvswitch'
# variables): Neutron's OVS agent, its bridges' firewall, os-vif's settings on the computes
OVS_ROLES = ('neutron', 'firewalld', 'nova_compute')
# The roles rendered in the https case too (Debian only: the prechecks refuse HTTPS on the RHEL family)
HTTPS_ROLES = ('keystone', 'glance', 'placement', 'nova', 'nova_compute', 'neutron', 'heat', 'horizon', 'swift',
               'cinder', 'octavia')

# Moved ports a role does not show although it should (a bug of the role, not of this test): (role, node, family,
# service, port) -> reason; None for every family or node
KNOWN_PORT_BUGS = {
}


def _known_port_bug(role, node, family, service, port):
    for key in ((role, node, family, service, port), (role, None, family, service, port),
                (role, node, None, service, port), (role, None, None, service, port)):
        if key in KNOWN_PORT_BUGS:
            return KNOWN_PORT_BUGS[key]
    return None


# Cases that cannot render offline because of a bug of the role: (role, node, family, case) -> reason
KNOWN_RENDER_BUGS = {}

# Files whose content a role renders wrongly: (role, path) -> reason
KNOWN_CONTENT_BUGS = {
}

# ---- Variables ----


def _trusted(value):
    if isinstance(value, str):
        return trust_as_template(value)
    if isinstance(value, dict):
        return dict((key, _trusted(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_trusted(item) for item in value]
    return value


def _plain(value):
    """Rendered data without Ansible's tags, as plain Python types (for YAML and comparisons)."""
    if isinstance(value, str):
        return str(AnsibleTagHelper.untag(value))
    if isinstance(value, dict):
        return dict((_plain(key), _plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _load(path):
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        return yaml.safe_load(handle) or {}


def _tasks(role, name):
    return _load(os.path.join(ROLES_DIR, role, 'tasks', name)) or []


def _module(task, *names):
    """The arguments of a task if it calls one of the named modules (short or FQCN), else None."""
    for name in names:
        for key in (name, 'ansible.builtin.' + name):
            if key in task:
                return task[key]
    return None


def _play_vars(role):
    """The vars the playbooks give the role: the play's vars and the role entry's (later plays win)."""
    result = {}
    for path in sorted(glob.glob(os.path.join(ROOT, 'playbooks', '*.yml'))):
        for play in _load(path) or []:
            for entry in play.get('roles', []) if isinstance(play, dict) else []:
                name = entry if isinstance(entry, str) else entry.get('role', entry.get('name'))
                if name in ('gureum.openstack.' + role, role):
                    result.update(play.get('vars') or {})
                    if isinstance(entry, dict):
                        result.update(entry.get('vars') or {})
    return result


def _inventory(node, family):
    """Magic and inventory variables of a node, and its facts."""
    return {
        'inventory_hostname': node,
        'inventory_hostname_short': node,
        'inventory_dir': '/srv/cloud/inventory',
        'inventory_file': '/srv/cloud/inventory/hosts.yml',
        'groups': GROUPS,
        'group_names': sorted(name for name, members in GROUPS.items() if node in members and name != 'all'),
        'hostvars': dict((name, {'inventory_hostname': name, 'ansible_hostname': name,
                                 'management_address': spec['address'],
                                 'amphora_address': spec.get('amphora_address', ''),
                                 'ansible_facts': {'hostname': name,
                                                   'ssh_host_key_ed25519_public': 'AAAAFakeHostKey-%s' % name}})
                         for name, spec in NODES.items()),
        'ansible_host': NODES[node]['address'],
        'ansible_hostname': node,
        'management_address': NODES[node]['address'],
        'management_network': {'cidr': '10.0.0.0/24', 'gateway': '10.0.0.1'},
        # Octavia's amphora management network (only octavia reads it)
        'amphora_network': {'cidr': '172.31.0.0/24'},
        'amphora_address': NODES[node].get('amphora_address', ''),
        'ansible_check_mode': False,
        'ansible_playbook_python': '/usr/bin/python3',
        'openstack_secrets': SECRETS,
        'ansible_facts': dict(FACTS[family], hostname=node, interfaces=NODES[node]['interfaces']),
    }


class Rendering(object):
    """What a role hands to the lifecycle on one node of one family in one case."""

    def __init__(self, role, node, family, case):
        self.role, self.node, self.family, self.case = role, node, family, case
        spec = ROLES[role]
        role_path = os.path.join(ROLES_DIR, role)
        values = {}
        values.update(_load(os.path.join(ROLES_DIR, 'openstack_service', 'defaults', 'main.yml')))
        values.update(_load(os.path.join(ROLES_DIR, 'openstack', 'defaults', 'main.yml')))
        values.update(_load(os.path.join(role_path, 'defaults', 'main.yml')))
        values.update(TLS_FILES)
        if case == 'overridden':
            values.update(spec.get('overrides', {}))
            values['openstack_catalog_overrides'] = CATALOG_OVERRIDES
        if case == 'https':
            values['openstack_public_scheme'] = 'https'
        if case == 'openvswitch':
            values['openstack_network_driver'] = 'openvswitch'
            values.update(spec.get('openvswitch', {}))
        values.update(_play_vars(role))
        values.update(_load(os.path.join(role_path, 'vars', 'main.yml')))
        values = _trusted(values)
        values.update(_inventory(node, family))
        # the https case, and the openvswitch case of a role without its own, register what the default case does
        registered = spec.get('registered', {})
        values.update(_trusted(registered.get(case, registered.get('default', {})) if case != 'https'
                               else registered.get('default', {})))
        values['role_path'] = role_path
        values['role_name'] = 'gureum.openstack.' + role
        values['ansible_search_path'] = [role_path]
        self.values = values
        self.templar = Templar(loader=DataLoader(), variables=values)
        # the role's include_vars tasks (its OS family's file), then its call of the lifecycle
        for task in _tasks(role, 'main.yml'):
            self._include_vars(task)
        calls = list(self._lifecycle_calls(role, 'main.yml'))
        assert len(calls) <= 1, '%s calls the lifecycle %d times' % (role, len(calls))
        self.calls_lifecycle = bool(calls)
        values.update(_trusted(calls[0] if calls else {}))
        values.update(_trusted(_load(os.path.join(ROLES_DIR, 'openstack_service', 'vars', 'main.yml'))))
        self.templar.available_variables = values
        # the role's files and the lifecycle's copies of the certificate (__openstack_service_files)
        self.files = self.render('__openstack_service_files') if calls else []
        self.settings = self.render('openstack_service_settings') if calls else []
        self.entries = self.render('openstack_service_entries') if calls else []
        self.explicit_units = self.render('openstack_service_units') if calls else None
        self.units = self.render('__openstack_service_units') if calls else []

    def render(self, name):
        return _plain(self.templar.template(trust_as_template('{{ %s }}' % name)))

    def _template(self, value, extra=None):
        if extra:
            templar = self.templar.copy_with_new_env(available_variables=dict(self.values, **_trusted(extra)))
        else:
            templar = self.templar
        return _plain(templar.template(_trusted(value)))

    def _include_vars(self, task):
        """Load the file an include_vars task picks with first_found, as the role does."""
        args = _module(task, 'include_vars')
        if args is None:
            return
        lookup = re.match(r"^\{\{\s*lookup\('ansible\.builtin\.first_found',\s*(\w+)\)\s*\}\}$", str(args).strip())
        assert lookup, 'unexpected include_vars in %s: %r' % (self.role, args)
        terms = self._template(task['vars'][lookup.group(1)], task.get('vars'))
        for path in terms['paths']:
            directory = path if os.path.isabs(path) else os.path.join(self.values['role_path'], path)
            for name in terms['files']:
                if os.path.exists(os.path.join(directory, name)):
                    self.values.update(_trusted(_load(os.path.join(directory, name))))
                    self.templar.available_variables = self.values
                    return
        raise AssertionError('%s: no vars file among %r' % (self.role, terms))

    def _lifecycle_calls(self, role, tasks_file):
        """The vars of every call of the lifecycle in the role's tasks, following include_tasks and blocks."""
        def walk(tasks):
            for task in tasks or []:
                for key in ('block', 'rescue', 'always'):
                    if key in task:
                        yield from walk(task[key])
                include = _module(task, 'include_role', 'import_role')
                if include is not None and include.get('name') == LIFECYCLE:
                    yield task.get('vars') or {}
                included = _module(task, 'include_tasks', 'import_tasks')
                if included is not None:
                    name = included if isinstance(included, str) else included['file']
                    yield from self._lifecycle_calls(role, self._template(name))
        return walk(_tasks(role, tasks_file))


def case_id(role, node, family, case):
    return case if len(ROLES[role]['nodes']) == 1 else '%s-%s' % (case, node)


ALL_CASES = ([(role, node, family, case) for role in sorted(ROLES) for node in ROLES[role]['nodes']
              for family in FAMILIES for case in CASES]
             + [(role, node, 'Debian', 'https') for role in HTTPS_ROLES for node in ROLES[role]['nodes']]
             + [(role, node, family, 'openvswitch') for role in OVS_ROLES for node in ROLES[role]['nodes']
                for family in FAMILIES])


def _params(cases):
    result = []
    for role, node, family, case in cases:
        marks = []
        reason = KNOWN_RENDER_BUGS.get((role, node, family, case))
        if reason:
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        result.append(pytest.param(role, node, family, case, marks=marks,
                                   id='%s-%s-%s' % (role, family, case_id(role, node, family, case))))
    return result


@functools.lru_cache(maxsize=None)
def rendering(role, node, family, case):
    return Rendering(role, node, family, case)


# ---- The expected files ----


def _mode(entry):
    return str(entry.get('mode', '0640'))


def _owner_line(entry, rendered):
    units = entry.get('units')
    if units is None:
        units_text = '%s (all of the service\'s)' % (','.join(rendered.units) or '(none)')
    else:
        units_text = ','.join(units) or '(none)'
    fields = ['owner=%s' % (entry.get('owner') or 'root'), 'group=%s' % (entry.get('group') or 'root'),
              'mode=%s' % _mode(entry), 'units=%s' % units_text]
    if entry.get('header') is False:
        fields.append('header=false')
    if entry.get('validate'):
        fields.append('validate=%s' % entry['validate'])
    return '# golden: %s\n' % ' '.join(fields)


def _file_name(path):
    return path.lstrip('/').replace('/', '__')


def expected_files(rendered):
    """{file name in the case directory: text}."""
    result = {}
    for entry in rendered.files:
        name = _file_name(entry['path'])
        assert name not in result, 'two files at %s' % entry['path']
        assert name != 'settings.yml'
        result[name] = _owner_line(entry, rendered) + entry['content']
    result['settings.yml'] = yaml.safe_dump(rendered.settings, default_flow_style=False, sort_keys=True, width=120)
    return result


def case_dir(role, node, family, case):
    return os.path.join(EXPECTED, role, family.lower(), case_id(role, node, family, case))


@pytest.mark.parametrize('role, node, family, case', _params(ALL_CASES))
def test_rendered_files_are_as_expected(role, node, family, case):
    rendered = rendering(role, node, family, case)
    wanted = expected_files(rendered)
    directory = case_dir(role, node, family, case)
    if UPDATE:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name not in wanted:
                os.remove(os.path.join(directory, name))
        for name, text in wanted.items():
            with open(os.path.join(directory, name), 'w') as handle:
                handle.write(text)
    found = sorted(os.listdir(directory)) if os.path.isdir(directory) else []
    assert found == sorted(wanted), 'files rendered differ from %s (GUREUM_UPDATE_EXPECTED=1 rewrites them)' % directory
    for name, text in sorted(wanted.items()):
        with open(os.path.join(directory, name)) as handle:
            assert text == handle.read(), '%s/%s' % (directory, name)


def test_no_stale_expected_files():
    wanted = set(os.path.relpath(case_dir(*params), EXPECTED) for params in ALL_CASES)
    found = set()
    for directory, subdirectories, names in os.walk(EXPECTED):
        relative = os.path.relpath(directory, EXPECTED)
        if names:
            found.add(relative)
        if not subdirectories and not names:
            found.add(relative)
    assert sorted(found - wanted) == []


def test_every_service_role_is_covered():
    """A role with __<role>_files, or calling the lifecycle, is rendered in every family and case."""
    lifecycle_roles = set()
    for path in glob.glob(os.path.join(ROLES_DIR, '*', 'vars', '*.yml')):
        role = path.split(os.sep)[-3]
        if '__%s_files' % role in _load(path):
            lifecycle_roles.add(role)
    for path in glob.glob(os.path.join(ROLES_DIR, '*', 'tasks', '*.yml')):
        with open(path) as handle:
            if LIFECYCLE in handle.read():
                lifecycle_roles.add(path.split(os.sep)[-3])
    # the lifecycle itself
    lifecycle_roles.discard('openstack_service')
    assert sorted(lifecycle_roles - set(ROLES)) == []
    assert sorted(set(ROLES) - lifecycle_roles) == []
    covered = set((role, family, case) for role, dummy, family, case in ALL_CASES if case in CASES)
    assert covered == set((role, family, case) for role in lifecycle_roles for family in FAMILIES for case in CASES)


# ---- Properties of every rendering ----


@pytest.mark.parametrize('role, node, family, case', _params(ALL_CASES))
def test_units_belong_to_the_role(role, node, family, case):
    """Each file and setting names only units of the role's catalog entries on this node (the lifecycle restarts
    nothing else), or the units the role hands the lifecycle itself where its catalog entry does not cover every
    node (chrony, firewalld, repos); an explicit empty list names none."""
    rendered = rendering(role, node, family, case)
    if not rendered.calls_lifecycle:
        assert rendered.files == [] and rendered.settings == []
        return
    services = catalog.catalog(rendered.render('openstack_service_catalog_overrides'))
    own = dict((name, entry) for name, entry in services.items() if entry['role'] == role)
    assert sorted(set(rendered.entries) - set(own)) == [], 'entries of other roles'
    entry_units = set(unit for name in rendered.entries for unit in own[name].get('units', {}).get(family, []))
    if rendered.explicit_units is None:
        allowed = entry_units
    else:
        allowed = set(rendered.explicit_units)
        catalog_units = set(unit for entry in own.values() for unit in entry.get('units', {}).get(family, []))
        if catalog_units:
            # an instance (ceph-osd@0) belongs to its entry's template (ceph-osd@)
            assert set(unit for unit in allowed if unit not in catalog_units
                       and unit.split('@')[0] + '@' not in catalog_units) == set(), \
                'units named by the role but not by its catalog entries'
    assert set(rendered.units) == allowed
    for entry in rendered.files + rendered.settings:
        assert set(entry.get('units') or []) <= allowed, '%s names units outside %s' % (entry['path'], sorted(allowed))


@pytest.mark.parametrize('role, node, family, case', _params(ALL_CASES))
def test_no_secret_in_a_world_readable_file(role, node, family, case):
    rendered = rendering(role, node, family, case)
    for entry in rendered.files + [setting for setting in rendered.settings if 'mode' in setting]:
        if int(_mode(entry), 8) & 0o004:
            text = entry.get('content', '%s' % entry.get('value'))
            leaked = [secret for secret in SECRET_VALUES if secret in text]
            assert leaked == [], '%s (mode %s) holds secrets' % (entry['path'], _mode(entry))


CONTENT_CASES = []
for _role, _node, _family, _case in ALL_CASES:
    # the paths a case renders are data too: render them once here, so each file is its own test (a case that does
    # not render fails in test_rendered_files_are_as_expected)
    try:
        _files = rendering(_role, _node, _family, _case).files
    except Exception:  # pylint: disable=broad-except
        _files = []
    for _entry in _files:
        _reason = KNOWN_CONTENT_BUGS.get((_role, _entry['path']))
        CONTENT_CASES.append(pytest.param(
            _role, _node, _family, _case, _entry['path'],
            marks=[pytest.mark.xfail(strict=True, reason=_reason)] if _reason else [],
            id='%s-%s-%s:%s' % (_role, _family, case_id(_role, _node, _family, _case), _entry['path'])))


@pytest.mark.parametrize('role, node, family, case, path', CONTENT_CASES)
def test_no_escape_sequence_left_in_a_file(role, node, family, case, path):
    """No file holds a backslash escape Jinja was meant to turn into a line break or a tab."""
    entry = [item for item in rendering(role, node, family, case).files if item['path'] == path][0]
    assert re.findall(r'\\[nt]', entry['content']) == []


def test_the_fake_secrets_reach_the_files():
    """The secrets check above means something: the secrets the services read are in their files."""
    for role in ('keystone', 'glance', 'placement', 'nova', 'nova_compute', 'neutron'):
        for node in ROLES[role]['nodes']:
            text = ''.join(entry['content'] for entry in rendering(role, node, 'Debian', 'default').files)
            assert any(secret in text for secret in SECRET_VALUES), (role, node)


PORT_CASES = []
for _role in sorted(ROLES):
    for _node in ROLES[_role]['nodes']:
        for _family in FAMILIES:
            for _service, _port in ROLES[_role]['ports'][_node]:
                _reason = _known_port_bug(_role, _node, _family, _service, _port)
                PORT_CASES.append(pytest.param(
                    _role, _node, _family, _service, _port,
                    marks=[pytest.mark.xfail(strict=True, reason=_reason)] if _reason else [],
                    id='%s-%s-%s-%s.%s' % (_role, _family, _node, _service, _port)))


@pytest.mark.parametrize('role, node, family, service, port', PORT_CASES)
def test_a_moved_port_reaches_the_files(role, node, family, service, port):
    """With the catalog's ports moved, the role renders the moved port (it reads its ports from the catalog)."""
    number = MOVED_PORTS[(service, port)]
    rendered = rendering(role, node, family, 'overridden')
    texts = [entry['content'] for entry in rendered.files] + ['%s' % entry['value'] for entry in rendered.settings]
    assert any(re.search(r'(?<!\d)%d(?!\d)' % number, text) for text in texts), \
        '%s.ports.%s (%d) is in none of the files of %s on the %s node' % (service, port, number, role, node)
    default = rendering(role, node, family, 'default')
    assert not any(re.search(r'(?<!\d)%d(?!\d)' % number, entry['content']) for entry in default.files)


def test_every_moved_port_is_checked():
    """Each moved port is asserted for the role that serves it."""
    checked = set(key for spec in ROLES.values() for keys in spec['ports'].values() for key in keys)
    assert checked == set(MOVED_PORTS)
    for (service, port) in MOVED_PORTS:
        role = catalog.catalog()[service]['role']
        assert (service, port) in [key for keys in ROLES[role]['ports'].values() for key in keys], (service, port)
