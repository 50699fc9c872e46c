"""service_config: set_options on INI text, and main() on a fake node under tmp_path.

The node: dpkg-query and systemctl are answered by a fake run_command; the users and groups files name (glance,
root ...) all resolve to the uid and gid running the tests, so files really get written with their modes and
chown works without root; the owners asked for are recorded.
"""

import os
import re
import stat
import types

import pytest
from ansible.module_utils import basic

from ansible_collections.gureum.openstack.plugins.module_utils import stamps
from ansible_collections.gureum.openstack.plugins.modules import service_config

# ---------------------------------------------------------------------------------------------------------------------
# set_options


def _set(section, option, value, **extra):
    return dict(section=section, option=option, value=value, **extra)


@pytest.mark.parametrize('text, settings, expected', [
    # replace an existing option where it is
    ('[DEFAULT]\ndebug = true\nlog_dir = /x\n\n[database]\nconnection = a\n', [_set('DEFAULT', 'debug', 'false')],
     '[DEFAULT]\ndebug = false\nlog_dir = /x\n\n[database]\nconnection = a\n'),
    ('[uwsgi]\n  processes=4\n', [_set('uwsgi', 'processes', '2')], '[uwsgi]\nprocesses = 2\n'),
    # the same option in another section stays
    ('[a]\nx = 1\n[b]\nx = 1\n', [_set('b', 'x', '2')], '[a]\nx = 1\n[b]\nx = 2\n'),
    ('[a]\nx = 1\n[b]\nx = 1\n', [_set('a', 'x', '2')], '[a]\nx = 2\n[b]\nx = 1\n'),
    # the first line of the option in its section takes the value, its later lines there go (the last one would win)
    ('[a]\nx = 1\nx = 2\n', [_set('a', 'x', '3')], '[a]\nx = 3\n'),
    ('[a]\nx = 1\ny = 0\nx = 2\n[b]\nx = 1\n', [_set('a', 'x', '3')], '[a]\nx = 3\ny = 0\n[b]\nx = 1\n'),
    # Debian's nova-api-metadata-uwsgi.ini
    ('[uwsgi]\nprocesses = 2\n# max perf\nprocesses = 8\nthreads = 1\n', [_set('uwsgi', 'processes', '2')],
     '[uwsgi]\nprocesses = 2\n# max perf\nthreads = 1\n'),
    # a commented-out option or a longer name is another line
    ('[a]\n#x = 1\nx_y = 1\n', [_set('a', 'x', '2')], '[a]\n#x = 1\nx_y = 1\nx = 2\n'),
    ('[a]\nx.y = 1\nxzy = 1\n', [_set('a', 'x.y', '2')], '[a]\nx.y = 2\nxzy = 1\n'),
    # add to an existing section: at its end, before the blank lines that close it
    ('[a]\nx = 1\n\n\n[b]\ny = 1\n', [_set('a', 'z', '3')], '[a]\nx = 1\nz = 3\n\n\n[b]\ny = 1\n'),
    ('[a]\nx = 1\n[b]\ny = 1\n\n', [_set('b', 'z', '3')], '[a]\nx = 1\n[b]\ny = 1\nz = 3\n\n'),
    ('[a]\n[b]\n', [_set('a', 'z', '3')], '[a]\nz = 3\n[b]\n'),
    ('[ a ]\nx = 1\n', [_set('a', 'x', '2')], '[ a ]\nx = 2\n'),
    # a missing section is added at the end
    ('[a]\nx = 1\n', [_set('b', 'y', '2')], '[a]\nx = 1\n\n[b]\ny = 2\n'),
    ('', [_set('b', 'y', '2')], '[b]\ny = 2\n'),
    ('# only a comment', [_set('b', 'y', '2')], '# only a comment\n\n[b]\ny = 2\n'),
    # two settings of one new section make one section
    ('[a]\n', [_set('b', 'x', '1'), _set('b', 'y', '2')], '[a]\n\n[b]\nx = 1\ny = 2\n'),
    # section None: the lines before the first header
    ('X=1\n[a]\nX=1\n', [_set(None, 'X', '2', no_extra_spaces=True)], 'X=2\n[a]\nX=1\n'),
    ('# comment\n\n[a]\nX=1\n', [_set(None, 'X', '2', no_extra_spaces=True)], '# comment\nX=2\n\n[a]\nX=1\n'),
    ('[a]\nX=1\n', [_set(None, 'X', '2')], 'X = 2\n[a]\nX=1\n'),
    ('OPTS="-l 127.0.0.1"\nUSER=memcache\n', [_set(None, 'OPTS', '"-l 10.0.0.11"', no_extra_spaces=True)],
     'OPTS="-l 10.0.0.11"\nUSER=memcache\n'),
    ('USER=memcache\n', [_set(None, 'OPTS', '"-l 10.0.0.11"', no_extra_spaces=True)],
     'USER=memcache\nOPTS="-l 10.0.0.11"\n'),
    ('', [_set(None, 'OPTS', 'x', no_extra_spaces=True)], 'OPTS=x\n'),
    # no_extra_spaces in a section
    ('[mysqld]\nbind-address = 127.0.0.1\n', [_set('mysqld', 'bind-address', '10.0.0.11', no_extra_spaces=True)],
     '[mysqld]\nbind-address=10.0.0.11\n'),
    # a file without its last line break gets one
    ('[a]\nx = 1', [_set('a', 'x', '1')], '[a]\nx = 1\n'),
])
def test_set_options(text, settings, expected):
    assert service_config.set_options(text, settings) == expected


