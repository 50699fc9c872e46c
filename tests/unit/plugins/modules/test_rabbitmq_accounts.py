"""rabbitmq_accounts: RabbitMQ's salted password hashes, the plan, and main() against a fake rabbitmqctl."""

import base64
import copy
import hashlib
import json

import pytest
from ansible.module_utils import basic

from ansible_collections.gureum.openstack.plugins.modules import rabbitmq_accounts as ra

ALL = {'configure': '.*', 'write': '.*', 'read': '.*'}


def rabbit_hash(password, salt=b'\x01\x02\x03\x04', algorithm=hashlib.sha256):
    """The hash as RabbitMQ stores it: base64(salt + H(salt + UTF-8 password)), 4 bytes of salt."""
    return base64.b64encode(salt + algorithm(salt + password.encode('utf-8')).digest()).decode('ascii')


def user(name, password, tags='', algorithm='rabbit_password_hashing_sha256', hasher=hashlib.sha256):
    return {'name': name, 'password_hash': rabbit_hash(password, algorithm=hasher), 'hashing_algorithm': algorithm,
            'tags': tags, 'limits': {}}


# ---------------------------------------------------------------------------------------------------------------------
# password_hash, password_matches


@pytest.mark.parametrize('password', ['pw', 'Sup3r-s3cret', 'ü-ñ-€', 'x' * 200, "it's \"quoted\""])
def test_password_hash_round_trip(password):
    entry = {'password_hash': ra.password_hash(password), 'hashing_algorithm': 'rabbit_password_hashing_sha256'}
    assert ra.password_matches(entry, password) is True
    assert ra.password_matches(entry, password + 'x') is False
    assert ra.password_matches(entry, password[:-1]) is False


@pytest.mark.parametrize('salt', [b'\x00\x00\x00\x00', b'\xff\xfe\xfd\xfc', b'salt'])
def test_password_hash_is_rabbitmqs(salt):
    assert ra.password_hash('pw', salt) == rabbit_hash('pw', salt)
    assert len(base64.b64decode(ra.password_hash('pw', salt))) == 4 + 32


def test_password_hash_is_salted():
    assert ra.password_hash('pw') != ra.password_hash('pw')


@pytest.mark.parametrize('algorithm, hasher', [
    ('rabbit_password_hashing_sha256', hashlib.sha256),
    ('rabbit_password_hashing_sha512', hashlib.sha512),
    ('rabbit_password_hashing_md5', hashlib.md5),
])
def test_password_matches_every_rabbitmq_algorithm(algorithm, hasher):
    entry = user('nova', 'pw', algorithm=algorithm, hasher=hasher)
    assert ra.password_matches(entry, 'pw') is True
    assert ra.password_matches(entry, 'other') is False


def test_password_matches_defaults_to_sha256():
    assert ra.password_matches({'password_hash': rabbit_hash('pw')}, 'pw') is True


@pytest.mark.parametrize('entry', [
    {'password_hash': '', 'hashing_algorithm': 'rabbit_password_hashing_sha256'},     # a user without a password
    {'hashing_algorithm': 'rabbit_password_hashing_sha256'},
    {'password_hash': None},
    {'password_hash': 'not base64!'},
    {'password_hash': base64.b64encode(b'abcd').decode()},                            # salt alone
    {'password_hash': rabbit_hash('pw'), 'hashing_algorithm': 'rabbit_password_hashing_sha3'},
    {'password_hash': rabbit_hash('pw', algorithm=hashlib.sha512),
     'hashing_algorithm': 'rabbit_password_hashing_sha256'},
])
def test_password_matches_refuses(entry):
    assert ra.password_matches(entry, 'pw') is False


# ---------------------------------------------------------------------------------------------------------------------
# plan


