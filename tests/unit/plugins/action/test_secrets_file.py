import os
import stat
from unittest import mock

import pytest
import yaml
from ansible.errors import AnsibleActionFail
from ansible.parsing.dataloader import DataLoader
from ansible.parsing.vault import VaultLib, VaultSecret, is_encrypted
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task

from ansible_collections.gureum.openstack.plugins.action import secrets_file

SPECS = [{'name': 'keystone_admin_password', 'kind': 'password'},
         {'name': 'keystone_fernet_keys', 'kind': 'fernet_key', 'count': 2},
         {'name': 'glance_database_password', 'kind': 'password', 'length': 20}]


def run(path, specs=None, vault=None, check_mode=False, **extra):
    loader = DataLoader()
    if vault:
        loader.set_vault_secrets(vault)
    task = Task()
    task.args = dict(path=str(path), secrets=SPECS if specs is None else specs, **extra)
    task.check_mode = check_mode
    action = secrets_file.ActionModule(task, mock.MagicMock(), PlayContext(), loader, None, None)
    return action.run(task_vars={})


def vault(password='s3cret', vault_id='default'):
    return [(vault_id, VaultSecret(password.encode()))]


def test_first_run_generates_everything(tmp_path):
    path = tmp_path / 'secrets.yml'
    result = run(path)
    assert result['changed'] and result['_ansible_no_log']
    assert sorted(result['added']) == sorted(s['name'] for s in SPECS)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    data = yaml.safe_load(path.read_text())
    assert data == result['secrets']
    assert len(data['keystone_admin_password']) == 32 and data['keystone_admin_password'].isalnum()
    assert len(data['glance_database_password']) == 20
    assert len(data['keystone_fernet_keys']) == 2 and all(len(k) == 44 for k in data['keystone_fernet_keys'])


def test_second_run_keeps_values_and_changes_nothing(tmp_path):
    path = tmp_path / 'secrets.yml'
    first = run(path)
    before = path.read_bytes()
    second = run(path)
    assert not second['changed'] and second['added'] == [] and second['secrets'] == first['secrets']
    assert path.read_bytes() == before


def test_missing_ones_are_appended_and_comments_kept(tmp_path):
    path = tmp_path / 'secrets.yml'
    path.write_text('# mine\nkeystone_admin_password: chosen-by-me\nextra: kept\n')
    result = run(path)
    assert sorted(result['added']) == ['glance_database_password', 'keystone_fernet_keys']
    text = path.read_text()
    assert text.startswith('# mine\nkeystone_admin_password: chosen-by-me\nextra: kept\n')
    assert yaml.safe_load(text)['keystone_admin_password'] == 'chosen-by-me'
    assert result['secrets']['extra'] == 'kept'


def test_short_fernet_list_is_extended(tmp_path):
    path = tmp_path / 'secrets.yml'
    path.write_text('keystone_fernet_keys: [one]\n')
    result = run(path, specs=[SPECS[1]])
    assert result['added'] == ['keystone_fernet_keys']
    assert result['secrets']['keystone_fernet_keys'][0] == 'one'
    assert len(yaml.safe_load(path.read_text())['keystone_fernet_keys']) == 2


def test_empty_value_is_generated(tmp_path):
    path = tmp_path / 'secrets.yml'
    path.write_text('keystone_admin_password: ""\n')
    assert run(path, specs=[SPECS[0]])['added'] == ['keystone_admin_password']


def test_mode_is_enforced(tmp_path):
    path = tmp_path / 'secrets.yml'
    run(path)
    os.chmod(path, 0o644)
    result = run(path)
    assert result['changed'] and result['added'] == []
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_check_mode_writes_nothing(tmp_path):
    path = tmp_path / 'secrets.yml'
    result = run(path, check_mode=True)
    assert result['changed'] and not path.exists() and 'keystone_admin_password' in result['secrets']


def test_encrypted_file_stays_encrypted(tmp_path):
    path = tmp_path / 'secrets.yml'
    secrets = vault(vault_id='prod')
    path.write_bytes(VaultLib(secrets).encrypt(b'keystone_admin_password: kept\n', secrets[0][1], 'prod'))
    result = run(path, vault=secrets)
    assert result['changed'] and result['encrypted']
    raw = path.read_bytes()
    assert is_encrypted(raw) and b'kept' not in raw
    assert raw.startswith(b'$ANSIBLE_VAULT;1.2;AES256;prod')
    plain = yaml.safe_load(VaultLib(secrets).decrypt(raw))
    assert plain['keystone_admin_password'] == 'kept' and plain == result['secrets']
    for value in (plain['glance_database_password'], plain['keystone_fernet_keys'][0]):
        assert value.encode() not in raw
    assert not run(path, vault=secrets)['changed']