def test_set_options_is_idempotent():
    settings = [_set('b', 'x', '1'), _set(None, 'Y', '2', no_extra_spaces=True), _set('a', 'z', '3')]
    once = service_config.set_options('[a]\nq = 0\n', settings)
    assert service_config.set_options(once, settings) == once


# ---------------------------------------------------------------------------------------------------------------------
# main() on a fake node


class FakeNode(object):
    def __init__(self, root):
        self.root = root
        self.installed = {'glance-api': '2:25.0.0-1', 'glance-common': '2:25.0.0-1'}
        self.active = {'glance-api': True, 'glance-worker': True}
        self.enabled = {'glance-api': 'enabled', 'glance-worker': 'enabled'}
        self.commands = []
        self.owners = {}   # path -> (uid, gid) last asked for

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def run_command(self, module, argv, **kwargs):
        self.commands.append(list(argv))
        if argv[0].endswith('dpkg-query'):
            names = [a for a in argv[1:] if not a.startswith('--')]
            out = ''.join('%s installed %s\n' % (n, self.installed[n]) for n in names if n in self.installed)
            missing = [n for n in names if n not in self.installed]
            err = ''.join('dpkg-query: no packages found matching %s\n' % n for n in missing)
            return (1 if missing else 0), out, err
        if argv[0].endswith('systemctl'):
            units = argv[2:]
            if argv[1] == 'is-active':
                states = ['active' if self.active.get(u) else 'inactive' for u in units]
            else:
                states = [self.enabled.get(u, 'disabled') for u in units]
            return 0, ''.join(s + '\n' for s in states), ''
        raise AssertionError('unexpected command %r' % (argv,))


@pytest.fixture
def node(tmp_path, monkeypatch):
    fake = FakeNode(str(tmp_path))
    uid, gid = os.getuid(), os.getgid()
    names = ('root', 'glance')
    monkeypatch.setattr(basic.AnsibleModule, 'run_command',
                        lambda module, *a, **kw: fake.run_command(module, *a, **kw))  # pylint: disable=unnecessary-lambda
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda module, name, *a, **kw: '/usr/bin/%s' % name if name in ('dpkg-query', 'systemctl')
                        else None)

    def getpwnam(name):
        if name not in names:
            raise KeyError(name)
        return types.SimpleNamespace(pw_name=name, pw_uid=uid)

    def getgrnam(name):
        if name not in names:
            raise KeyError(name)
        return types.SimpleNamespace(gr_name=name, gr_gid=gid)

    real_chown = os.chown

    def chown(path, owner, group, *args, **kwargs):
        fake.owners[os.fsdecode(path)] = (owner, group)
        return real_chown(path, owner, group, *args, **kwargs)

    monkeypatch.setattr(service_config.pwd, 'getpwnam', getpwnam)
    monkeypatch.setattr(service_config.pwd, 'getpwuid', lambda u: types.SimpleNamespace(pw_name='glance', pw_uid=u))
    monkeypatch.setattr(service_config.grp, 'getgrnam', getgrnam)
    monkeypatch.setattr(service_config.grp, 'getgrgid', lambda g: types.SimpleNamespace(gr_name='glance', gr_gid=g))
    monkeypatch.setattr(os, 'chown', chown)
    return fake


SECRET = 'Sup3r-s3cret-pw'


