#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: database_restore
short_description: Load a dump of M(gureum.openstack.database_dump) into MariaDB, dropping its databases first
description:
  - Checks the dump's SHA-256 against O(sha256) before anything changes, then drops every database of
    O(table_rows) (C(DROP DATABASE IF EXISTS)), loads the dump with the C(mysql) client (the dump creates each
    database again, with its character set, and fills it), and counts the rows of every table of every restored
    database; they must be exactly the dump's (O(table_rows)), or the task fails naming the tables that differ.
  - The services that use the databases must be stopped first (playbooks/restore.yml does it), so nothing writes
    while they load. It can run again; a restore killed half-way leaves databases half-loaded, and the next run drops
    and loads them again. While a restore is unfinished, O(marker) names the dump it is loading; a second restore
    waits for the lock a first one (whose Ansible run was killed) still holds on it.
  - Grants live in MariaDB's own tables and survive the drop; users are not in the dump (the services stage
    makes them, from the secrets file).
version_added: "0.3.0"
author: gureum.openstack contributors (@gureum)
options:
  src:
    description: The gzip dump on the node.
    type: path
    required: true
  sha256:
    description: Its SHA-256 (from the backup's manifest).
    type: str
    required: true
  table_rows:
    description: Per database, each table's rows in the dump (C(databases.<name>.table_rows) of the manifest).
    type: dict
    required: true
  program:
    description: The mysql client.
    type: str
    default: mysql
  socket:
    description: The server's unix socket; empty for the client's default.
    type: path
    default: ''
  marker:
    description: A file that exists while a restore is unfinished, holding the dump's SHA-256.
    type: path
    default: /var/lib/gureum-openstack/restore-in-progress
attributes:
  check_mode:
    support: partial
    description: Can run in check mode.
    details: Checks the dump's checksum and reports changed; drops and loads nothing.
  diff_mode:
    support: none
    description: Returns no diff.
'''

EXAMPLES = r'''
- name: Restore the cloud's databases
  gureum.openstack.database_restore:
    src: /var/tmp/databases.sql.gz
    sha256: "{{ manifest.database_dump.sha256 }}"
    table_rows: "{{ manifest.databases | dict2items | items2dict(value_name='value') }}"
'''

RETURN = r'''
databases:
  description: Per restored database, its tables and rows after the load.
  returned: success, not in check mode
  type: dict
  sample: {keystone: {tables: 48, rows: 212}}
'''

import fcntl
import gzip
import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.gureum.openstack.plugins.module_utils.mysqldump import (
    count_query, differences, quote_name)


def client(program, socket):
    return [program, '--batch', '--skip-column-names'] + (['--socket=%s' % socket] if socket else [])


def load(module, argv, src):
    """Load the gzip dump with the client's ``source`` (a plain copy beside it, private and removed after), so memory
    stays small whatever its size; (rc, stderr)."""
    plain = '%s.sql' % src
    old_umask = os.umask(0o077)
    try:
        with gzip.open(src, 'rb') as dump:
            with open(plain, 'wb') as out:
                for block in iter(lambda: dump.read(1 << 20), b''):
                    out.write(block)
        rc, out, err = module.run_command(argv + ['-e', 'source %s' % plain])
        return rc, err or out
    finally:
        if os.path.exists(plain):
            os.unlink(plain)
        os.umask(old_umask)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            src=dict(type='path', required=True),
            sha256=dict(type='str', required=True),
            table_rows=dict(type='dict', required=True),
            program=dict(type='str', default='mysql'),
            socket=dict(type='path', default=''),
            marker=dict(type='path', default='/var/lib/gureum-openstack/restore-in-progress'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    src = params['src']
    if not os.path.isfile(src):
        module.fail_json(msg='database_restore: %s does not exist on this node.' % src)
    found = module.sha256(src)
    if found != params['sha256']:
        module.fail_json(msg='database_restore: %s has SHA-256 %s, not %s as the manifest says: the dump is damaged; '
                             'nothing was dropped.' % (src, found, params['sha256']))
    expected = dict((name, dict((table, int(rows)) for table, rows in (tables or {}).items()))
                    for name, tables in params['table_rows'].items())
    if not expected:
        module.fail_json(msg='database_restore: no databases to restore (table_rows is empty).')
    if module.check_mode:
        module.exit_json(changed=True)
    program = module.get_bin_path(params['program']) or module.get_bin_path('mariadb')
    if not program:
        module.fail_json(msg='database_restore: %s is not installed on this node.' % params['program'])
    base = client(program, params['socket'])

    def sql(statement, what):
        rc, out, err = module.run_command(base + ['-e', statement])
        if rc != 0:
            module.fail_json(msg='database_restore: %s failed (rc=%d): %s' % (what, rc, (err or out).strip()[-2000:]))
        return out

    marker = params['marker']
    if not os.path.isdir(os.path.dirname(marker)):
        os.makedirs(os.path.dirname(marker))
    # A restore whose Ansible run was killed may still be loading on this node: wait for it (its lock) first
    lock = open(marker, 'a')
    fcntl.flock(lock, fcntl.LOCK_EX)
    lock.truncate(0)
    lock.write(found + '\n')
    lock.flush()
    sql(' '.join('DROP DATABASE IF EXISTS %s;' % quote_name(name) for name in sorted(expected)), 'dropping')
    rc, err = load(module, base, src)
    if rc != 0:
        module.fail_json(msg='database_restore: loading %s failed (rc=%d): %s; run the restore again (it drops and '
                             'loads again).' % (src, rc, err.strip()[-2000:]))
    restored = {}
    for name in sorted(expected):
        listed = sql("SELECT table_name FROM information_schema.tables WHERE table_schema = '%s' "
                     "AND table_type = 'BASE TABLE';" % name.replace("'", "''"), 'listing the tables of %s' % name)
        tables = [line for line in listed.splitlines() if line]
        rows = {}
        if tables:
            for line in sql(count_query(name, tables), 'counting the rows of %s' % name).splitlines():
                table, dummy, count = line.rpartition('\t')
                rows[table] = int(count)
        restored[name] = rows
    exists = sql('SHOW DATABASES;', 'listing the databases').split()
    for name in sorted(expected):
        if name not in exists:
            restored.pop(name, None)
    problems = differences(expected, restored)
    if problems:
        module.fail_json(msg='database_restore: the restored databases differ from the dump: %s.'
                             % '; '.join(problems[:20]), problems=problems)
    os.unlink(marker)
    lock.close()
    module.exit_json(changed=True, databases=dict((name, {'tables': len(rows), 'rows': sum(rows.values())})
                                                  for name, rows in restored.items()))


if __name__ == '__main__':
    main()
