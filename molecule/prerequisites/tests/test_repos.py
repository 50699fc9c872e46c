"""Debian's own Zed packages, no recommends, the distribution preferred."""

import os

import pytest
import testinfra.utils.ansible_runner

RUNNER = testinfra.utils.ansible_runner.AnsibleRunner(os.environ['MOLECULE_INVENTORY_FILE'])
testinfra_hosts = RUNNER.get_hosts('all')


@pytest.mark.parametrize('option', ['APT::Install-Recommends "false";', 'APT::Install-Suggests "false";'])
def test_apt_installs_without_recommends(host, option):
    assert option in host.check_output('apt-config dump').splitlines()


def test_zed_comes_from_the_distribution(host):
    policy = host.check_output('apt-cache policy keystone nova-common')
    assert 'Candidate: 2:22.' in policy      # keystone 22 is Zed
    assert 'Candidate: 2:26.' in policy      # nova 26 is Zed
    assert ' 600 ' in policy and 'bookworm' in policy
