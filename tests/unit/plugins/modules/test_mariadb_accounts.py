"""mariadb_accounts against a fake PyMySQL connection: an in-memory MariaDB that answers the module's queries.

The module's own code (hashing, grant parsing, the plan, main()) runs unmocked; only pymysql is replaced.
"""

import hashlib
import re

import pytest

from ansible_collections.gureum.openstack.plugins.modules import mariadb_accounts as ma

NETWORK = '10.0.0.0/255.255.255.0'
GLANCE_PW = 'Gl4nce-s3cret-xyzzy'
NOVA_PW = 'N0va-s3cret-plugh'
CHANGING = ('CREATE', 'ALTER', 'GRANT', 'REVOKE', 'DROP', 'SET', 'INSERT', 'UPDATE', 'DELETE', 'FLUSH')


def native_hash(password):
    """MariaDB's PASSWORD() / mysql_native_password: '*' + upper hex SHA1(SHA1(password))."""
    return '*' + hashlib.sha1(hashlib.sha1(password.encode('utf-8')).digest()).hexdigest().upper()


class FakeMySQLError(Exception):
    pass


class FakeMariaDB(object):
    """Databases, accounts ((user, host) -> [hash, plugin]) and database grants ((user, host) -> {db: privileges})."""

    def __init__(self):
        self.databases = set(['information_schema', 'mysql', 'performance_schema'])
        self.accounts = {}
        self.grants = {}
        self.executed = []           # (sql, args) of every statement, in order
        self.connects = []
        self.closed = 0
        self.fail_on = None          # a statement prefix that raises FakeMySQLError

    def add(self, user, host, password, grants, plugin='mysql_native_password'):
        self.accounts[(user, host)] = [native_hash(password), plugin]
        self.grants[(user, host)] = dict(grants)
        self.databases.update(name for name in grants)

    # pymysql.connect
    def connect(self, **kwargs):
        self.connects.append(kwargs)
        return FakeConnection(self)

    def changing(self):
        return [(sql, args) for sql, args in self.executed if sql.split()[0].upper() in CHANGING]

    def execute(self, sql, args):
        self.executed.append((sql, args))
        if self.fail_on and sql.startswith(self.fail_on):
            raise FakeMySQLError('(1045, "Access denied")')
        if sql == 'SHOW DATABASES':
            return [(name,) for name in sorted(self.databases)]
        if sql.startswith('SELECT JSON_VALUE'):
            assert 'mysql.global_priv' in sql
            account = self.accounts.get(tuple(args))
            return [tuple(account)] if account else []
        if sql == 'SHOW GRANTS FOR %s@%s':
            user, host = args
            if (user, host) not in self.accounts:
                raise FakeMySQLError("(1141, \"There is no such grant defined for user '%s' on host '%s'\")"
                                     % (user, host))
            lines = ["GRANT USAGE ON *.* TO `%s`@`%s` IDENTIFIED BY PASSWORD '%s'"
                     % (user, host, self.accounts[(user, host)][0])]
            for name, privileges in sorted(self.grants[(user, host)].items()):
                # SHOW GRANTS escapes _ in database names that were granted as patterns
                lines.append('GRANT %s ON `%s`.* TO `%s`@`%s`' % (privileges, name, user, host))
            return [(line,) for line in lines]
        match = re.match(r'^CREATE DATABASE `(\w+)` CHARACTER SET utf8$', sql)
        if match:
            assert args is None
            self.databases.add(match.group(1))
            return []
        if sql == 'CREATE USER %s@%s IDENTIFIED BY %s':
            user, host, password = args
            self.accounts[(user, host)] = [native_hash(password), 'mysql_native_password']
            self.grants[(user, host)] = {}
            return []
        if sql == 'ALTER USER %s@%s IDENTIFIED BY %s':
            user, host, password = args
            self.accounts[(user, host)] = [native_hash(password), 'mysql_native_password']
            return []
        match = re.match(r'^GRANT ALL PRIVILEGES ON `(\w+)`\.\* TO %s@%s$', sql)
        if match:
            self.grants[tuple(args)][match.group(1)] = 'ALL PRIVILEGES'
            return []
        match = re.match(r'^REVOKE ALL PRIVILEGES ON `(\w+)`\.\* FROM %s@%s$', sql)
        if match:
            self.grants[tuple(args)].pop(match.group(1), None)
            return []
        raise AssertionError('unexpected statement %r %r' % (sql, args))


