# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Backups: the deployment's identity, and whether an archive may be restored here (plain functions; the filters
in plugins/filter/backup.py wrap them). docs/day2.md describes the archive."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib

FORMAT = 1


class BackupError(Exception):
    """An archive that must not be restored here; the message says why and what to do."""


def deployment_id(credential_keys):
    """A short, stable name of a deployment: a digest of Keystone's credential keys.

    They are generated once per deployment into its secrets file and no playbook rotates them (a rotation needs
    keystone-manage credential_migrate), and the restored Keystone database can only decrypt its credentials with
    them; the digest tells nothing about the keys.
    """
    if not isinstance(credential_keys, (list, tuple)) or not credential_keys or \
            not all(isinstance(key, str) and key for key in credential_keys):
        raise BackupError('expects keystone_credential_keys of the secrets (a list of keys), got none.')
    digest = hashlib.sha256(('gureum.openstack deployment\n' + '\n'.join(credential_keys)).encode('utf-8'))
    return digest.hexdigest()[:16]


def files(stats, top):
    """[{path, sha256, size}] of stat results (ansible.builtin.stat with checksum_algorithm sha256) of files under
    ``top``, the paths relative to it, sorted by path."""
    top = top.rstrip('/') + '/'
    result = []
    for stat in stats:
        if not isinstance(stat, dict) or not stat.get('exists') or 'checksum' not in stat:
            raise BackupError('expects stat results with a checksum, got %r.' % (stat,))
        if not stat['path'].startswith(top):
            raise BackupError("'%s' is not under '%s'." % (stat['path'], top))
        result.append({'path': stat['path'][len(top):], 'sha256': stat['checksum'], 'size': stat.get('size', 0)})
    return sorted(result, key=lambda item: item['path'])


def check_manifest(manifest, deployment, databases, checksums, restore_secrets=False):
    """The manifest, when the archive it describes may be restored into this deployment; BackupError otherwise.

    ``deployment``: this deployment's {id, region, database_host}; ``databases``: the databases its catalog gives;
    ``checksums``: {path in the archive: sha256} of the files found unpacked. ``restore_secrets``: the archive's
    secrets file is to replace this one's, so its deployment id is the archive's by construction, and only the
    region and the database host tell another deployment apart.
    """
    if not isinstance(manifest, dict) or manifest.get('format') != FORMAT:
        raise BackupError('the archive has no manifest.yml of format %d: it is not a backup made by '
                          'playbooks/backup.yml of this collection.' % FORMAT)
    theirs = manifest.get('deployment') or {}
    for key, what in (('region', 'region'), ('database_host', 'database host')):
        if theirs.get(key) != deployment.get(key):
            raise BackupError("the archive is from another deployment: its %s is '%s', this one's '%s'. Restore a "
                              "backup of this deployment." % (what, theirs.get(key), deployment.get(key)))
    if not restore_secrets and theirs.get('id') != deployment.get('id'):
        raise BackupError(
            "the archive is from another deployment: its deployment id is %s, this one's %s (a digest of Keystone's "
            "credential keys in the secrets file, which nothing rotates). Restore a backup of this deployment; or, "
            "if this deployment's secrets file was lost and made again, add -e restore_secrets=true to put the "
            "archive's secrets file back first (the current one is kept beside it)."
            % (theirs.get('id'), deployment.get('id')))
    theirs_databases = sorted((manifest.get('databases') or {}).keys())
    ours = sorted(databases)
    if theirs_databases != ours:
        missing = sorted(set(ours) - set(theirs_databases))
        extra = sorted(set(theirs_databases) - set(ours))
        parts = []
        if missing:
            parts.append('it has no dump of %s, which this deployment has (a service enabled since?)'
                         % ', '.join(missing))
        if extra:
            parts.append('it holds %s, which this deployment does not have (a service removed since?)'
                         % ', '.join(extra))
        raise BackupError('the archive does not fit the deployed services: %s. Set openstack_services as it was '
                          'when the backup was made, or restore a newer backup.' % '; '.join(parts))
    files = manifest.get('files') or []
    if not files:
        raise BackupError('the manifest lists no files: the archive is incomplete.')
    damaged = sorted(item['path'] for item in files if checksums.get(item['path']) != item.get('sha256'))
    if damaged:
        raise BackupError('the archive is damaged: %s missing or not as the manifest records (SHA-256). Nothing was '
                          'changed; restore another backup.' % ', '.join(damaged))
    return manifest
