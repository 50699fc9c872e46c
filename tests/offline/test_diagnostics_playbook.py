"""playbooks/diagnostics.yml with this machine as every node of inventories/example (ansible_connection: local).

No cloud is asked (diagnostics_cloud=false) and no packet leaves this machine. A configuration file planted on the
"nodes" holds the admin password of the secrets file, a transport_url with a password and a password line; the run
must make one archive of mode 0600 in <artifacts>/diagnostics with a directory per node and a README, leave no
temporary archive behind, and scripts/check-no-secrets must find none of the secrets file's values in it.
"""

import glob
import os
import re
import stat
import subprocess
import sys
import tarfile

import pytest

from playbook_runs import ROOT, ansible_playbook, local_example  # tests/offline/playbook_runs.py
ADMIN = 'Zq8rT2mW9xK4vB7nL3pY6cD1fH5jG0sA'
RABBIT = 'Hk3Lm9Qr2St7Uv1Wx5Yz8Ab4Cd6Ef0Gi'
NODES = ['compute1', 'compute2', 'controller', 'network']


@pytest.fixture(scope='module')
def run(tmp_path_factory):
    tmp = str(tmp_path_factory.mktemp('diagnostics'))
    top = os.path.join(tmp, 'inventory')
    local_example(top)
    # the secrets file: the admin password set by hand; the secrets role adds the rest
    with open(os.path.join(top, 'secrets.yml'), 'w') as handle:
        handle.write('keystone_admin_password: %s\nnova_rabbitmq_password: %s\n' % (ADMIN, RABBIT))
    os.chmod(os.path.join(top, 'secrets.yml'), 0o600)
    etc = os.path.join(tmp, 'etc', 'nova')
    os.makedirs(etc)
    with open(os.path.join(etc, 'nova.conf'), 'w') as handle:
        handle.write('[DEFAULT]\ntransport_url = rabbit://nova:%s@10.0.0.11:5672/nova\n'
                     '[keystone_authtoken]\npassword = NotInTheSecretsFile123\n# admin: %s\n' % (RABBIT, ADMIN))
    nodes_tmp = os.path.join(tmp, 'node-tmp')
    os.makedirs(nodes_tmp)
    proc = ansible_playbook(os.path.join(top, 'hosts.yml'), 'diagnostics.yml', '-e', 'diagnostics_cloud=false',
                            '-e', '{"diagnostics_config_paths": ["%s"], "diagnostics_tmpdir": "%s"}' % (etc, nodes_tmp))
    archives = glob.glob(os.path.join(top, 'artifacts', 'hosts', 'diagnostics', 'diagnostics-*.tar.gz'))
    return proc, top, archives, nodes_tmp, tmp


def test_the_run_makes_one_archive(run):
    proc, top, archives, nodes_tmp, dummy = run
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert len(archives) == 1
    assert re.search(r'/diagnostics-\d{8}T\d{6}Z\.tar\.gz$', archives[0])
    assert stat.S_IMODE(os.stat(archives[0]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(archives[0])).st_mode) == 0o700
    # the nodes keep nothing, and the staging directory is gone
    assert os.listdir(nodes_tmp) == []
    assert os.listdir(os.path.dirname(archives[0])) == [os.path.basename(archives[0])]


def test_the_archive_has_each_node_and_a_readme(run):
    dummy, dummy2, archives, dummy3, dummy4 = run
    with tarfile.open(archives[0]) as tar:
        names = tar.getnames()
    top = os.path.basename(archives[0])[:-len('.tar.gz')]
    assert '%s/README.txt' % top in names
    for node in NODES:
        for part in ('MANIFEST.txt', 'units.txt', 'commands/ip-addr.txt', 'commands/df.txt'):
            assert '%s/%s/%s' % (top, node, part) in names


def test_no_secret_is_in_the_archive(run):
    dummy, top, archives, dummy2, tmp = run
    unpacked = os.path.join(tmp, 'unpacked')
    os.makedirs(unpacked)
    with tarfile.open(archives[0]) as tar:
        tar.extractall(unpacked)
    check = subprocess.run(
        [sys.executable, os.path.join(ROOT, 'scripts', 'check-no-secrets'), os.path.join(top, 'secrets.yml'), unpacked],
        check=False, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    assert check.returncode == 0, check.stdout
    conf = glob.glob(os.path.join(unpacked, '*', 'controller', '**', 'nova.conf'), recursive=True)
    assert len(conf) == 1
    with open(conf[0]) as handle:
        text = handle.read()
    assert 'rabbit://nova:********@10.0.0.11' in text and 'password = ********' in text
    assert 'NotInTheSecretsFile123' not in text and ADMIN not in text