class FakeCursor(object):
    def __init__(self, server):
        self.server = server
        self.rows = []

    def execute(self, sql, args=None):
        self.rows = self.server.execute(sql, args)
        return len(self.rows)

    def fetchall(self):
        return tuple(self.rows)


class FakeConnection(object):
    def __init__(self, server):
        self.server = server

    def cursor(self):
        return FakeCursor(self.server)

    def close(self):
        self.server.closed += 1


class FakePyMySQL(object):
    MySQLError = FakeMySQLError

    def __init__(self, server):
        self.server = server

    def connect(self, **kwargs):
        return self.server.connect(**kwargs)


@pytest.fixture
def server(monkeypatch):
    fake = FakeMariaDB()
    monkeypatch.setattr(ma, 'pymysql', FakePyMySQL(fake), raising=False)
    monkeypatch.setattr(ma, 'HAS_PYMYSQL', True)
    return fake


GLANCE = {'user': 'glance', 'password': GLANCE_PW, 'databases': ['glance']}
NOVA = {'user': 'nova', 'password': NOVA_PW, 'databases': ['nova_api', 'nova', 'nova_cell0']}


def converged(server):
    server.add('glance', NETWORK, GLANCE_PW, {'glance': 'ALL PRIVILEGES'})
    server.add('nova', NETWORK, NOVA_PW, {'nova_api': 'ALL PRIVILEGES', 'nova': 'ALL PRIVILEGES',
                                          'nova_cell0': 'ALL PRIVILEGES'})


def args(*accounts, **extra):
    result = {'accounts': list(accounts), 'host': NETWORK}
    result.update(extra)
    return result


# ---------------------------------------------------------------------------------------------------------------------
# helpers


@pytest.mark.parametrize('password', ['pw', GLANCE_PW, u'\u00fc-\u20ac', "it's"])
def test_native_password_hash_is_mariadbs(password):
    assert ma.native_password_hash(password) == native_hash(password)
    assert len(ma.native_password_hash(password)) == 41


def test_own_grants_reads_database_grants_only():
    grants = ma.own_grants([
        "GRANT USAGE ON *.* TO `nova`@`%` IDENTIFIED BY PASSWORD '*ABC'",
        'GRANT ALL PRIVILEGES ON `nova`.* TO `nova`@`%`',
        'GRANT ALL PRIVILEGES ON `nova\\_api`.* TO `nova`@`%` WITH GRANT OPTION',
        'GRANT SELECT, INSERT ON `glance`.* TO `nova`@`%`',
        'GRANT SELECT ON `keystone`.`user` TO `nova`@`%`',
    ])
    assert grants == {'nova': 'ALL PRIVILEGES', 'nova_api': 'ALL PRIVILEGES', 'glance': 'SELECT, INSERT'}


# ---------------------------------------------------------------------------------------------------------------------
# main()


def test_missing_databases_and_users_are_created(server, run_module):
    result = run_module(ma.main, args(GLANCE, NOVA))
    assert not result.get('failed'), result
    assert result['changed'] is True
    assert result['changes'] == [
        'database glance created', 'database nova_api created', 'database nova created',
        'database nova_cell0 created',
        'user glance@%s created' % NETWORK, 'glance@%s granted everything on glance' % NETWORK,
        'user nova@%s created' % NETWORK, 'nova@%s granted everything on nova_api' % NETWORK,
        'nova@%s granted everything on nova' % NETWORK, 'nova@%s granted everything on nova_cell0' % NETWORK,
    ]
    assert set(['glance', 'nova_api', 'nova', 'nova_cell0']) <= server.databases
    assert server.accounts[('glance', NETWORK)] == [native_hash(GLANCE_PW), 'mysql_native_password']
    assert server.grants[('nova', NETWORK)] == {'nova_api': 'ALL PRIVILEGES', 'nova': 'ALL PRIVILEGES',
                                                'nova_cell0': 'ALL PRIVILEGES'}
    # the passwords travel as statement arguments, never inside the SQL text
    assert all(GLANCE_PW not in sql and NOVA_PW not in sql for sql, dummy in server.executed)
    assert server.connects == [{'unix_socket': '/run/mysqld/mysqld.sock', 'user': 'root', 'autocommit': True}]
    assert server.closed == 1