def test_encrypt_a_new_file(tmp_path):
    path = tmp_path / 'secrets.yml'
    result = run(path, vault=vault(), encrypt=True)
    raw = path.read_bytes()
    assert result['encrypted'] and raw.startswith(b'$ANSIBLE_VAULT;1.1;AES256')
    assert yaml.safe_load(VaultLib(vault()).decrypt(raw)) == result['secrets']


def test_encrypt_a_plain_file(tmp_path):
    path = tmp_path / 'secrets.yml'
    run(path)
    result = run(path, vault=vault(), encrypt=True)
    assert result['changed'] and result['added'] == [] and is_encrypted(path.read_bytes())


@pytest.mark.parametrize('content, kwargs, message', [
    (None, {'vault': None, 'encrypt': True}, 'no vault password'),
    (b'encrypted', {}, 'vault-encrypted but Ansible was given no vault password'),
    (b'encrypted', {'vault': vault('wrong')}, 'cannot decrypt'),
    (b'- a list\n', {}, 'must hold a YAML dictionary'),
    (b'a: !vault |\n  xyz\n', {}, 'inline !vault values are not supported'),
    (b'keystone_fernet_keys: one\n', {'specs': [SPECS[1]]}, "'keystone_fernet_keys' must be a list"),
    (b'keystone_admin_password: [x]\n', {'specs': [SPECS[0]]}, "'keystone_admin_password' must be a string"),
    (None, {'specs': [{'name': 'Bad'}]}, 'must be lower-case'),
    (None, {'specs': [{'name': 'short', 'length': 8}]}, 'too short'),
    (None, {'mode': 'rw'}, 'octal'),
])
def test_errors(tmp_path, content, kwargs, message):
    path = tmp_path / 'secrets.yml'
    if content == b'encrypted':
        content = VaultLib(vault()).encrypt(b'a: b\n', vault()[0][1])
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(AnsibleActionFail, match=message):
        run(path, **kwargs)


def test_missing_directory(tmp_path):
    with pytest.raises(AnsibleActionFail, match='directory of .* does not exist'):
        run(tmp_path / 'nope' / 'secrets.yml')


def test_rotate_a_password_in_place(tmp_path):
    path = tmp_path / 'secrets.yml'
    first = run(path)
    path.write_text('# mine\n' + path.read_text() + 'extra: kept  # a comment\n')
    result = run(path, rotate=['glance_database_password'])
    assert result['changed'] and result['rotated'] == ['glance_database_password'] and result['added'] == []
    new = result['secrets']
    assert new['glance_database_password'] != first['secrets']['glance_database_password']
    assert len(new['glance_database_password']) == 20
    assert dict(new, glance_database_password=None) == dict(first['secrets'], glance_database_password=None,
                                                            extra='kept')
    text = path.read_text()
    assert yaml.safe_load(text) == new
    assert text.startswith('# mine\n') and text.endswith('extra: kept  # a comment\n')
    # the next run without rotate keeps it
    assert not run(path)['changed']


@pytest.mark.parametrize('keys, max_active, expected', [
    (['k0', 'k1'], 3, ['NEW', 'k1', 'k0']),
    (['NEW1', 'k1', 'k0'], 3, ['NEW', 'k0', 'NEW1']),
    (['k0', 'k1', 'k2'], 5, ['NEW', 'k1', 'k2', 'k0']),
    (['k0', 'k1', 'k2', 'k3', 'k4'], 3, ['NEW', 'k4', 'k0']),
])
def test_rotate_fernet(keys, max_active, expected):
    got = secrets_file.rotate_fernet(keys, max_active)
    assert got[1:] == expected[1:]
    assert len(got[0]) == 44 and got[0] not in keys


def test_rotate_fernet_keeps_a_token_for_one_rotation():
    # a token is made with the primary (the last key): it must still be among the keys after one rotation
    keys = ['staged', 'primary']
    once = secrets_file.rotate_fernet(keys, 3)
    assert 'primary' in once and once[-1] == 'staged'
    twice = secrets_file.rotate_fernet(once, 3)
    assert 'primary' not in twice and twice[-1] == once[0]


def test_rotate_fernet_keys_in_the_file(tmp_path):
    path = tmp_path / 'secrets.yml'
    first = run(path)['secrets']
    result = run(path, rotate=['keystone_fernet_keys'])
    keys = yaml.safe_load(path.read_text())['keystone_fernet_keys']
    assert result['secrets']['keystone_fernet_keys'] == keys
    assert keys[1:] == [first['keystone_fernet_keys'][1], first['keystone_fernet_keys'][0]]
    assert not run(path)['changed']
    # a longer list is not cut back by a later run without rotate (count is a floor)
    assert len(run(path)['secrets']['keystone_fernet_keys']) == 3