NOVA = {'user': 'nova', 'password': 'nova-pw', 'vhost': 'nova'}
CONVERGED = {
    'users': [user('nova', 'nova-pw'), user('admin', 'x', 'administrator')],
    'vhosts': [{'name': '/'}, {'name': 'nova'}],
    'permissions': [dict(ALL, user='nova', vhost='nova'), dict(ALL, user='admin', vhost='/')],
}


def changed(**parts):
    definitions = copy.deepcopy(CONVERGED)
    definitions.update(parts)
    return definitions


@pytest.mark.parametrize('definitions, accounts, absent, changes, users, vhosts, permissions, removed', [
    # nothing to do
    (CONVERGED, [NOVA], [], [], [], [], [], []),
    (CONVERGED, [], [], [], [], [], [], []),
    (CONVERGED, [NOVA], ['guest'], [], [], [], [], []),
    # a new user on a new vhost
    ({}, [NOVA], [], ['vhost nova created', 'user nova created', 'user nova granted everything on vhost nova'],
     ['nova'], ['nova'], ['nova'], []),
    ({'users': [], 'vhosts': [{'name': 'nova'}], 'permissions': []}, [NOVA], [],
     ['user nova created', 'user nova granted everything on vhost nova'], ['nova'], [], ['nova'], []),
    # a changed password
    (changed(users=[user('nova', 'old-pw')]), [NOVA], [], ['user nova updated (password or tags)'], ['nova'], [], [],
     []),
    # changed tags, as the string older brokers export and as the list newer ones do
    (changed(users=[user('nova', 'nova-pw', 'management')]), [NOVA], [], ['user nova updated (password or tags)'],
     ['nova'], [], [], []),
    (changed(users=[user('nova', 'nova-pw', ['management'])]), [NOVA], [], ['user nova updated (password or tags)'],
     ['nova'], [], [], []),
    (changed(users=[user('nova', 'nova-pw', ['management', 'monitoring'])]),
     [dict(NOVA, tags=['monitoring', 'management'])], [], [], [], [], [], []),
    (changed(users=[user('nova', 'nova-pw', 'monitoring,management')]),
     [dict(NOVA, tags=['management', 'monitoring'])], [], [], [], [], [], []),
    (changed(users=[user('nova', 'nova-pw', [])]), [NOVA], [], [], [], [], [], []),
    # wrong or missing permissions
    (changed(permissions=[dict(ALL, user='nova', vhost='nova', configure='')]), [NOVA], [],
     ['user nova granted everything on vhost nova'], [], [], ['nova'], []),
    (changed(permissions=[dict(ALL, user='nova', vhost='nova', read='^nova')]), [NOVA], [],
     ['user nova granted everything on vhost nova'], [], [], ['nova'], []),
    (changed(permissions=[dict(ALL, user='nova', vhost='/')]), [NOVA], [],
     ['user nova granted everything on vhost nova'], [], [], ['nova'], []),
    # the guest user goes; users not named are left alone
    (changed(users=CONVERGED['users'] + [user('guest', 'guest', 'administrator')]), [NOVA], ['guest'],
     ['user guest removed'], [], [], [], ['guest']),
    (changed(users=CONVERGED['users'] + [user('guest', 'guest', 'administrator')]), [NOVA], [], [], [], [], [], []),
])
def test_plan(definitions, accounts, absent, changes, users, vhosts, permissions, removed):
    wanted, to_remove, sentences = ra.plan(definitions, accounts, absent)
    assert sentences == changes
    assert [u['name'] for u in wanted['users']] == users
    assert [v['name'] for v in wanted['vhosts']] == vhosts
    assert [p['user'] for p in wanted['permissions']] == permissions
    assert to_remove == removed


def test_plan_imports_a_hash_of_the_password_not_the_password():
    wanted, dummy, dummy = ra.plan({}, [dict(NOVA, tags=['monitoring'])], [])
    entry = wanted['users'][0]
    assert entry['hashing_algorithm'] == 'rabbit_password_hashing_sha256'
    assert entry['tags'] == 'monitoring'
    assert ra.password_matches(entry, 'nova-pw')
    assert 'nova-pw' not in json.dumps(wanted)
    assert wanted['permissions'] == [dict(ALL, user='nova', vhost='nova')]


