"""The port_scan module against sockets on 127.0.0.1: listening ones answer, closed ones do not, and a port whose
SYN is dropped (a listener with a full accept queue) is counted as unanswered, not open."""

import socket
import time

import pytest

from ansible_collections.gureum.openstack.plugins.modules import port_scan


@pytest.fixture
def listening():
    """Three listening sockets on 127.0.0.1, and three ports that were free a moment ago (nothing listens)."""
    opened, closed = [], []
    for dummy in range(3):
        sock = socket.socket()
        sock.bind(('127.0.0.1', 0))
        sock.listen(16)
        opened.append(sock)
    for dummy in range(3):
        sock = socket.socket()
        sock.bind(('127.0.0.1', 0))
        closed.append(sock.getsockname()[1])
        sock.close()
    yield sorted(s.getsockname()[1] for s in opened), sorted(closed)
    for sock in opened:
        sock.close()


def _ports(numbers):
    return ['%d' % n for n in numbers]


def test_listening_ports_answer_and_closed_ones_do_not(listening):
    opened, closed = listening
    found = port_scan.scan(['127.0.0.1'], sorted(opened + closed), timeout=1, concurrency=2)
    assert found == {'127.0.0.1': {'open': opened, 'refused': 3, 'rejected': 0, 'unanswered': 0}}


def test_a_dropped_port_is_unanswered_not_open():
    # an accept queue of one that is full: Linux drops further SYNs, as a firewall that drops would
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen(0)
    port = server.getsockname()[1]
    clients = []
    for dummy in range(2):
        client = socket.socket()
        client.setblocking(False)
        client.connect_ex(('127.0.0.1', port))
        clients.append(client)
    time.sleep(0.2)
    try:
        started = time.monotonic()
        found = port_scan.scan(['127.0.0.1'], [port], timeout=0.3)
        assert found['127.0.0.1'] == {'open': [], 'refused': 0, 'rejected': 0, 'unanswered': 1}
        assert 0.25 < time.monotonic() - started < 2
    finally:
        for sock in clients + [server]:
            sock.close()


def test_a_range_finds_the_listeners_inside_it(listening):
    opened, dummy = listening
    first, last = opened[0] - 50, opened[0] + 50
    found = port_scan.scan(['127.0.0.1'], port_scan.parse_ports(['%d-%d' % (first, last)]), concurrency=20)
    assert opened[0] in found['127.0.0.1']['open']
    assert all(first <= n <= last for n in found['127.0.0.1']['open'])
    assert len(found['127.0.0.1']['open']) + found['127.0.0.1']['refused'] == 101


def test_the_source_address_is_used(listening):
    opened, dummy = listening
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen(4)
    try:
        found = port_scan.scan(['127.0.0.1'], [server.getsockname()[1]], source='127.0.0.2')
        assert found['127.0.0.1']['open'] == [server.getsockname()[1]]
        connection, peer = server.accept()
        connection.close()
        assert peer[0] == '127.0.0.2'
    finally:
        server.close()


def test_the_module_returns_open_ports_per_target(run_module, listening, monkeypatch):
    monkeypatch.setattr(port_scan, 'wait_for_conntrack_room', lambda probes, wait: None)
    opened, closed = listening
    result = run_module(port_scan.main, {'targets': ['127.0.0.1', 'localhost'], 'ports': _ports(opened + closed),
                                         'timeout': 1}, check_mode=True)
    assert result['_exit_code'] == 0 and result['changed'] is False
    assert result['open']['127.0.0.1'] == opened
    assert result['open']['localhost'] == opened
    assert result['refused'] == {'127.0.0.1': 3, 'localhost': 3}
    assert result['probes'] == 12 and result['waited'] >= 0


@pytest.mark.parametrize('args, message', [
    ({'targets': ['127.0.0.1'], 'ports': ['0-10']}, 'outside 1-65535'),
    ({'targets': ['127.0.0.1'], 'ports': ['ssh']}, 'neither a number'),
    ({'targets': ['127.0.0.1'], 'ports': ['80-22']}, 'reversed'),
    ({'targets': []}, 'targets is empty'),
    ({'targets': ['127.0.0.1'], 'timeout': 0}, 'timeout must be above 0'),
    ({'targets': ['no-such-host.invalid'], 'ports': ['22']}, 'cannot resolve no-such-host.invalid'),
])
def test_the_module_refuses(run_module, monkeypatch, args, message):
    monkeypatch.setattr(port_scan, 'wait_for_conntrack_room', lambda probes, wait: None)
    result = run_module(port_scan.main, args)
    assert result['failed'] is True and message in result['msg']


@pytest.mark.parametrize('parts, expected', [
    (['22'], [22]),
    (['22', '20-23', 22], [20, 21, 22, 23]),
    (['65535'], [65535]),
])
def test_parse_ports(parts, expected):
    assert port_scan.parse_ports(parts) == expected


def _table(*readings):
    """A reader giving (count, max) pairs in turn."""
    values = []
    for count, limit in readings:
        values.extend([count, limit])
    return lambda path: values.pop(0)


def test_conntrack_room_is_there():
    port_scan.wait_for_conntrack_room(65535, 10, sleep=pytest.fail, read=_table((1000, 262144)))


def test_conntrack_room_is_waited_for():
    slept = []
    port_scan.wait_for_conntrack_room(65535, 60, sleep=slept.append, read=_table((100000, 262144), (3000, 262144)))
    assert slept == [5]


def test_conntrack_without_room_fails():
    with pytest.raises(port_scan.ScanError, match='holds 100000 of 262144; after 0 s'):
        port_scan.wait_for_conntrack_room(65535, 0, sleep=lambda s: None, read=_table((100000, 262144)))


def test_conntrack_too_small_for_the_scan_fails_at_once():
    with pytest.raises(port_scan.ScanError, match='more than half of its 65536'):
        port_scan.wait_for_conntrack_room(65535, 60, sleep=pytest.fail, read=_table((0, 65536)))


def test_no_conntrack_table_no_wait():
    port_scan.wait_for_conntrack_room(65535, 60, sleep=pytest.fail, read=lambda path: None)