def test_a_second_run_changes_nothing(server, run_module):
    run_module(ma.main, args(GLANCE, NOVA))
    server.executed = []
    again = run_module(ma.main, args(GLANCE, NOVA))
    assert (again['changed'], again['changes']) == (False, [])
    assert server.changing() == []


def test_matching_hash_and_grants_change_nothing(server, run_module):
    converged(server)
    result = run_module(ma.main, args(GLANCE, NOVA))
    assert not result.get('failed'), result
    assert (result['changed'], result['changes']) == (False, [])
    assert server.changing() == []
    # one connection, one read of the databases, then each account's hash and grants
    assert [sql.split()[0] for sql, dummy in server.executed] == ['SHOW', 'SELECT', 'SHOW', 'SELECT', 'SHOW']


def test_a_wrong_password_is_altered(server, run_module):
    converged(server)
    server.accounts[('glance', NETWORK)][0] = native_hash('old-password')
    result = run_module(ma.main, args(GLANCE, NOVA))
    assert result['changes'] == ['password of glance@%s updated' % NETWORK]
    assert server.changing() == [('ALTER USER %s@%s IDENTIFIED BY %s', ('glance', NETWORK, GLANCE_PW))]
    assert server.accounts[('glance', NETWORK)][0] == native_hash(GLANCE_PW)


def test_an_account_of_another_plugin_is_altered(server, run_module):
    converged(server)
    server.accounts[('glance', NETWORK)][1] = 'unix_socket'
    result = run_module(ma.main, args(GLANCE))
    assert result['changes'] == ['password of glance@%s updated' % NETWORK]


def test_a_grant_on_a_foreign_database_is_revoked(server, run_module):
    converged(server)
    server.databases.add('keystone')
    server.grants[('glance', NETWORK)]['keystone'] = 'ALL PRIVILEGES'
    server.grants[('nova', NETWORK)]['glance'] = 'SELECT'
    result = run_module(ma.main, args(GLANCE, NOVA))
    assert result['changes'] == ['glance@%s loses its grants on keystone' % NETWORK,
                                 'nova@%s loses its grants on glance' % NETWORK]
    assert server.changing() == [
        ('REVOKE ALL PRIVILEGES ON `keystone`.* FROM %s@%s', ('glance', NETWORK)),
        ('REVOKE ALL PRIVILEGES ON `glance`.* FROM %s@%s', ('nova', NETWORK)),
    ]
    assert server.grants[('glance', NETWORK)] == {'glance': 'ALL PRIVILEGES'}
    assert 'keystone' in server.databases   # a database not named is left alone


def test_a_partial_grant_on_its_own_database_is_completed(server, run_module):
    converged(server)
    server.grants[('nova', NETWORK)]['nova_cell0'] = 'SELECT, INSERT'
    del server.grants[('nova', NETWORK)]['nova_api']
    result = run_module(ma.main, args(NOVA))
    assert result['changes'] == ['nova@%s granted everything on nova_api' % NETWORK,
                                 'nova@%s granted everything on nova_cell0' % NETWORK]


def test_accounts_on_other_hosts_and_users_not_named_are_left_alone(server, run_module):
    converged(server)
    server.add('glance', '%', 'other', {'glance': 'SELECT'})
    server.add('keystone', NETWORK, 'k', {'keystone': 'ALL PRIVILEGES'})
    result = run_module(ma.main, args(GLANCE))
    assert result['changed'] is False
    assert server.changing() == []


