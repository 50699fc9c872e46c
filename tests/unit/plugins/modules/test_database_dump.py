"""database_dump with a stand-in mysqldump (a script printing a dump), and database_restore's refusals before it
drops anything. No MariaDB is needed or started."""

import gzip
import hashlib
import os
import stat

from ansible_collections.gureum.openstack.plugins.modules import database_dump, database_restore

FAKE = """#!/bin/sh
echo "$@" > "$(dirname "$0")/args"
# like mysqldump, into the --result-file
for a in "$@"; do case "$a" in --result-file=*) exec > "${a#--result-file=}" ;; esac; done
cat <<'DUMP'
-- Server version\t10.11.6-MariaDB-0+deb12u1
USE `keystone`;
CREATE TABLE `project` (
INSERT INTO `project` VALUES ('a'),('b');
USE `nova`;
CREATE TABLE `instances` (
-- Dump completed on 2026-01-01
DUMP
exit ${FAKE_RC:-0}
"""


def fake(tmp_path, text=FAKE):
    path = tmp_path / 'mysqldump'
    path.write_text(text)
    path.chmod(0o755)
    return str(path)


def test_the_dump_is_gzipped_counted_and_private(run_module, tmp_path):
    dest = str(tmp_path / 'db.sql.gz')
    result = run_module(database_dump.main, {'databases': ['keystone', 'nova'], 'dest': dest,
                                             'program': fake(tmp_path)})
    assert result['_exit_code'] == 0, result
    assert result['databases'] == {'keystone': {'tables': 1, 'rows': 2, 'table_rows': {'project': 2}},
                                   'nova': {'tables': 1, 'rows': 0, 'table_rows': {'instances': 0}}}
    assert result['server_version'] == '10.11.6-MariaDB-0+deb12u1'
    with open(dest, 'rb') as handle:
        assert result['sha256'] == hashlib.sha256(handle.read()).hexdigest()
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    with gzip.open(dest) as handle:
        assert b"('a'),('b')" in handle.read()
    args = (tmp_path / 'args').read_text().split()
    assert '--single-transaction' in args and args[-3:] == ['--databases', 'keystone', 'nova']
    assert args[0].startswith('--result-file=') and not os.path.exists(args[0].split('=', 1)[1])


def test_a_failed_dump_leaves_no_file(run_module, tmp_path, monkeypatch):
    monkeypatch.setenv('FAKE_RC', '2')
    dest = str(tmp_path / 'db.sql.gz')
    result = run_module(database_dump.main, {'databases': ['keystone'], 'dest': dest, 'program': fake(tmp_path)})
    assert result['failed'] and 'rc=2' in result['msg']
    assert sorted(os.listdir(str(tmp_path))) == ['args', 'mysqldump']


def test_a_dump_without_its_completion_line_fails(run_module, tmp_path):
    dest = str(tmp_path / 'db.sql.gz')
    result = run_module(database_dump.main, {'databases': ['keystone'], 'dest': dest,
                                             'program': fake(tmp_path, FAKE.replace('-- Dump completed', '--'))})
    assert result['failed'] and 'Dump completed' in result['msg'] and not os.path.exists(dest)


def test_a_database_the_dump_lacks_fails(run_module, tmp_path):
    dest = str(tmp_path / 'db.sql.gz')
    result = run_module(database_dump.main, {'databases': ['keystone', 'glance'], 'dest': dest,
                                             'program': fake(tmp_path)})
    assert result['failed'] and 'no database glance' in result['msg'] and not os.path.exists(dest)


def test_a_damaged_dump_is_refused_before_anything_drops(run_module, tmp_path):
    src = tmp_path / 'db.sql.gz'
    src.write_bytes(gzip.compress(b'USE `keystone`;\n'))
    marker = tmp_path / 'marker'
    client = fake(tmp_path, '#!/bin/sh\necho called > "$(dirname "$0")/called"\n')
    result = run_module(database_restore.main, {'src': str(src), 'sha256': '0' * 64, 'program': client,
                                                'table_rows': {'keystone': {}}, 'marker': str(marker)})
    assert result['failed'] and 'damaged; nothing was dropped' in result['msg']
    assert not (tmp_path / 'called').exists() and not marker.exists()


def test_check_mode_drops_nothing(run_module, tmp_path):
    src = tmp_path / 'db.sql.gz'
    src.write_bytes(gzip.compress(b'USE `keystone`;\n'))
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    client = fake(tmp_path, '#!/bin/sh\necho called > "$(dirname "$0")/called"\n')
    result = run_module(database_restore.main, {'src': str(src), 'sha256': digest, 'program': client,
                                                'table_rows': {'keystone': {}}, 'marker': str(tmp_path / 'm')},
                        check_mode=True)
    assert result['changed'] and not result.get('failed')
    assert not (tmp_path / 'called').exists()


CLIENT = r"""#!/bin/sh
# a stand-in mysql client: keeps what it is asked to source, answers the restore's queries for keystone.project
for statement; do :; done
dir=$(dirname "$0")
echo "$statement" >> "$dir/statements"
case "$statement" in
    source\ *) cp "${statement#source }" "$dir/loaded" ;;
    SELECT\ table_name*) echo project ;;
    SELECT*) printf 'project\t2\n' ;;
    SHOW\ DATABASES*) echo keystone ;;
esac
"""


def test_the_dump_is_loaded_from_a_private_plain_copy_and_counted(run_module, tmp_path):
    dump = b"USE `keystone`;\nINSERT INTO `project` VALUES ('a'),('b');\n"
    src = tmp_path / 'db.sql.gz'
    src.write_bytes(gzip.compress(dump))
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    client = fake(tmp_path, CLIENT)
    result = run_module(database_restore.main, {'src': str(src), 'sha256': digest, 'program': client,
                                                'table_rows': {'keystone': {'project': 2}},
                                                'marker': str(tmp_path / 'm')})
    assert result['changed'] and not result.get('failed'), result
    assert (tmp_path / 'loaded').read_bytes() == dump
    assert not (tmp_path / 'db.sql.gz.sql').exists()
    statements = (tmp_path / 'statements').read_text().splitlines()
    assert statements[0] == 'DROP DATABASE IF EXISTS `keystone`;'
    assert statements[1] == 'source %s.sql' % src
