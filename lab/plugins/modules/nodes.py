#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: nodes
short_description: Build or remove a local lab of systemd-nspawn nodes
description:
  - Builds nodes on this machine with C(systemd-nspawn) over an overlay of a cached base image
    (see M(gureum.lab.base_image)), each in its own network namespace with one NIC on the
    management bridge, one on the provider bridge and one on the amphora bridge (named by O(interfaces)).
  - The amphora network is Octavia's management network (lb-mgmt-net), a physical network of its own.
  - The bridges live in a lab network namespace joined to the host by one veth link; the host routes the lab
    networks through it and its NAT lets nodes reach the package mirror named in this machine's apt sources,
    nothing else.
  - Every node runs in its own cgroup, keeps all capabilities but C(CAP_SYS_TIME), and accepts SSH logins
    with the given key as root and as O(login_user), who has passwordless sudo (as on most real hosts).
  - With O(state=absent) stops the nodes cleanly and removes every namespace, link, route, mount, cgroup, nft
    table and process the lab made, and nothing else.
  - The whole topology is checked before anything is created; in check mode only these checks run.
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
options:
  name:
    description: Lab name, 1-8 lowercase letters or digits; it prefixes everything the lab creates.
    type: str
    required: true
  state:
    description:
      - Whether the lab should run or be gone.
      - C(stopped) shuts every running node down cleanly and keeps its disk, NICs and address, as a machine
        powered off; C(present) boots it again.
    type: str
    choices: [present, stopped, absent]
    default: present
  state_dir:
    description: Where the lab keeps its state and the nodes' writable layers.
    type: path
    default: /var/lib/gureum-lab
  base_image:
    description: Base root file system (the RV(gureum.lab.base_image#module:path) of that module).
      Required with O(state=present).
    type: path
  networks:
    description:
      - Lab networks by role. C(management) is required, C(provider) and C(amphora) are optional.
      - Each takes C(cidr) and optionally C(gateway) (default the first host address), which the lab namespace
        holds. The C(amphora) network must be a C(/25) or larger (the amphorae's pool runs from its 100th host
        address).
    type: dict
    default: {}
  nodes:
    description:
      - Nodes, each with C(name), C(address) (in the management network), C(groups) (inventory groups),
        C(provider) (whether it gets a provider NIC, default true when a provider network exists) and C(amphora)
        (whether it gets an amphora NIC, default true when an amphora network exists).
      - A node with an amphora NIC gets RV(nodes[].amphora_address), the amphora network's address with the host
        number of its management address; a node in the C(controller) group must have one (a management address
        with a host number from 2 to 99).
    type: list
    elements: dict
    default: []
  interfaces:
    description:
      - Names of the nodes' NICs inside them, by network (C(management), C(provider), C(amphora)), so a lab can
        look like the machines a user has (C(ens33), C(enp0s8) ...). Existing nodes keep the names they were built
        with.
    type: dict
    default: {management: eth0, provider: eth1, amphora: eth2}
  login_user:
    description: A non-root user made on every node, with the same key and passwordless sudo; C(root) for none.
    type: str
    default: root
  ssh_public_key:
    description: Public key allowed to log in as root on every node. Required with O(state=present).
    type: str
  boot_timeout:
    description: Seconds to wait for every node to offer SSH.
    type: int
    default: 90
requirements:
  - root privileges
  - systemd-nspawn, nsenter, ip, nft, ssh-keygen, sysctl on this machine
'''

EXAMPLES = r'''
- name: Build a two-node lab
  gureum.lab.nodes:
    name: demo
    base_image: "{{ base.path }}"
    ssh_public_key: "{{ lookup('ansible.builtin.file', '/root/.ssh/id_ed25519.pub') }}"
    networks:
      management: {cidr: 10.0.0.0/24}
      provider: {cidr: 198.51.100.0/24}
      amphora: {cidr: 172.31.0.0/24}
    nodes:
      - {name: controller, address: 10.0.0.11, groups: [controller]}
      - {name: compute1, address: 10.0.0.31, groups: [compute]}

- name: Remove it again
  gureum.lab.nodes:
    name: demo
    state: absent
'''

RETURN = r'''
nodes:
  description: The nodes as they run now.
  returned: when state is present
  type: list
  elements: dict
  contains:
    name: {description: Node name, type: str}
    address: {description: Management address, type: str}
    groups: {description: Inventory groups, type: list, elements: str}
    provider: {description: Whether it has a provider NIC, type: bool}
    amphora: {description: Whether it has an amphora NIC, type: bool}
    amphora_address:
      description: Its address on the amphora network (the host number of its management address), or null.
      type: str
    nspawn_pid: {description: PID of its systemd-nspawn, type: int}
    console: {description: Path of its console log, type: str}
    memory_bytes: {description: 'Memory its cgroup uses now, measured on the host.', type: int}
networks:
  description: The normalised lab networks (cidr, prefix, gateway, bridge).
  returned: when state is present
  type: dict
netns:
  description: Network namespace that holds the lab bridges (use it with C(ip netns exec)).
  returned: always
  type: str
'''

import os
import re
import socket

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.gureum.lab.plugins.module_utils import apt_sources, host as lab_host, topology as lab_topology

IFNAME_RE = re.compile(r'^[A-Za-z0-9_.-]{1,15}$')
USER_RE = re.compile(r'^[a-z_][a-z0-9_-]{0,31}$')
TOOLS = {'systemd-nspawn': 'systemd-container', 'nsenter': 'util-linux', 'ip': 'iproute2', 'ethtool': 'ethtool',
         'nft': 'nftables', 'ssh-keygen': 'openssh-client', 'sysctl': 'procps', 'mount': 'mount', 'useradd': 'passwd'}


def resolve_mirrors():
    """Host name -> IPv4 address of every mirror in this machine's apt sources, plus all their addresses."""
    hosts, addresses = {}, set()
    for host in apt_sources.mirror_hosts(apt_sources.read_apt_sources('/')):
        infos = socket.getaddrinfo(host, 80, socket.AF_INET, socket.SOCK_STREAM)
        found = sorted(set(info[4][0] for info in infos))
        hosts[host] = found[0]
        addresses.update(found)
    return hosts, addresses


def preflight(module):
    if os.geteuid() != 0:
        module.fail_json(msg='The lab needs root (namespaces, mounts, cgroups): run the lab playbook as root.')
    missing = ['%s (Debian package %s)' % (tool, pkg) for tool, pkg in sorted(TOOLS.items())
               if not module.get_bin_path(tool)]
    if missing:
        module.fail_json(msg="Missing tools: %s. Run 'make setup' to install them." % ', '.join(missing))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            state=dict(type='str', choices=['present', 'stopped', 'absent'], default='present'),
            state_dir=dict(type='path', default='/var/lib/gureum-lab'),
            base_image=dict(type='path'),
            networks=dict(type='dict', default={}),
            nodes=dict(type='list', elements='dict', default=[]),
            ssh_public_key=dict(type='str', no_log=False),
            boot_timeout=dict(type='int', default=90),
            interfaces=dict(type='dict', default={'management': 'eth0', 'provider': 'eth1', 'amphora': 'eth2'}),
            login_user=dict(type='str', default='root'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    preflight(module)
    if not lab_topology.LAB_NAME_RE.match(params['name']):
        module.fail_json(msg='lab name %r must be 1-8 lowercase letters or digits, starting with a letter.'
                         % params['name'])
    interfaces = dict({'management': 'eth0', 'provider': 'eth1', 'amphora': 'eth2'}, **params['interfaces'])
    for role, ifname in sorted(interfaces.items()):
        if role not in lab_topology.NETWORK_ROLES or not IFNAME_RE.match(u'%s' % ifname) or \
                len(set(interfaces.values())) != len(interfaces):
            module.fail_json(msg='interfaces must name the management, provider and amphora NICs, three different '
                                 'names of up to 15 letters, digits, ".", "_" or "-"; got %r.'
                                 % (params['interfaces'],))
    if not USER_RE.match(params['login_user']):
        module.fail_json(msg='login_user %r is not a user name (lowercase letters, digits, "_" and "-").'
                         % params['login_user'])
    lab = lab_host.Lab(params['name'], params['state_dir'])
    netns = lab_topology.names(params['name'])['netns']
    try:
        if params['state'] == 'absent':
            if module.check_mode:
                module.exit_json(changed=bool(lab.known_nodes()) or lab_host.netns_exists(netns), netns=netns)
            lab.destroy()
            module.exit_json(changed=lab.changed, netns=netns)
        if params['state'] == 'stopped':
            # every node powered off at once (a power cut, or a reboot test); state=present boots them again
            running = [n for n in lab.known_nodes() if lab.node_running(n)]
            if not module.check_mode:
                for node in running:
                    lab.node_stop(node)
            module.exit_json(changed=bool(running), stopped=running, netns=netns)

        if not module.check_mode and not (params['base_image'] and params['ssh_public_key']):
            module.fail_json(msg='state=present needs base_image and ssh_public_key.')
        topology = lab_topology.validate(params['name'], params['networks'], params['nodes'])
        lab.check_host_conflicts(topology)
        try:
            mirror_hosts, mirror_addresses = resolve_mirrors()
        except (socket.error, apt_sources.AptSourcesError) as exc:
            module.fail_json(msg='cannot resolve the package mirror from this machine: %s' % exc)
        if module.check_mode:  # preflight only: would the lab change?
            running = all(lab.node_running(n['name']) for n in topology['nodes'])
            module.exit_json(changed=not running, netns=netns, networks=topology['networks'], nodes=[])
        if not os.path.isdir(os.path.join(params['base_image'], 'etc')):
            module.fail_json(msg='base image %s is not a root file system; build it with '
                                 'gureum.lab.base_image first.' % params['base_image'])
        extra = sorted(set(lab.known_nodes()) - set(n['name'] for n in topology['nodes']))
        if extra:
            module.warn('lab %s still has node(s) %s that the topology no longer lists; they are kept. '
                        'Destroy the lab to remove them.' % (params['name'], ', '.join(extra)))
        lab.network_up(topology, mirror_addresses)
        for node in topology['nodes']:
            lab.node_up(topology, node, params['base_image'], params['ssh_public_key'], mirror_hosts, interfaces,
                        params['login_user'])
        lab.wait_booted(topology['nodes'], params['boot_timeout'])
    except (lab_topology.TopologyError, lab_host.LabError) as exc:
        module.fail_json(msg=str(exc), changed=lab.changed)

    nodes = []
    for node in topology['nodes']:
        record = lab.state['nodes'][node['name']]
        nodes.append(dict(node, nspawn_pid=record['nspawn_pid'], console=record['console'],
                          memory_bytes=lab.node_memory(node['name'])))
    module.exit_json(changed=lab.changed, nodes=nodes, networks=topology['networks'], netns=netns)


if __name__ == '__main__':
    main()
