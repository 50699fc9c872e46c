"""Day-2 rotations that must not start: playbooks/rotate_password.yml with a service it cannot rotate, and both
rotation playbooks when a node does not answer. Each run fails with its sentence, leaves the secrets file byte for
byte as it was, and changes nothing (changed=0 for every host). The inventory is inventories/example with every
host on loopback port 9, where nothing listens: no packet leaves this machine.
"""

import concurrent.futures
import os
import re

import pytest

from playbook_runs import ansible_playbook, unreachable_example  # tests/offline/playbook_runs.py
RECAP = re.compile(r'^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)', re.M)
SECRETS = ('# kept by hand\nglance_keystone_password: %s\nkeystone_fernet_keys:\n- %s\n- %s\n'
           % ('g' * 32, 'A' * 43 + '=', 'B' * 43 + '='))

CASES = [
    ('unknown service', 'rotate_password', ['-e', 'rotate_service=glancee'],
     "'glancee' is not a service of the catalog; the services whose password can be rotated are: cinder, glance,"),
    ('no service given', 'rotate_password', [], 'name the service whose password to rotate'),
    ('service without a user', 'rotate_password', ['-e', 'rotate_service=keystone'],
     "'keystone' has no Keystone service user of its own"),
    ("nova's database", 'rotate_password', ['-e', 'rotate_service=nova', '-e', 'rotate_database=true'],
     "the database password of 'nova' cannot be rotated by this playbook: Nova keeps the cell database URLs"),
    ('password with nodes down', 'rotate_password', ['-e', 'rotate_service=glance'],
     'TASK [Reach the node] *'),
    ('fernet keys with the controller down', 'rotate_fernet_keys', [],
     'TASK [Reach the controller] *'),
]


def inventory(tmp, name):
    top = os.path.join(str(tmp), re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-'))
    path = unreachable_example(top)
    with open(os.path.join(top, 'secrets.yml'), 'w') as handle:
        handle.write(SECRETS)
    os.chmod(os.path.join(top, 'secrets.yml'), 0o600)
    return path


def run(args):
    path, playbook, extra = args
    return ansible_playbook(path, playbook + '.yml', *extra, ANSIBLE_TIMEOUT='3')


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('rotation')
    paths = [inventory(tmp, name) for name, dummy, dummy, dummy in CASES]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, [(path, case[1], case[2]) for path, case in zip(paths, CASES)]))
    return dict((case[0], (result, os.path.join(os.path.dirname(path), 'secrets.yml')))
                for case, result, path in zip(CASES, results, paths))


@pytest.mark.parametrize('name, words', [(c[0], c[3]) for c in CASES], ids=[c[0] for c in CASES])
def test_refused_with_its_sentence(runs, name, words):
    proc = runs[name][0]
    assert proc.returncode != 0, proc.stdout[-3000:]
    assert words in proc.stdout, proc.stdout[-3000:]
    if words.startswith('TASK [Reach'):
        # the node check is where it stopped
        assert 'UNREACHABLE!' in proc.stdout.split(words, 1)[1].split('TASK [', 1)[0], proc.stdout[-3000:]


@pytest.mark.parametrize('name', [c[0] for c in CASES], ids=[c[0] for c in CASES])
def test_nothing_changed(runs, name):
    proc, secrets = runs[name]
    with open(secrets) as handle:
        assert handle.read() == SECRETS
    hosts = dict(RECAP.findall(proc.stdout.split('PLAY RECAP', 1)[-1]))
    assert hosts and all(changed == '0' for changed in hosts.values()), proc.stdout[-3000:]
