"""memcached listens on the management address only and answers there."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'molecule', 'shared'))
import testlib  # noqa: E402  pylint: disable=wrong-import-position

testinfra_hosts = testlib.hosts('controller')
ADDRESS = testlib.address('controller')


def test_service_running_and_enabled(host):
    service = host.service('memcached')
    assert service.is_running and service.is_enabled


def test_listens_on_the_management_address_only(host):
    assert testlib.listeners(host, 11211) == [ADDRESS]


@pytest.mark.parametrize('line', ['-l %s' % ADDRESS, '-m 64', '-p 11211', '-c 1024'])
def test_configuration(host, line):
    assert line in host.file('/etc/memcached.conf').content_string.splitlines()


def test_answers_on_the_management_address(host):
    script = ("import socket; s = socket.create_connection(('%s', 11211), 5); s.sendall(b'version\\r\\n'); "
              "print(s.recv(100).decode())" % ADDRESS)
    assert host.check_output('python3 -c "%s"' % script).startswith('VERSION')
