"""playbooks/backup.yml and the refusals of playbooks/restore.yml, with this machine as every node of
inventories/example (ansible_connection: local). No MariaDB runs here: a stand-in mysqldump (a script printing a
dump of every database it is asked for) gives the dump. The backup must make one 0600 archive in
<artifacts>/backups holding the dump, the secrets file as it is, each node's configuration and package versions
and a manifest whose checksums fit; the nodes keep nothing. A restore of a missing, unreadable, damaged or foreign
archive must be refused with its sentence before any node is touched (it runs with --check as well, so a refusal
that failed to refuse could still not stop anything on this machine).
"""

import glob
import hashlib
import os
import stat
import tarfile

import pytest
import yaml

from playbook_runs import ansible_playbook, local_example  # tests/offline/playbook_runs.py
FAKE_DUMP = r"""#!/bin/sh
for a in "$@"; do case "$a" in --result-file=*) exec > "${a#--result-file=}" ;; esac; done
echo "-- Server version	10.11.6-MariaDB-0+deb12u1"
take=0
for arg in "$@"; do
    if [ "$take" = 1 ]; then
        printf 'USE `%s`;\nCREATE TABLE `t` (\nINSERT INTO `t` VALUES (1),(2);\n' "$arg"
    fi
    [ "$arg" = --databases ] && take=1
done
echo "-- Dump completed on 2026-01-01"
"""
DATABASES = ['cinder', 'glance', 'heat', 'keystone', 'neutron', 'nova', 'nova_api', 'nova_cell0', 'placement']


@pytest.fixture(scope='module')
def backup(tmp_path_factory):
    tmp = str(tmp_path_factory.mktemp('backup'))
    top = os.path.join(tmp, 'inventory')
    hosts = local_example(top)
    etc = os.path.join(tmp, 'etc', 'keystone', 'fernet-keys')
    os.makedirs(etc)
    with open(os.path.join(etc, '0'), 'w') as handle:
        handle.write('a-key')
    fake = os.path.join(tmp, 'mysqldump')
    with open(fake, 'w') as handle:
        handle.write(FAKE_DUMP)
    os.chmod(fake, 0o755)
    nodes_tmp = os.path.join(tmp, 'node-tmp')
    os.makedirs(nodes_tmp)
    proc = ansible_playbook(hosts, 'backup.yml', '-e', '{"backup_config_paths": ["%s"], "backup_tmpdir": "%s", '
                            '"backup_dump_program": "%s"}' % (os.path.join(tmp, 'etc'), nodes_tmp, fake))
    archives = glob.glob(os.path.join(top, 'artifacts', 'hosts', 'backups', 'backup-*.tar.gz'))
    return proc, top, archives, nodes_tmp, tmp


def unpack(archive, dest):
    with tarfile.open(archive) as tar:
        tar.extractall(dest)
    (name,) = os.listdir(dest)
    return os.path.join(dest, name)


def test_the_backup_makes_one_private_archive(backup):
    proc, top, archives, nodes_tmp, dummy = backup
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert len(archives) == 1
    assert stat.S_IMODE(os.stat(archives[0]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(archives[0])).st_mode) == 0o700
    assert os.listdir(nodes_tmp) == []
    assert os.listdir(os.path.dirname(archives[0])) == [os.path.basename(archives[0])]


def test_the_manifest_describes_the_archive(backup):
    dummy, top, archives, dummy2, tmp = backup
    part = unpack(archives[0], os.path.join(tmp, 'unpacked'))
    with open(os.path.join(part, 'manifest.yml')) as handle:
        manifest = yaml.safe_load(handle)
    assert manifest['format'] == 1
    assert sorted(manifest['databases']) == DATABASES
    assert manifest['databases']['nova'] == {'tables': 1, 'rows': 2, 'table_rows': {'t': 2}}
    assert manifest['deployment']['region'] == 'RegionOne' and manifest['deployment']['database_host'] == 'controller'
    assert len(manifest['deployment']['id']) == 16
    assert sorted(manifest['nodes']) == ['compute1', 'compute2', 'controller', 'network', 'storage1']
    paths = sorted(item['path'] for item in manifest['files'])
    assert 'databases.sql.gz' in paths and 'secrets.yml' in paths
    assert 'nodes/controller/etc.tar.gz' in paths and 'nodes/compute1/packages.txt' in paths
    for item in manifest['files']:
        with open(os.path.join(part, item['path']), 'rb') as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == item['sha256'], item['path']
    with open(os.path.join(part, 'secrets.yml')) as mine, open(os.path.join(top, 'secrets.yml')) as theirs:
        assert mine.read() == theirs.read()
    with tarfile.open(os.path.join(part, 'nodes', 'controller', 'etc.tar.gz')) as tar:
        assert any(name.endswith('keystone/fernet-keys/0') for name in tar.getnames())


def repacked(backup, name, change):
    """A copy of the archive with change(unpacked directory) applied."""
    dummy, top, archives, dummy2, tmp = backup
    work = os.path.join(tmp, 'repack-' + name)
    part = unpack(archives[0], work)
    change(part)
    out = os.path.join(tmp, name + '.tar.gz')
    with tarfile.open(out, 'w:gz') as tar:
        tar.add(part, os.path.basename(part))
    return out


def edit_manifest(**deployment):
    def change(part):
        path = os.path.join(part, 'manifest.yml')
        with open(path) as handle:
            manifest = yaml.safe_load(handle)
        manifest['deployment'].update(deployment)
        with open(path, 'w') as handle:
            yaml.safe_dump(manifest, handle)
    return change


def damage(part):
    with open(os.path.join(part, 'databases.sql.gz'), 'ab') as handle:
        handle.write(b'x')


@pytest.mark.parametrize('case, sentence', [
    ('none', 'name the archive to restore'),
    ('missing', 'does not exist'),
    ('garbage', 'cannot be unpacked'),
    ('damaged', 'the archive is damaged: databases.sql.gz'),
    ('region', "its region is 'Elsewhere', this one's 'RegionOne'"),
    ('foreign', 'the archive is from another deployment: its deployment id is 0123456789abcdef'),
])
def test_a_restore_is_refused_before_anything_changes(backup, case, sentence):
    dummy, top, archives, dummy2, tmp = backup
    path = {
        'none': '',
        'missing': os.path.join(tmp, 'no-such.tar.gz'),
        'damaged': lambda: repacked(backup, 'damaged', damage),
        'region': lambda: repacked(backup, 'region', edit_manifest(region='Elsewhere')),
        'foreign': lambda: repacked(backup, 'foreign', edit_manifest(id='0123456789abcdef')),
    }.get(case)
    if case == 'garbage':
        path = os.path.join(tmp, 'garbage.tar.gz')
        with open(path, 'w') as handle:
            handle.write('not an archive')
    elif callable(path):
        path = path()
    with open(os.path.join(top, 'secrets.yml'), 'rb') as handle:
        secrets_before = handle.read()
    proc = ansible_playbook(os.path.join(top, 'hosts.yml'), 'restore.yml', '--check', '-e', 'backup=%s' % path)
    assert proc.returncode != 0, proc.stdout[-3000:]
    assert sentence in ' '.join(proc.stdout.split()), proc.stdout[-3000:]
    assert 'restore refused, nothing changed' in proc.stdout
    assert 'TASK [gureum.openstack.backup : Stop the units' not in proc.stdout
    with open(os.path.join(top, 'secrets.yml'), 'rb') as handle:
        assert handle.read() == secrets_before
