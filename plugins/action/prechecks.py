# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Run the prechecks of module_utils/prechecks.py over the inventory (and the nodes' data); see modules/prechecks.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.plugins.action import ActionBase
from ansible.release import __version__ as ansible_version
from ansible_collections.gureum.openstack.plugins.module_utils import amphora_image
from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog, prechecks

# Inventory variables the checks read, per host (secrets are only tested for presence, never copied)
HOST_VARS = ('management_address', 'management_interface', 'management_network', 'provider_network',
             'provider_interface', 'provider_address', 'provider_bridge', 'network_bridge_type',
             'network_provider_bridge', 'network_manage_management_interface', 'nova_compute_virt_type', 'selinux_state',
             'prechecks_memory_mb', 'ansible_become', 'openstack_network_driver', 'openstack_ovs_datapath_type',
             'openstack_ovs_userspace_datapath', 'neutron_provider_bridge', 'neutron_tunnel_address',
             'ceph_external', 'ceph_mon_hosts', 'cinder_backends', 'cinder_lvm_device', 'amphora_network',
             'amphora_interface', 'amphora_address')
FACTS = ('os_family', 'distribution', 'distribution_version', 'distribution_major_version', 'python', 'service_mgr',
         'architecture', 'user_uid', 'user_id', 'hostname', 'nodename', 'interfaces', 'default_ipv4', 'selinux',
         'virtualization_type', 'virtualization_role', 'virtualization_tech_guest')
# The day-1 lists (roles/bootstrap), read in the task's own variables (the first host's, with the deployment's
# settings: an expression may name openstack_services); bootstrap_stacks comes in the settings
DAY1_KINDS = ('projects', 'users', 'flavors', 'images', 'networks', 'routers', 'security_groups', 'keypairs',
              'servers', 'floating_ips', 'volume_types', 'volumes', 'containers', 'load_balancers')


def _plain(value):
    """A plain copy of inventory data (lists, dicts, strings, numbers)."""
    if isinstance(value, dict):
        return dict((str(k), _plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _VALID_ARGS = frozenset(('stage', 'hosts', 'settings', 'node_data'))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = self._task.args
        stage = args.get('stage')
        if stage not in ('inventory', 'secrets', 'nodes'):
            raise AnsibleActionFail("prechecks: stage must be 'inventory', 'secrets' or 'nodes', got %r." % (stage,))
        settings = dict(_plain(args.get('settings') or {}))
        settings['ansible_version'] = ansible_version
        # the collection's roles: an enabled service whose role is not among them deploys nothing
        roles_dir = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'roles')
        settings['roles'] = sorted(os.listdir(roles_dir)) if os.path.isdir(roles_dir) else None
        try:
            import netaddr  # noqa: F401 pylint: disable=unused-import
            settings['netaddr'] = True
        except ImportError:
            settings['netaddr'] = False
        path = settings.get('secrets_file')
        if path:
            settings['secrets_file'] = {'path': path, 'exists': os.path.exists(path),
                                        'mode': os.stat(path).st_mode & 0o777 if os.path.exists(path) else None}
        else:
            settings['secrets_file'] = None

        hostvars = task_vars['hostvars']
        required = set(settings.get('required_secrets') or [])
        try:
            required |= set(catalog.required_secrets(catalog.select(
                catalog.catalog(settings.get('catalog_overrides') or {}), settings.get('services') or [])))
        except catalog.CatalogError:
            pass  # reported by the services_known check
        first = hostvars[args['hosts'][0]] if args.get('hosts') else {}
        if prechecks._bool(first.get('ceph_external'), default=False):
            required |= set(prechecks.CEPH_EXTERNAL_SECRETS)
        hosts = []
        for name in args.get('hosts') or []:
            hv = hostvars[name]
            hvars = dict((key, _plain(hv.get(key))) for key in HOST_VARS if hv.get(key) is not None)
            # set as a variable, or loaded from the secrets file by the secrets role (openstack_secrets)
            loaded = hv.get('openstack_secrets') or {}
            hvars['secrets'] = dict((secret, bool(hv.get(secret) or loaded.get(secret))) for secret in required)
            host = {'name': name, 'groups': list(hv.get('group_names') or []), 'vars': hvars,
                    'facts': None, 'node': None, 'unreachable': None}
            if stage == 'nodes':
                facts = hv.get('ansible_facts') or {}
                host['facts'] = dict((key, _plain(facts.get(key))) for key in FACTS if key in facts)
                for iface in host['facts'].get('interfaces') or []:
                    key = iface.replace('-', '_').replace('.', '_').replace(':', '_')
                    if key in facts:
                        host['facts'][key] = _plain(facts[key])
                node = hv.get(args.get('node_data') or '__prechecks_node') or {}
                if node.get('unreachable') or node.get('failed') or not node:
                    host['unreachable'] = node.get('msg') or 'it did not answer'
                else:
                    host['node'] = _plain(node)
                if not host['facts'].get('os_family'):
                    host['facts'] = None
            hosts.append(host)

        if stage == 'inventory':
            settings['day1'], settings['day1_errors'] = self._day1(self._variable_reader(task_vars))
            # the amphora image is built on this machine (roles/octavia): can it be, before anything changes?
            settings['amphora_build'] = (amphora_image.preflight()
                                         if prechecks.amphora_in_use(settings) and not settings.get('octavia_image_file')
                                         else None)
            problems = prechecks.inventory_problems(settings, hosts)
            checks = [c for c in prechecks.CHECKS
                      if c in prechecks.INVENTORY_CHECKS and c not in prechecks.SECRET_CHECKS]
        elif stage == 'secrets':
            problems = prechecks.secrets_problems(settings, hosts)
            checks = list(prechecks.SECRET_CHECKS)
        else:
            problems = prechecks.node_problems(settings, hosts)
            checks = [c for c in prechecks.CHECKS if c not in prechecks.INVENTORY_CHECKS]
        result.update(changed=False, problems=problems, checks=checks)
        if problems:
            result['failed'] = True
            result['msg'] = ('%d precheck(s) failed; fix these before deploying:\n' % len(problems)
                             + '\n'.join(prechecks.report(problems)))
        else:
            result['msg'] = 'All %d %s checks passed on %d host(s).' % (len(checks), stage, len(hosts))
        return result

    def _variable_reader(self, task_vars):
        """A function that renders one variable as this task sees it (None when it is not set). The task's variables,
        not hostvars: hostvars leave out role defaults, so an inventory expression naming a deployment setting the
        openstack role settles later (openstack_services) would fail here, and nowhere else."""
        def read(name):
            if name not in task_vars:
                return None
            return self._templar.template(task_vars[name])
        return read

    @staticmethod
    def _day1(read):
        """The day-1 lists as the bootstrap role will see them (``read(variable)`` renders one, None when unset, or
        raises AnsibleError), and the ones whose expressions fail ({variable: error}); networks is None when the
        inventory leaves it to the bootstrap role's default."""
        data, errors = {}, {}
        for kind in DAY1_KINDS:
            variable = 'bootstrap_%s' % kind
            try:
                value = read(variable)
            except AnsibleError as exc:  # an expression in it that fails: a sentence of the day1_data check
                errors[variable] = str(exc).splitlines()[0] if str(exc) else repr(exc)
                continue
            data[kind] = _plain(value) if value is not None else (None if kind == 'networks' else [])
        return data, errors
