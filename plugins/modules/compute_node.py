#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: compute_node
short_description: Enable, disable, drain or remove a compute node in a cloud's Nova and Neutron
description:
  - One compute node, by its Nova service host name, as the cloud sees it (its C(nova-compute) service, the servers
    on it, its resource providers in Placement and its Neutron agents). openstack.cloud has no module for a compute
    service or for moving servers; this one does what removing a node needs, as the admin.
  - O(state=enabled) and O(state=disabled) set the C(nova-compute) service's status (and O(reason)).
  - O(state=drained) disables the service, then moves every server off the node, one at a time, and waits for
    each move to finish; O(migration=live) live-migrates running and paused servers (block migration C(auto), as the
    computes share no storage) and cold-migrates stopped ones, O(migration=cold) cold-migrates all of them; a cold
    migration is confirmed. The scheduler picks the destination, which therefore must be another enabled compute
    node. A move that fails stops the module with the migration's status; the servers moved before it stay moved.
  - O(state=absent) refuses, with a sentence and before any change, while servers are on the node. Otherwise it
    deletes the C(nova-compute) service, which in Nova Zed (26) also deletes the node's resource providers in
    Placement (with their allocations and inventories), its host mapping in the cell and its aggregate
    memberships; the module checks afterwards that the resource providers are gone (Nova only logs a failure
    there). Then it deletes the node's Neutron agents (L2 agent, and any other agent on that host). Stop the
    node's services first, or they register themselves again.
version_added: "0.3.0"
author: gureum.openstack contributors (@gureum)
options:
  host:
    description: The node's host name as Nova's C(nova-compute) service knows it (C(openstack compute service list)).
    type: str
    required: true
  state:
    description: What the node should be.
    type: str
    choices: [enabled, disabled, drained, absent]
    default: absent
  reason:
    description: The reason recorded with a disabled service (O(state=disabled), O(state=drained)).
    type: str
    default: removed by gureum.openstack
  migration:
    description:
      - How O(state=drained) moves the servers. C(live) moves running and paused servers without stopping them
        and stopped ones by cold migration; C(cold) moves all of them by cold migration (a running server is
        shut down, moved and started again).
    type: str
    choices: [live, cold]
    default: live
  timeout:
    description: Seconds to wait for each server's move.
    type: int
    default: 600
  cloud:
    description: The clouds.yaml entry of the admin (C(OS_CLIENT_CONFIG_FILE) names the file).
    type: str
    default: admin
attributes:
  check_mode:
    support: full
    description: Reads only and tells what would change; with O(state=absent) it still refuses a node with servers.
  diff_mode:
    support: none
    description: Returns no diff.
requirements:
  - openstacksdk
notes:
  - Moving a server between compute nodes needs the nodes to reach each other for the hypervisor's migration
    transport; the collection's remove_compute playbook and its docs/day2.md say which transport the lab supports.
'''

EXAMPLES = r'''
- name: Move every server off compute3 by live migration
  gureum.openstack.compute_node:
    host: compute3
    state: drained
    migration: live

- name: Delete compute3's compute service, resource provider and network agents
  gureum.openstack.compute_node:
    host: compute3
    state: absent
'''

RETURN = r'''
service:
  description:
    - The C(nova-compute) service as it was found (C(id), C(status) enabled or disabled, C(state) up or down);
      null when there was none.
  returned: always
  type: dict
servers:
  description: The servers on the node when the module started, each C(id), C(name), C(status).
  returned: always
  type: list
  elements: dict
migrated:
  description: The servers moved (O(state=drained)), each C(id), C(name), C(type) (live or cold) and C(to) (the host).
  returned: always
  type: list
  elements: dict
resource_providers:
  description: The ids of the node's resource providers (its hypervisors' ids) found before any change.
  returned: always
  type: list
  elements: str
agents:
  description:
    - The node's Neutron agents found (C(id), C(type), C(binary), C(alive)); with O(state=absent) they are deleted.
  returned: always
  type: list
  elements: dict