def test_plan_creates_a_shared_vhost_once():
    accounts = [NOVA, {'user': 'nova2', 'password': 'pw', 'vhost': 'nova'}]
    wanted, dummy, changes = ra.plan({}, accounts, [])
    assert wanted['vhosts'] == [{'name': 'nova'}]
    assert changes.count('vhost nova created') == 1


# ---------------------------------------------------------------------------------------------------------------------
# main() with a fake rabbitmqctl


class FakeBroker(object):
    def __init__(self, definitions):
        self.definitions = copy.deepcopy(definitions)
        self.commands = []
        self.imported = []      # definitions given to import_definitions on its standard input
        self.fail = {}          # command -> (rc, out, err)

    def run_command(self, module, argv, **kwargs):
        self.commands.append(list(argv))
        assert argv[0] == '/usr/sbin/rabbitmqctl' and argv[1] == '--quiet'
        command = argv[2]
        if command in self.fail:
            return self.fail[command]
        if command == 'export_definitions':
            assert argv[3:] == ['-', '--format', 'json']
            return 0, json.dumps(self.definitions), ''
        if command == 'import_definitions':
            # on standard input, never a file: the broker would read a file as the rabbitmq user
            assert argv[3:] == ['--format', 'json'], argv
            data = json.loads(kwargs['data'])
            self.imported.append(data)
            for kind in ('users', 'vhosts', 'permissions'):
                keys = {'users': ('name',), 'vhosts': ('name',), 'permissions': ('user', 'vhost')}[kind]
                kept = [i for i in self.definitions.get(kind, [])
                        if tuple(i[k] for k in keys) not in [tuple(n[k] for k in keys) for n in data[kind]]]
                self.definitions[kind] = kept + data[kind]
            return 0, '', ''
        if command == 'delete_user':
            self.definitions['users'] = [u for u in self.definitions['users'] if u['name'] != argv[3]]
            return 0, '', ''
        raise AssertionError('unexpected command %r' % (argv,))

    def ran(self):
        return [argv[2] for argv in self.commands]


@pytest.fixture
def broker(monkeypatch):
    fake = FakeBroker(CONVERGED)
    monkeypatch.setattr(basic.AnsibleModule, 'run_command',
                        lambda module, *a, **kw: fake.run_command(module, *a, **kw))  # pylint: disable=unnecessary-lambda
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda module, name, *a, **kw: '/usr/sbin/rabbitmqctl' if name == 'rabbitmqctl' else None)
    return fake


ACCOUNTS = [NOVA, {'user': 'neutron', 'password': 'neutron-pw', 'vhost': 'neutron'}]


def test_a_converged_broker_costs_one_call(broker, run_module):
    result = run_module(ra.main, {'accounts': [NOVA], 'absent': ['guest']})
    assert not result.get('failed'), result
    assert (result['changed'], result['changes']) == (False, [])
    assert broker.ran() == ['export_definitions']


def test_new_accounts_are_imported_as_hashes(broker, run_module):
    result = run_module(ra.main, {'accounts': ACCOUNTS})
    assert result['changed'] is True
    assert result['changes'] == ['vhost neutron created', 'user neutron created',
                                 'user neutron granted everything on vhost neutron']
    assert broker.ran() == ['export_definitions', 'import_definitions']
    data, = broker.imported
    assert 'neutron-pw' not in json.dumps(data) and 'nova-pw' not in json.dumps(data)
    assert ra.password_matches(data['users'][0], 'neutron-pw')
    assert 'neutron-pw' not in result['_raw']
    again = run_module(ra.main, {'accounts': ACCOUNTS})
    assert again['changed'] is False


