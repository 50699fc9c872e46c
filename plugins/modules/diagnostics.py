#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: diagnostics
short_description: Collect a node's logs, configuration and states for a bug report, secrets masked
description:
  - Reads, on the node, what a bug report needs and writes it as one gzipped tar file (mode C(0600)) in
    O(tmpdir), every entry under the directory O(name); the caller fetches it and removes it.
  - For each unit of O(units) and each unit of O(optional_units) that systemd knows, its state (C(systemctl show))
    and the last O(lines) lines of its journal.
  - The configuration and log locations of each unit, derived from its name (with C(<name>) the unit, C(<project>)
    the part before its first C(-), and C(<project>) without a trailing C(d), C(libvirtd) -> C(libvirt)) are the files
    under C(/etc/<name>), C(/etc/<project>), C(/etc/<name>.conf), C(/etc/default/<name>) and the unit's systemd
    drop-ins, and the logs under C(/var/log/<name>) and C(/var/log/<project>); what does not exist is left out.
    O(config_paths) and O(log_paths) add locations the names do not reveal.
  - Configuration files are copied whole (up to O(max_file_size) bytes each; larger or binary files are listed as
    skipped), logs as their last O(lines) lines (read from at most their last O(max_log_size) bytes); rotated logs
    (C(.1), C(.gz) ...) and paths matching O(exclude) are left out. Symbolic links are kept as links.
  - The output of each command of O(commands) whose program is installed (one file each; a missing program is noted
    in the node's C(MANIFEST.txt)).
  - Everything is masked before it is written, each value replaced by C(********). Masked are every value of
    O(secrets), the password of every C(user:password@) of a URL (C(transport_url), C(connection)), the value of
    every option whose name ends with C(password), C(passwd), C(pass), C(secret), C(key) or C(token) (set with C(=)
    or C(:), quoted or not; in a configuration file the rest of its line; C(true), C(false), C(yes), C(no), C(none)
    and C(null) stay), and the body of every PEM private key. The rules err on the side of masking (policy
    rules such as C(identity:check_token) are masked too).
  - Reads only; the one file it writes is the archive, so it reports C(changed) for that temporary file.
version_added: "0.3.0"
author: gureum.openstack contributors (@gureum)
options:
  name:
    description: The directory every entry of the archive is under (the node's inventory name).
    type: str
    required: true
  units:
    description: The node's units (the catalog's); each is reported, also when systemd does not know it.
    type: list
    elements: str
    default: []
  optional_units:
    description: Further units, collected only where systemd knows them (chrony, firewalld on every node).
    type: list
    elements: str
    default: []
  config_paths:
    description: Further configuration files or directories (C(/etc/mysql)); missing ones are left out.
    type: list
    elements: path
    default: []
  log_paths:
    description: Further log files or directories (C(/var/log/mysql)); missing ones are left out.
    type: list
    elements: path
    default: []
  commands:
    description:
      - Read-only commands, each C(name) (the output file, C(commands/<name>.txt)) and C(argv); each runs under
        C(timeout) with O(command_timeout) seconds, C(LC_ALL=C). A command whose program is not installed is
        noted, not run.
    type: list
    elements: dict
    default: []
  command_timeout:
    description: Seconds each command and each journal read may take.
    type: int
    default: 60
  lines:
    description: Lines of each journal and each log file.
    type: int
    default: 2000
  max_log_size:
    description: Bytes read from the end of each log file at most.
    type: int
    default: 4194304
  max_file_size:
    description: Configuration files larger than this (bytes) are listed as skipped.
    type: int
    default: 1048576
  exclude:
    description: Shell patterns of paths left out (key directories and files).
    type: list
    elements: str
    default: ['*/fernet-keys/*', '*/credential-keys/*', '*/secrets/*', '*.key', '*/private/*', '*/ssh_host_*_key']
  secrets:
    description: Values to mask wherever they appear (every value of the deployment's secrets file).
    type: list
    elements: str
    default: []
  tmpdir:
    description: Directory the archive is written to.
    type: path
    default: /tmp
attributes:
  check_mode:
    support: full
    description: Collects and writes the archive in check mode too; it changes nothing else.
  diff_mode:
    support: none
    description: Nothing is compared; the archive is new each time.
'''

EXAMPLES = r'''
- name: Collect this node's diagnostics
  gureum.openstack.diagnostics:
    name: "{{ inventory_hostname }}"
    units: [nova-compute, libvirtd]
    optional_units: [chrony, firewalld]
    commands:
      - {name: ip-addr, argv: [ip, addr]}
      - {name: ovs-vsctl-show, argv: [ovs-vsctl, --timeout=10, show]}
    secrets: "{{ openstack_secrets | dict2items | map(attribute='value') | flatten }}"
  register: node_diagnostics
  no_log: true
'''

RETURN = r'''
archive:
  description: Path of the archive on the node (mode C(0600)); the caller removes it.
  returned: always
  type: str
size:
  description: Its size in bytes.
  returned: always
  type: int
files:
  description: Number of files in the archive.
  returned: always
  type: int
masked:
  description: Number of values masked.
  returned: always
  type: int
units:
  description: Each collected unit's C(ActiveState)/C(SubState) (C(not-found) for a unit systemd does not know).
  returned: always
  type: dict
failed_units:
  description: Units of the node that systemd reports as failed (all of them, not only O(units)).
  returned: always
  type: list
  elements: str
left_out:
  description: Paths and commands left out, each C(what) and C(why).
  returned: always
  type: list
  elements: dict
'''

import fnmatch
import io
import os
import re
import stat
import tarfile
import tempfile
import time

from ansible.module_utils.basic import AnsibleModule

MASK = '********'
# Secrets shorter than this are not searched for as plain values (they would mask ordinary words)
MIN_SECRET = 6
# user:password@ after a URL's scheme or after a comma (transport_url's further hosts)
URL_PASSWORD_RE = re.compile(r'((?:://|,)[^:/@\s,]*:)([^@\s]+?)(@)')
# name = value, name=value, name: value, "name": "value": the name ends with one of these words
SECRET_NAME = r'''[\w.-]*(?:password|passwd|pass|secret|key|token)'''
# at the start of a line (a configuration file): the value is the rest of the line
LINE_OPTION_RE = re.compile(r'''(?im)^([ \t]*["']?%s["']?[ \t]*[:=][ \t]*)(\S.*?)[ \t]*$''' % SECRET_NAME)
# anywhere else (a log line): the value ends at a blank, a quote or a separator
OPTION_RE = re.compile(r'''(?i)(?<![\w.-])(%s)(["']?[ \t]*[:=][ \t]*)(["']?)([^\s"',;&)}\]]+)''' % SECRET_NAME)
# values of such options that are no secret (send_service_user_token = true)
PLAIN_VALUES = ('true', 'false', 'yes', 'no', 'none', 'null', '')
PEM_RE = re.compile(r'(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)(.*?)(-----END [A-Z0-9 ]*PRIVATE KEY-----)', re.S)
ROTATED_RE = re.compile(r'(\.\d+|\.gz|\.xz|\.bz2|\.zst|-\d{8})(\.gz|\.xz)?$')


def mask(text, secrets=()):
    """``text`` with every secret masked, and how many values were masked."""
    count = [0]

    def pem(match):
        count[0] += 1
        return '%s\n%s\n%s' % (match.group(1), MASK, match.group(3))

    def url(match):
        if match.group(2) == MASK:
            return match.group(0)
        count[0] += 1
        return match.group(1) + MASK + match.group(3)

    def line_option(match):
        value = match.group(2).strip('"\',')
        if value == MASK or value.lower() in PLAIN_VALUES:
            return match.group(0)
        count[0] += 1
        return match.group(1) + MASK

    def option(match):
        if match.group(4).startswith(MASK) or match.group(4).lower() in PLAIN_VALUES:
            return match.group(0)
        count[0] += 1
        return match.group(1) + match.group(2) + match.group(3) + MASK

    for value in sorted(set(s for s in secrets if s and len(s) >= MIN_SECRET), key=len, reverse=True):
        found = text.count(value)
        if found:
            count[0] += found
            text = text.replace(value, MASK)
    text = PEM_RE.sub(pem, text)
    text = URL_PASSWORD_RE.sub(url, text)
    text = LINE_OPTION_RE.sub(line_option, text)
    text = OPTION_RE.sub(option, text)
    return text, count[0]


def unit_names(unit):
    """The names a unit's files are found under: the unit, its project (before the first '-'), and that without a
    trailing 'd' (libvirtd -> libvirt), each once, in that order."""
    names = [unit]
    project = unit.split('-', 1)[0]
    for name in (project, project[:-1] if project.endswith('d') and len(project) > 4 else ''):
        if name and name not in names:
            names.append(name)
    return names


def unit_paths(unit):
    """(configuration paths, log paths) where a unit's files may be; the caller keeps those that exist."""
    names = unit_names(unit)
    config = ['/etc/%s' % name for name in names] + ['/etc/%s.conf' % unit, '/etc/default/%s' % unit,
                                                     '/etc/systemd/system/%s.service.d' % unit]
    logs = ['/var/log/%s' % name for name in names]
    return config, logs


def excluded(path, patterns):
    return any(fnmatch.fnmatch(path, pattern) for pattern in patterns)


def walk(path):
    """Every file or symbolic link under ``path`` (or ``path`` itself), sorted; links to directories are not
    followed."""
    if os.path.islink(path) or not os.path.isdir(path):
        return [path]
    found = []
    for top, dirs, names in os.walk(path):
        dirs.sort()
        found.extend(os.path.join(top, name) for name in sorted(names))
        found.extend(os.path.join(top, name) for name in dirs if os.path.islink(os.path.join(top, name)))
    return found


def tail(path, lines, max_bytes):
    """The last ``lines`` lines of a file, read from at most its last ``max_bytes`` bytes."""
    with open(path, 'rb') as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - max_bytes))
        data = handle.read()
    if size > max_bytes:
        data = data.split(b'\n', 1)[-1]
    return b'\n'.join(data.split(b'\n')[-(lines + 1):])


def parse_show(text):
    """systemctl show output of several units (blank-line separated) -> {Id: {property: value}}."""
    units = {}
    for block in text.strip().split('\n\n'):
        props = dict(line.split('=', 1) for line in block.splitlines() if '=' in line)
        if props.get('Id'):
            units[props['Id']] = props
    return units


class Bundle(object):
    """The node's archive: text entries masked as they are added."""

    def __init__(self, name, secrets, tmpdir):
        self.name = name
        self.secrets = secrets
        fd, self.path = tempfile.mkstemp(prefix='gureum-diagnostics-', suffix='.tar.gz', dir=tmpdir)
        os.fchmod(fd, 0o600)
        self.handle = os.fdopen(fd, 'wb')
        self.tar = tarfile.open(fileobj=self.handle, mode='w:gz')
        self.files = 0
        self.masked = 0
        self.skipped = []
        self.manifest = []
        self.now = time.time()

    def add_text(self, arcname, data, note=''):
        if isinstance(data, bytes):
            data = data.decode('utf-8', 'replace')
        text, count = mask(data, self.secrets)
        self.masked += count
        raw = text.encode('utf-8', 'replace')
        info = tarfile.TarInfo('%s/%s' % (self.name, arcname.lstrip('/')))
        info.size = len(raw)
        info.mtime = self.now
        info.mode = 0o600
        self.tar.addfile(info, io.BytesIO(raw))
        self.files += 1
        self.manifest.append('%-60s %9d bytes%s' % (arcname.lstrip('/'), len(raw), ('  ' + note) if note else ''))

    def add_link(self, arcname, target):
        info = tarfile.TarInfo('%s/%s' % (self.name, arcname.lstrip('/')))
        info.type = tarfile.SYMTYPE
        info.linkname = target
        info.mtime = self.now
        self.tar.addfile(info)
        self.manifest.append('%-60s -> %s' % (arcname.lstrip('/'), target))

    def skip(self, what, why):
        self.skipped.append({'what': what, 'why': why})

    def close(self):
        self.tar.close()
        self.handle.close()


def add_path(bundle, path, is_log, params):
    for item in walk(path):
        if excluded(item, params['exclude']):
            bundle.skip(item, 'excluded (%s)' % ', '.join(p for p in params['exclude'] if fnmatch.fnmatch(item, p)))
            continue
        # a link inside a directory is kept as a link; a path given itself is read through its link (/etc/os-release)
        if os.path.islink(item) and not (item == path and os.path.isfile(item)):
            bundle.add_link(item, os.readlink(item))
            continue
        try:
            info = os.stat(item)
        except OSError as error:
            bundle.skip(item, 'unreadable: %s' % error.strerror)
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        if is_log and ROTATED_RE.search(item):
            continue
        if not is_log and info.st_size > params['max_file_size']:
            bundle.skip(item, 'larger than %d bytes (%d)' % (params['max_file_size'], info.st_size))
            continue
        try:
            if is_log:
                data = tail(item, params['lines'], params['max_log_size'])
            else:
                with open(item, 'rb') as handle:
                    data = handle.read()
        except (IOError, OSError) as error:
            bundle.skip(item, 'unreadable: %s' % error.strerror)
            continue
        if b'\0' in data[:8192]:
            bundle.skip(item, 'binary')
            continue
        note = ('last %d lines of %d bytes' % (params['lines'], info.st_size)) if is_log else \
            'mode %04o, %d:%d' % (stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid)
        bundle.add_text(item, data, note)


def run(module, argv, timeout):
    """Output (stdout and stderr) of a read-only command, and its exit code."""
    prefix = [module.get_bin_path('timeout'), str(timeout)] if module.get_bin_path('timeout') else []
    rc, out, err = module.run_command(prefix + list(argv), environ_update={'LC_ALL': 'C', 'SYSTEMD_PAGER': ''})
    text = out + (('\n--- stderr ---\n' + err) if err.strip() else '')
    if rc != 0:
        text += '\n--- exit code %d ---\n' % rc
    return rc, text


def collect(module, bundle):
    params = module.params
    systemctl = module.get_bin_path('systemctl')
    journalctl = module.get_bin_path('journalctl')
    wanted = list(dict.fromkeys(params['units']))
    optional = [u for u in dict.fromkeys(params['optional_units']) if u not in wanted]
    states, failed = {}, []
    known = {}
    if systemctl:
        properties = ('Id,LoadState,ActiveState,SubState,UnitFileState,Result,NRestarts,ExecMainStatus,'
                      'ActiveEnterTimestamp,FragmentPath,DropInPaths')
        dummy, text = run(module, [systemctl, 'show', '--no-pager', '--property=' + properties]
                          + ['%s.service' % u for u in wanted + optional], params['command_timeout'])
        known = parse_show(text)
        dummy, text_failed = run(module, [systemctl, '--failed', '--all', '--no-pager', '--plain'],
                                 params['command_timeout'])
        bundle.add_text('systemctl-failed.txt', text_failed)
        failed = [line.split()[0] for line in text_failed.splitlines()
                  if line.split() and line.split()[0].endswith(('.service', '.socket', '.mount', '.timer'))]
    else:
        bundle.skip('systemctl', 'not installed')
    units = []
    lines = []
    for unit in wanted + optional:
        props = known.get('%s.service' % unit, {})
        if props.get('LoadState', 'not-found') == 'not-found':
            if unit in wanted:
                states[unit] = 'not-found'
                lines.append('%-34s not-found' % unit)
            continue
        units.append(unit)
        states[unit] = '%s/%s' % (props.get('ActiveState', '?'), props.get('SubState', '?'))
        lines.append('%-34s %-22s %-9s restarts=%-3s result=%-8s since %s' % (
            unit, states[unit], props.get('UnitFileState', '?'), props.get('NRestarts', '?'),
            props.get('Result', '?'), props.get('ActiveEnterTimestamp', '') or '-'))
    bundle.add_text('units.txt', '\n'.join(lines) + '\n')
    if systemctl:
        dummy, text = run(module, [systemctl, 'status', '--no-pager', '--full', '--lines=0']
                          + ['%s.service' % u for u in units], params['command_timeout'])
        bundle.add_text('units-status.txt', text)
    for unit in units:
        if journalctl:
            argv = [journalctl, '--no-pager', '-o', 'short-iso', '-n', str(params['lines']), '-u', '%s.service' % unit]
            dummy, text = run(module, argv, params['command_timeout'])
            bundle.add_text('journal/%s.log' % unit, text, 'last %d lines' % params['lines'])
    config, logs = [], []
    for unit in units:
        unit_config, unit_logs = unit_paths(unit)
        config += unit_config
        logs += unit_logs
    for paths, is_log in ((config + params['config_paths'], False), (logs + params['log_paths'], True)):
        seen = set()
        for path in paths:
            path = os.path.normpath(path)
            if path in seen or not os.path.lexists(path):
                continue
            seen.add(path)
            add_path(bundle, path, is_log, params)
    for command in params['commands']:
        argv = [str(a) for a in command['argv']]
        name = command['name']
        program = module.get_bin_path(argv[0])
        if not program:
            bundle.skip('commands/%s' % name, '%s is not installed' % argv[0])
            continue
        rc, text = run(module, [program] + argv[1:], params['command_timeout'])
        bundle.add_text('commands/%s.txt' % name, '$ %s\n%s' % (' '.join(argv), text))
    return states, failed


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            units=dict(type='list', elements='str', default=[]),
            optional_units=dict(type='list', elements='str', default=[]),
            config_paths=dict(type='list', elements='path', default=[]),
            log_paths=dict(type='list', elements='path', default=[]),
            commands=dict(type='list', elements='dict', default=[]),
            command_timeout=dict(type='int', default=60),
            lines=dict(type='int', default=2000),
            max_log_size=dict(type='int', default=4194304),
            max_file_size=dict(type='int', default=1048576),
            exclude=dict(type='list', elements='str',
                         default=['*/fernet-keys/*', '*/credential-keys/*', '*/secrets/*', '*.key', '*/private/*',
                                  '*/ssh_host_*_key']),
            secrets=dict(type='list', elements='str', default=[], no_log=True),
            tmpdir=dict(type='path', default='/tmp'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if not re.match(r'^[\w.-]+$', params['name']):
        module.fail_json(msg='diagnostics: name %r must be a plain name (letters, digits, ., _, -).' % params['name'])
    for command in params['commands']:
        if not re.match(r'^[\w.-]+$', str(command.get('name') or '')) or not command.get('argv') or \
                not isinstance(command['argv'], list):
            module.fail_json(msg='diagnostics: each command needs a name (letters, digits, ., _, -) and an argv '
                                 '(a list), got %r.' % (command,))
    bundle = Bundle(params['name'], params['secrets'], params['tmpdir'])
    try:
        states, failed = collect(module, bundle)
        bundle.add_text('MANIFEST.txt', 'Diagnostics of %s, collected %s UTC\nEvery secret is masked as %s.\n\n'
                        'Collected:\n%s\n\nLeft out:\n%s\n' % (
                            params['name'], time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(bundle.now)), MASK,
                            '\n'.join(bundle.manifest),
                            '\n'.join('%s: %s' % (s['what'], s['why']) for s in bundle.skipped) or 'nothing'))
        bundle.close()
    except BaseException:
        bundle.close()
        os.unlink(bundle.path)
        raise
    module.exit_json(changed=True, archive=bundle.path, size=os.path.getsize(bundle.path), files=bundle.files,
                     masked=bundle.masked, units=states, failed_units=failed, left_out=bundle.skipped)


if __name__ == '__main__':
    main()
