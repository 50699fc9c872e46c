"""db_sync with AnsibleModule.run_command answered by a fake migration tool."""

import pytest
from ansible.module_utils import basic

from ansible_collections.gureum.openstack.plugins.modules import db_sync

VERSION = ['glance-manage', 'db', 'version']
SYNC = ['/usr/bin/glance-manage', 'db', 'sync']


class FakeTool(object):
    """A database whose schema the sync command moves to `target`, and a package manager."""

    def __init__(self, schema='2024_01', target='2024_01', package='2:29.0.0-1', dpkg=True):
        self.schema, self.target, self.package, self.dpkg = schema, target, package, dpkg
        self.commands = []
        self.fail = {}   # command name -> (rc, out, err)

    def get_bin_path(self, module, name, *args, **kwargs):
        return '/usr/bin/dpkg-query' if name == 'dpkg-query' and self.dpkg else None

    def run_command(self, module, argv, **kwargs):
        self.commands.append(list(argv))
        words = [w for w in argv if w not in ('runuser', '-u', '--', 'glance')]
        if argv[0] in ('dpkg-query', 'rpm'):
            return (0, self.package, '') if self.package else (1, '', 'package glance-common is not installed\n')
        name = 'version' if words[-1] == 'version' else 'sync'
        if name in self.fail:
            return self.fail[name]
        if name == 'sync':
            self.schema = self.target
            return 0, 'Database is synced successfully.\n', ''
        return 0, '%s\n' % self.schema, ''

    def ran(self, what):
        return [argv for argv in self.commands if argv[-1] == what]


@pytest.fixture
def tool(monkeypatch):
    fake = FakeTool()
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda module, *a, **kw: fake.get_bin_path(module, *a, **kw))  # pylint: disable=unnecessary-lambda
    monkeypatch.setattr(basic.AnsibleModule, 'run_command',
                        lambda module, *a, **kw: fake.run_command(module, *a, **kw))  # pylint: disable=unnecessary-lambda
    return fake


def args(tmp_path, **extra):
    base = {'version_command': VERSION, 'sync_command': SYNC, 'stamp_dir': str(tmp_path / 'stamps')}
    base.update(extra)
    return base


def test_changed_when_the_sync_moves_the_schema(tool, run_module, tmp_path):
    tool.schema, tool.target = '2023_02', '2024_01'
    result = run_module(db_sync.main, args(tmp_path))
    assert not result.get('failed'), result
    assert result['changed'] is True
    assert (result['before'], result['after']) == ('2023_02', '2024_01')
    assert [argv[-1] for argv in tool.commands] == ['version', 'sync', 'version']


def test_not_changed_when_the_schema_stays(tool, run_module, tmp_path):
    result = run_module(db_sync.main, args(tmp_path))
    assert result['changed'] is False
    assert (result['before'], result['after']) == ('2024_01', '2024_01')
    assert len(tool.ran('sync')) == 1


def test_without_package_it_always_syncs_and_writes_no_stamp(tool, run_module, tmp_path):
    run_module(db_sync.main, args(tmp_path))
    result = run_module(db_sync.main, args(tmp_path))
    assert 'skipped_for' not in result
    assert len(tool.ran('sync')) == 2
    assert not (tmp_path / 'stamps').exists()
    assert not [argv for argv in tool.commands if argv[0] in ('dpkg-query', 'rpm')]


@pytest.mark.parametrize('extra, stamp', [
    ({}, 'glance-manage'),
    ({'name': 'glance-db'}, 'glance-db'),
], ids=['first-word', 'name'])
def test_a_sync_notes_the_package_version(tool, run_module, tmp_path, extra, stamp):
    result = run_module(db_sync.main, args(tmp_path, package='glance-common', **extra))
    assert not result.get('failed'), result
    assert (tmp_path / 'stamps' / stamp).read_text() == '2:29.0.0-1\n'
    assert tool.commands[0] == ['dpkg-query', '-W', '-f=${Version}', 'glance-common']


def test_the_same_package_version_skips_both_commands(tool, run_module, tmp_path):
    run_module(db_sync.main, args(tmp_path, package='glance-common'))
    del tool.commands[:]
    result = run_module(db_sync.main, args(tmp_path, package='glance-common'))
    assert result['changed'] is False and result['skipped_for'] == '2:29.0.0-1'
    assert tool.ran('version') == [] and tool.ran('sync') == []