def test_a_changed_password_is_updated(broker, run_module):
    result = run_module(ra.main, {'accounts': [dict(NOVA, password='new-pw')]})
    assert result['changes'] == ['user nova updated (password or tags)']
    assert ra.password_matches([u for u in broker.definitions['users'] if u['name'] == 'nova'][0], 'new-pw')
    assert 'new-pw' not in result['_raw']


def test_wrong_permissions_are_set(broker, run_module):
    broker.definitions['permissions'] = [dict(ALL, user='nova', vhost='nova', write='^$')]
    result = run_module(ra.main, {'accounts': [NOVA]})
    assert result['changes'] == ['user nova granted everything on vhost nova']
    assert broker.imported[0] == {'users': [], 'vhosts': [], 'permissions': [dict(ALL, user='nova', vhost='nova')]}


def test_the_guest_user_is_deleted(broker, run_module):
    broker.definitions['users'].append(user('guest', 'guest', 'administrator'))
    result = run_module(ra.main, {'absent': ['guest']})
    assert (result['changed'], result['changes']) == (True, ['user guest removed'])
    assert broker.commands[-1] == ['/usr/sbin/rabbitmqctl', '--quiet', 'delete_user', 'guest']
    assert broker.ran() == ['export_definitions', 'delete_user']


def test_check_mode_changes_nothing(broker, run_module):
    broker.definitions['users'].append(user('guest', 'guest', 'administrator'))
    result = run_module(ra.main, {'accounts': ACCOUNTS, 'absent': ['guest']}, check_mode=True)
    assert result['changed'] is True
    assert result['changes'][-1] == 'user guest removed'
    assert broker.ran() == ['export_definitions']


@pytest.mark.parametrize('command, answer, args, message', [
    ('export_definitions', (69, '', 'Error: unable to perform an operation on node'), {'accounts': [NOVA]},
     'rabbitmqctl export_definitions failed (is the broker running?): Error: unable to perform'),
    ('export_definitions', (0, 'Exporting definitions ...', ''), {'accounts': [NOVA]},
     'rabbitmqctl export_definitions printed no JSON: Exporting definitions'),
    ('import_definitions', (1, '', 'Error: bad file'), {'accounts': ACCOUNTS},
     'rabbitmqctl import_definitions failed: Error: bad file'),
])
def test_rabbitmqctl_failures(broker, run_module, command, answer, args, message):
    broker.fail[command] = answer
    result = run_module(ra.main, args)
    assert result['failed'] is True
    assert message in result['msg'], result['msg']


@pytest.mark.parametrize('account, lacks', [
    ({'user': 'nova', 'vhost': 'nova'}, 'password'),
    ({'password': 'pw', 'vhost': 'nova'}, 'user'),
    ({'user': 'nova', 'password': 'pw'}, 'vhost'),
])
def test_incomplete_accounts_fail(broker, run_module, account, lacks):
    result = run_module(ra.main, {'accounts': [account]})
    assert result['failed'] is True
    assert 'missing required arguments: %s found in accounts' % lacks in result['msg']
    assert broker.commands == []


def test_passwords_are_masked_in_the_result(broker, run_module):
    result = run_module(ra.main, {'accounts': [dict(NOVA, password='Sup3r-s3cret')]})
    assert 'Sup3r-s3cret' not in result['_raw']


def test_passwords_never_reach_the_nodes_log(broker, run_module):
    run_module(ra.main, {'accounts': [dict(NOVA, password='Sup3r-s3cret')]})
    assert run_module.logged
    assert not [message for message in run_module.logged if 'Sup3r-s3cret' in message]


def test_with_no_log_on_the_task_nothing_is_logged(broker, run_module):
    # what roles/service_setup does
    run_module(ra.main, {'accounts': [dict(NOVA, password='Sup3r-s3cret')], '_ansible_no_log': True})
    assert not [message for message in run_module.logged if 'Sup3r-s3cret' in message]
