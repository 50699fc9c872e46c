"""Adding and removing a compute node, refused before anything changes: playbooks/add_compute.yml and
playbooks/remove_compute.yml with no node, a node outside the compute group, or (remove) without the admin's
credentials. Each run fails with its sentence, contacts no node (no UNREACHABLE: every host of the inventory is on
loopback port 9, where nothing listens) and changes nothing (changed=0 for every host).
"""

import concurrent.futures
import os
import re

import pytest

from playbook_runs import ansible_playbook, unreachable_example  # tests/offline/playbook_runs.py
RECAP = re.compile(r'^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)', re.M)

CASES = [
    ('add without a node', 'add_compute', [], 'add_compute: give the new compute nodes as -e compute='),
    ('add a node not in the compute group', 'add_compute', ['-e', 'compute=compute1,compute9'],
     "(not in it: compute9)"),
    ('remove without a node', 'remove_compute', [], 'remove_compute: give one compute node as -e compute=<name>'),
    ('remove a controller', 'remove_compute', ['-e', 'compute=controller'], "('controller' is not)"),
    ('remove two nodes', 'remove_compute', ['-e', 'compute=compute1,compute2'], "('compute1,compute2' is not)"),
    ('remove without credentials', 'remove_compute', ['-e', 'compute=compute1', '-e', 'stop=false'],
     'clouds.yaml (the admin\'s credentials, written by the bootstrap stage) is missing'),
]


def inventory(tmp, name):
    top = os.path.join(str(tmp), re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-'))
    path = unreachable_example(top)
    return path


def run(args):
    path, playbook, extra = args
    return ansible_playbook(path, playbook + '.yml', *extra, ANSIBLE_TIMEOUT='3')


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('compute')
    paths = [inventory(tmp, case[0]) for case in CASES]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, [(path, case[1], case[2]) for path, case in zip(paths, CASES)]))
    return dict((case[0], result) for case, result in zip(CASES, results))


@pytest.mark.parametrize('name, words', [(c[0], c[3]) for c in CASES], ids=[c[0] for c in CASES])
def test_refused_with_its_sentence(runs, name, words):
    proc = runs[name]
    assert proc.returncode != 0, proc.stdout[-3000:]
    assert words in ' '.join(proc.stdout.split()), proc.stdout[-3000:]
    assert 'UNREACHABLE!' not in proc.stdout, proc.stdout[-3000:]


@pytest.mark.parametrize('name', [c[0] for c in CASES], ids=[c[0] for c in CASES])
def test_nothing_changed(runs, name):
    proc = runs[name]
    hosts = dict(RECAP.findall(proc.stdout.split('PLAY RECAP', 1)[-1]))
    assert hosts and all(changed == '0' for changed in hosts.values()), proc.stdout[-3000:]
