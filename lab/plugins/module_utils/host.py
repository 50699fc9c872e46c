# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Create and remove lab nodes (systemd-nspawn) and their networks on this machine.

Layout on the host, for a lab called LAB (names from lab_topology):
  netns gureum-LAB           bridges br-mgmt/br-provider/br-amphora, uplink to the host, forwarding
  netns gureum-LAB-NODE      one per node: its management NIC on br-mgmt, its provider NIC on br-provider, its
                             amphora NIC (Octavia's lb-mgmt-net) on br-amphora
  link gl-LAB                host end of the uplink; routes to the lab networks go through it
  nft table inet gureum_lab_LAB   lets lab traffic leave the host only towards the package mirror
  cgroups gureum-lab/LAB/NODE     in every hierarchy: isolates nodes and measures their memory
  STATE_DIR/LAB/             state.json and nodes/NODE/{upper,work,root,console.log}
Teardown finds everything by these names (and by cgroup membership for processes),
so it also cleans up after a setup that was interrupted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid

from ansible_collections.gureum.lab.plugins.module_utils import topology as lab_topology

CGROUP_ROOT = '/sys/fs/cgroup'
STOP_TIMEOUT = 20


class LabError(Exception):
    """Something on the host went wrong; the message says what and how to fix it."""


def run(argv, check=True, stdin=None):
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True)
    out, err = proc.communicate(stdin)
    if check and proc.returncode != 0:
        raise LabError('%s failed (rc=%d): %s' % (' '.join(argv), proc.returncode, (err or out).strip()))
    return proc.returncode, out, err


def read_text(path):
    with open(path) as handle:
        return handle.read()


def write_file(path, content, mode=0o644):
    parent = os.path.dirname(path)
    if not os.path.isdir(parent):
        os.makedirs(parent)
    tmp = path + '.tmp'
    with open(tmp, 'w') as handle:
        handle.write(content)
    os.chmod(tmp, mode)
    os.rename(tmp, path)


def cgroup_hierarchies():
    """Mount points of every cgroup hierarchy (v1 controllers and the unified one)."""
    mounts = []
    with open('/proc/self/mountinfo') as handle:
        for line in handle:
            fields = line.split()
            fstype = fields[fields.index('-') + 1]
            if fstype in ('cgroup', 'cgroup2') and fields[4].startswith(CGROUP_ROOT):
                mounts.append(fields[4])
    return sorted(set(mounts))


def mounted(path):
    with open('/proc/self/mountinfo') as handle:
        return any(line.split()[4] == path for line in handle)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def netns_exists(name):
    return os.path.exists('/run/netns/%s' % name)


def link_exists(link, netns=None):
    argv = ['ip'] + (['-n', netns] if netns else []) + ['link', 'show', 'dev', link]
    return run(argv, check=False)[0] == 0


def tx_checksum_offloaded(link, netns):
    """Whether the link leaves TCP/UDP checksums to its peer (ethtool's tx-checksumming)."""
    out = run(['ip', 'netns', 'exec', netns, 'ethtool', '--show-offload', link])[1]
    return any(line.strip() == 'tx-checksumming: on' for line in out.splitlines())


