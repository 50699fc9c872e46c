# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Action plugin gureum.openstack.secrets_file: keep the deployment's secrets in one file on the controller.

Runs on the machine running Ansible only (it never connects to a node). Reads the file (decrypting it with
the vault secrets Ansible was given when it is vault-encrypted), generates every secret that is missing,
appends them, rotates the ones asked for (a new password, cephx key or SSH key pair in place of the old; a Fernet key
list rotated as keystone-manage fernet_rotate would; a UUID never, it names something that exists), writes the file
back atomically with mode 0600 (re-encrypting it with the vault id it had), and returns all secrets. Its results are
always censored, whatever the task's no_log says.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import os
import re
import secrets as _random
import string
import struct
import tempfile
import time
import uuid

import yaml

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.parsing.vault import VaultLib, is_encrypted, match_encrypt_secret, parse_vaulttext_envelope
from ansible.plugins.action import ActionBase

NAME_RE = re.compile(r'^[a-z][a-z0-9_]*$')
ALPHABET = string.ascii_letters + string.digits
HEADER = """\
# Secrets of this OpenStack deployment, kept by gureum.openstack.secrets_file.
# Values that exist are kept; delete one to have it generated again on the next run.
# Keep this file private (mode 0600), or encrypt it: ansible-vault encrypt <this file>
# (then run ansible-playbook with --vault-password-file or --ask-vault-pass; it stays encrypted).
"""

ARGUMENT_SPEC = dict(
    path=dict(type='path', required=True),
    secrets=dict(type='list', elements='dict', required=True, options=dict(
        name=dict(type='str', required=True),
        kind=dict(type='str', default='password', choices=['password', 'fernet_key', 'ssh_key', 'uuid', 'ceph_key']),
        length=dict(type='int', default=32),
        count=dict(type='int', default=1),
    )),
    rotate=dict(type='list', elements='str', default=[]),
    max_active_keys=dict(type='int', default=3),
    encrypt=dict(type='bool', default=False),
    vault_id=dict(type='str'),
    mode=dict(type='str', default='0600'),
)


