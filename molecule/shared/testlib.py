"""Helpers for the scenarios' testinfra verifiers: the nodes, their addresses and the generated secrets."""

import os

import testinfra.utils.ansible_runner
import yaml

RUNNER = testinfra.utils.ansible_runner.AnsibleRunner(os.environ['MOLECULE_INVENTORY_FILE'])
EPHEMERAL = os.environ['MOLECULE_EPHEMERAL_DIRECTORY']


def hosts(group='all'):
    return RUNNER.get_hosts(group)


def address(name):
    return RUNNER.get_variables(name)['ansible_host']


def secrets():
    with open(os.path.join(EPHEMERAL, 'secrets.yml')) as handle:
        return yaml.safe_load(handle)


def listeners(host, port):
    """Local addresses a TCP port listens on."""
    out = host.check_output('ss -Hltn sport = :%s', str(port))
    return sorted(set(line.split()[3].rsplit(':', 1)[0] for line in out.splitlines() if line.strip()))
