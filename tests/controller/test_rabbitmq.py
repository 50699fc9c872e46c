"""RabbitMQ listens on the management address only, guest is gone, nova has its own user and vhost."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'molecule', 'shared'))
import testlib  # noqa: E402  pylint: disable=wrong-import-position

testinfra_hosts = testlib.hosts('controller')
ADDRESS = testlib.address('controller')


def rabbitmqctl(host, *args):
    return host.check_output('rabbitmqctl --quiet ' + ' '.join(args))


def test_service_running_and_enabled(host):
    service = host.service('rabbitmq-server')
    assert service.is_running and service.is_enabled


@pytest.mark.parametrize('port', [5672, 25672])
def test_listens_on_the_management_address_only(host, port):
    assert testlib.listeners(host, port) == [ADDRESS]


def test_guest_is_removed(host):
    assert 'guest' not in rabbitmqctl(host, 'list_users', '--no-table-headers').split()


def test_one_user_for_nova_and_nova_compute(host):
    # one user per messaging name of the catalog: nova-compute uses nova's
    users = [line.split()[0] for line in rabbitmqctl(host, 'list_users', '--no-table-headers').splitlines()]
    assert 'nova' in users and not [user for user in users if user.startswith('nova_')]


def test_nova_vhost(host):
    assert 'nova' in rabbitmqctl(host, 'list_vhosts', '--no-table-headers').split()


def test_nova_permissions_on_its_vhost_only(host):
    lines = rabbitmqctl(host, 'list_user_permissions', 'nova', '--no-table-headers').splitlines()
    assert [line.split() for line in lines] == [['nova', '.*', '.*', '.*']]


def test_nova_password_works(host):
    password = testlib.secrets()['nova_rabbitmq_password']
    assert host.run('rabbitmqctl --quiet authenticate_user nova %s', password).rc == 0


def test_a_wrong_password_does_not(host):
    assert host.run('rabbitmqctl --quiet authenticate_user nova wrong-password').rc != 0
