# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Filters over the deployment's secrets; documented in the .yml files beside."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import uuid

from ansible.errors import AnsibleFilterError


def _is_uuid(value):
    try:
        return str(uuid.UUID(value)) == value.lower()
    except (TypeError, ValueError, AttributeError):
        return False


def secret_values(secrets):
    """The strings to mask wherever they appear: each password, each key of a list, each body line of an SSH
    private key. The public half of a key pair is no secret, nor is a UUID: it names something (a Ceph cluster's fsid,
    a libvirt secret) and every client's configuration holds it."""
    if not isinstance(secrets, dict):
        raise AnsibleFilterError('secret_values: expects the secrets by name (openstack_secrets), got %r.'
                                 % type(secrets).__name__)
    values = []
    for name in sorted(secrets):
        value = secrets[name]
        if isinstance(value, dict):
            value = [line for line in str(value.get('private', '')).splitlines() if line and '-----' not in line]
        for item in (value if isinstance(value, list) else [value]):
            if item not in ('', None) and not _is_uuid(item) and '%s' % item not in values:
                values.append('%s' % item)
    return values


class FilterModule(object):
    def filters(self):
        return {'secret_values': secret_values}
