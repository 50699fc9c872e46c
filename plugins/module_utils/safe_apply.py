# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Write a set of configuration files, apply them, and put the old ones back unless someone confirms.

The network role uses this to change a node's interfaces without cutting Ansible off: the module
runs detached (async), writes the files, runs the apply commands, announces "applied TOKEN" in a
state file and waits for Ansible to write TOKEN into the confirm file over a fresh connection.
If nobody confirms in time, or an apply command fails, the previous files come back, the
interfaces get back the links, addresses and routes they had (a snapshot taken with iproute2
before applying: a tool like ifreload would rather take down an interface that its old files
did not mention), and the rollback commands run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import time


class ApplyError(Exception):
    """The new configuration did not take; the message says why and that it was rolled back."""


def read(path):
    try:
        with open(path) as handle:
            return handle.read()
    except (IOError, OSError):
        return None


def write(path, content, mode=0o644):
    parent = os.path.dirname(path)
    if parent and not os.path.isdir(parent):
        os.makedirs(parent, 0o755)
    tmp = '%s.gureum-tmp' % path
    with open(tmp, 'w') as handle:
        handle.write(content)
    os.chmod(tmp, mode)
    os.rename(tmp, path)


def remove(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def load_manifest(path):
    text = read(path)
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        return []
    return sorted(p for p in data.get('files', []) if isinstance(p, str))


def plan(files, manifest_path):
    """What would change: {path: (current content or None, wanted content or None)} for changed paths."""
    changes = {}
    for path, content in files.items():
        current = read(path)
        if current != content:
            changes[path] = (current, content)
    for path in load_manifest(manifest_path):
        if path not in files and os.path.exists(path):
            changes[path] = (read(path), None)
    return changes


def diff(changes):
    return [{'before_header': path, 'after_header': path, 'before': before or '', 'after': after or ''}
            for path, (before, after) in sorted(changes.items())]


def run(commands):
    """Run each argv in turn; return (ok, message of the first failure)."""
    for argv in commands:
        try:
            proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
            out, err = proc.communicate()
        except OSError as exc:
            return False, '%s: %s' % (' '.join(argv), exc)
        if proc.returncode != 0:
            return False, '%s failed (rc=%d): %s' % (' '.join(argv), proc.returncode, (err or out).strip()[-2000:])
    return True, ''


def ip_json(argv, runner):
    rc, out = runner(['ip', '-j'] + argv)
    if rc != 0 or not out.strip():
        return []
    try:
        return json.loads(out)
    except ValueError:
        return []


def default_runner(argv):
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    except OSError:
        return 127, ''
    out, dummy = proc.communicate()
    return proc.returncode, out


def snapshot(interfaces, runner=default_runner):
    """Links, IPv4 addresses and routes of these interfaces as iproute2 shows them now."""
    links = {}
    for name in interfaces:
        found = ip_json(['link', 'show', 'dev', name], runner)
        if not found:
            continue
        link = found[0]
        addresses = ip_json(['-4', 'addr', 'show', 'dev', name], runner)
        links[name] = {
            'up': 'UP' in link.get('flags', []),
            'master': link.get('master', ''),
            'mtu': link.get('mtu'),
            'addresses': sorted('%s/%s' % (a['local'], a['prefixlen']) for entry in addresses
                                for a in entry.get('addr_info', []) if a.get('scope') == 'global'),
        }
    # Leave out the routes the kernel makes for each address's own network; keep every route through a gateway,
    # whoever added it (ifupdown2 adds the default route as 'proto kernel').
    routes = [route for route in ip_json(['-4', 'route', 'show', 'table', 'main'], runner)
              if route.get('dev') in interfaces and (route.get('gateway') or route.get('protocol') != 'kernel')]
    return {'links': links, 'routes': routes}


def _route_argv(route):
    argv = [route['dst']]
    if route.get('gateway'):
        argv += ['via', route['gateway']]
    argv += ['dev', route['dev']]
    for key, word in (('metric', 'metric'), ('protocol', 'proto'), ('scope', 'scope'), ('prefsrc', 'src')):
        if route.get(key) not in (None, ''):
            argv += [word, '%s' % route[key]]
    if 'onlink' in route.get('flags', []):
        argv.append('onlink')
    return argv


def _route_key(route):
    return (route.get('dst'), route.get('gateway'), route.get('dev'), route.get('metric'))


def restore(before, interfaces, runner=default_runner):
    """Put links, addresses and routes back as ``before`` (a snapshot) had them; return what failed."""
    failed = []

    def do(argv):
        rc, dummy = runner(argv)
        if rc != 0:
            failed.append(' '.join(argv))

    now = snapshot(interfaces, runner)
    for name in interfaces:
        if name in now['links'] and name not in before['links']:
            do(['ip', 'link', 'delete', 'dev', name])  # made by the new configuration
    for name, link in sorted(before['links'].items()):
        current = now['links'].get(name)
        if current is None:
            continue
        if current['master'] != link['master']:
            do(['ip', 'link', 'set', 'dev', name] + (['master', link['master']] if link['master'] else ['nomaster']))
        if link.get('mtu') and current.get('mtu') != link['mtu']:
            do(['ip', 'link', 'set', 'dev', name, 'mtu', '%s' % link['mtu']])
        if current['up'] != link['up']:
            do(['ip', 'link', 'set', 'dev', name, 'up' if link['up'] else 'down'])
        for address in sorted(set(current['addresses']) - set(link['addresses'])):
            do(['ip', 'addr', 'del', address, 'dev', name])
        for address in sorted(set(link['addresses']) - set(current['addresses'])):
            do(['ip', 'addr', 'add', address, 'dev', name])
    current_routes = snapshot(interfaces, runner)['routes']
    wanted = set(_route_key(route) for route in before['routes'])
    for route in current_routes:
        if _route_key(route) not in wanted:
            runner(['ip', 'route', 'del'] + _route_argv(route))
    have = set(_route_key(route) for route in current_routes)
    for route in before['routes']:
        if _route_key(route) not in have:
            do(['ip', 'route', 'replace'] + _route_argv(route))
    return failed


def put(changes, side):
    """Write the before (0) or after (1) side of every change."""
    for path, contents in sorted(changes.items()):
        content = contents[side]
        if content is None:
            remove(path)
        else:
            write(path, content)


class Transaction(object):
    """One change of configuration files with apply, confirmation and rollback."""

    def __init__(self, files, manifest, apply_commands, rollback_commands=None, state_file=None, confirm_file=None,
                 token='', timeout=0, sleep=time.sleep, clock=time.time, interfaces=(), runner=default_runner):
        self.files = files
        self.manifest = manifest
        self.apply_commands = apply_commands
        self.rollback_commands = apply_commands if rollback_commands is None else rollback_commands
        self.state_file = state_file
        self.confirm_file = confirm_file
        self.token = token
        self.timeout = timeout
        self.sleep = sleep
        self.clock = clock
        self.interfaces = list(interfaces)
        self.runner = runner
        self.before = None

    def _state(self, word):
        if self.state_file:
            write(self.state_file, '%s %s\n' % (word, self.token), 0o600)

    def _confirmed(self):
        return (read(self.confirm_file) or '').strip() == self.token

    def rollback(self, changes, old_manifest, reason):
        put(changes, 0)
        write(self.manifest, json.dumps({'files': old_manifest}, indent=1) + '\n', 0o600)
        ok, message = run(self.rollback_commands)
        failed = restore(self.before, self.interfaces, self.runner) if self.before is not None else []
        self._state('rolled-back')
        detail = '' if ok else ' The rollback commands failed too: %s' % message
        if failed:
            detail += ' These did not restore the interfaces as they were: %s.' % '; '.join(failed)
        raise ApplyError('%s The previous configuration is back (%s).%s'
                         % (reason, ', '.join(sorted(changes)), detail))

    def apply(self):
        """Apply the change; return the changes made (empty when there was nothing to do)."""
        changes = plan(self.files, self.manifest)
        old_manifest = load_manifest(self.manifest)
        wanted_manifest = sorted(self.files)
        if not changes:
            if old_manifest != wanted_manifest:
                write(self.manifest, json.dumps({'files': wanted_manifest}, indent=1) + '\n', 0o600)
            return changes
        if self.confirm_file:
            remove(self.confirm_file)
        if self.interfaces:
            self.before = snapshot(self.interfaces, self.runner)
        put(changes, 1)
        write(self.manifest, json.dumps({'files': wanted_manifest}, indent=1) + '\n', 0o600)
        ok, message = run(self.apply_commands)
        if not ok:
            self.rollback(changes, old_manifest, 'Applying the new configuration failed: %s.' % message)
        if self.timeout > 0 and self.confirm_file:
            self._state('applied')
            deadline = self.clock() + self.timeout
            while not self._confirmed():
                if self.clock() >= deadline:
                    self.rollback(changes, old_manifest,
                                  'Nobody confirmed the new configuration within %d s, so it probably cut the node '
                                  'off from Ansible: check its addresses, gateway and interfaces in the inventory.'
                                  % self.timeout)
                self.sleep(0.5)
            remove(self.confirm_file)
            self._state('confirmed')
        return changes
