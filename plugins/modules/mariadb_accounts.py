#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: mariadb_accounts
short_description: Every database and database user the services need, checked and set in one pass
description:
  - Connects once to MariaDB through its unix socket as root, reads which databases exist, each account's password
    hash and its grants, and creates or corrects whatever differs from O(accounts). A converged server costs one
    call, where one module call per database and user would connect and check each on its own.
  - Each account gets C(ALL PRIVILEGES) on its own databases and nothing else; grants it has on other databases
    are revoked. Passwords are compared with the stored C(mysql_native_password) hash and never shown.
  - Databases and accounts not named here are left alone.
version_added: "0.2.0"
author: gureum.openstack contributors (@gureum)
options:
  accounts:
    description: Accounts, each with the databases it owns.
    type: list
    elements: dict
    default: []
    suboptions:
      user:
        description: User name.
        type: str
        required: true
      password:
        description: Its password.
        type: str
        required: true
      databases:
        description: Databases it owns (created when missing, C(utf8) as the install guide has it).
        type: list
        elements: str
        required: true
  host:
    description: The host part of every account (a network such as C(10.0.0.0/255.255.255.0), or C(%)).
    type: str
    default: "%"
  login_unix_socket:
    description: MariaDB's unix socket (root logs in through it without a password).
    type: path
    default: /run/mysqld/mysqld.sock
attributes:
  check_mode:
    support: full
    description: Reads and reports what would change.
  diff_mode:
    support: none
    description: Returns no diff.
requirements:
  - PyMySQL on the database node (python3-pymysql, which the catalog's mariadb entry installs).
'''

EXAMPLES = r'''
- name: The services' databases and users
  gureum.openstack.mariadb_accounts:
    accounts:
      - {user: glance, password: "{{ glance_database_password }}", databases: [glance]}
      - {user: nova, password: "{{ nova_database_password }}", databases: [nova_api, nova, nova_cell0]}
    host: 10.0.0.0/255.255.255.0
  no_log: true
'''

RETURN = r'''
changes:
  description: What was (or in check mode would be) changed, one sentence each, without passwords.
  returned: always
  type: list
  elements: str
'''

import hashlib
import re

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.text.converters import to_bytes

try:
    import pymysql
    HAS_PYMYSQL = True
except ImportError:  # pragma: no cover - python3-pymysql is in the mariadb catalog entry
    HAS_PYMYSQL = False

NAME_RE = re.compile(r'^[A-Za-z0-9_]+$')
GRANT_RE = re.compile(r'^GRANT (.+) ON (\S+) TO ', re.I)


def native_password_hash(password):
    """MariaDB's mysql_native_password hash: '*' + upper hex SHA1(SHA1(password))."""
    return '*' + hashlib.sha1(hashlib.sha1(to_bytes(password)).digest()).hexdigest().upper()


def own_grants(grants):
    """{database: privileges} of an account's grants on whole databases (`db`.*), from SHOW GRANTS lines."""
    found = {}
    for line in grants:
        match = GRANT_RE.match(line)
        if not match:
            continue
        target = match.group(2)
        if target.endswith('.*') and target != '*.*':
            found[target[:-2].strip('`').replace('\\_', '_')] = match.group(1).upper()
    return found


class Server(object):
    def __init__(self, connection):
        self.cursor = connection.cursor()

    def query(self, sql, args=None):
        self.cursor.execute(sql, args)
        return self.cursor.fetchall()

    def databases(self):
        return set(row[0] for row in self.query('SHOW DATABASES'))

    def password_hash(self, user, host):
        # (hash, plugin) of an account, or None; MariaDB 10.4+ keeps them in mysql.global_priv
        rows = self.query("SELECT JSON_VALUE(Priv, '$.authentication_string'), JSON_VALUE(Priv, '$.plugin') "
                          "FROM mysql.global_priv WHERE User = %s AND Host = %s", (user, host))
        return rows[0] if rows else None

    def grants(self, user, host):
        return [row[0] for row in self.query('SHOW GRANTS FOR %s@%s', (user, host))]


def plan(server, accounts, host):
    """The SQL statements that bring the server to ``accounts`` (password arguments kept apart), and sentences."""
    statements, changes = [], []
    have = server.databases()
    for account in accounts:
        for name in account['databases']:
            if name not in have:
                statements.append(('CREATE DATABASE `%s` CHARACTER SET utf8' % name, None))
                have.add(name)
                changes.append('database %s created' % name)
    for account in accounts:
        user, wanted = account['user'], native_password_hash(account['password'])
        stored = server.password_hash(user, host)
        if stored is None:
            statements.append(('CREATE USER %s@%s IDENTIFIED BY %s', (user, host, account['password'])))
            changes.append('user %s@%s created' % (user, host))
            grants = {}
        else:
            if stored[0] != wanted or (stored[1] or 'mysql_native_password') != 'mysql_native_password':
                statements.append(('ALTER USER %s@%s IDENTIFIED BY %s', (user, host, account['password'])))
                changes.append('password of %s@%s updated' % (user, host))
            grants = own_grants(server.grants(user, host))
        for name in account['databases']:
            if grants.get(name) != 'ALL PRIVILEGES':
                statements.append(('GRANT ALL PRIVILEGES ON `%s`.* TO %%s@%%s' % name, (user, host)))
                changes.append('%s@%s granted everything on %s' % (user, host, name))
        for name in sorted(set(grants) - set(account['databases'])):
            statements.append(('REVOKE ALL PRIVILEGES ON `%s`.* FROM %%s@%%s' % name, (user, host)))
            changes.append('%s@%s loses its grants on %s' % (user, host, name))
    return statements, changes


def main():
    module = AnsibleModule(
        argument_spec=dict(
            accounts=dict(type='list', elements='dict', default=[], options=dict(
                user=dict(type='str', required=True),
                password=dict(type='str', required=True, no_log=True),
                databases=dict(type='list', elements='str', required=True),
            )),
            host=dict(type='str', default='%'),
            login_unix_socket=dict(type='path', default='/run/mysqld/mysqld.sock'),
        ),
        supports_check_mode=True,
    )
    if not HAS_PYMYSQL:
        module.fail_json(msg=missing_required_lib('PyMySQL (python3-pymysql)'))
    for account in module.params['accounts']:
        bad = [name for name in [account['user']] + account['databases'] if not NAME_RE.match(name)]
        if bad:
            module.fail_json(msg='database and user names are letters, digits and _ only; got %s.' % ', '.join(bad))
    try:
        connection = pymysql.connect(unix_socket=module.params['login_unix_socket'], user='root', autocommit=True)
    except pymysql.MySQLError as exc:
        module.fail_json(msg='cannot reach MariaDB through %s as root: %s' % (module.params['login_unix_socket'], exc))
    try:
        server = Server(connection)
        statements, changes = plan(server, module.params['accounts'], module.params['host'])
        if statements and not module.check_mode:
            for sql, args in statements:
                server.query(sql, args)
    except pymysql.MySQLError as exc:
        module.fail_json(msg='MariaDB refused a change: %s' % exc)
    finally:
        connection.close()
    module.exit_json(changed=bool(changes), changes=changes)


if __name__ == '__main__':
    main()
