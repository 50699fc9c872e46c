"""Debian (and the lab's containers) do not use SELinux: the role reports it and changes nothing."""

import os

import pytest
import testinfra.utils.ansible_runner

RUNNER = testinfra.utils.ansible_runner.AnsibleRunner(os.environ['MOLECULE_INVENTORY_FILE'])
testinfra_hosts = RUNNER.get_hosts('all')


@pytest.mark.parametrize('package', ['openstack-selinux', 'policycoreutils', 'selinux-basics', 'python3-selinux'])
def test_no_selinux_package_was_installed(host, package):
    assert not host.package(package).is_installed


@pytest.mark.parametrize('path', ['/etc/selinux/config', '/sys/fs/selinux/enforce'])
def test_selinux_is_left_absent(host, path):
    assert not host.file(path).exists
