#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: network_config
short_description: Write network configuration files, apply them, and roll back unless confirmed
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
description:
  - Compares O(files) with what the node has (plus files this module wrote before and that are no longer
    wanted, listed in O(manifest)); when they differ, writes them and runs the O(apply) commands.
  - With O(confirm_timeout), the module then writes C(applied TOKEN) to O(state_file) and waits for O(confirm_token)
    to appear in O(confirm_file). Run it with C(async) and C(poll=0), wait for the connection, then write the token.
    If the new configuration cut the node off, nobody confirms, and the module puts the previous files back, runs
    O(rollback) and fails, so the node becomes reachable again.
  - An apply command that fails rolls back at once.
  - A rollback puts back the files, runs O(rollback), then gives the O(interfaces) the links, addresses and routes
    they had before (a tool like C(ifreload) would rather take down an interface its old files do not mention).
  - In check mode, reports what would change (with C(--diff), the files before and after) and changes nothing.
  - Before anything else, looks through O(conflict_paths) for files of another network configuration that configure
    some of the O(interfaces) (ifupdown C(iface), C(auto) and C(allow-*) lines); when it finds any, it lists them in
    RV(conflicts) and writes and applies nothing.
options:
  files:
    description: Absolute path to wanted content, for every file the configuration consists of.
    type: dict
    required: true
  manifest:
    description: Where the list of files written by this module is kept, so files no longer wanted are removed.
    type: path
    required: true
  apply:
    description: Commands (each an argv list) that make the running system follow the files.
    type: list
    elements: list
    default: []
  rollback:
    description:
      - Commands run after the previous files are back, before the interfaces get their old state back;
        defaults to O(apply).
    type: list
    elements: list
  interfaces:
    description:
      - Interfaces whose links, IPv4 addresses and routes are recorded before applying and put back on a rollback
        (links among them that did not exist before are deleted).
    type: list
    elements: str
    default: []
  confirm_timeout:
    description: Seconds to wait for the confirmation after applying; C(0) does not wait.
    type: int
    default: 0
  confirm_token:
    description: The text that confirms this change; required when O(confirm_timeout) is set.
    type: str
    default: ""
  state_file:
    description: File where the module announces C(applied TOKEN), C(confirmed TOKEN) or C(rolled-back TOKEN).
    type: path
    default: /run/gureum-openstack/network.state
  confirm_file:
    description: File where the confirmation (the token) is expected.
    type: path
    default: /run/gureum-openstack/network.confirm
  conflict_paths:
    description:
      - Files, and directories whose files (not those of their subdirectories) are read, that another network
        configuration may use, such as C(/etc/network/interfaces) and C(/etc/network/interfaces.d).
      - A file naming one of the O(interfaces) in an C(iface) line (its first word), or in an C(auto) or C(allow-*)
        line (every word), is a conflict, unless it holds O(conflict_marker). Paths that do not exist are skipped.
    type: list
    elements: path
    default: []
  conflict_marker:
    description: Text that marks a file as written by the network role, so it is never a conflict.
    type: str
    default: gureum.openstack network role
notes:
  - Only the files given and the ones listed in the manifest are touched.
attributes:
  check_mode:
    description: Reports what would change and changes nothing.
    support: full
  diff_mode:
    description: Shows each file before and after.
    support: full
"""

EXAMPLES = r"""
- name: Apply the interfaces, rolled back unless confirmed within 60 s
  gureum.openstack.network_config:
    files:
      /etc/network/interfaces.d/br-ex: "{{ lookup('ansible.builtin.template', 'br-ex.j2') }}"
    manifest: /var/lib/gureum-openstack/network.json
    apply: [[ifreload, -a]]
    confirm_timeout: 60
    confirm_token: "{{ token }}"
  async: 180
  poll: 0
"""

RETURN = r"""
files:
  description: Paths that changed (written or removed).
  returned: always
  type: list
  elements: str
  sample: [/etc/network/interfaces.d/br-ex]
