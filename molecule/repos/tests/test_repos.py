"""Debian's own Zed packages, no recommends, the distribution preferred, and each node's services preseeded."""

import os

import pytest
import testinfra.utils.ansible_runner

RUNNER = testinfra.utils.ansible_runner.AnsibleRunner(os.environ['MOLECULE_INVENTORY_FILE'])
testinfra_hosts = RUNNER.get_hosts('all')

PRESEEDED = {
    'controller': [('keystone', 'keystone/configure_db'), ('keystone', 'keystone/register-endpoint'),
                   ('glance-common', 'glance/configure_db'), ('glance-api', 'glance/configure_api-endpoint'),
                   ('nova-api', 'novaapi/configure_db'), ('nova-common', 'nova/configure_rabbit')],
    'compute1': [('nova-common', 'nova/configure_db'), ('nova-common', 'nova/configure_ksat'),
                 ('neutron-common', 'neutron/configure_db')],
}
NOT_PRESEEDED = {'controller': ['neutron-common'], 'compute1': ['keystone', 'glance-common', 'nova-api']}


def name_of(host):
    return host.backend.get_hostname()


@pytest.mark.parametrize('option', ['APT::Install-Recommends "false";', 'APT::Install-Suggests "false";'])
def test_apt_installs_without_recommends(host, option):
    assert option in host.check_output('apt-config dump').splitlines()


def test_zed_comes_from_the_distribution(host):
    policy = host.check_output('apt-cache policy keystone nova-common')
    assert 'Candidate: 2:22.' in policy      # keystone 22 is Zed
    assert 'Candidate: 2:26.' in policy      # nova 26 is Zed
    assert ' 600 ' in policy and 'bookworm' in policy


@pytest.mark.parametrize('index', range(6))
def test_services_of_the_node_are_preseeded_false(host, index):
    wanted = PRESEEDED[name_of(host)]
    if index >= len(wanted):
        pytest.skip('fewer preseeds on this node')
    package, question = wanted[index]
    assert '%s: false' % question in host.check_output('debconf-show %s', package)


def test_services_elsewhere_are_not_preseeded_here(host):
    for package in NOT_PRESEEDED[name_of(host)]:
        assert host.check_output('debconf-show %s', package) == ''