class Lab(object):
    """One lab on this host, described by a validated topology (see lab_topology.validate)."""

    def __init__(self, name, state_dir):
        self.name = name
        self.dir = os.path.join(state_dir, name)
        self.state_dir = state_dir
        self.state_path = os.path.join(self.dir, 'state.json')
        self.names = lab_topology.names(name)
        self.changed = False
        self.state = self._load_state()
        self.uplink = self.state.get('uplink')

    # state ---------------------------------------------------------------
    def _load_state(self):
        if os.path.exists(self.state_path):
            with open(self.state_path) as handle:
                return json.load(handle)
        return {'name': self.name, 'nodes': {}}

    def _save_state(self):
        write_file(self.state_path, json.dumps(self.state, indent=2, sort_keys=True) + '\n', 0o600)

    def _do(self, argv):
        self.changed = True
        return run(argv)

    # network ---------------------------------------------------------------
    def check_host_conflicts(self, topology):
        """Refuse, before creating anything, ranges the host already routes elsewhere; pick the uplink."""
        out = run(['ip', '-j', 'route', 'show'])[1]
        mine = self.names['host_link']
        routed = []
        for route in json.loads(out or '[]'):
            dst = route.get('dst')
            if dst in (None, 'default') or route.get('dev') == mine:
                continue
            routed.append((lab_topology.ipaddress.ip_network(u'%s' % dst, strict=False), route.get('dev')))
        for net in topology['networks'].values():
            cidr = lab_topology.ipaddress.ip_network(u'%s' % net['cidr'])
            for dst, dev in routed:
                if dst.overlaps(cidr):
                    raise LabError(
                        "the host already routes %s via %s, which overlaps the lab's %s network %s; pick other lab "
                        "ranges (or destroy the other lab that uses them) before building lab '%s'."
                        % (dst, dev, net['name'], cidr, self.name))
        if not self.uplink or not link_exists(mine):
            self.uplink = lab_topology.uplink(self.name, [str(dst) for dst, dev in routed])

    def network_up(self, topology, mirror_addresses):
        netns, host_link, lab_link = self.names['netns'], self.names['host_link'], self.names['lab_link']
        if self.state.get('uplink') != self.uplink:
            self.state['uplink'] = self.uplink
            self._save_state()
        if 'ip_forward' not in self.state:
            with open('/proc/sys/net/ipv4/ip_forward') as handle:
                self.state['ip_forward'] = handle.read().strip()
            self._save_state()
        if not netns_exists(netns):
            self._do(['ip', 'netns', 'add', netns])
            self._do(['ip', '-n', netns, 'link', 'set', 'lo', 'up'])
            run(['ip', 'netns', 'exec', netns, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'])
        for net in topology['networks'].values():
            if not link_exists(net['bridge'], netns):
                self._do(['ip', '-n', netns, 'link', 'add', net['bridge'], 'type', 'bridge'])
                self._do(['ip', '-n', netns, 'addr', 'add', '%s/%s' % (net['gateway'], net['prefix']),
                          'dev', net['bridge']])
                self._do(['ip', '-n', netns, 'link', 'set', net['bridge'], 'up'])
        if not link_exists(host_link):
            self._do(['ip', 'link', 'add', host_link, 'type', 'veth', 'peer', 'name', lab_link, 'netns', netns])
            self._do(['ip', 'addr', 'add', self.uplink['host'] + '/30', 'dev', host_link])
            self._do(['ip', 'link', 'set', host_link, 'up'])
            self._do(['ip', '-n', netns, 'addr', 'add', self.uplink['lab'] + '/30', 'dev', lab_link])
            self._do(['ip', '-n', netns, 'link', 'set', lab_link, 'up'])
            self._do(['ip', '-n', netns, 'route', 'add', 'default', 'via', self.uplink['host']])
        for net in topology['networks'].values():
            if not run(['ip', 'route', 'show', net['cidr'], 'dev', host_link])[1].strip():
                self._do(['ip', 'route', 'replace', net['cidr'], 'via', self.uplink['lab'], 'dev', host_link])
        self._nat_up(topology, mirror_addresses)
        with open('/proc/sys/net/ipv4/ip_forward') as handle:
            if handle.read().strip() != '1':
                self._do(['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'])

    def _nat_rules(self, topology, mirror_addresses):
        sources = ', '.join([net['cidr'] for net in topology['networks'].values()] + [self.uplink['network']])
        link = self.names['host_link']
        return (
            'table inet %(table)s {\n'
            '  set mirrors {\n    type ipv4_addr\n    elements = { %(mirrors)s }\n  }\n'
            '  chain forward {\n    type filter hook forward priority filter; policy accept;\n'
            '    iifname "%(link)s" ip daddr @mirrors tcp dport { 80, 443 } accept\n'
            '    iifname "%(link)s" drop\n'
            '    oifname "%(link)s" ct state established,related accept\n'
            '    oifname "%(link)s" drop\n  }\n'
            '  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n'
            '    ip saddr { %(sources)s } oifname != "%(link)s" masquerade\n  }\n'
            '}\n' % {'table': self.names['nft_table'], 'mirrors': ', '.join(sorted(mirror_addresses)),
                     'link': link, 'sources': sources})

    def _nat_up(self, topology, mirror_addresses):
        rules = self._nat_rules(topology, mirror_addresses)
        if self.state.get('nft') == rules and run(['nft', 'list', 'table', 'inet', self.names['nft_table']],
                                                  check=False)[0] == 0:
            return
        self.changed = True
        run(['nft', 'delete', 'table', 'inet', self.names['nft_table']], check=False)
        run(['nft', '-f', '-'], stdin=rules)
        self.state['nft'] = rules
        self._save_state()

    def network_down(self):
        if run(['nft', 'list', 'table', 'inet', self.names['nft_table']], check=False)[0] == 0:
            self._do(['nft', 'delete', 'table', 'inet', self.names['nft_table']])
        if link_exists(self.names['host_link']):
            self._do(['ip', 'link', 'del', self.names['host_link']])
        if netns_exists(self.names['netns']):
            self._do(['ip', 'netns', 'del', self.names['netns']])
        others = [d for d in os.listdir(self.state_dir) if d != self.name and
                  os.path.exists(os.path.join(self.state_dir, d, 'state.json'))] if os.path.isdir(self.state_dir) else []
        if not others and self.state.get('ip_forward') in ('0', '1'):
            run(['sysctl', '-q', '-w', 'net.ipv4.ip_forward=%s' % self.state['ip_forward']])

    # nodes -----------------------------------------------------------------
    def node_dir(self, node):
        return os.path.join(self.dir, 'nodes', node)

    def _node_cgroups(self, node):
        rel = lab_topology.node_names(self.name, node)['cgroup']
        return [os.path.join(h, rel) for h in cgroup_hierarchies()]

    def node_pids(self, node):
        """Every process in the node's cgroups: the nspawn supervisor and all of the node."""
        pids = set()
        for path in self._node_cgroups(node):
            for dirpath, dummy, files in os.walk(path):
                if 'cgroup.procs' in files:
                    with open(os.path.join(dirpath, 'cgroup.procs')) as handle:
                        pids.update(int(p) for p in handle.read().split())
        return sorted(pids)

    def node_running(self, node):
        pid = self.state['nodes'].get(node, {}).get('nspawn_pid')
        return bool(pid) and pid in self.node_pids(node) and pid_alive(pid)

    def _node_network(self, topology, node, interfaces):
        nn = lab_topology.node_names(self.name, node['name'])
        netns, lab_ns = nn['netns'], self.names['netns']
        mgmt = topology['networks']['management']
        if not netns_exists(netns):
            self._do(['ip', 'netns', 'add', netns])
        wanted = ['management']
        if node['provider'] and 'provider' in topology['networks']:
            wanted.append('provider')
        if node.get('amphora') and 'amphora' in topology['networks']:
            wanted.append('amphora')
        for role in wanted:
            outer, inner, net = nn['links'][role], interfaces[role], topology['networks'][role]
            if not link_exists(outer, lab_ns):
                self._do(['ip', '-n', lab_ns, 'link', 'add', outer, 'type', 'veth', 'peer', 'name', inner,
                          'netns', netns])
                self._do(['ip', '-n', lab_ns, 'link', 'set', outer, 'master', net['bridge'], 'up'])
                self._do(['ip', '-n', netns, 'link', 'set', inner, 'up'])
            if tx_checksum_offloaded(outer, lab_ns):
                # A wire delivers checksummed frames; a veth hands over partial ones, which the receiving kernel
                # trusts but Open vSwitch's userspace datapath (netdev) forwards unfilled, so a node's OVS bridge
                # would pass on TCP segments every namespace and guest drops. The switch ends fill them in.
                self._do(['ip', 'netns', 'exec', lab_ns, 'ethtool', '-K', outer, 'tx', 'off'])
        out = run(['ip', '-n', netns, '-j', 'addr', 'show', 'dev', interfaces['management']])[1]
        have = [a['local'] for link in json.loads(out) for a in link.get('addr_info', [])]
        if node['address'] not in have:
            self._do(['ip', '-n', netns, 'link', 'set', 'lo', 'up'])
            self._do(['ip', '-n', netns, 'addr', 'add', '%s/%s' % (node['address'], mgmt['prefix']), 'dev',
                      interfaces['management']])
            self._do(['ip', '-n', netns, 'route', 'replace', 'default', 'via', mgmt['gateway']])

    def _node_root(self, node, base_image):
        ndir = self.node_dir(node)
        root = os.path.join(ndir, 'root')
        for sub in ('upper', 'work', 'root'):
            if not os.path.isdir(os.path.join(ndir, sub)):
                os.makedirs(os.path.join(ndir, sub))
        if not mounted(root):
            self._do(['mount', '-t', 'overlay', 'overlay', '-o', 'lowerdir=%s,upperdir=%s/upper,workdir=%s/work'
                      % (base_image, ndir, ndir), root])
        return root

    def _login_user(self, root, user, ssh_public_key):
        """A non-root login with passwordless sudo, as real hosts have (the user's own files, made once)."""
        if not any(line.split(':', 1)[0] == user for line in read_text(os.path.join(root, 'etc/passwd')).splitlines()):
            self._do(['useradd', '--root', root, '--create-home', '--user-group', '--shell', '/bin/bash', user])
        pw = [line.split(':') for line in read_text(os.path.join(root, 'etc/passwd')).splitlines()
              if line.split(':', 1)[0] == user][0]
        uid, gid, home = int(pw[2]), int(pw[3]), os.path.join(root, pw[5].lstrip('/'))
        wanted = {
            'etc/sudoers.d/gureum-lab-%s' % user: ('%s ALL=(ALL:ALL) NOPASSWD: ALL\n' % user, 0o440, 0, 0),
            os.path.join(home, '.ssh/authorized_keys'): (ssh_public_key.strip() + '\n', 0o600, uid, gid),
        }
        for rel, (content, mode, owner, group) in wanted.items():
            path = os.path.join(root, rel)
            if not os.path.exists(path) or read_text(path) != content:
                self.changed = True
                write_file(path, content, mode)
                os.chown(os.path.dirname(path), owner, group)
                os.chown(path, owner, group)
        os.chmod(os.path.join(home, '.ssh'), 0o700)

    def _node_files(self, root, node, ssh_public_key, mirror_hosts):
        """Files that make the node itself: identity, login, how it finds the mirror."""
        hosts = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback',
                 '# the package mirror, the only place the lab NAT lets nodes reach']
        hosts += ['%s\t%s' % (addr, host) for host, addr in sorted(mirror_hosts.items()) if addr != host]
        wanted = {
            'etc/hostname': (node + '\n', 0o644),
            'etc/hosts': ('\n'.join(hosts) + '\n', 0o644),
            'root/.ssh/authorized_keys': (ssh_public_key.strip() + '\n', 0o600),
        }
        for rel, (content, mode) in wanted.items():
            path = os.path.join(root, rel)
            # the base image carries the build machine's /etc/hostname: every node must have its own name
            if not os.path.exists(path) or (rel == 'etc/hostname' and read_text(path) != content):
                self.changed = True
                write_file(path, content, mode)
        os.chmod(os.path.join(root, 'root/.ssh'), 0o700)
        machine_id = os.path.join(root, 'etc/machine-id')
        if not os.path.exists(machine_id) or not os.path.getsize(machine_id):
            write_file(machine_id, uuid.uuid4().hex + '\n', 0o444)
        if not any(f.startswith('ssh_host_') for f in os.listdir(os.path.join(root, 'etc/ssh'))):
            self._do(['ssh-keygen', '-q', '-A', '-f', root])

    def _join_cgroups(self, node):
        paths = self._node_cgroups(node)
        for path in paths:
            if not os.path.isdir(path):
                os.makedirs(path)
            if os.path.exists(os.path.join(path, 'cpuset.cpus')):
                self._inherit_cpuset(path)

        def join():
            for path in paths:
                with open(os.path.join(path, 'cgroup.procs'), 'w') as handle:
                    handle.write(str(os.getpid()))
        return join

    @staticmethod
    def _inherit_cpuset(path):
        """v1 cpuset groups start empty and refuse tasks; copy cpus/mems down from the parent."""
        parts = []
        while os.path.exists(os.path.join(path, 'cpuset.cpus')):
            parts.append(path)
            path = os.path.dirname(path)
        for child in reversed(parts):
            parent = os.path.dirname(child)
            for key in ('cpuset.cpus', 'cpuset.mems'):
                with open(os.path.join(child, key)) as handle:
                    if handle.read().strip():
                        continue
                with open(os.path.join(parent, key)) as src, open(os.path.join(child, key), 'w') as dst:
                    dst.write(src.read().strip())

    def node_up(self, topology, node, base_image, ssh_public_key, mirror_hosts, interfaces, login_user=None):
        """Make the node's network and root file system, and boot it unless it runs."""
        name = node['name']
        record = self.state['nodes'].setdefault(name, {})
        record.update({'address': node['address'], 'groups': node['groups']})
        if record.get('base_image') and record['base_image'] != base_image and self.node_running(name):
            raise LabError("node '%s' runs on base image %s, not %s; destroy the lab to move it to the new base."
                           % (name, record['base_image'], base_image))
        record['base_image'] = base_image
        self._save_state()
        self._node_network(topology, node, interfaces)
        root = self._node_root(name, base_image)
        self._node_files(root, name, ssh_public_key, mirror_hosts)
        if login_user and login_user != 'root':
            self._login_user(root, login_user, ssh_public_key)
        if self.node_running(name):
            return False
        self.changed = True
        console = os.path.join(self.node_dir(name), 'console.log')
        argv = ['nsenter', '--net=/run/netns/%s' % lab_topology.node_names(self.name, name)['netns'],
                'systemd-nspawn', '--quiet', '--register=no', '--keep-unit', '--boot',
                '--directory=%s' % root, '--machine=%s' % name, '--hostname=%s' % name,
                '--capability=all', '--drop-capability=CAP_SYS_TIME',
                '--console=pipe', '--resolv-conf=off', '--timezone=off', '--link-journal=no',
                'systemd.show_status=1']
        # nspawn cannot tell that the node has a network namespace of its own (it is entered with nsenter), so it
        # would mount /proc/sys/net read-only; it is the node's own, and Neutron and os-vif write to it.
        env = dict(os.environ, SYSTEMD_NSPAWN_API_VFS_WRITABLE='network')
        with open(console, 'w') as log, open(os.devnull) as devnull:
            proc = subprocess.Popen(argv, stdin=devnull, stdout=log, stderr=subprocess.STDOUT, close_fds=True,
                                    preexec_fn=self._join_cgroups(name), start_new_session=True, env=env)
        record.update({'nspawn_pid': proc.pid, 'console': console, 'started': time.time()})
        self._save_state()
        return True

    def wait_booted(self, nodes, timeout):
        """Wait until every node answers with an SSH banner; on failure show its console."""
        deadline = time.time() + timeout
        pending = [n['name'] for n in nodes]
        while pending:
            for name in list(pending):
                record = self.state['nodes'][name]
                if not pid_alive(record['nspawn_pid']):
                    raise LabError("node '%s' stopped while booting. Its console log (%s) ends with:\n%s"
                                   % (name, record['console'], self.console_tail(name)))
                if self._ssh_banner(record['address']):
                    pending.remove(name)
            if pending and time.time() > deadline:
                raise LabError("node(s) %s did not offer SSH within %ss. Console of '%s' (%s) ends with:\n%s"
                               % (', '.join(pending), timeout, pending[0],
                                  self.state['nodes'][pending[0]]['console'], self.console_tail(pending[0])))
            if pending:
                time.sleep(0.2)

    @staticmethod
    def _ssh_banner(address):
        try:
            sock = socket.create_connection((address, 22), timeout=1)
        except (OSError, socket.error):
            return False
        try:
            sock.settimeout(2)
            return sock.recv(4).startswith(b'SSH-')
        except (OSError, socket.error):
            return False
        finally:
            sock.close()

    def console_tail(self, node, lines=30):
        path = self.state['nodes'].get(node, {}).get('console') or os.path.join(self.node_dir(node), 'console.log')
        if not os.path.exists(path):
            return '(no console log)'
        with open(path, errors='replace') as handle:
            return ''.join(handle.readlines()[-lines:])

    @staticmethod
    def _leader(nspawn_pid):
        """The node's init: the child of systemd-nspawn."""
        path = '/proc/%d/task/%d/children' % (nspawn_pid, nspawn_pid)
        try:
            with open(path) as handle:
                children = [int(p) for p in handle.read().split()]
        except (IOError, OSError):
            return None
        return children[0] if children else None

    def request_stop(self, node):
        """Ask the node's init to shut down (SIGRTMIN+4); return its nspawn PID if it was running."""
        nspawn_pid = self.state['nodes'].get(node, {}).get('nspawn_pid')
        ours = self.node_pids(node)
        if not (nspawn_pid and nspawn_pid in ours and pid_alive(nspawn_pid)):
            return None
        self.changed = True
        leader = self._leader(nspawn_pid)
        if leader and leader in ours:
            os.kill(leader, signal.SIGRTMIN + 4)
        return nspawn_pid

    def node_stop(self, node):
        """Shut the node down cleanly, as a machine is powered off: its disk (the writable layer), its NICs and its
        address stay, and node_up boots it again."""
        nspawn_pid = self.request_stop(node)
        deadline = time.time() + STOP_TIMEOUT
        while nspawn_pid and pid_alive(nspawn_pid) and time.time() < deadline:
            time.sleep(0.1)
        leftovers = self.node_pids(node)
        for pid in leftovers:  # only processes inside this node's own cgroup
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if leftovers:
            self.changed = True
            time.sleep(0.5)
        if self.state['nodes'].get(node, {}).pop('nspawn_pid', None):
            self._save_state()

    def node_down(self, node):
        """Shut the node down cleanly, then remove what it used."""
        self.node_stop(node)
        root = os.path.join(self.node_dir(node), 'root')
        if mounted(root):
            self._do(['umount', root])
        netns = lab_topology.node_names(self.name, node)['netns']
        if netns_exists(netns):
            self._do(['ip', 'netns', 'del', netns])
        for path in self._node_cgroups(node):
            self._remove_cgroup(path)
        if os.path.isdir(self.node_dir(node)):
            self.changed = True
            shutil.rmtree(self.node_dir(node))
        self.state['nodes'].pop(node, None)

    def _remove_cgroup(self, path):
        if not os.path.isdir(path):
            return
        for dirpath in sorted((entry[0] for entry in os.walk(path)), key=len, reverse=True):
            for attempt in range(50):
                try:
                    os.rmdir(dirpath)
                    break
                except OSError:
                    if attempt == 49:
                        raise LabError('cannot remove cgroup %s: processes are still in it' % dirpath)
                    time.sleep(0.1)
        self.changed = True

    def known_nodes(self):
        """Nodes in the state file plus any whose netns or directory survived a lost state."""
        found = set(self.state['nodes'])
        prefix = lab_topology.node_names(self.name, '')['netns']
        if os.path.isdir('/run/netns'):
            found.update(n[len(prefix):] for n in os.listdir('/run/netns') if n.startswith(prefix))
        nodes_dir = os.path.join(self.dir, 'nodes')
        if os.path.isdir(nodes_dir):
            found.update(os.listdir(nodes_dir))
        rel = lab_topology.names(self.name)['cgroup']
        for hierarchy in cgroup_hierarchies():
            if os.path.isdir(os.path.join(hierarchy, rel)):
                found.update(d for d in os.listdir(os.path.join(hierarchy, rel))
                             if os.path.isdir(os.path.join(hierarchy, rel, d)))
        return sorted(found)

    def destroy(self):
        nodes = self.known_nodes()
        for node in nodes:  # all nodes shut down at once; node_down then waits for each
            self.request_stop(node)
        for node in nodes:
            self.node_down(node)
            self._save_state()
        self.network_down()
        rel = lab_topology.names(self.name)['cgroup']
        for hierarchy in cgroup_hierarchies():
            self._remove_cgroup(os.path.join(hierarchy, rel))
            try:  # the shared gureum-lab parent goes with the last lab
                os.rmdir(os.path.dirname(os.path.join(hierarchy, rel)))
            except OSError:
                pass
        if os.path.isdir(self.dir):
            self.changed = True
            shutil.rmtree(self.dir)

    def node_memory(self, node):
        """Memory the node uses now, read from its cgroup on the host (bytes), or None."""
        for path in self._node_cgroups(node):
            for name in ('memory.current', 'memory.usage_in_bytes'):
                candidate = os.path.join(path, name)
                if os.path.exists(candidate):
                    with open(candidate) as handle:
                        return int(handle.read())
        return None
