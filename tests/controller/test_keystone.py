"""Keystone answers on the controller; the admin gets tokens there (keystonerc_admin and clouds.yaml); the service
project and roles, the identity and glance endpoints exist; files are private; only its own units restart."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'molecule', 'shared'))
import testlib  # noqa: E402  pylint: disable=wrong-import-position

testinfra_hosts = testlib.hosts('controller')
ADDRESS = testlib.address('controller')


_CACHE = {}


def cli(host, rc_file, command):
    """Run an openstack CLI command (trusted text, not quoted) with a keystonerc file on the controller; each
    command runs once (a CLI call takes seconds)."""
    key = (host.backend.hostname, rc_file, command)
    if key not in _CACHE:
        _CACHE[key] = host.run('. /root/%s && openstack ' + command, rc_file)
    return _CACHE[key]


def test_service_running_and_enabled(host):
    service = host.service('keystone')
    assert service.is_running and service.is_enabled


def test_api_answers_on_port_5000(host):
    assert host.socket('tcp://0.0.0.0:5000').is_listening


@pytest.mark.parametrize('rc_file', ['keystonerc_admin'])
def test_token_on_the_controller(host, rc_file):
    assert cli(host, rc_file, 'token issue -f value -c id').rc == 0


def test_the_admin_clouds_yaml_works(host):
    result = host.run('OS_CLOUD=admin openstack token issue -f value -c id')
    assert result.rc == 0, result.stderr


@pytest.mark.parametrize('name', ['service', 'admin'])
def test_project(host, name):
    assert name in cli(host, 'keystonerc_admin', 'project list -f value -c Name').stdout.split()


@pytest.mark.parametrize('name', ['admin', 'member', 'reader', 'service'])
def test_role(host, name):
    assert name in cli(host, 'keystonerc_admin', 'role list -f value -c Name').stdout.split()


@pytest.mark.parametrize('interface', ['public', 'internal', 'admin'])
def test_identity_endpoint(host, interface):
    lines = cli(host, 'keystonerc_admin', 'endpoint list --service identity -f value -c Region -c Interface -c URL'
                ).stdout.splitlines()
    assert [line.split() for line in lines if line.split()[1] == interface] == [
        ['RegionOne', interface, 'http://%s:5000/v3' % ADDRESS]]


@pytest.mark.parametrize('path, owner, group, mode', [
    ('/etc/keystone/keystone.conf', 'root', 'keystone', 0o640),
    ('/etc/keystone/fernet-keys/0', 'keystone', 'keystone', 0o600),
    ('/etc/keystone/fernet-keys/1', 'keystone', 'keystone', 0o600),
    ('/etc/keystone/credential-keys/0', 'keystone', 'keystone', 0o600),
    ('/root/keystonerc_admin', 'root', 'root', 0o600),
    ('/root/.config/openstack/clouds.yaml', 'root', 'root', 0o600),
])
def test_private_file(host, path, owner, group, mode):
    item = host.file(path)
    assert item.exists and item.user == owner and item.group == group and item.mode == mode


def test_fernet_keys_come_from_the_secrets_file(host):
    keys = testlib.secrets()['keystone_fernet_keys']
    assert [host.file('/etc/keystone/fernet-keys/%d' % i).content_string for i in range(len(keys))] == keys


@pytest.mark.parametrize('line', ['processes = 2', 'threads = 2'])
def test_small_uwsgi(host, line):
    assert line in host.file('/etc/keystone/keystone-uwsgi.ini').content_string.splitlines()


def test_two_uwsgi_workers_run(host):
    # the master and its two workers (other APIs run under uwsgi too)
    keystone = [p for p in host.process.filter(comm='uwsgi_python311') if 'keystone-uwsgi.ini' in p.args]
    assert len(keystone) == 3


def test_glance_service_user_has_admin_and_service_on_service(host):
    # service: the role Nova and the others require of a service token (service_token_roles)
    out = cli(host, 'keystonerc_admin', 'role assignment list --user glance --project service --names -f value -c Role')
    assert sorted(out.stdout.split()) == ['admin', 'service']


def test_glance_password_from_the_secrets_file_works(host):
    password = testlib.secrets()['glance_keystone_password']
    result = host.run('. /root/keystonerc_admin && OS_USERNAME=glance OS_PASSWORD=%s OS_PROJECT_NAME=service '
                      'openstack token issue -f value -c id', password)
    assert result.rc == 0


@pytest.mark.parametrize('interface', ['public', 'internal', 'admin'])
def test_glance_endpoint(host, interface):
    lines = cli(host, 'keystonerc_admin', 'endpoint list --service image -f value -c Region -c Interface -c URL'
                ).stdout.splitlines()
    assert [line.split() for line in lines if line.split()[1] == interface] == [
        ['RegionOne', interface, 'http://%s:9292' % ADDRESS]]