def glance(node, **extra):
    args = {
        'name': 'glance',
        'packages': ['glance-api'],
        'directories': [{'path': node.path('etc', 'glance'), 'group': 'glance', 'mode': '0750'}],
        'header': '# Managed by gureum.openstack\n',
        'files': [
            {'path': node.path('etc', 'glance', 'glance-api.conf'), 'group': 'glance',
             'content': '[database]\nconnection = mysql+pymysql://glance:%s@db/glance\n' % SECRET},
            {'path': node.path('etc', 'glance', 'worker.conf'), 'content': '[worker]\nx = 1', 'mode': '0644',
             'units': ['glance-worker']},
        ],
        'units': ['glance-api', 'glance-worker'],
        'secrets': [SECRET],
    }
    args.update(extra)
    return args


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_first_run_writes_the_files(node, run_module):
    result = run_module(service_config.main, glance(node))
    assert not result.get('failed'), result
    conf, worker = node.path('etc', 'glance', 'glance-api.conf'), node.path('etc', 'glance', 'worker.conf')
    with open(conf) as handle:
        assert handle.read() == ('# Managed by gureum.openstack\n[database]\nconnection = mysql+pymysql://glance:%s'
                                 '@db/glance\n' % SECRET)
    with open(worker) as handle:
        assert handle.read() == '# Managed by gureum.openstack\n[worker]\nx = 1\n'
    assert (_mode(conf), _mode(worker), _mode(node.path('etc', 'glance'))) == (0o640, 0o644, 0o750)
    assert node.owners[conf] == (os.getuid(), os.getgid())
    assert (result['changed'], result['converged']) == (True, False)
    assert result['changed_files'] == [conf, worker]
    assert result['restart'] == ['glance-api', 'glance-worker']
    assert result['missing_packages'] == []


def test_an_unchanged_second_run_is_converged(node, run_module):
    run_module(service_config.main, glance(node))
    result = run_module(service_config.main, glance(node))
    assert (result['changed'], result['converged']) == (False, True)
    assert (result['changed_files'], result['restart'], result['inactive'], result['disabled']) == ([], [], [], [])


@pytest.mark.parametrize('unit, active, enabled, inactive, disabled', [
    ('glance-worker', False, 'enabled', ['glance-worker'], []),
    ('glance-worker', True, 'disabled', [], ['glance-worker']),
    ('glance-api', False, 'masked', ['glance-api'], ['glance-api']),
])
def test_a_stopped_or_disabled_unit_is_not_converged(node, run_module, unit, active, enabled, inactive, disabled):
    run_module(service_config.main, glance(node))
    node.active[unit], node.enabled[unit] = active, enabled
    result = run_module(service_config.main, glance(node))
    assert (result['changed'], result['converged']) == (False, False)
    assert (result['inactive'], result['disabled']) == (inactive, disabled)


@pytest.mark.parametrize('state', ['static', 'indirect', 'alias'])
def test_units_started_by_others_count_as_enabled(node, run_module, state):
    run_module(service_config.main, glance(node))
    node.enabled['glance-worker'] = state
    assert run_module(service_config.main, glance(node))['converged'] is True


@pytest.mark.parametrize('check_mode', [False, True])
def test_a_secret_in_a_changed_file_is_masked_in_the_diff(node, run_module, check_mode):
    run_module(service_config.main, glance(node))
    args = glance(node, _ansible_diff=True)
    new_secret = 'N3w-s3cret-pw'
    args['files'][0]['content'] = '[database]\nconnection = mysql+pymysql://glance:%s@db/glance\n' % new_secret
    args['secrets'] = [new_secret]
    result = run_module(service_config.main, args, check_mode=check_mode)
    assert result['changed'] is True
    assert new_secret not in result['_raw']
    assert len(result['diff']) == 1
    assert result['diff'][0]['before_header'] == node.path('etc', 'glance', 'glance-api.conf')
    assert 'connection = mysql+pymysql://glance:********@db/glance' in result['diff'][0]['after']
    with open(node.path('etc', 'glance', 'glance-api.conf')) as handle:
        assert (new_secret in handle.read()) is not check_mode


def test_a_secret_is_masked_on_the_first_write_too(node, run_module):
    result = run_module(service_config.main, glance(node, _ansible_diff=True))
    assert SECRET not in result['_raw']
    assert [d['before'] for d in result['diff']] == ['', '']


def test_no_diff_without_diff_mode(node, run_module):
    assert 'diff' not in run_module(service_config.main, glance(node))


@pytest.mark.parametrize('index, units, restart', [
    (0, None, ['glance-api', 'glance-worker']),   # no units: every unit of the service
    (1, ['glance-worker'], ['glance-worker']),
    (0, ['glance-api'], ['glance-api']),
    (0, [], []),                                    # empty: none
])
def test_units_of_a_changed_file_land_in_restart(node, run_module, index, units, restart):
    run_module(service_config.main, glance(node))
    args = glance(node)
    args['files'][index]['content'] += '\n# changed\n'
    if units is None:
        args['files'][index].pop('units', None)
    else:
        args['files'][index]['units'] = units
    result = run_module(service_config.main, args)
    assert result['changed_files'] == [args['files'][index]['path']]
    assert result['restart'] == restart
    assert result['converged'] is False