def generate_ssh_key():
    """A new Ed25519 key pair as {private, public}: the private key in OpenSSH's format, the public one as an
    authorized_keys line."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return {'private': to_text(private), 'public': to_text(public)}


# A cephx secret as Ceph stores and prints it (ceph-authtool --gen-print-key, ceph auth get-key): a header of
# type (1, AES), creation time (seconds, nanoseconds) and length, then 16 random bytes, base64-encoded
CEPH_KEY_HEADER = '<hiih'
CEPH_KEY_LENGTH = 16


def generate_ceph_key():
    """A new cephx key, as ``ceph-authtool --gen-print-key`` prints one."""
    header = struct.pack(CEPH_KEY_HEADER, 1, int(time.time()), 0, CEPH_KEY_LENGTH)
    return to_text(base64.b64encode(header + os.urandom(CEPH_KEY_LENGTH)))


def is_ceph_key(value):
    """Whether ``value`` is a cephx key (base64 of the header and a 16-byte AES secret)."""
    try:
        raw = base64.b64decode(to_bytes(value), validate=True)
    except (binascii.Error, ValueError, TypeError):
        return False
    size = struct.calcsize(CEPH_KEY_HEADER)
    if len(raw) != size + CEPH_KEY_LENGTH:
        return False
    kind, dummy, dummy, length = struct.unpack(CEPH_KEY_HEADER, raw[:size])
    return kind == 1 and length == CEPH_KEY_LENGTH


def is_uuid(value):
    try:
        uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return False
    return True


def generate(spec):
    """A new value for ``spec``: a password of letters and digits, a list of Fernet keys, an SSH key pair, a UUID or
    a cephx key."""
    if spec['kind'] == 'uuid':
        return str(uuid.uuid4())
    if spec['kind'] == 'ceph_key':
        return generate_ceph_key()
    if spec['kind'] == 'fernet_key':
        return [to_text(base64.urlsafe_b64encode(os.urandom(32))) for dummy in range(spec['count'])]
    if spec['kind'] == 'ssh_key':
        return generate_ssh_key()
    return ''.join(_random.choice(ALPHABET) for dummy in range(spec['length']))


def complete(existing, specs):
    """Return (values, added): ``existing`` with every missing secret of ``specs`` generated.

    Values that exist are kept as they are; a Fernet key list shorter than its count gets new keys appended.
    A value of the wrong type is an error: silently replacing a password would lock services out.
    """
    values = dict(existing)
    added = []
    for spec in specs:
        name = spec['name']
        value = values.get(name)
        if value is None or value == '' or value == []:
            values[name] = generate(spec)
            added.append(name)
        elif spec['kind'] == 'fernet_key':
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise AnsibleActionFail("secret '%s' must be a list of Fernet keys; fix it or delete it from the "
                                        "secrets file to have it generated." % name)
            if len(value) < spec['count']:
                values[name] = value + generate(dict(spec, count=spec['count'] - len(value)))
                added.append(name)
        elif spec['kind'] == 'ssh_key':
            if not isinstance(value, dict) or sorted(value) != ['private', 'public'] or not all(
                    isinstance(part, str) and part for part in value.values()):
                raise AnsibleActionFail("secret '%s' must be an SSH key pair, {private: <OpenSSH private key>, "
                                        "public: <authorized_keys line>}; fix it or delete it from the secrets file "
                                        "to have it generated." % name)
        elif spec['kind'] == 'uuid':
            if not isinstance(value, str) or not is_uuid(value):
                raise AnsibleActionFail("secret '%s' must be a UUID such as 1b4e28ba-2fa1-11d2-883f-0016d3cca427, got "
                                        "%r; fix it (an existing Ceph cluster's: ceph fsid), or delete it from the "
                                        "secrets file to have one generated, but only before anything that uses it "
                                        "exists." % (name, value))
        elif spec['kind'] == 'ceph_key':
            if not isinstance(value, str) or not is_ceph_key(value):
                raise AnsibleActionFail("secret '%s' must be a cephx key, 40 characters of base64 as `ceph auth "
                                        "get-key client.<name>` or `ceph-authtool --gen-print-key` prints it "
                                        "(AQ...==); fix it, or delete it from the secrets file to have one generated."
                                        % name)
        elif not isinstance(value, (str, int)) or isinstance(value, bool):
            raise AnsibleActionFail("secret '%s' must be a string; fix it or delete it from the secrets file to have "
                                    "it generated." % name)
        else:
            values[name] = to_text(value)
    return values, added


def rotate_fernet(keys, max_active_keys):
    """``keys`` (0 the staged key, the last the primary) after one rotation, as keystone-manage fernet_rotate does.

    The staged key becomes the primary, a new staged key takes its place, and the oldest secondary keys go until
    at most ``max_active_keys`` are left. Every node already holds the new primary (as its staged key), so nodes
    still on the old list accept the tokens of nodes on the new one, and the other way round.
    """
    if max_active_keys < 3:
        raise AnsibleActionFail('max_active_keys must be at least 3 (a staged, a primary and a secondary key, so '
                                'that tokens issued before a rotation still validate after it), got %d.'
                                % max_active_keys)
    secondaries = list(keys[1:])
    while len(secondaries) + 2 > max_active_keys:
        secondaries.pop(0)
    return generate({'kind': 'fernet_key', 'count': 1}) + secondaries + [keys[0]]


def rotate(values, specs, names, max_active_keys):
    """Return (values, rotated): ``values`` with each secret named in ``names`` given a new value.

    A password, a cephx key or an SSH key pair is generated anew; a Fernet key list is rotated (rotate_fernet). A
    UUID is refused: it names something that exists (a Ceph cluster's fsid, a libvirt secret). Only secrets of
    ``specs`` can be rotated: the kind of any other is unknown.
    """
    kinds = dict((spec['name'], spec) for spec in specs)
    unknown = [name for name in names if name not in kinds]
    if unknown:
        raise AnsibleActionFail('cannot rotate %s: not among the secrets of this deployment (%s).'
                                % (', '.join(sorted(unknown)), ', '.join(sorted(kinds))))
    fixed = sorted(set(name for name in names if kinds[name]['kind'] == 'uuid'))
    if fixed:
        raise AnsibleActionFail('cannot rotate %s: a UUID names something that exists, and a new one names something '
                                'else (a new ceph_fsid is a new Ceph cluster, whose data the services would no longer '
                                'find; a new libvirt secret UUID leaves the guests\' disks on the old one). Leave it '
                                'out of the rotation.' % ', '.join(fixed))
    values = dict(values)
    rotated = []
    for name in names:
        if name in rotated:
            continue
        spec = kinds[name]
        if spec['kind'] == 'fernet_key':
            values[name] = rotate_fernet(values[name], max_active_keys)
        else:
            values[name] = generate(spec)
        rotated.append(name)
    return values, rotated


TOP_KEY = re.compile(r'^([a-z][a-z0-9_]*)\s*:')


def replace(text, values, names):
    """``text`` with the top-level entries ``names`` written anew from ``values``, every other line kept.

    An entry runs from its ``name:`` line over the lines that continue it (indented, or a block sequence's
    ``- ``); a name the text does not hold is appended.
    """
    lines = text.splitlines(True)
    out = []
    done = set()
    index = 0
    while index < len(lines):
        match = TOP_KEY.match(lines[index])
        if match and match.group(1) in names and match.group(1) not in done:
            name = match.group(1)
            index += 1
            while index < len(lines) and lines[index][:1] in (' ', '\t', '-') and not lines[index].startswith('---'):
                index += 1
            out.append(yaml.safe_dump({name: values[name]}, default_flow_style=False, width=1000))
            done.add(name)
            continue
        out.append(lines[index])
        index += 1
    new = ''.join(out)
    if new and not new.endswith('\n'):
        new += '\n'
    return new + ''.join(yaml.safe_dump({name: values[name]}, default_flow_style=False, width=1000)
                         for name in names if name not in done)


def render(text, values, added, rotated=()):
    """The file's new text: the old text with the rotated secrets written in their place and the added ones
    appended (comments and order kept)."""
    if text.strip() and yaml.safe_load(text):
        new = replace(text, values, [name for name in rotated if name not in added] + list(added))
    else:
        new = HEADER + '---\n' + ''.join(yaml.safe_dump({name: values[name]}, default_flow_style=False, width=1000)
                                         for name in added)
    if yaml.safe_load(new) != values:
        # the old text did not take an edit well (flow style, a document end marker ...): write it anew
        new = HEADER + '---\n' + yaml.safe_dump(values, default_flow_style=False, width=1000)
    return new


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        super(ActionModule, self).run(tmp, task_vars)
        result = {'_ansible_no_log': True, 'changed': False}
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        path = args['path']
        # plain strings: names come from templates, and Ansible's own string types are not YAML a dumper knows
        specs = [dict(spec, name='%s' % spec['name'], kind='%s' % spec['kind']) for spec in args['secrets']]
        for spec in specs:
            if not NAME_RE.match(spec['name']):
                raise AnsibleActionFail("secret name %r must be lower-case letters, digits and _." % spec['name'])
            if spec['kind'] == 'password' and spec['length'] < 16:
                raise AnsibleActionFail("secret '%s': length %d is too short; use at least 16."
                                        % (spec['name'], spec['length']))
            if spec['count'] < 1:
                raise AnsibleActionFail("secret '%s': count must be at least 1." % spec['name'])
        try:
            mode = int(args['mode'], 8)
        except ValueError:
            raise AnsibleActionFail("mode must be an octal string such as '0600', got %r." % args['mode'])

        text, vault_id, vault_secret, exists = self._read(path)
        try:
            existing = yaml.safe_load(text) if text.strip() else {}
        except yaml.YAMLError as exc:
            raise AnsibleActionFail('%s is not valid YAML (%s); inline !vault values are not supported, encrypt the '
                                    'whole file with ansible-vault instead.' % (path, getattr(exc, 'problem', exc)))
        if existing is None:
            existing = {}
        if not isinstance(existing, dict):
            raise AnsibleActionFail('%s must hold a YAML dictionary of secrets by name.' % path)
        values, added = complete(existing, specs)
        values, rotated = rotate(values, specs, ['%s' % name for name in args['rotate']], args['max_active_keys'])

        was_encrypted = vault_secret is not None
        if args['encrypt'] and not was_encrypted:
            vault_id, vault_secret = self._encrypt_secret(args['vault_id'])
        encrypted = vault_secret is not None
        result.update(path=path, added=added, rotated=rotated, encrypted=encrypted, secrets=values)
        if added or rotated or not exists or encrypted != was_encrypted:
            result['changed'] = True
            if not self._task.check_mode:
                data = to_bytes(render(text, values, added, rotated))
                if encrypted:
                    data = VaultLib().encrypt(data, secret=vault_secret, vault_id=vault_id)
                self._write(path, data, mode)
        elif (os.stat(path).st_mode & 0o7777) != mode:
            result['changed'] = True
            if not self._task.check_mode:
                os.chmod(path, mode)
        return result

    def _read(self, path):
        """(text, vault_id, vault secret, exists) of the file: empty text when it is missing, no vault secret when
        it is not encrypted."""
        if not os.path.exists(path):
            if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
                raise AnsibleActionFail('the directory of %s does not exist.' % path)
            return '', None, None, False
        with open(path, 'rb') as handle:
            data = handle.read()
        if not is_encrypted(data):
            return to_text(data, errors='surrogate_or_strict'), None, None, True
        vault = self._loader._vault
        if not vault.secrets:
            raise AnsibleActionFail('%s is vault-encrypted but Ansible was given no vault password; run with '
                                    '--vault-password-file FILE or --ask-vault-pass.' % path)
        try:
            plain, used_vault_id, used_secret = vault.decrypt_and_get_vault_id(data)
        except Exception as exc:
            raise AnsibleActionFail('cannot decrypt %s with the vault passwords given: %s' % (path, to_text(exc)))
        envelope_id = parse_vaulttext_envelope(data)[3]
        return to_text(plain, errors='surrogate_or_strict'), envelope_id or used_vault_id, used_secret, True

    def _encrypt_secret(self, vault_id):
        secrets = self._loader._vault.secrets
        if not secrets:
            raise AnsibleActionFail('encrypt is true but Ansible was given no vault password; run with '
                                    '--vault-password-file FILE or --ask-vault-pass.')
        try:
            found = match_encrypt_secret(secrets, vault_id)
        except Exception as exc:
            raise AnsibleActionFail(to_text(exc))
        if not found:
            raise AnsibleActionFail('no vault secret to encrypt with.')
        return found

    @staticmethod
    def _write(path, data, mode):
        directory = os.path.dirname(os.path.abspath(path))
        handle, temp = tempfile.mkstemp(prefix='.secrets-', dir=directory)
        try:
            os.fchmod(handle, mode)
            with os.fdopen(handle, 'wb') as out:
                out.write(data)
            os.replace(temp, path)
        except Exception:
            if os.path.exists(temp):
                os.unlink(temp)
            raise