'''

import time

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    import openstack
    import openstack.exceptions
    HAS_SDK = True
except ImportError:  # pragma: no cover - openstacksdk is in requirements.txt
    HAS_SDK = False

BINARY = 'nova-compute'
# the statuses a server may be live-migrated in; others are cold-migrated
LIVE_STATUSES = ('ACTIVE', 'PAUSED')
FAILED_MIGRATIONS = ('error', 'failed', 'cancelled')


class Refused(Exception):
    """A sentence for the user; nothing was changed because of it."""


def find_service(conn, host):
    found = [s for s in conn.compute.services(binary=BINARY, host=host)
             if getattr(s, 'binary', BINARY) == BINARY and s.host == host]
    return found[0] if found else None


def servers_on(conn, host):
    return [s for s in conn.compute.servers(all_projects=True, compute_host=host) if s.compute_host == host]


def resource_providers(conn, host):
    """The node's hypervisors' ids: from microversion 2.53 each is its compute node's UUID, the provider's.

    Asked at 2.53 rather than the newest: from 2.88 the list carries each hypervisor's uptime, which Nova Zed asks
    every compute for over RPC, so a stopped node turns the whole list into a 500 (MessagingTimeout).
    """
    response = conn.compute.get('/os-hypervisors/detail', microversion='2.53')
    openstack.exceptions.raise_from_response(response)
    return sorted(h['id'] for h in response.json().get('hypervisors', [])
                  if (h.get('service') or {}).get('host') == host)


def agents_on(conn, host):
    return [a for a in conn.network.agents(host=host) if a.host == host]


def last_migration(conn, server_id):
    ids = [m.id for m in conn.compute.migrations(server_id=server_id)]
    return max(ids) if ids else None


def wait_for_move(conn, server, host, before, timeout, sleep, clock):
    """Wait until the server's new migration is done; confirm a cold one. The host it landed on."""
    deadline = clock() + timeout
    while True:
        newer = [m for m in conn.compute.migrations(server_id=server.id) if before is None or m.id > before]
        migration = max(newer, key=lambda m: m.id) if newer else None
        status = (migration.status or '').lower() if migration else ''
        if status in FAILED_MIGRATIONS:
            raise Refused('moving server %s (%s) off %s failed: the migration is %s; see nova-compute\'s log on %s '
                          'and on %s' % (server.name, server.id, host, status, host, migration.dest_compute))
        current = conn.compute.get_server(server.id)
        if current.status == 'ERROR':
            raise Refused('server %s (%s) went into ERROR while being moved off %s' % (server.name, server.id, host))
        if current.status == 'VERIFY_RESIZE':
            conn.compute.confirm_server_resize(current)
        elif (migration is not None and status in ('completed', 'confirmed', 'finished', 'done')
              and current.compute_host != host and not current.task_state):
            return current.compute_host
        if clock() > deadline:
            raise Refused('server %s (%s) was not moved off %s within %d s (server %s, task %s, migration %s)'
                          % (server.name, server.id, host, timeout, current.status, current.task_state,
                             status or 'not started'))
        sleep(5)


def drain(conn, host, servers, migration, timeout):
    moved = []
    for server in servers:
        kind = 'live' if migration == 'live' and server.status in LIVE_STATUSES else 'cold'
        before = last_migration(conn, server.id)
        if kind == 'live':
            conn.compute.live_migrate_server(server, block_migration='auto')
        else:
            conn.compute.migrate_server(server)
        to = wait_for_move(conn, server, host, before, timeout, time.sleep, time.monotonic)
        moved.append({'id': server.id, 'name': server.name, 'type': kind, 'to': to})
    return moved


def run(module, conn):
    params = module.params
    host = params['host']
    service = find_service(conn, host)
    servers = servers_on(conn, host)
    providers = resource_providers(conn, host)
    agents = agents_on(conn, host)
    result = dict(
        changed=False, migrated=[], resource_providers=providers,
        service=dict(id=service.id, status=service.status, state=service.state) if service else None,
        servers=[dict(id=s.id, name=s.name, status=s.status) for s in servers],
        agents=[dict(id=a.id, type=a.agent_type, binary=a.binary, alive=a.is_alive) for a in agents])
    state = params['state']

    if state == 'absent':
        if servers:
            raise Refused(
                '%s still runs %d server(s): %s. Move them first (the remove_compute playbook with '
                '-e migrate=true live-migrates them to the other compute nodes), or delete them.'
                % (host, len(servers), ', '.join('%s (%s, %s)' % (s.name, s.id, s.status) for s in servers)))
        result['changed'] = bool(service or agents)
        if module.check_mode:
            return result
        if service:
            conn.compute.delete_service(service, ignore_missing=True)
            left = [p for p in providers
                    if conn.placement.find_resource_provider(p, ignore_missing=True) is not None]
            if left:
                raise Refused('the compute service of %s is deleted but its resource provider(s) %s are still in '
                              'Placement (see nova-api\'s log); delete them with `openstack resource provider '
                              'delete`' % (host, ', '.join(left)))
        for agent in agents:
            conn.network.delete_agent(agent, ignore_missing=True)
        return result

    if service is None:
        raise Refused('Nova has no %s service on host %s (openstack compute service list shows the hosts)'
                      % (BINARY, host))
    wanted = 'enabled' if state == 'enabled' else 'disabled'
    if service.status != wanted:
        result['changed'] = True
        if not module.check_mode:
            if wanted == 'enabled':
                conn.compute.enable_service(service, host=host, binary=BINARY)
            else:
                conn.compute.disable_service(service, host=host, binary=BINARY, disabled_reason=params['reason'])
    if state == 'drained' and servers:
        result['changed'] = True
        if not module.check_mode:
            result['migrated'] = drain(conn, host, servers, params['migration'], params['timeout'])
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            host=dict(type='str', required=True),
            state=dict(type='str', default='absent', choices=['enabled', 'disabled', 'drained', 'absent']),
            reason=dict(type='str', default='removed by gureum.openstack'),
            migration=dict(type='str', default='live', choices=['live', 'cold']),
            timeout=dict(type='int', default=600),
            cloud=dict(type='str', default='admin'),
        ),
        supports_check_mode=True,
    )
    if not HAS_SDK:
        module.fail_json(msg=missing_required_lib('openstacksdk'))
    try:
        conn = openstack.connect(cloud=module.params['cloud'])
        result = run(module, conn)
    except Refused as exc:
        module.fail_json(msg=str(exc))
    except Exception as exc:  # pylint: disable=broad-except
        # openstacksdk's and keystoneauth's errors (an unreachable API, a refused password, a 409) alike
        module.fail_json(msg='compute node %s in the cloud %s: %s'
                         % (module.params['host'], module.params['cloud'], exc))
    module.exit_json(**result)


if __name__ == '__main__':
    main()
