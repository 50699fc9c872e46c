#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: rabbitmq_accounts
short_description: Every RabbitMQ user, vhost and permission the services need, checked and set in one pass
description:
  - Reads the broker's definitions once (C(rabbitmqctl export_definitions)), compares them with O(accounts) and
    O(absent), and applies every difference at once (C(rabbitmqctl import_definitions) for users, vhosts and
    permissions, C(delete_user) for the users to remove). A converged broker costs one C(rabbitmqctl) call, where
    one module call per user would start the Erlang VM several times each.
  - Passwords are compared with the stored salted hashes and never appear on a command line; new or changed ones
    reach the broker as salted hashes, on rabbitmqctl's standard input.
  - Users, vhosts and permissions not named here are left alone.
version_added: "0.2.0"
author: gureum.openstack contributors (@gureum)
options:
  accounts:
    description:
      - Users, each C(user), C(password), C(vhost) (created when missing) and C(tags) (default none). The user gets
        all permissions (configure, write, read C(.*)) on its own vhost.
    type: list
    elements: dict
    default: []
    suboptions:
      user:
        description: User name.
        type: str
        required: true
      password:
        description: Its password (never shown; compared with the stored hash).
        type: str
        required: true
      vhost:
        description: Its own vhost.
        type: str
        required: true
      tags:
        description: RabbitMQ user tags.
        type: list
        elements: str
        default: []
  absent:
    description: Users that must not exist (for example C(guest)).
    type: list
    elements: str
    default: []
  rabbitmqctl:
    description: Path of rabbitmqctl.
    type: path
    default: rabbitmqctl
attributes:
  check_mode:
    support: full
    description: Reads the definitions and reports what would change.
  diff_mode:
    support: none
    description: Returns no diff.
requirements:
  - RabbitMQ 3.8.2 or newer (definitions export and import in rabbitmqctl), run on a broker node as root.
'''

EXAMPLES = r'''
- name: The services' RabbitMQ users and vhosts
  gureum.openstack.rabbitmq_accounts:
    accounts:
      - {user: nova, password: "{{ nova_rabbitmq_password }}", vhost: nova}
      - {user: neutron, password: "{{ neutron_rabbitmq_password }}", vhost: neutron}
    absent: [guest]
  no_log: true
'''

RETURN = r'''
changes:
  description: What was (or in check mode would be) changed, one sentence each, without passwords.
  returned: always
  type: list
  elements: str
'''

import base64
import hashlib
import json
import os

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes

ALL = '.*'
HASHES = {'rabbit_password_hashing_sha256': hashlib.sha256, 'rabbit_password_hashing_sha512': hashlib.sha512,
          'rabbit_password_hashing_md5': hashlib.md5}


def password_matches(user, password):
    """Whether an exported user's salted hash is ``password`` (RabbitMQ: base64(salt4 + H(salt4 + password)))."""
    algorithm = HASHES.get(user.get('hashing_algorithm', 'rabbit_password_hashing_sha256'))
    try:
        raw = base64.b64decode(user.get('password_hash') or '')
    except (TypeError, ValueError):
        return False
    if algorithm is None or len(raw) < 5:
        return False
    salt = raw[:4]
    return algorithm(salt + to_bytes(password)).digest() == raw[4:]


def password_hash(password, salt=None):
    salt = salt if salt is not None else os.urandom(4)
    return base64.b64encode(salt + hashlib.sha256(salt + to_bytes(password)).digest()).decode('ascii')


def plan(definitions, accounts, absent):
    """(definitions to import, users to delete, change sentences)."""
    users = dict((u['name'], u) for u in definitions.get('users', []))
    vhosts = set(v['name'] for v in definitions.get('vhosts', []))
    perms = dict(((p['user'], p['vhost']), p) for p in definitions.get('permissions', []))
    wanted = {'users': [], 'vhosts': [], 'permissions': []}
    changes = []
    for account in accounts:
        name, vhost, tags = account['user'], account['vhost'], sorted(account.get('tags') or [])
        if vhost not in vhosts:
            wanted['vhosts'].append({'name': vhost})
            vhosts.add(vhost)
            changes.append('vhost %s created' % vhost)
        have = users.get(name)
        have_tags = sorted(t for t in (have or {}).get('tags', '').split(',') if t) if have and \
            isinstance(have.get('tags'), str) else sorted((have or {}).get('tags') or [])
        if have is None or not password_matches(have, account['password']) or have_tags != tags:
            wanted['users'].append({'name': name, 'password_hash': password_hash(account['password']),
                                    'hashing_algorithm': 'rabbit_password_hashing_sha256', 'tags': ','.join(tags)})
            changes.append('user %s %s' % (name, 'created' if have is None else 'updated (password or tags)'))
        perm = perms.get((name, vhost))
        if perm is None or (perm.get('configure'), perm.get('write'), perm.get('read')) != (ALL, ALL, ALL):
            wanted['permissions'].append({'user': name, 'vhost': vhost, 'configure': ALL, 'write': ALL, 'read': ALL})
            changes.append('user %s granted everything on vhost %s' % (name, vhost))
    removed = [name for name in absent if name in users]
    changes += ['user %s removed' % name for name in removed]
    return wanted, removed, changes


def main():
    module = AnsibleModule(
        argument_spec=dict(
            accounts=dict(type='list', elements='dict', default=[], options=dict(
                user=dict(type='str', required=True),
                password=dict(type='str', required=True, no_log=True),
                vhost=dict(type='str', required=True),
                tags=dict(type='list', elements='str', default=[]),
            )),
            absent=dict(type='list', elements='str', default=[]),
            rabbitmqctl=dict(type='path', default='rabbitmqctl'),
        ),
        supports_check_mode=True,
    )
    accounts = module.params['accounts']
    ctl = module.get_bin_path(module.params['rabbitmqctl'], required=True)
    rc, out, err = module.run_command([ctl, '--quiet', 'export_definitions', '-', '--format', 'json'])
    if rc != 0:
        module.fail_json(msg='rabbitmqctl export_definitions failed (is the broker running?): %s' % (err or out).strip())
    try:
        definitions = json.loads(out)
    except ValueError:
        module.fail_json(msg='rabbitmqctl export_definitions printed no JSON: %s' % out[:500])
    wanted, removed, changes = plan(definitions, accounts, module.params['absent'])
    if not changes or module.check_mode:
        module.exit_json(changed=bool(changes), changes=changes)
    if any(wanted.values()):
        # on standard input: the broker (not this process) reads a file, as the rabbitmq user
        rc, out, err = module.run_command([ctl, '--quiet', 'import_definitions', '--format', 'json'],
                                          data=json.dumps(wanted), binary_data=True)
        if rc != 0:
            module.fail_json(msg='rabbitmqctl import_definitions failed: %s' % (err or out).strip())
    for name in removed:
        rc, out, err = module.run_command([ctl, '--quiet', 'delete_user', name])
        if rc != 0:
            module.fail_json(msg='rabbitmqctl delete_user %s failed: %s' % (name, (err or out).strip()))
    module.exit_json(changed=True, changes=changes)


if __name__ == '__main__':
    main()
