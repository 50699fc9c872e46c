# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Cinder's backends; documented in the .yml files beside."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.gureum.openstack.plugins.plugin_utils import cinder


def cinder_backends(backends, defaults=None):
    """Everything the roles need from cinder_backends (see plugin_utils/cinder.py)."""
    try:
        result = cinder.sections(backends, defaults)
        result.update(types=cinder.volume_types(backends), kinds=cinder.kinds(backends),
                      lvm=cinder.lvm_backends(backends, defaults))
    except cinder.CinderError as exc:
        raise AnsibleFilterError('cinder_backends: %s' % exc)
    return result


class FilterModule(object):
    def filters(self):
        return {'cinder_backends': cinder_backends}
