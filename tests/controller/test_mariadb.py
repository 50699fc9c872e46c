"""MariaDB listens on the management address only, root uses the unix socket, glance gets its own database."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'molecule', 'shared'))
import testlib  # noqa: E402  pylint: disable=wrong-import-position

testinfra_hosts = testlib.hosts('controller')
ADDRESS = testlib.address('controller')


def mysql(host, *args, password=None):
    env = 'MYSQL_PWD=%s ' % password if password else ''
    return host.run(env + 'mysql --batch --skip-column-names ' + ' '.join(args))


def test_service_running_and_enabled(host):
    service = host.service('mariadb')
    assert service.is_running and service.is_enabled


def test_listens_on_the_management_address_only(host):
    assert testlib.listeners(host, 3306) == [ADDRESS]


@pytest.mark.parametrize('option, value', [
    ('max_connections', '4096'),
    ('character_set_server', 'utf8mb3'),
    ('collation_server', 'utf8mb3_general_ci'),
    ('default_storage_engine', 'InnoDB'),
    ('innodb_file_per_table', '1'),
    ('bind_address', ADDRESS),
])
def test_install_guide_settings(host, option, value):
    result = mysql(host, '-e', '"SELECT @@%s"' % option)
    assert result.rc == 0 and result.stdout.strip() == value


def test_root_logs_in_through_the_socket(host):
    assert mysql(host, '-e', '"SELECT 1"').stdout.strip() == '1'


def test_root_cannot_log_in_over_tcp(host):
    assert mysql(host, '-h', ADDRESS, '-u', 'root', '-e', '"SELECT 1"').rc != 0


def test_no_anonymous_users(host):
    assert mysql(host, '-e', '"SELECT COUNT(*) FROM mysql.user WHERE user = \'\'"').stdout.strip() == '0'


def test_no_test_database(host):
    assert 'test' not in mysql(host, '-e', '"SHOW DATABASES"').stdout.split()


def test_glance_sees_its_own_database_only(host):
    result = mysql(host, '-h', ADDRESS, '-u', 'glance', '-e', '"SHOW DATABASES"',
                   password=testlib.secrets()['glance_database_password'])
    assert result.rc == 0
    assert sorted(result.stdout.split()) == ['glance', 'information_schema']


def test_glance_with_a_wrong_password_is_refused(host):
    assert mysql(host, '-h', ADDRESS, '-u', 'glance', '-e', '"SELECT 1"', password='wrong-password').rc != 0


def test_glance_grants_are_least_privilege(host):
    grants = mysql(host, '-e', '"SHOW GRANTS FOR glance@\'%s\'"' % host.check_output(
        "mysql --batch --skip-column-names -e \"SELECT host FROM mysql.user WHERE user='glance'\"")).stdout
    assert 'ON *.*' in grants and 'GRANT USAGE ON *.*' in grants
    assert 'GRANT ALL PRIVILEGES ON `glance`.*' in grants
    assert len([line for line in grants.splitlines() if line.strip()]) == 2
