# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Wiring filters: transport URLs, memcached server lists, database and endpoint URLs, oslo.config files, Django settings and
the service_setup plan. The logic lives in plugins/plugin_utils/wiring.py; each filter is documented in the
.yml file of its name beside this one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.gureum.openstack.plugins.plugin_utils import wiring


def _wrap(func):
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except wiring.WiringError as exc:
            message = str(exc)
            if not message.startswith(func.__name__ + ':'):
                message = '%s: %s' % (func.__name__, message)
            raise AnsibleFilterError(message)
    wrapper.__name__ = func.__name__
    return wrapper


class FilterModule(object):
    def filters(self):
        return dict((func.__name__, _wrap(func)) for func in (
            wiring.transport_url,
            wiring.memcached_servers,
            wiring.database_url,
            wiring.endpoint_url,
            wiring.service_endpoints,
            wiring.health_url,
            wiring.numbered_files,
            wiring.tls_files,
            wiring.tls_paths,
            wiring.uwsgi_socket,
            wiring.keystonerc,
            wiring.clouds_yaml,
            wiring.table_column,
            wiring.keystone_auth,
            wiring.keystone_authtoken,
            wiring.oslo_config,
            wiring.django_settings,
            wiring.service_setup_plan,
        ))