def test_a_different_package_version_syncs_again(tool, run_module, tmp_path):
    (tmp_path / 'stamps').mkdir()
    (tmp_path / 'stamps' / 'glance-manage').write_text('2:28.0.0-1\n')
    tool.schema, tool.target = '2023_02', '2024_01'
    result = run_module(db_sync.main, args(tmp_path, package='glance-common'))
    assert result['changed'] is True and 'skipped_for' not in result
    assert len(tool.ran('sync')) == 1
    assert (tmp_path / 'stamps' / 'glance-manage').read_text() == '2:29.0.0-1\n'


def test_a_package_not_installed_syncs_and_notes_nothing(tool, run_module, tmp_path):
    tool.package = None
    result = run_module(db_sync.main, args(tmp_path, package='glance-common'))
    assert not result.get('failed'), result
    assert len(tool.ran('sync')) == 1
    assert not (tmp_path / 'stamps').exists()


def test_rpm_gives_the_version_where_dpkg_is_missing(tool, run_module, tmp_path):
    tool.dpkg = False
    run_module(db_sync.main, args(tmp_path, package='openstack-glance'))
    assert tool.commands[0] == ['rpm', '-q', '--qf', '%{VERSION}-%{RELEASE}', 'openstack-glance']
    assert (tmp_path / 'stamps' / 'glance-manage').read_text() == '2:29.0.0-1\n'


@pytest.mark.parametrize('user, prefix', [
    ('root', []),
    ('glance', ['runuser', '-u', 'glance', '--']),
], ids=['root', 'service-user'])
def test_commands_run_as_the_user(tool, run_module, tmp_path, user, prefix):
    run_module(db_sync.main, args(tmp_path, user=user))
    assert tool.commands == [prefix + VERSION, prefix + SYNC, prefix + VERSION]


@pytest.mark.parametrize('failing, out, err, what, shown', [
    ('sync', 'partial output\n', 'alembic: Can\'t locate revision\n', 'the migration', "alembic: Can't locate revision"),
    ('sync', 'only stdout here\n', '', 'the migration', 'only stdout here'),
    ('version', '', 'Access denied for user\n', 'reading the schema version', 'Access denied for user'),
], ids=['sync-stderr', 'sync-stdout', 'version'])
def test_a_failing_command_fails_with_its_output(tool, run_module, tmp_path, failing, out, err, what, shown):
    tool.fail[failing] = (3, out, err)
    result = run_module(db_sync.main, args(tmp_path, package='glance-common'))
    assert result['failed'] is True
    command = ' '.join(SYNC if failing == 'sync' else VERSION)
    assert result['msg'] == '%s (%s) failed with rc=3: %s' % (what, command, shown)
    assert (result['stdout'], result['stderr']) == (out, err)
    assert not (tmp_path / 'stamps').exists()


def test_a_password_in_a_database_url_is_masked(tool, run_module, tmp_path):
    tool.fail['sync'] = (1, '', 'cannot connect to mysql+pymysql://glance:Gl4nce-S3cret@10.0.0.11/glance\n')
    result = run_module(db_sync.main, args(tmp_path))
    assert result['failed'] is True
    assert 'Gl4nce-S3cret' not in result['_raw']
    assert 'mysql+pymysql://glance:' in result['msg'] and '@10.0.0.11/glance' in result['msg']


def test_check_mode_reads_the_version_and_runs_no_sync(tool, run_module, tmp_path):
    tool.schema, tool.target = '2023_02', '2024_01'
    result = run_module(db_sync.main, args(tmp_path, package='glance-common'), check_mode=True)
    assert result['changed'] is False and result['before'] == '2023_02'
    assert tool.ran('sync') == []
    assert not (tmp_path / 'stamps').exists()


def test_check_mode_respects_the_stamp(tool, run_module, tmp_path):
    (tmp_path / 'stamps').mkdir()
    (tmp_path / 'stamps' / 'glance-manage').write_text('2:29.0.0-1\n')
    result = run_module(db_sync.main, args(tmp_path, package='glance-common'), check_mode=True)
    assert result['changed'] is False and result['skipped_for'] == '2:29.0.0-1'
    assert tool.ran('version') == [] and tool.ran('sync') == []
