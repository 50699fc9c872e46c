"""Keystone answers on the controller; admin and demo get tokens, demo may not list users; files are private."""

import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'shared'))
import testlib  # noqa: E402  pylint: disable=wrong-import-position

testinfra_hosts = testlib.hosts('controller')
ADDRESS = testlib.address('controller')
ARTIFACTS = os.path.join(testlib.EPHEMERAL, 'artifacts')
OPENSTACK = os.path.join(os.path.dirname(sys.executable), 'openstack')


_CACHE = {}


def cli(host, rc_file, command):
    """Run an openstack CLI command (trusted text, not quoted) with a keystonerc file on the controller; each
    command runs once (a CLI call takes seconds)."""
    key = (host.backend.hostname, rc_file, command)
    if key not in _CACHE:
        _CACHE[key] = host.run('. /root/%s && openstack ' + command, rc_file)
    return _CACHE[key]


def local_cli(cloud, *args):
    env = dict(os.environ, OS_CLIENT_CONFIG_FILE=os.path.join(ARTIFACTS, 'clouds.yaml'))
    return subprocess.run([OPENSTACK, '--os-cloud', cloud] + list(args), env=env, capture_output=True, text=True,
                          check=False)


def test_service_running_and_enabled(host):
    service = host.service('keystone')
    assert service.is_running and service.is_enabled


def test_api_answers_on_port_5000(host):
    assert host.socket('tcp://0.0.0.0:5000').is_listening


@pytest.mark.parametrize('rc_file', ['keystonerc_admin', 'keystonerc_demo'])
def test_token_on_the_controller(host, rc_file):
    assert cli(host, rc_file, 'token issue -f value -c id').rc == 0


def test_demo_may_not_list_users(host):
    result = cli(host, 'keystonerc_demo', 'user list')
    assert result.rc != 0 and '403' in result.stderr


@pytest.mark.parametrize('name', ['service', 'demo', 'admin'])
def test_project(host, name):
    assert name in cli(host, 'keystonerc_admin', 'project list -f value -c Name').stdout.split()


@pytest.mark.parametrize('name', ['admin', 'member', 'reader'])
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
    ('/root/keystonerc_demo', 'root', 'root', 0o600),
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
    # the master and its two workers
    assert len(host.process.filter(comm='uwsgi_python311')) == 3


@pytest.mark.parametrize('name', ['keystonerc_admin', 'keystonerc_demo', 'clouds.yaml'])
def test_local_files_are_private(name):
    assert os.stat(os.path.join(ARTIFACTS, name)).st_mode & 0o777 == 0o600


@pytest.mark.parametrize('cloud', ['admin', 'demo'])
def test_token_from_the_machine_running_ansible(cloud):
    result = local_cli(cloud, 'token', 'issue', '-f', 'value', '-c', 'id')
    assert result.returncode == 0, result.stderr


def test_demo_forbidden_from_the_machine_running_ansible():
    result = local_cli('demo', 'user', 'list')
    assert result.returncode != 0 and '403' in result.stderr


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
