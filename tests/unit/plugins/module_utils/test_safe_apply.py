import json
import os
import sys

import pytest

from ansible_collections.gureum.openstack.plugins.module_utils import safe_apply


@pytest.fixture
def tree(tmp_path):
    (tmp_path / 'etc').mkdir()
    (tmp_path / 'etc' / 'eth0').write_text('old eth0\n')
    (tmp_path / 'etc' / 'stale').write_text('stale\n')
    manifest = tmp_path / 'manifest.json'
    manifest.write_text(json.dumps({'files': [str(tmp_path / 'etc' / 'eth0'), str(tmp_path / 'etc' / 'stale')]}))
    return tmp_path


def files(tree, **contents):
    return dict((str(tree / 'etc' / name), text) for name, text in contents.items())


def touch(path):
    return [sys.executable, '-c', 'open(%r, "a").close()' % str(path)]


FAIL = [sys.executable, '-c', 'import sys; sys.stderr.write("boom"); sys.exit(3)']


def test_plan_lists_changed_new_and_stale_files(tree):
    wanted = files(tree, eth0='new eth0\n', br='bridge\n')
    changes = safe_apply.plan(wanted, str(tree / 'manifest.json'))
    assert changes == {
        str(tree / 'etc' / 'eth0'): ('old eth0\n', 'new eth0\n'),
        str(tree / 'etc' / 'br'): (None, 'bridge\n'),
        str(tree / 'etc' / 'stale'): ('stale\n', None),
    }


def test_nothing_to_do_runs_nothing(tree):
    wanted = files(tree, eth0='old eth0\n', stale='stale\n')
    transaction = safe_apply.Transaction(wanted, str(tree / 'manifest.json'), [touch(tree / 'ran')])
    assert transaction.apply() == {}
    assert not (tree / 'ran').exists()


def test_apply_writes_removes_and_runs(tree):
    wanted = files(tree, eth0='new eth0\n')
    transaction = safe_apply.Transaction(wanted, str(tree / 'manifest.json'), [touch(tree / 'ran')])
    assert sorted(transaction.apply()) == [str(tree / 'etc' / 'eth0'), str(tree / 'etc' / 'stale')]
    assert (tree / 'etc' / 'eth0').read_text() == 'new eth0\n'
    assert not (tree / 'etc' / 'stale').exists()
    assert (tree / 'ran').exists()
    assert json.loads((tree / 'manifest.json').read_text()) == {'files': [str(tree / 'etc' / 'eth0')]}


def test_failed_apply_rolls_back(tree):
    wanted = files(tree, eth0='new eth0\n', br='bridge\n')
    transaction = safe_apply.Transaction(wanted, str(tree / 'manifest.json'), [FAIL],
                                         rollback_commands=[touch(tree / 'rolled')])
    with pytest.raises(safe_apply.ApplyError, match='failed \\(rc=3\\): boom.*previous configuration is back'):
        transaction.apply()
    assert (tree / 'etc' / 'eth0').read_text() == 'old eth0\n'
    assert (tree / 'etc' / 'stale').read_text() == 'stale\n'
    assert not (tree / 'etc' / 'br').exists()
    assert (tree / 'rolled').exists()
    assert len(json.loads((tree / 'manifest.json').read_text())['files']) == 2


def test_unconfirmed_change_rolls_back(tree):
    now = [0.0]

    def sleep(seconds):
        now[0] += seconds

    wanted = files(tree, eth0='new eth0\n')
    transaction = safe_apply.Transaction(
        wanted, str(tree / 'manifest.json'), [touch(tree / 'ran')], state_file=str(tree / 'state'),
        confirm_file=str(tree / 'confirm'), token='t0k', timeout=5, sleep=sleep, clock=lambda: now[0])
    with pytest.raises(safe_apply.ApplyError, match='Nobody confirmed the new configuration within 5 s'):
        transaction.apply()
    assert (tree / 'etc' / 'eth0').read_text() == 'old eth0\n'
    assert (tree / 'state').read_text() == 'rolled-back t0k\n'
    assert now[0] >= 5


