#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: service_config
short_description: Converge a service's configuration in one call and tell whether anything else needs doing
description:
  - The first step of the lifecycle every service role shares (P(gureum.openstack.openstack_service#role)). In one
    call it checks that the service's packages are installed, writes its directories, whole rendered files and
    single settings of packaged INI files, reads whether its units run and start at boot, and whether a schema
    migration is pending for the installed package version.
  - When nothing changed, every unit runs and no migration is pending, RV(converged) is true and the lifecycle
    stops there; a converged service costs one round trip.
  - Each file and setting names the units it feeds; RV(restart) lists the units whose files changed, so only those
    restart.
  - While a package is missing, nothing is written (the service's users and directories do not exist yet);
    RV(missing_packages) says which.
  - Values given in O(secrets) never appear in the output, the diff included, so C(--check --diff) shows what would
    change in a configuration file with every secret masked.
version_added: "0.2.0"
author: gureum.openstack contributors (@gureum)
options:
  name:
    description: The service, for messages.
    type: str
    required: true
  packages:
    description: Packages that must be installed before anything is written.
    type: list
    elements: str
    default: []
  directories:
    description: Directories, each C(path), C(owner), C(group) (default root) and C(mode) (default C(0755)).
    type: list
    elements: dict
    default: []
  header:
    description: Text put at the top of every file of O(files) (the managed marker, as comment lines).
    type: str
    default: ''
  files:
    description:
      - Whole files, each C(path), C(content), C(owner) and C(group) (default root; null for the user running the
        module), C(mode) (default C(0640)) and
        C(units), the units that read it (restarted when it changes; every unit of O(units) when left out, none
        when empty).
      - C(header=false) writes C(content) exactly as given (key files); otherwise O(header) comes first and the file
        ends with a line break.
      - C(validate), a command with C(%s) for the new file, must succeed before the file replaces the old one.
    type: list
    elements: dict
    default: []
  settings:
    description:
      - Single options in packaged INI files, each C(path), C(section) (null for lines before any section),
        C(option), C(value), C(units) (as for O(files)) and C(no_extra_spaces) (write C(option=value), as shell
        files such as C(/etc/default/*) need). Other lines of the file stay as they are.
    type: list
    elements: dict
    default: []
  units:
    description: The service's systemd units on this node.
    type: list
    elements: str
    default: []
  db_sync:
    description:
      - Schema migrations, each C(name) and C(package); one is pending while the stamp M(gureum.openstack.db_sync) wrote
        under C(name) differs from the installed version of C(package).
    type: list
    elements: dict
    default: []
  stamp_dir:
    description: Where M(gureum.openstack.db_sync) keeps its stamps.
    type: path
    default: /var/lib/gureum-openstack/db_sync
  secrets:
    description: Values to mask wherever they would show (the diff, the module's arguments).
    type: list
    elements: str
    default: []
attributes:
  check_mode:
    support: full
    description: Reports what would change and writes nothing.
  diff_mode:
    support: full
    description: A diff per changed file, secrets masked.
'''

EXAMPLES = r'''
- name: Converge Glance's configuration
  gureum.openstack.service_config:
    name: glance
    packages: [glance-api]
    files:
      - path: /etc/glance/glance-api.conf
        content: "{{ glance_conf }}"
        group: glance
        units: [glance-api]
    settings:
      - {path: /etc/glance/glance-api-uwsgi.ini, section: uwsgi, option: processes, value: "2", units: [glance-api]}
    units: [glance-api]
    db_sync:
      - {name: glance, package: glance-common}
    secrets: ["{{ glance_database_password }}", "{{ glance_keystone_password }}"]
  register: glance_state
'''

RETURN = r'''
converged:
  description: True when nothing changed, every unit is active and enabled, and no migration is pending.
  returned: always
  type: bool
missing_packages:
  description: Packages that are not installed (nothing was written while any is missing).
  returned: always
  type: list
  elements: str
changed_files:
  description: Files (and packaged files with settings) that were, or in check mode would be, written.
  returned: always
  type: list
  elements: str
restart:
  description: Units fed by a changed file or setting, in the order of O(units).
  returned: always
  type: list
  elements: str
inactive:
  description: Units that do not run.
  returned: always
  type: list
  elements: str
disabled:
  description: Units that do not start at boot.
  returned: always
  type: list
  elements: str
db_sync_pending:
  description: Names of the migrations whose stamp is not the installed package version.
  returned: always
  type: list
  elements: str
'''

import grp
import os
import pwd
import re
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible_collections.gureum.openstack.plugins.module_utils import stamps

SECTION_RE = re.compile(r'^\s*\[([^\]]+)\]\s*$')


def read(path):
    try:
        with open(path, 'rb') as handle:
            return to_text(handle.read(), errors='surrogate_or_strict')
    except (IOError, OSError):
        return None


def set_options(text, settings):
    """``text`` (an INI file) with each {section, option, value, no_extra_spaces} set: the first line of the option
    in its section is replaced and its later lines there removed (a packaged file may set an option twice, and the
    last one wins: Debian's nova-api-metadata-uwsgi.ini says processes = 2, then processes = 8), or the option is
    added at the end of the section (the section at the end of the file when it is missing)."""
    lines = text.splitlines()
    for setting in settings:
        section, option = setting.get('section'), setting['option']
        line = ('%s=%s' if setting.get('no_extra_spaces') else '%s = %s') % (option, setting['value'])
        option_re = re.compile(r'^\s*%s\s*=' % re.escape(option))
        current, start, end, found = None, 0 if section is None else None, None, []
        for index, text_line in enumerate(lines):
            match = SECTION_RE.match(text_line)
            if match:
                if current == section and end is None and start is not None:
                    end = index
                current = match.group(1).strip()
                if current == section and start is None:
                    start = index + 1
                continue
            if current == section and option_re.match(text_line):
                found.append(index)
        if found:
            lines[found[0]] = line
            for index in reversed(found[1:]):
                del lines[index]
            continue
        if start is None:
            lines += (['', '[%s]' % section] if lines else ['[%s]' % section]) + [line]
            continue
        end = len(lines) if end is None else end
        while end > start and not lines[end - 1].strip():
            end -= 1
        lines.insert(end, line)
    return '\n'.join(lines) + '\n'


def owner_ids(module, item):
    # root unless given; an explicit null means whoever runs the module (files on the machine running Ansible)
    owner, group = item.get('owner', 'root'), item.get('group', 'root')
    try:
        return (os.geteuid() if owner is None else pwd.getpwnam(owner).pw_uid,
                os.getegid() if group is None else grp.getgrnam(group).gr_gid)
    except KeyError:
        if module.check_mode:
            return None, None  # made by a package that is not installed yet
        module.fail_json(msg='%s: %s needs user %s and group %s, which do not exist on this node: is the package that '
                             'makes them among the packages?' % (module.params['name'], item['path'], owner, group))


def mode_of(item, default):
    mode = item.get('mode') or default
    return int(mode, 8) if isinstance(mode, str) else int(mode)


class Converger(object):
    def __init__(self, module):
        self.module = module
        self.changed_files = []
        self.changed = False
        self.restart = set()
        self.diffs = []

    def directory(self, item):
        path = item['path']
        uid, gid = owner_ids(self.module, item)
        mode = mode_of(item, '0755')
        if not os.path.isdir(path):
            self.changed = True
            if not self.module.check_mode:
                os.makedirs(path, mode)
        if self.module.check_mode and not os.path.isdir(path):
            return
        stat = os.stat(path)
        if uid is None or (stat.st_uid, stat.st_gid, stat.st_mode & 0o7777) != (uid, gid, mode):
            self.changed = True
            if not self.module.check_mode:
                os.chown(path, uid, gid)
                os.chmod(path, mode)

    def file(self, item, content, units, what='file'):
        path = item['path']
        uid, gid = owner_ids(self.module, item)
        mode = mode_of(item, '0640' if what == 'file' else '0644')
        before = read(path)
        exists = before is not None
        stat = os.stat(path) if exists else None
        same_meta = exists and uid is not None and (stat.st_uid, stat.st_gid, stat.st_mode & 0o7777) == (uid, gid, mode)
        if before == content and same_meta:
            return
        self.changed = True
        self.changed_files.append(path)
        self.restart.update(units)
        if before != content and self.module._diff:
            self.diffs.append({'before_header': path, 'after_header': path,
                               'before': before or '', 'after': content})
        if self.module.check_mode:
            return
        if before != content:
            directory = os.path.dirname(path)
            if not os.path.isdir(directory):
                os.makedirs(directory, 0o755)
            fd, tmp = tempfile.mkstemp(dir=directory, prefix='.%s.' % os.path.basename(path))
            with os.fdopen(fd, 'wb') as handle:
                handle.write(to_bytes(content, errors='surrogate_or_strict'))
            if item.get('validate'):
                rc, out, err = self.module.run_command(item['validate'].replace('%s', tmp), use_unsafe_shell=False)
                if rc != 0:
                    os.unlink(tmp)
                    self.module.fail_json(msg='%s: the new %s does not pass %r: %s'
                                          % (self.module.params['name'], path, item['validate'], (err or out).strip()))
            os.chown(tmp, uid, gid)
            os.chmod(tmp, mode)
            self.module.atomic_move(tmp, path)
        os.chown(path, uid, gid)
        os.chmod(path, mode)


def unit_states(module, units):
    """(inactive, disabled) among ``units``."""
    if not units:
        return [], []
    systemctl = module.get_bin_path('systemctl', required=True)
    dummy, active, dummy = module.run_command([systemctl, 'is-active'] + units)
    dummy, enabled, dummy = module.run_command([systemctl, 'is-enabled'] + units)
    active, enabled = active.split(), enabled.split()
    inactive = [u for i, u in enumerate(units) if i >= len(active) or active[i] != 'active']
    # 'static' and 'indirect' units start with what pulls them in, 'alias' ones with the unit they name
    disabled = [u for i, u in enumerate(units)
                if i >= len(enabled) or enabled[i] not in ('enabled', 'static', 'indirect', 'alias')]
    return inactive, disabled


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            packages=dict(type='list', elements='str', default=[]),
            directories=dict(type='list', elements='dict', default=[]),
            files=dict(type='list', elements='dict', default=[]),
            header=dict(type='str', default=''),
            settings=dict(type='list', elements='dict', default=[]),
            units=dict(type='list', elements='str', default=[]),
            db_sync=dict(type='list', elements='dict', default=[]),
            stamp_dir=dict(type='path', default=stamps.STAMP_DIR),
            secrets=dict(type='list', elements='str', default=[], no_log=True),
        ),
        supports_check_mode=True,
    )
    params = module.params
    units = params['units']
    for item in params['files'] + params['settings'] + params['directories']:
        if not item.get('path') or not os.path.isabs(item['path']):
            module.fail_json(msg='%s: every file, setting and directory needs an absolute path, got %r.'
                             % (params['name'], item.get('path')))
    for item in params['files'] + params['settings']:
        strangers = sorted(set(item.get('units') or []) - set(units))
        if strangers:
            module.fail_json(msg='%s: %s names unit(s) %s that are not units of the service (%s).'
                             % (params['name'], item['path'], ', '.join(strangers), ', '.join(units)))

    wanted = sorted(set(params['packages']) | set(s['package'] for s in params['db_sync'] if s.get('package')))
    versions = stamps.installed_versions(module, wanted)
    missing = [p for p in params['packages'] if p not in versions]
    result = dict(changed=False, converged=False, missing_packages=missing, changed_files=[], restart=[],
                  inactive=[], disabled=[], db_sync_pending=[])
    # Nothing is written while a package is missing (its users and directories do not exist yet); in check mode
    # the files are still compared, so --check --diff on a new node shows what would be written.
    if missing and not module.check_mode:
        module.exit_json(**result)

    converger = Converger(module)
    for item in params['directories']:
        converger.directory(item)
    for item in params['files']:
        content = item.get('content') or ''
        if item.get('header', True):
            content = params['header'] + content
            content = content if content.endswith('\n') else content + '\n'
        converger.file(item, content, item['units'] if item.get('units') is not None else units)
    by_path = {}
    for setting in params['settings']:
        by_path.setdefault(setting['path'], []).append(setting)
    for path, settings in sorted(by_path.items()):
        before = read(path)
        if before is None and module.check_mode and missing:
            continue  # shipped by a package that is not installed yet
        if before is None:
            module.fail_json(msg='%s: %s does not exist, so its settings cannot be adjusted: which package ships it?'
                             % (params['name'], path))
        stat = os.stat(path)
        item = {'path': path, 'owner': pwd.getpwuid(stat.st_uid).pw_name, 'group': grp.getgrgid(stat.st_gid).gr_name,
                'mode': settings[0].get('mode') or '%04o' % (stat.st_mode & 0o7777)}
        after = set_options(before, settings)
        if after == before and (before.endswith('\n') or not before):
            continue
        feeds = set()
        for setting in settings:
            feeds.update(setting['units'] if setting.get('units') is not None else units)
        converger.file(item, after, feeds, what='settings')

    inactive, disabled = unit_states(module, units)
    pending = [s['name'] for s in params['db_sync']
               if not s.get('package') or stamps.read_stamp(params['stamp_dir'], s['name']) != versions.get(s['package'])]
    result.update(
        changed=converger.changed,
        changed_files=converger.changed_files,
        restart=[u for u in units if u in converger.restart],
        inactive=inactive,
        disabled=disabled,
        db_sync_pending=pending,
        converged=not (converger.changed or inactive or disabled or pending),
    )
    if converger.diffs:
        result['diff'] = converger.diffs
    module.exit_json(**result)


if __name__ == '__main__':
    main()