def test_check_mode_runs_no_changing_statement(server, run_module):
    converged(server)
    server.accounts[('glance', NETWORK)][0] = native_hash('old-password')
    server.grants[('nova', NETWORK)]['glance'] = 'ALL PRIVILEGES'
    new = {'user': 'heat', 'password': 'H34t-s3cret', 'databases': ['heat']}
    result = run_module(ma.main, args(GLANCE, NOVA, new), check_mode=True)
    assert result['changed'] is True
    assert result['changes'] == [
        'database heat created', 'password of glance@%s updated' % NETWORK,
        'nova@%s loses its grants on glance' % NETWORK,
        'user heat@%s created' % NETWORK, 'heat@%s granted everything on heat' % NETWORK,
    ]
    assert server.changing() == []
    assert 'heat' not in server.databases


def test_passwords_are_never_in_the_result_or_the_log(server, run_module):
    converged(server)
    server.accounts[('glance', NETWORK)][0] = native_hash('old-password')
    result = run_module(ma.main, args(GLANCE, NOVA, {'user': 'heat', 'password': 'H34t-s3cret', 'databases': ['heat']}))
    assert result['changed'] is True
    for secret in (GLANCE_PW, NOVA_PW, 'H34t-s3cret', native_hash(GLANCE_PW)):
        assert secret not in result['_raw']
        assert not [message for message in run_module.logged if secret in message]
    assert run_module.logged


def test_a_refused_statement_fails_without_the_password(server, run_module):
    server.fail_on = 'CREATE USER'
    result = run_module(ma.main, args(GLANCE))
    assert result['failed'] is True
    assert result['msg'].startswith('MariaDB refused a change: ')
    assert GLANCE_PW not in result['_raw']
    assert server.closed == 1


def test_an_unreachable_server_fails_with_the_socket(server, run_module, monkeypatch):
    def refuse(**kwargs):
        raise FakeMySQLError('(2002, "Can\'t connect to local server through socket")')
    monkeypatch.setattr(ma.pymysql, 'connect', refuse)
    result = run_module(ma.main, args(GLANCE, login_unix_socket='/var/lib/mysql/mysql.sock'))
    assert result['failed'] is True
    assert 'cannot reach MariaDB through /var/lib/mysql/mysql.sock as root' in result['msg']


@pytest.mark.parametrize('account, bad', [
    ({'user': 'glance; DROP USER root', 'password': 'pw', 'databases': ['glance']}, 'glance; DROP USER root'),
    ({'user': 'glance', 'password': 'pw', 'databases': ['glance`.* TO x']}, 'glance`.* TO x'),
    ({'user': 'gl-ance', 'password': 'pw', 'databases': ['glance', 'im ages']}, 'gl-ance, im ages'),
    ({'user': "o'brien", 'password': 'pw', 'databases': []}, "o'brien"),
])
def test_bad_names_are_refused_before_connecting(server, run_module, account, bad):
    result = run_module(ma.main, args(account))
    assert result['failed'] is True
    assert result['msg'] == 'database and user names are letters, digits and _ only; got %s.' % bad
    assert server.connects == [] and server.executed == []


def test_without_pymysql_it_says_what_to_install(server, run_module, monkeypatch):
    monkeypatch.setattr(ma, 'HAS_PYMYSQL', False)
    result = run_module(ma.main, args(GLANCE))
    assert result['failed'] is True
    assert 'PyMySQL (python3-pymysql)' in result['msg']
    assert server.connects == []


@pytest.mark.parametrize('account, lacks', [
    ({'user': 'glance', 'databases': ['glance']}, 'password'),
    ({'password': 'pw', 'databases': ['glance']}, 'user'),
    ({'user': 'glance', 'password': 'pw'}, 'databases'),
])
def test_incomplete_accounts_fail(server, run_module, account, lacks):
    result = run_module(ma.main, args(account))
    assert result['failed'] is True
    assert 'missing required arguments: %s found in accounts' % lacks in result['msg']
    assert server.connects == []
