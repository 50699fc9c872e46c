"""network_config.conflicts(): other ifupdown files that configure the role's interfaces, and main() refusing them.

Real files in a temporary directory; nothing is mocked.
"""

import locale
import os

import pytest

from ansible_collections.gureum.openstack.plugins.modules import network_config

MARKER = 'gureum.openstack network role'
INTERFACES = ['eth0', 'eth1', 'br-ex']


def write(path, text, mode='w'):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as handle:
        handle.write(text)
    return path


@pytest.fixture
def etc(tmp_path):
    """An /etc/network with the main file and its directory."""
    root = tmp_path / 'network'
    (root / 'interfaces.d').mkdir(parents=True)
    return root


def paths(etc):
    return [str(etc / 'interfaces'), str(etc / 'interfaces.d')]


def test_an_auto_line_naming_several_interfaces_claims_each(etc):
    main = write(str(etc / 'interfaces'), 'source /etc/network/interfaces.d/*\n\nauto lo eth0 eth1\n'
                                          'iface lo inet loopback\n')
    assert network_config.conflicts(paths(etc), INTERFACES, MARKER) == ['%s (eth0, eth1)' % main]


def test_an_iface_stanza_claims_its_interface_only(etc):
    main = write(str(etc / 'interfaces'), 'iface eth1 inet static\n    address 10.0.0.21/24\n    gateway 10.0.0.1\n')
    # "inet" and "static" are not interfaces, even if someone calls an interface so
    assert network_config.conflicts(paths(etc), INTERFACES + ['inet', 'static'], MARKER) == ['%s (eth1)' % main]


def test_allow_hotplug_and_other_allow_lines_claim_their_interfaces(etc):
    one = write(str(etc / 'interfaces.d' / 'eth0'), 'allow-hotplug eth0\niface eth0 inet dhcp\n')
    two = write(str(etc / 'interfaces.d' / 'provider'), 'allow-ovs br-ex\n')
    assert network_config.conflicts(paths(etc), INTERFACES, MARKER) == ['%s (eth0)' % one, '%s (br-ex)' % two]


def test_a_file_with_the_marker_is_the_roles_own(etc):
    write(str(etc / 'interfaces.d' / 'eth0'),
          '# ethernet eth0, written by the gureum.openstack network role (ifupdown2)\nauto eth0\n'
          'iface eth0 inet static\n    address 10.0.0.21/24\n')
    assert network_config.conflicts(paths(etc), INTERFACES, MARKER) == []


def test_another_marker_is_honoured(etc):
    write(str(etc / 'interfaces.d' / 'eth0'), '# ours\nauto eth0\n')
    assert network_config.conflicts(paths(etc), INTERFACES, '# ours') == []
    assert network_config.conflicts(paths(etc), INTERFACES, '') != []


def test_the_directory_is_read_without_its_subdirectories(etc):
    write(str(etc / 'interfaces.d' / 'old' / 'eth0'), 'auto eth0\niface eth0 inet dhcp\n')
    write(str(etc / 'interfaces.d' / 'nested' / 'deeper' / 'eth1'), 'auto eth1\n')
    assert network_config.conflicts(paths(etc), INTERFACES, MARKER) == []


def test_the_directorys_files_are_reported_in_name_order(etc):
    later = write(str(etc / 'interfaces.d' / 'zz-eth1'), 'auto eth1\n')
    earlier = write(str(etc / 'interfaces.d' / 'aa-eth0'), 'auto eth0\n')
    assert network_config.conflicts(paths(etc), INTERFACES, MARKER) == ['%s (eth0)' % earlier, '%s (eth1)' % later]


def test_interfaces_of_nobody_else_and_comments_are_no_conflict(etc):
    write(str(etc / 'interfaces'), '# auto eth0\n#iface eth1 inet dhcp\nauto lo eth2\niface lo inet loopback\n'
                                   'source /etc/network/interfaces.d/*\n')
    write(str(etc / 'interfaces.d' / 'eth2'), 'allow-hotplug eth2\niface eth2 inet manual\n    mtu 9000\n')
    assert network_config.conflicts(paths(etc), INTERFACES, MARKER) == []


def test_indented_stanzas_count(etc):
    main = write(str(etc / 'interfaces'), '  auto eth0\n\tiface eth1 inet manual\n')
    assert network_config.conflicts(paths(etc), INTERFACES, MARKER) == ['%s (eth0, eth1)' % main]


def test_paths_that_do_not_exist_are_skipped(tmp_path):
    assert network_config.conflicts([str(tmp_path / 'nope'), str(tmp_path / 'nope.d')], INTERFACES, MARKER) == []
    assert network_config.conflicts([], INTERFACES, MARKER) == []


def test_no_interfaces_no_conflicts(etc):
    write(str(etc / 'interfaces'), 'auto eth0\n')
    assert network_config.conflicts(paths(etc), [], MARKER) == []


@pytest.mark.skipif(locale.getpreferredencoding(False).lower().replace('-', '') != 'utf8',
                    reason='the module reads files in the encoding of the locale; this case is about UTF-8 locales')
def test_a_binary_file_in_the_directory_is_no_conflict(etc):
    write(str(etc / 'interfaces.d' / '.eth0.swp'), b'b0VIM 9.0\x00\xff\xfe\x00auto eth0\n', mode='wb')
    assert network_config.conflicts(paths(etc), INTERFACES, MARKER) == []


# ---------------------------------------------------------------------------------------------------------------------
# main() with conflict_paths


def test_main_refuses_and_writes_nothing_when_another_file_claims_an_interface(etc, tmp_path, run_module):
    main = write(str(etc / 'interfaces'), 'auto eth0\niface eth0 inet dhcp\n')
    wanted = str(etc / 'interfaces.d' / 'eth0')
    result = run_module(network_config.main, {
        'files': {wanted: '# written by the gureum.openstack network role\nauto eth0\n'},
        'manifest': str(tmp_path / 'state' / 'network-files.json'),
        'interfaces': ['eth0'],
        'conflict_paths': paths(etc),
        'apply': [['false']],
    })
    assert not result.get('failed'), result
    assert (result['changed'], result['files'], result['conflicts']) == (False, [], ['%s (eth0)' % main])
    assert not os.path.exists(wanted)
    assert not os.path.exists(str(tmp_path / 'state'))


def test_main_in_check_mode_reports_changes_when_only_its_own_files_configure_the_interfaces(
        etc, tmp_path, run_module):
    write(str(etc / 'interfaces'), 'source /etc/network/interfaces.d/*\nauto lo\niface lo inet loopback\n')
    write(str(etc / 'interfaces.d' / 'eth0'), '# eth0, written by the gureum.openstack network role\nauto eth0\n')
    wanted = str(etc / 'interfaces.d' / 'eth0')
    result = run_module(network_config.main, {
        'files': {wanted: '# eth0, written by the gureum.openstack network role\nauto eth0\niface eth0 inet manual\n'},
        'manifest': str(tmp_path / 'network-files.json'),
        'interfaces': ['eth0'],
        'conflict_paths': paths(etc),
    }, check_mode=True)
    assert not result.get('failed'), result
    assert (result['changed'], result['files'], result['conflicts']) == (True, [wanted], [])
    with open(wanted) as handle:
        assert 'iface' not in handle.read()