def test_rotate_an_encrypted_file(tmp_path):
    path = tmp_path / 'secrets.yml'
    secrets = vault(vault_id='prod')
    path.write_bytes(VaultLib(secrets).encrypt(b'keystone_admin_password: kept\n', secrets[0][1], 'prod'))
    first = run(path, vault=secrets)['secrets']
    result = run(path, vault=secrets, rotate=['glance_database_password'])
    raw = path.read_bytes()
    assert raw.startswith(b'$ANSIBLE_VAULT;1.2;AES256;prod')
    plain = yaml.safe_load(VaultLib(secrets).decrypt(raw))
    assert plain == result['secrets'] and plain['keystone_admin_password'] == 'kept'
    assert plain['glance_database_password'] != first['glance_database_password']
    assert plain['glance_database_password'].encode() not in raw


def test_rotate_in_check_mode_writes_nothing(tmp_path):
    path = tmp_path / 'secrets.yml'
    run(path)
    before = path.read_bytes()
    result = run(path, check_mode=True, rotate=['keystone_admin_password'])
    assert result['changed'] and path.read_bytes() == before


@pytest.mark.parametrize('rotate, kwargs, message', [
    (['nova_keystone_password'], {}, 'cannot rotate nova_keystone_password: not among the secrets'),
    (['keystone_fernet_keys'], {'max_active_keys': 2}, 'max_active_keys must be at least 3'),
])
def test_rotate_errors_change_nothing(tmp_path, rotate, kwargs, message):
    path = tmp_path / 'secrets.yml'
    run(path)
    before = path.read_bytes()
    with pytest.raises(AnsibleActionFail, match=message):
        run(path, rotate=rotate, **kwargs)
    assert path.read_bytes() == before


@pytest.mark.parametrize('text, names, expected', [
    ('a: 1\nb: old\nc: 3\n', ['b'], 'a: 1\nb: NEW\nc: 3\n'),
    ('# head\nb: old  # note\n# tail\n', ['b'], '# head\nb: NEW\n# tail\n'),
    ('k:\n- x\n- y\nz: 1\n', ['k'], 'k:\n- NEW\nz: 1\n'),
    ('k:\n  - x\n  - y\n\nz: 1\n', ['k'], 'k:\n- NEW\n\nz: 1\n'),
    ('a: 1', ['b'], 'a: 1\nb: NEW\n'),
    ('---\nb: old\n', ['b'], '---\nb: NEW\n'),
])
def test_replace(text, names, expected):
    values = {'b': 'NEW', 'k': ['NEW']}
    assert secrets_file.replace(text, values, names) == expected


SSH_SPEC = {'name': 'nova_migration_ssh_key', 'kind': 'ssh_key'}


def test_ssh_key_pair_is_generated_kept_and_rotated(tmp_path):
    from cryptography.hazmat.primitives import serialization

    path = tmp_path / 'secrets.yml'
    path.write_text('# mine\nkeystone_admin_password: chosen-by-me\n')
    first = run(path, specs=[SPECS[0], SSH_SPEC])['secrets']['nova_migration_ssh_key']
    key = serialization.load_ssh_private_key(first['private'].encode(), None)
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    assert first['public'].startswith('ssh-ed25519 ') and public.decode() == first['public']
    assert yaml.safe_load(path.read_text())['nova_migration_ssh_key'] == first
    assert path.read_text().startswith('# mine\n')
    assert not run(path, specs=[SPECS[0], SSH_SPEC])['changed']
    rotated = run(path, specs=[SPECS[0], SSH_SPEC], rotate=['nova_migration_ssh_key'])
    assert rotated['secrets']['nova_migration_ssh_key']['public'] != first['public']
    assert rotated['secrets']['keystone_admin_password'] == 'chosen-by-me'


@pytest.mark.parametrize('content', [b'nova_migration_ssh_key: a-string\n',
                                     b'nova_migration_ssh_key: {private: x}\n',
                                     b'nova_migration_ssh_key: {private: x, public: ""}\n'])
def test_a_malformed_ssh_key_pair_is_refused(tmp_path, content):
    path = tmp_path / 'secrets.yml'
    path.write_bytes(content)
    with pytest.raises(AnsibleActionFail, match="'nova_migration_ssh_key' must be an SSH key pair"):
        run(path, specs=[SSH_SPEC])
    assert path.read_bytes() == content


