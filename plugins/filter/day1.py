# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Day-1 resource filters (see plugins/plugin_utils/day1.py); documented in the .yml files beside."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.gureum.openstack.plugins.plugin_utils import day1


def day1_plan(data, templates_dir=None, services=None):
    """The checked day-1 resources with defaults, or an error that lists every problem."""
    if not isinstance(data, dict):
        raise AnsibleFilterError('day1_plan expects a mapping of resource kind to list, got %r.' % (data,))
    if services is not None and not isinstance(services, (list, tuple)):
        raise AnsibleFilterError('day1_plan: services must be the list of deployed catalog entries '
                                 '(openstack_services), got %r.' % (services,))
    try:
        return day1.plan(data, templates_dir, services)
    except day1.Day1Error as exc:
        raise AnsibleFilterError(str(exc))


def day1_stacks_to_apply(stacks, results):
    """The plan's present stacks that are missing, not complete or out of date, from stack_info's results per
    cloud (a loop over the clouds: each result has item, the cloud, and stacks)."""
    if not isinstance(stacks, list) or not isinstance(results, list):
        raise AnsibleFilterError('day1_stacks_to_apply expects the plan\'s stacks and the results of a stack_info loop '
                                 'over their clouds, got %r and %r.' % (stacks, results))
    found = {}
    for result in results:
        if not isinstance(result, dict) or 'item' not in result:
            raise AnsibleFilterError('day1_stacks_to_apply: each result needs item (the cloud) and stacks, got %r.'
                                     % (result,))
        found.setdefault(result['item'], []).extend(result.get('stacks') or [])
    return day1.stacks_to_apply(stacks, found)


def day1_password(user, secrets):
    """A day-1 user's password: its own, or the secret its password_secret names."""
    if not isinstance(user, dict) or not user.get('name'):
        raise AnsibleFilterError('day1_password expects a user entry with a name, got %r.' % (user,))
    if user.get('password'):
        return user['password']
    name = user.get('password_secret')
    value = (secrets or {}).get(name) if name else None
    if not value:
        raise AnsibleFilterError("user '%s': secret '%s' is not in the secrets file; add it to secrets_extra (or the "
                                 "secrets file), or give the user a password." % (user['name'], name))
    return value


def day1_clouds(plan, passwords, admin_password, auth_url, region):
    """The clouds.yaml entries of a day-1 plan: the ones resources are made as, and the ones people get."""
    if not isinstance(plan, dict) or not isinstance(passwords, dict):
        raise AnsibleFilterError('day1_clouds expects a day-1 plan (day1_plan) and the users\' passwords by name.')
    try:
        return day1.clouds(plan, passwords, admin_password, auth_url, region)
    except day1.Day1Error as exc:
        raise AnsibleFilterError('day1_clouds: %s' % exc)


def day1_lb_members(load_balancers, servers, subnets):
    """The members of the plan's present load balancers with their server's address and subnet ID, from loops of
    server_info and subnets_info over the load balancers' clouds (each result has item, the cloud)."""
    if not isinstance(load_balancers, list) or not isinstance(servers, list) or not isinstance(subnets, list):
        raise AnsibleFilterError('day1_lb_members expects the plan\'s load balancers and the results of server_info '
                                 'and subnets_info loops over their clouds, got %r, %r and %r.'
                                 % (load_balancers, servers, subnets))
    found = {'servers': {}, 'subnets': {}}
    for key, results in (('servers', servers), ('subnets', subnets)):
        for result in results:
            if not isinstance(result, dict) or 'item' not in result:
                raise AnsibleFilterError('day1_lb_members: each result needs item (the cloud) and %s, got %r.'
                                         % (key, result))
            found[key].setdefault(result['item'], []).extend(result.get(key) or [])
    try:
        return day1.lb_members(load_balancers, found['servers'], found['subnets'])
    except day1.Day1Error as exc:
        raise AnsibleFilterError('day1_lb_members: %s' % exc)


class FilterModule(object):
    def filters(self):
        return {'day1_plan': day1_plan, 'day1_password': day1_password, 'day1_clouds': day1_clouds,
                'day1_stacks_to_apply': day1_stacks_to_apply, 'day1_lb_members': day1_lb_members}
