"""Every node resolves every node's name to its management address, and keeps its other lines."""

import os

import pytest
import testinfra.utils.ansible_runner

RUNNER = testinfra.utils.ansible_runner.AnsibleRunner(os.environ['MOLECULE_INVENTORY_FILE'])
testinfra_hosts = RUNNER.get_hosts('all')
NODES = sorted(testinfra_hosts)
ADDRESSES = dict((name, RUNNER.get_variables(name)['ansible_host']) for name in NODES)


def resolve(host, name):
    return host.check_output('getent ahostsv4 %s', name).split()[0]


@pytest.mark.parametrize('name', NODES)
def test_short_name_resolves_to_management_address(host, name):
    assert resolve(host, name) == ADDRESSES[name]


@pytest.mark.parametrize('name', NODES)
def test_fqdn_resolves_to_management_address(host, name):
    assert resolve(host, name + '.lab.example') == ADDRESSES[name]


def test_extra_entry(host):
    assert resolve(host, 'cloud') == ADDRESSES[NODES[0]].rsplit('.', 1)[0] + '.10'


@pytest.mark.parametrize('line', ['127.0.0.1\tlocalhost', '# the package mirror'])
def test_other_lines_are_kept(host, line):
    assert line in host.file('/etc/hosts').content_string


def test_one_managed_block(host):
    assert host.file('/etc/hosts').content_string.count('# BEGIN gureum.openstack hosts') == 1


def test_hostname_not_on_loopback(host):
    assert not [ln for ln in host.file('/etc/hosts').content_string.splitlines() if ln.startswith('127.0.1.1')]
