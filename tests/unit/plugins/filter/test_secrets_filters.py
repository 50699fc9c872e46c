import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.gureum.openstack.plugins.filter.secrets import secret_values


def test_secret_values_masks_passwords_keys_and_private_key_lines():
    secrets = {'b_password': 'pw-b', 'a_keys': ['k1', 'k2'], 'shared': 'pw-b',
               'nova_migration_ssh_key': {'private': '-----BEGIN OPENSSH PRIVATE KEY-----\nline1\nline2\n'
                                                     '-----END OPENSSH PRIVATE KEY-----\n',
                                          'public': 'ssh-ed25519 AAAA nova'},
               'empty': ''}
    assert secret_values(secrets) == ['k1', 'k2', 'pw-b', 'line1', 'line2']


def test_secret_values_masks_cephx_keys_not_uuids():
    # a Ceph fsid is in every client's ceph.conf and a libvirt secret's UUID in nova.conf: names, not secrets
    secrets = {'ceph_client_cinder_key': 'AQBQ8fZlAAAAABAAxvZ3ej0rNfaWfmY0K2RdzA==',
               'ceph_fsid': '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
               'looks_like_one': '1b4e28ba2fa111d2883f0016d3cca427'}
    assert secret_values(secrets) == ['AQBQ8fZlAAAAABAAxvZ3ej0rNfaWfmY0K2RdzA==', '1b4e28ba2fa111d2883f0016d3cca427']


def test_secret_values_wants_a_dict():
    with pytest.raises(AnsibleFilterError, match='^secret_values: expects the secrets by name'):
        secret_values(['x'])
