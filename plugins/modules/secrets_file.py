#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
# The work is done by the action plugin of the same name (plugins/action/secrets_file.py), on the controller.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: secrets_file
short_description: Generate and keep every secret of the deployment in one file on the controller
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
description:
  - Keeps the deployment's passwords and keys in one YAML file (by name) on the machine running Ansible,
    usually beside the inventory.
  - On the first run it generates every secret asked for; on later runs it keeps the values that exist and adds
    only the missing ones, appending them so comments and order stay. A Fernet key list shorter than its
    I(count) gets new keys appended.
  - Secrets named in I(rotate) get a new value in place of the old, the rest of the file kept as it is; a
    password, cephx key or SSH key pair is generated anew (a UUID is never rotated), a Fernet key list is rotated
    the way C(keystone-manage fernet_rotate) rotates a key repository.
  - The file is written atomically with mode I(mode). When it is encrypted with ansible-vault, it is decrypted
    with the vault passwords Ansible was given and written back encrypted with the same vault id; it is never
    written in clear.
  - Returns every secret, and its result is always censored (as with C(no_log)), at any verbosity; register it
    and hand the secrets on with M(ansible.builtin.set_fact) (C(no_log)), which keeps them out of the fact cache.
  - This is an action plugin; it runs on the controller only and never connects to a node.
options:
  path:
    description: The secrets file. Its directory must exist.
    type: path
    required: true
  secrets:
    description:
      - The secrets needed, usually from P(gureum.openstack.secret_specs#filter).
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Name, lower-case letters, digits and C(_).
        type: str
        required: true
      kind:
        description:
          - C(password) is a string of letters and digits (safe in URLs and configuration files without quoting).
          - C(fernet_key) is a list of I(count) URL-safe base64 keys of 32 random bytes, for Keystone's fernet
            and credential key repositories.
          - C(ssh_key) is an Ed25519 key pair, C({private, public}), the private key in OpenSSH's format and the
            public one as an C(authorized_keys) line.
          - C(uuid) is a random UUID (a Ceph cluster's fsid, a libvirt secret's UUID).
          - C(ceph_key) is a cephx key as C(ceph-authtool --gen-print-key) prints one. A value that exists must be
            one (an external Ceph's keys are given this way).
        type: str
        default: password
        choices: [password, fernet_key, ssh_key, uuid, ceph_key]
      length:
        description: Length of a password, at least 16.
        type: int
        default: 32
      count:
        description: Number of keys of a C(fernet_key) secret.
        type: int
        default: 1
  rotate:
    description:
      - Names of secrets (among I(secrets)) to give a new value.
      - A C(password), C(ceph_key) or C(ssh_key) is generated anew.
      - A C(uuid) is refused, as it names something that exists (a new C(ceph_fsid) is a new Ceph cluster).
      - A C(fernet_key) list (key 0 the staged key, the last the primary) is rotated, as
        C(keystone-manage fernet_rotate) does it; the staged key becomes the primary, a new staged key takes
        its place, and the oldest secondary keys go until at most I(max_active_keys) are left. Every node already
        holds the new primary as its staged key, so the nodes that have the new list and those that still have
        the old one accept each other's tokens, and a token issued before the rotation still validates after it.
    type: list
    elements: str
    default: []
  max_active_keys:
    description:
      - The most keys a rotated C(fernet_key) list keeps (Keystone's C([fernet_tokens] max_active_keys)); at least 3.
    type: int
    default: 3
  encrypt:
    description:
      - Encrypt a new or plain file with ansible-vault. An encrypted file always stays encrypted.
    type: bool
    default: false
  vault_id:
    description: Vault id to encrypt with when I(encrypt) encrypts the file; the first vault secret when not set.
    type: str
  mode:
    description: File mode, an octal string.
    type: str
    default: "0600"
attributes:
  check_mode:
    support: full
    description: Reports whether secrets would be added or rotated; writes nothing. The secrets returned include new ones.
  diff_mode:
    support: none
    description: Secrets are never shown.
  platform:
    support: full
    platforms: posix
    description: Runs on the controller.
notes:
  - The result is censored in the output, but not in a registered variable; never print it.
seealso:
  - plugin: gureum.openstack.secret_specs
    plugin_type: filter
'''

EXAMPLES = r'''
- name: Give Glance's Keystone user a new password, keeping every other secret
  gureum.openstack.secrets_file:
    path: "{{ inventory_dir }}/secrets.yml"
    secrets: "{{ openstack_services | gureum.openstack.service_catalog | gureum.openstack.secret_specs }}"
    rotate: [glance_keystone_password]
  run_once: true
  no_log: true
  register: __secrets

- name: Generate missing secrets, load all
  gureum.openstack.secrets_file:
    path: "{{ inventory_dir }}/secrets.yml"
    secrets: "{{ openstack_services | gureum.openstack.service_catalog | gureum.openstack.secret_specs }}"
  run_once: true
  no_log: true
  register: __secrets

- name: Hand the secrets to the play
  ansible.builtin.set_fact:
    openstack_secrets: "{{ __secrets.secrets }}"
  run_once: true
  no_log: true
'''

RETURN = r'''
path:
  description: The secrets file.
  returned: always
  type: str
  sample: /srv/cloud/inventory/secrets.yml
added:
  description: Names of the secrets generated by this run.
  returned: always
  type: list
  elements: str
  sample: [glance_database_password, glance_keystone_password]
rotated:
  description: Names of the secrets given a new value by this run.
  returned: always
  type: list
  elements: str
  sample: [keystone_fernet_keys]
encrypted:
  description: Whether the file is vault-encrypted.
  returned: always
  type: bool
secrets:
  description: Every secret in the file by name, with the new ones.
  returned: always
  type: dict
'''
