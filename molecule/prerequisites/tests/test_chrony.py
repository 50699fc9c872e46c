"""The controller serves time to the management network; the other node follows it, without touching the clock."""

import os
import time

import pytest
import testinfra.utils.ansible_runner

RUNNER = testinfra.utils.ansible_runner.AnsibleRunner(os.environ['MOLECULE_INVENTORY_FILE'])
testinfra_hosts = RUNNER.get_hosts('all')
CONTROLLER = RUNNER.get_variables('controller')
DROP_IN = '/etc/systemd/system/chrony.service.d/gureum-no-clock-control.conf'


def test_chrony_runs_and_starts_at_boot(host):
    service = host.service('chrony')
    assert service.is_running
    assert service.is_enabled


def test_container_node_runs_chronyd_without_clock_control(host):
    # lab nodes lack CAP_SYS_TIME: the drop-in clears the unit's condition and adds -x
    assert host.file(DROP_IN).contains('ConditionCapability=$')
    assert ' -x' in host.check_output('ps -o args= -C chronyd')


# the inventory's management_network is a template over the same environment variable
MGMT = os.environ.get('MOLECULE_LAB_MGMT') or '10.250.0.0/24'


@pytest.mark.parametrize('line', ['allow %s' % MGMT, 'local stratum 10'])
def test_controller_serves_the_management_network(host, line):
    if host.backend.get_hostname() != 'controller':
        pytest.skip('only the controller serves')
    assert line in host.file('/etc/chrony/chrony.conf').content_string.splitlines()


def test_controller_listens_for_ntp(host):
    if host.backend.get_hostname() != 'controller':
        pytest.skip('only the controller serves')
    assert host.socket('udp://0.0.0.0:123').is_listening


def test_client_follows_the_controller(host):
    if host.backend.get_hostname() == 'controller':
        pytest.skip('the controller follows no one here')
    address = CONTROLLER['ansible_host']
    assert 'server %s iburst' % address in host.file('/etc/chrony/chrony.conf').content_string
    deadline = time.time() + 60
    while True:
        sources = host.check_output('chronyc -n sources')
        selected = [ln for ln in sources.splitlines() if address in ln and ln[:2] in ('^*', '^+')]
        if selected or time.time() > deadline:
            break
        time.sleep(2)
    assert selected, sources