CEPH_SPECS = [{'name': 'ceph_fsid', 'kind': 'uuid'}, {'name': 'ceph_client_cinder_key', 'kind': 'ceph_key'}]
# a key in the format ceph-authtool --gen-print-key prints (type 1, a time, 16 bytes)
REAL_CEPH_KEY = 'AQBQ8fZlAAAAABAAxvZ3ej0rNfaWfmY0K2RdzA=='


def test_ceph_key_has_cephs_format():
    import base64
    import struct
    key = secrets_file.generate({'kind': 'ceph_key'})
    raw = base64.b64decode(key)
    assert len(key) == 40 and key.startswith('AQ') and len(raw) == 28
    kind, dummy, nsec, length = struct.unpack('<hiih', raw[:12])
    assert (kind, nsec, length) == (1, 0, 16)
    assert secrets_file.is_ceph_key(key) and secrets_file.is_ceph_key(REAL_CEPH_KEY)
    assert secrets_file.generate({'kind': 'ceph_key'}) != key


# empty, not base64, too short, type 2 instead of 1 (AES), too long
@pytest.mark.parametrize('value', ['', 'not base64!', 'AQBQ8fZl', 'AgBQ8fZlAAAAABAAxvZ3ej0rNfaWfmY0K2RdzA==',
                                   'AQBQ8fZlAAAAABAAxvZ3ej0rNfaWfmY0K2RdzAAAAAAA'])
def test_not_a_ceph_key(value):
    assert not secrets_file.is_ceph_key(value)


def test_uuid_and_ceph_key_are_generated_and_kept(tmp_path):
    import uuid
    path = tmp_path / 'secrets.yml'
    first = run(path, specs=CEPH_SPECS)
    assert sorted(first['added']) == ['ceph_client_cinder_key', 'ceph_fsid']
    values = yaml.safe_load(path.read_text())
    assert str(uuid.UUID(values['ceph_fsid'])) == values['ceph_fsid']
    assert secrets_file.is_ceph_key(values['ceph_client_cinder_key'])
    assert not run(path, specs=CEPH_SPECS)['changed']


def test_given_ceph_values_are_kept(tmp_path):
    # an external Ceph: the user writes its fsid and keys into the secrets file
    path = tmp_path / 'secrets.yml'
    path.write_text('ceph_fsid: 1B4E28BA-2FA1-11D2-883F-0016D3CCA427\nceph_client_cinder_key: %s\n' % REAL_CEPH_KEY)
    os.chmod(path, 0o600)
    result = run(path, specs=CEPH_SPECS)
    assert not result['changed'] and result['secrets']['ceph_client_cinder_key'] == REAL_CEPH_KEY
    assert result['secrets']['ceph_fsid'] == '1B4E28BA-2FA1-11D2-883F-0016D3CCA427'


@pytest.mark.parametrize('content, message', [
    ('ceph_fsid: not-a-uuid\n', "'ceph_fsid' must be a UUID .* delete it from the secrets file"),
    ('ceph_fsid: [x]\n', "'ceph_fsid' must be a UUID"),
    ('ceph_client_cinder_key: secret\n', "'ceph_client_cinder_key' must be a cephx key, .*ceph auth get-key"),
    ('ceph_client_cinder_key: {a: b}\n', "'ceph_client_cinder_key' must be a cephx key"),
])
def test_malformed_ceph_values_are_refused(tmp_path, content, message):
    path = tmp_path / 'secrets.yml'
    path.write_text(content)
    with pytest.raises(AnsibleActionFail, match=message):
        run(path, specs=CEPH_SPECS)
    assert path.read_text() == content


def test_a_ceph_key_rotates_like_a_password(tmp_path):
    path = tmp_path / 'secrets.yml'
    first = run(path, specs=CEPH_SPECS)['secrets']
    result = run(path, specs=CEPH_SPECS, rotate=['ceph_client_cinder_key'])
    assert result['rotated'] == ['ceph_client_cinder_key']
    new = result['secrets']
    assert new['ceph_client_cinder_key'] != first['ceph_client_cinder_key']
    assert secrets_file.is_ceph_key(new['ceph_client_cinder_key']) and new['ceph_fsid'] == first['ceph_fsid']


def test_a_uuid_is_never_rotated(tmp_path):
    path = tmp_path / 'secrets.yml'
    run(path, specs=CEPH_SPECS)
    before = path.read_bytes()
    with pytest.raises(AnsibleActionFail, match='cannot rotate ceph_fsid: .*new ceph_fsid is a new Ceph cluster'):
        run(path, specs=CEPH_SPECS, rotate=['ceph_client_cinder_key', 'ceph_fsid'])
    assert path.read_bytes() == before
