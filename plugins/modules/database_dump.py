#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: database_dump
short_description: Dump MariaDB databases in one consistent snapshot, gzip it and count the rows of every table
description:
  - Runs C(mysqldump --single-transaction --routines --events --triggers --hex-blob --add-drop-database --databases)
    with every database of O(databases) in one call, so all of them come from one snapshot (Nova's API and cell
    databases, Neutron's ports and Nova's instances agree with each other), without locking the tables of a running
    cloud.
  - The dump (a private plain file first, C(--result-file)) is read line by line into a gzip file (O(dest), mode
    C(0600), written under a temporary name and renamed when complete), and counted as it goes by; the result
    names each database's tables and their rows, which is what the dump holds, so a restore can be checked
    exactly (M(gureum.openstack.database_restore)).
  - A dump that fails, or that does not end with mysqldump's completion line, fails the task and leaves no file.
  - As root on the database node, mysqldump logs in through the unix socket (the mariadb role's root account); no
    password is passed.
version_added: "0.3.0"
author: gureum.openstack contributors (@gureum)
options:
  databases:
    description: The databases to dump (all in one snapshot).
    type: list
    elements: str
    required: true
  dest:
    description: The gzip file to write on the node.
    type: path
    required: true
  program:
    description: The mysqldump program (C(mysqldump), which Debian's mariadb-client ships as C(mariadb-dump)).
    type: str
    default: mysqldump
  socket:
    description: The server's unix socket; empty for the client's default.
    type: path
    default: ''
attributes:
  check_mode:
    support: full
    description: Runs in check mode too (the dump changes nothing but O(dest)).
  diff_mode:
    support: none
    description: Returns no diff.
'''

EXAMPLES = r'''
- name: Dump the cloud's databases
  gureum.openstack.database_dump:
    databases: [keystone, glance, nova_api, nova, nova_cell0]
    dest: /var/tmp/databases.sql.gz
'''

RETURN = r'''
path:
  description: The dump (O(dest)).
  returned: success
  type: str
sha256:
  description: SHA-256 of the gzip file.
  returned: success
  type: str
size:
  description: Size of the gzip file in bytes.
  returned: success
  type: int
server_version:
  description: The server's version, as the dump's header gives it.
  returned: success
  type: str
  sample: 10.11.6-MariaDB-0+deb12u1
databases:
  description: Per database, its number of tables, its rows and each table's rows, in the dump.
  returned: success
  type: dict
  sample: {keystone: {tables: 48, rows: 212, table_rows: {project: 6}}}
'''

import gzip
import os
from ansible.module_utils.basic import AnsibleModule
from ansible_collections.gureum.openstack.plugins.module_utils.mysqldump import DumpCounter, DumpError

FLAGS = ['--single-transaction', '--quick', '--routines', '--events', '--triggers', '--hex-blob',
         '--add-drop-database', '--default-character-set=utf8mb4']


def dump_command(program, socket, databases):
    return [program] + FLAGS + (['--socket=%s' % socket] if socket else []) + ['--databases'] + list(databases)


def dump(module, argv, dest):
    """Dump with argv into the gzip file dest (via temporary files); the DumpCounter, or DumpError.

    mysqldump writes a plain file (--result-file), which is then read line by line, counted and gzipped, so memory
    stays small whatever the size of the databases.
    """
    tmp = '%s.partial' % dest
    plain = '%s.sql.partial' % dest
    counter = DumpCounter()
    old_umask = os.umask(0o077)
    try:
        rc, out, err = module.run_command(argv[:1] + ['--result-file=%s' % plain] + argv[1:])
        if rc != 0:
            raise DumpError('%s failed with rc=%d: %s' % (argv[0], rc, (err or out).strip()[-2000:]))
        with open(plain, 'rb') as source:
            with gzip.open(tmp, 'wb', 6) as gzipped:
                for line in source:
                    counter.line(line)
                    gzipped.write(line)
        if not counter.completed:
            raise DumpError('%s ended without its "Dump completed" line: %s' % (argv[0], err.strip()[-2000:]))
        os.chmod(tmp, 0o600)
        os.rename(tmp, dest)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    finally:
        if os.path.exists(plain):
            os.unlink(plain)
        os.umask(old_umask)
    return counter


def main():
    module = AnsibleModule(
        argument_spec=dict(
            databases=dict(type='list', elements='str', required=True),
            dest=dict(type='path', required=True),
            program=dict(type='str', default='mysqldump'),
            socket=dict(type='path', default=''),
        ),
        supports_check_mode=True,
    )
    databases = module.params['databases']
    if not databases:
        module.fail_json(msg='database_dump: no databases to dump; the catalog gives none for the deployed services.')
    program = module.get_bin_path(module.params['program']) or module.get_bin_path('mariadb-dump')
    if not program:
        module.fail_json(msg='database_dump: %s is not installed on %s; install mariadb-client (the mariadb role '
                             'installs it with the server).' % (module.params['program'], os.uname()[1]))
    dest = module.params['dest']
    try:
        counter = dump(module, dump_command(program, module.params['socket'], databases), dest)
    except (DumpError, OSError) as exc:
        module.fail_json(msg='database_dump: %s' % exc)
    missing = sorted(set(databases) - set(counter.databases))
    if missing:
        os.unlink(dest)
        module.fail_json(msg='database_dump: the dump holds no database %s; does it exist on this server?'
                             % ', '.join(missing))
    module.exit_json(changed=True, path=dest, sha256=module.sha256(dest), size=os.path.getsize(dest),
                     server_version=counter.server_version, databases=counter.summary())


if __name__ == '__main__':
    main()