conflicts:
  description:
    - Files of another network configuration that configure the interfaces too, each C(<path> (<interfaces>)); when
      there are any, nothing was written.
  returned: always
  type: list
  elements: str
  sample: ["/etc/network/interfaces (eth0, eth1)"]
"""

import os
import re

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.gureum.openstack.plugins.module_utils import safe_apply


STANZA_RE = re.compile(r'^\s*(?:iface|auto|allow-\S+)\s+(.*)$')


def conflicts(paths, interfaces, marker):
    """'<file> (<interfaces>)' for each file that configures some of ``interfaces`` and is not ours."""
    found = []
    files = []
    for path in paths:
        if os.path.isdir(path):
            # as ifupdown's source-directory and ifupdown2 read it: no dotfiles (editors' swap files)
            files += sorted(os.path.join(path, name) for name in os.listdir(path)
                            if not name.startswith('.') and os.path.isfile(os.path.join(path, name)))
        elif os.path.isfile(path):
            files.append(path)
    for path in files:
        with open(path, 'rb') as handle:
            text = handle.read().decode('utf-8', 'replace')
        if marker and marker in text:
            continue
        names = set()
        for line in text.splitlines():
            match = STANZA_RE.match(line)
            if match:
                words = match.group(1).split()
                # iface NAME inet ... names one interface; auto and allow-* lines name several
                names.update(words[:1] if line.strip().startswith('iface') else words)
        claimed = sorted(names & set(interfaces))
        if claimed:
            found.append('%s (%s)' % (path, ', '.join(claimed)))
    return found


def main():
    module = AnsibleModule(
        argument_spec=dict(
            files=dict(type='dict', required=True),
            manifest=dict(type='path', required=True),
            apply=dict(type='list', elements='list', default=[]),
            rollback=dict(type='list', elements='list'),
            interfaces=dict(type='list', elements='str', default=[]),
            confirm_timeout=dict(type='int', default=0),
            confirm_token=dict(type='str', default='', no_log=False),
            state_file=dict(type='path', default='/run/gureum-openstack/network.state'),
            confirm_file=dict(type='path', default='/run/gureum-openstack/network.confirm'),
            conflict_paths=dict(type='list', elements='path', default=[]),
            conflict_marker=dict(type='str', default='gureum.openstack network role'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    files = dict((path, '%s' % content) for path, content in params['files'].items())
    bad = sorted(path for path in files if not os.path.isabs(path))
    if bad:
        module.fail_json(msg='files must be absolute paths, got: %s.' % ', '.join(bad))
    if params['confirm_timeout'] > 0 and not params['confirm_token']:
        module.fail_json(msg='confirm_timeout needs a confirm_token: the text Ansible writes to confirm the change.')
    commands = [[('%s' % arg) for arg in argv] for argv in params['apply']]
    rollback = None
    if params['rollback'] is not None:
        rollback = [[('%s' % arg) for arg in argv] for argv in params['rollback']]

    found = conflicts(params['conflict_paths'], params['interfaces'], params['conflict_marker'])
    if found:
        module.exit_json(changed=False, files=[], conflicts=found)
    changes = safe_apply.plan(files, params['manifest'])
    result = dict(changed=bool(changes), files=sorted(changes), conflicts=[])
    if module._diff:
        result['diff'] = safe_apply.diff(changes)
    if module.check_mode or not changes:
        if not changes and not module.check_mode:
            safe_apply.Transaction(files, params['manifest'], commands).apply()  # keeps the manifest current
        module.exit_json(**result)

    transaction = safe_apply.Transaction(
        files, params['manifest'], commands, rollback, state_file=params['state_file'],
        confirm_file=params['confirm_file'], token=params['confirm_token'], timeout=params['confirm_timeout'],
        interfaces=params['interfaces'])
    try:
        transaction.apply()
    except safe_apply.ApplyError as exc:
        result['changed'] = False
        module.fail_json(msg='%s' % exc, **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
