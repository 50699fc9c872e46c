# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Filters for backups (plugins/plugin_utils/backup.py); documented in the .yml files beside."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.gureum.openstack.plugins.plugin_utils import backup


def deployment_id(credential_keys):
    """A short digest naming the deployment, from Keystone's credential keys."""
    try:
        return backup.deployment_id(credential_keys)
    except backup.BackupError as exc:
        raise AnsibleFilterError('deployment_id: %s' % exc)


def backup_files(stats, top):
    """[{path, sha256, size}] of stat results of files under top, paths relative to it."""
    try:
        return backup.files(stats, top)
    except backup.BackupError as exc:
        raise AnsibleFilterError('backup_files: %s' % exc)


def backup_check(manifest, deployment, databases, checksums, restore_secrets=False):
    """The manifest, when its archive may be restored here; a sentence saying why not otherwise."""
    try:
        return backup.check_manifest(manifest, deployment, databases, checksums, restore_secrets)
    except backup.BackupError as exc:
        raise AnsibleFilterError('restore refused, nothing changed: %s' % exc)


class FilterModule(object):
    def filters(self):
        return {
            'deployment_id': deployment_id,
            'backup_check': backup_check,
            'backup_files': backup_files,
        }