def test_confirmed_change_stays(tree):
    confirm = tree / 'confirm'

    def sleep(seconds):
        assert (tree / 'state').read_text() == 'applied t0k\n'
        confirm.write_text('t0k')

    wanted = files(tree, eth0='new eth0\n')
    confirm.write_text('t0k')  # a stale confirmation from before must not count
    transaction = safe_apply.Transaction(
        wanted, str(tree / 'manifest.json'), [], state_file=str(tree / 'state'), confirm_file=str(confirm),
        token='t0k', timeout=30, sleep=sleep)
    transaction.apply()
    assert (tree / 'etc' / 'eth0').read_text() == 'new eth0\n'
    assert (tree / 'state').read_text() == 'confirmed t0k\n'
    assert not confirm.exists()


def test_diff_shows_both_sides(tree):
    changes = {'/etc/x': (None, 'new\n')}
    assert safe_apply.diff(changes) == [{'before_header': '/etc/x', 'after_header': '/etc/x',
                                         'before': '', 'after': 'new\n'}]


def test_broken_manifest_counts_as_empty(tree):
    (tree / 'manifest.json').write_text('not json')
    assert safe_apply.load_manifest(str(tree / 'manifest.json')) == []
    assert safe_apply.load_manifest(os.path.join(str(tree), 'missing.json')) == []


class FakeIp(object):
    """iproute2 with -j output from a dict, recording the commands that change things."""

    def __init__(self, links, addresses, routes):
        self.links, self.addresses, self.routes = links, addresses, routes
        self.calls = []

    def __call__(self, argv):
        if argv[:2] == ['ip', '-j']:
            rest = argv[2:]
            if rest[:2] == ['link', 'show']:
                name = rest[-1]
                return (0, json.dumps([self.links[name]])) if name in self.links else (1, '')
            if rest[:3] == ['-4', 'addr', 'show']:
                name = rest[-1]
                return 0, json.dumps([{'addr_info': [{'local': a.split('/')[0], 'prefixlen': int(a.split('/')[1]),
                                                      'scope': 'global'} for a in self.addresses.get(name, [])]}])
            if rest[:3] == ['-4', 'route', 'show']:
                return 0, json.dumps(self.routes)
        self.calls.append(' '.join(argv))
        return 0, ''


def test_snapshot_and_restore_undo_a_bridge():
    before_ip = FakeIp(
        links={'eth0': {'flags': ['UP'], 'mtu': 1500}, 'eth1': {'flags': ['UP'], 'mtu': 1500}},
        addresses={'eth0': ['10.0.0.21/24']},
        routes=[{'dst': 'default', 'gateway': '10.0.0.1', 'dev': 'eth0', 'protocol': 'kernel', 'flags': ['onlink']},
                {'dst': '10.0.0.0/24', 'dev': 'eth0', 'protocol': 'kernel', 'scope': 'link', 'flags': []}])
    before = safe_apply.snapshot(['eth0', 'eth1', 'br-ex'], before_ip)
    assert before['links']['eth0']['addresses'] == ['10.0.0.21/24']
    assert 'br-ex' not in before['links']
    assert [r['dst'] for r in before['routes']] == ['default']

    after_ip = FakeIp(
        links={'eth0': {'flags': [], 'mtu': 1500}, 'eth1': {'flags': ['UP'], 'mtu': 1500, 'master': 'br-ex'},
               'br-ex': {'flags': ['UP'], 'mtu': 1500}},
        addresses={'br-ex': ['10.0.0.21/24'], 'eth0': ['10.0.0.99/24']},
        routes=[{'dst': 'default', 'gateway': '10.0.0.1', 'dev': 'br-ex', 'protocol': 'static', 'flags': []}])
    assert safe_apply.restore(before, ['eth0', 'eth1', 'br-ex'], after_ip) == []
    assert after_ip.calls == [
        'ip link delete dev br-ex',
        'ip link set dev eth0 up',
        'ip addr del 10.0.0.99/24 dev eth0',
        'ip addr add 10.0.0.21/24 dev eth0',
        'ip link set dev eth1 nomaster',
        'ip route del default via 10.0.0.1 dev br-ex proto static',
        'ip route replace default via 10.0.0.1 dev eth0 proto kernel onlink',
    ]