def test_restart_follows_the_order_of_units(node, run_module):
    run_module(service_config.main, glance(node))
    args = glance(node, units=['glance-worker', 'glance-api'])
    for item in args['files']:
        item['content'] += '\n# changed\n'
    assert run_module(service_config.main, args)['restart'] == ['glance-worker', 'glance-api']


def test_a_mode_change_rewrites_the_mode(node, run_module):
    run_module(service_config.main, glance(node))
    conf = node.path('etc', 'glance', 'glance-api.conf')
    os.chmod(conf, 0o666)
    result = run_module(service_config.main, glance(node))
    assert result['changed_files'] == [conf]
    assert _mode(conf) == 0o640


@pytest.mark.parametrize('installed', [{}, {'glance-common': '2:25.0.0-1'}])
def test_a_missing_package_writes_nothing(node, run_module, installed):
    node.installed = installed
    result = run_module(service_config.main, glance(node))
    assert not result.get('failed'), result
    assert result['missing_packages'] == ['glance-api']
    assert (result['changed'], result['converged'], result['changed_files'], result['restart']) == (
        False, False, [], [])
    assert os.listdir(node.root) == []
    assert not [c for c in node.commands if c[0].endswith('systemctl')]


def test_check_mode_writes_nothing(node, run_module):
    result = run_module(service_config.main, glance(node), check_mode=True)
    assert (result['changed'], result['converged']) == (True, False)
    assert result['restart'] == ['glance-api', 'glance-worker']
    assert os.listdir(node.root) == []


def _packaged(node, text='[uwsgi]\nprocesses = 4\n', mode=0o644):
    path = node.path('etc', 'glance', 'glance-api-uwsgi.ini')
    os.makedirs(os.path.dirname(path))
    with open(path, 'w') as handle:
        handle.write(text)
    os.chmod(path, mode)
    return path


def test_settings_change_a_packaged_file_in_place(node, run_module):
    path = _packaged(node, '# packaged\n[uwsgi]\nprocesses = 4\nthreads = 1\n', 0o604)
    settings = [{'path': path, 'section': 'uwsgi', 'option': 'processes', 'value': '2', 'units': ['glance-api']}]
    result = run_module(service_config.main, glance(node, files=[], directories=[], settings=settings))
    assert not result.get('failed'), result
    with open(path) as handle:
        assert handle.read() == '# packaged\n[uwsgi]\nprocesses = 2\nthreads = 1\n'
    assert _mode(path) == 0o604
    assert (result['changed_files'], result['restart']) == ([path], ['glance-api'])
    again = run_module(service_config.main, glance(node, files=[], directories=[], settings=settings))
    assert (again['changed'], again['converged']) == (False, True)


def test_settings_of_a_missing_file_fail(node, run_module):
    settings = [{'path': node.path('etc', 'glance', 'nope.ini'), 'section': 'a', 'option': 'b', 'value': 'c'}]
    result = run_module(service_config.main, glance(node, files=[], directories=[], settings=settings))
    assert result['failed'] is True
    assert 'does not exist, so its settings cannot be adjusted' in result['msg']


@pytest.mark.parametrize('stamp, pending, converged', [
    (None, ['glance'], False), ('2:25.0.0-1', [], True), ('2:24.0.0-1', ['glance'], False)])
def test_db_sync_pending_follows_the_stamp(node, run_module, tmp_path_factory, stamp, pending, converged):
    stamp_dir = str(tmp_path_factory.mktemp('stamps'))
    if stamp:
        stamps.write_stamp(stamp_dir, 'glance', stamp)
    args = glance(node, db_sync=[{'name': 'glance', 'package': 'glance-common'}], stamp_dir=stamp_dir)
    run_module(service_config.main, args)
    result = run_module(service_config.main, args)
    assert (result['db_sync_pending'], result['converged']) == (pending, converged)


@pytest.mark.parametrize('change, message', [
    (lambda a: a['files'][0].update(path='etc/glance/glance-api.conf'), 'needs an absolute path'),
    (lambda a: a['files'][1].update(units=['glance-registry']), r"names unit\(s\) glance-registry that are not"),
    (lambda a: a['files'][0].update(owner='nobody-such'),
     'needs user nobody-such and group glance, which do not exist'),
])
def test_bad_arguments_fail(node, run_module, change, message):
    args = glance(node)
    change(args)
    result = run_module(service_config.main, args)
    assert result['failed'] is True
    assert re.search(message, result['msg']), result['msg']


def test_a_secret_never_reaches_the_nodes_log(node, run_module):
    run_module(service_config.main, glance(node))
    assert run_module.logged
    assert not [message for message in run_module.logged if SECRET in message]
