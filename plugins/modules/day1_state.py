#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: day1_state
short_description: Tell in one call whether a cloud still holds the day-1 resources applied before
description:
  - The first step of P(gureum.openstack.bootstrap#role). Compares the digest of the day-1 plan with the one
    recorded when the plan was last applied (O(stamp)), and lists, as the admin, which named resources of the
    plan are missing from the cloud (projects, users, flavors, images, networks, subnets, routers, security groups,
    servers, floating IPs on servers, volume types, volumes and their attachments, containers and their objects,
    load balancers and their parts, and stacks) and which marked absent are still there.
  - Volume types and volumes are read only when the plan has some (Cinder may not be deployed), containers and
    load balancers only when it has some. A volume counts when it is C(available) or C(in-use), and attached to its
    C(server) if it names one. A load balancer counts when it is C(ACTIVE) and has its listeners, pools, members and
    health monitors (by name) and, when it asks for one, a floating IP on its VIP; the admin reads them all.
  - Stacks and containers are read as the user each is made as (its C(cloud)), since Heat lists a project's stacks
    and Swift a project's containers to that project only.
    A stack counts when it is C(CREATE_COMPLETE) or C(UPDATE_COMPLETE) and carries its C(tag).
  - When the digest is the same and nothing is missing, RV(converged) is true and the bootstrap role stops there;
    a re-run with unchanged day-1 data costs one call instead of one per resource kind and item. Anything else
    (changed data, a resource deleted by hand) takes the full path, which converges every resource.
  - With O(record), writes the digest to O(stamp) (after the full path succeeded).
version_added: "0.2.0"
author: gureum.openstack contributors (@gureum)
options:
  plan:
    description: The day-1 plan (P(gureum.openstack.day1_plan#filter)).
    type: dict
    required: true
  digest:
    description: Digest of the plan and of everything else the resources are made from (passwords, images).
    type: str
    required: true
  stamp:
    description: File that holds the digest of the plan applied last.
    type: path
    required: true
  record:
    description: Write O(digest) to O(stamp) and do nothing else.
    type: bool
    default: false
  cloud:
    description:
      - The clouds.yaml entry of the admin (C(OS_CLIENT_CONFIG_FILE) names the file); the entries of the stacks' and
        the containers' users are in the same file.
    type: str
    default: admin
attributes:
  check_mode:
    support: full
    description: Reads only; with O(record), reports the stamp would change.
  diff_mode:
    support: none
    description: Returns no diff.
requirements:
  - openstacksdk
'''

EXAMPLES = r'''
- name: Is the cloud still as the day-1 data says?
  gureum.openstack.day1_state:
    plan: "{{ plan }}"
    digest: "{{ plan | to_json | hash('sha256') }}"
    stamp: "{{ artifacts }}/bootstrap/applied.sha256"
  register: day1
'''

RETURN = r'''
converged:
  description: The digest matches the stamp and every present resource exists, no absent one does.
  returned: unless record
  type: bool
reasons:
  description: Why the resources are not converged (changed data, missing or leftover resources).
  returned: unless record
  type: list
  elements: str
'''

import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    import openstack
    HAS_SDK = True
except ImportError:  # pragma: no cover - openstacksdk is in requirements.txt
    HAS_SDK = False


def _names(items):
    return set(getattr(item, 'name', None) for item in items)


def missing_and_leftover(conn, plan):
    """(reasons) for the plan's resources the cloud does not match."""
    have = {
        'projects': _names(conn.identity.projects()),
        'users': _names(conn.identity.users()),
        'flavors': _names(conn.compute.flavors()),
        'images': _names(conn.image.images()),
        'networks': _names(conn.network.networks()),
        'subnets': _names(conn.network.subnets()),
        'routers': _names(conn.network.routers()),
        'security_groups': _names(conn.network.security_groups()),
    }
    servers = dict((s.name, s) for s in conn.compute.servers(all_projects=True))
    reasons = []
    for kind in ('projects', 'users', 'flavors', 'images', 'networks', 'routers', 'security_groups'):
        for item in plan.get(kind, []):
            present = item.get('name') in have[kind]
            if item.get('state', 'present') == 'present' and not present:
                reasons.append('%s %s is missing' % (kind[:-1].replace('_', ' '), item['name']))
            elif item.get('state') == 'absent' and present:
                reasons.append('%s %s is still there' % (kind[:-1].replace('_', ' '), item['name']))
    for network in plan.get('networks', []):
        if network.get('state', 'present') == 'present':
            for subnet in network.get('subnets', []):
                if subnet.get('name') not in have['subnets']:
                    reasons.append('subnet %s is missing' % subnet.get('name'))
    for server in plan.get('servers', []):
        found = servers.get(server['name'])
        if server.get('state', 'present') == 'present' and (found is None or found.status != 'ACTIVE'):
            reasons.append('server %s is %s' % (server['name'], 'missing' if found is None else found.status))
        elif server.get('state') == 'absent' and found is not None:
            reasons.append('server %s is still there' % server['name'])
    for fip in plan.get('floating_ips', []):
        found = servers.get(fip.get('server'))
        if fip.get('state', 'present') != 'present' or not fip.get('server') or found is None:
            continue
        floating = [a for addrs in (found.addresses or {}).values() for a in addrs
                    if a.get('OS-EXT-IPS:type') == 'floating']
        if not floating:
            reasons.append('server %s has no floating IP' % fip['server'])
    return reasons + volume_reasons(conn, plan, servers) + load_balancer_reasons(conn, plan)


def load_balancer_reasons(conn, plan):
    """(reasons) for the plan's load balancers and their parts, read (as the admin, who sees every project's) only
    when it has some."""
    lbs = plan.get('load_balancers') or []
    if not lbs:
        return []
    found = dict((lb.name, lb) for lb in conn.load_balancer.load_balancers())
    present = [lb for lb in lbs if lb.get('state', 'present') == 'present']
    listeners = _names(conn.load_balancer.listeners()) if present else set()
    pools = dict((p.name, p) for p in conn.load_balancer.pools()) if present else {}
    monitors = _names(conn.load_balancer.health_monitors()) if present else set()
    reasons = []
    for lb in lbs:
        current = found.get(lb['name'])
        if lb.get('state', 'present') == 'absent':
            if current is not None:
                reasons.append('load balancer %s is still there' % lb['name'])
            continue
        if current is None or current.provisioning_status != 'ACTIVE':
            reasons.append('load balancer %s is %s' % (lb['name'], 'missing' if current is None
                                                       else current.provisioning_status))
            continue
        for listener in lb.get('listeners') or []:
            if listener['name'] not in listeners:
                reasons.append('listener %s of load balancer %s is missing' % (listener['name'], lb['name']))
        for pool in lb.get('pools') or []:
            if pool['name'] not in pools:
                reasons.append('pool %s of load balancer %s is missing' % (pool['name'], lb['name']))
                continue
            members = _names(conn.load_balancer.members(pools[pool['name']].id))
            for member in lb.get('members') or []:
                if member['pool'] == pool['name'] and member['name'] not in members:
                    reasons.append('member %s of pool %s is missing' % (member['name'], pool['name']))
        for monitor in lb.get('health_monitors') or []:
            if monitor['name'] not in monitors:
                reasons.append('health monitor %s of load balancer %s is missing' % (monitor['name'], lb['name']))
        if lb.get('floating_ip') and not list(conn.network.ips(port_id=current.vip_port_id)):
            reasons.append('load balancer %s has no floating IP' % lb['name'])
    return reasons


VOLUME_READY = ('available', 'in-use')


def volume_reasons(conn, plan, servers):
    """(reasons) for the plan's volume types and volumes, read only when it has some; ``servers`` by name."""
    reasons = []
    if plan.get('volume_types'):
        # is_public None: the admin lists the private types too
        types = _names(conn.block_storage.types(is_public='None'))
        for vtype in plan['volume_types']:
            present = vtype.get('name') in types
            if vtype.get('state', 'present') == 'present' and not present:
                reasons.append('volume type %s is missing' % vtype['name'])
            elif vtype.get('state') == 'absent' and present:
                reasons.append('volume type %s is still there' % vtype['name'])
    if not plan.get('volumes'):
        return reasons
    volumes = dict((v.name, v) for v in conn.block_storage.volumes(all_projects=True))
    for volume in plan['volumes']:
        found = volumes.get(volume['name'])
        if volume.get('state') == 'absent':
            if found is not None:
                reasons.append('volume %s is still there' % volume['name'])
        elif found is None or found.status not in VOLUME_READY:
            reasons.append('volume %s is %s' % (volume['name'], 'missing' if found is None else found.status))
        elif volume.get('server'):
            server = servers.get(volume['server'])
            attached = set(a.get('server_id') for a in found.attachments or [])
            if server is None or server.id not in attached:
                reasons.append('volume %s is not attached to server %s' % (volume['name'], volume['server']))
    return reasons


def stack_reasons(connect, plan):
    """(reasons) for the plan's stacks, read in each stack's own cloud; ``connect(cloud)`` gives a connection."""
    stacks = plan.get('stacks') or []
    found = {}
    for cloud in sorted(set(s.get('cloud', 'admin') for s in stacks)):
        found[cloud] = dict((s.name, s) for s in connect(cloud).orchestration.stacks())
    reasons = []
    for stack in stacks:
        current = found[stack.get('cloud', 'admin')].get(stack['name'])
        if stack.get('state', 'present') == 'absent':
            if current is not None:
                reasons.append('stack %s is still there' % stack['name'])
        elif current is None:
            reasons.append('stack %s is missing' % stack['name'])
        elif current.status not in ('CREATE_COMPLETE', 'UPDATE_COMPLETE'):
            reasons.append('stack %s is %s' % (stack['name'], current.status))
        elif stack.get('tag') not in (current.tags or []):
            reasons.append('stack %s was made from another template or other parameters' % stack['name'])
    return reasons


def container_reasons(connect, plan):
    """(reasons) for the plan's containers and their objects, read in each container's own cloud."""
    containers = plan.get('containers') or []
    found = {}
    for cloud in sorted(set(c.get('cloud', 'admin') for c in containers)):
        found[cloud] = _names(connect(cloud).object_store.containers())
    reasons = []
    for container in containers:
        cloud = container.get('cloud', 'admin')
        there = container['name'] in found[cloud]
        if container.get('state', 'present') == 'absent':
            if there:
                reasons.append('container %s is still there' % container['name'])
        elif not there:
            reasons.append('container %s is missing' % container['name'])
        elif container.get('objects'):
            objects = _names(connect(cloud).object_store.objects(container['name']))
            for obj in container['objects']:
                if obj.get('name') not in objects:
                    reasons.append('object %s of container %s is missing' % (obj.get('name'), container['name']))
    return reasons


def main():
    module = AnsibleModule(
        argument_spec=dict(
            plan=dict(type='dict', required=True),
            digest=dict(type='str', required=True),
            stamp=dict(type='path', required=True),
            record=dict(type='bool', default=False),
            cloud=dict(type='str', default='admin'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    recorded = None
    if os.path.exists(params['stamp']):
        with open(params['stamp']) as handle:
            recorded = handle.read().strip()
    if params['record']:
        changed = recorded != params['digest']
        if changed and not module.check_mode:
            fd = os.open(params['stamp'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, 'w') as handle:
                handle.write(params['digest'] + '\n')
            os.chmod(params['stamp'], 0o600)
        module.exit_json(changed=changed)
    if recorded != params['digest']:
        module.exit_json(changed=False, converged=False,
                         reasons=['the day-1 data changed' if recorded else 'the day-1 data was never applied'])
    if not HAS_SDK:
        module.fail_json(msg=missing_required_lib('openstacksdk'))
    try:
        conn = openstack.connect(cloud=params['cloud'])
        reasons = missing_and_leftover(conn, params['plan'])
        connections = {params['cloud']: conn}

        def connect(cloud):
            if cloud not in connections:
                connections[cloud] = openstack.connect(cloud=cloud)
            return connections[cloud]
        # stacks and containers are read in their own project's cloud, which cannot log in before that project exists
        if params['plan'].get('stacks') and not reasons:
            reasons += stack_reasons(connect, params['plan'])
        if params['plan'].get('containers') and not reasons:
            reasons += container_reasons(connect, params['plan'])
    except Exception as exc:  # pylint: disable=broad-except
        # openstacksdk's and keystoneauth's errors (an unreachable Keystone, a refused password) alike
        module.fail_json(msg='cannot read the cloud as %s: %s' % (params['cloud'], exc))
    module.exit_json(changed=False, converged=not reasons, reasons=reasons)


if __name__ == '__main__':
    main()
