# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Filters over the service catalog (plugins/plugin_utils/catalog.py); documented in the .yml files beside."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog


def _wrap(func):
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except catalog.CatalogError as exc:
            raise AnsibleFilterError('%s: %s' % (func.__name__, exc))
    wrapper.__name__ = func.__name__
    return wrapper


def service_catalog(enabled, overrides=None):
    """Catalog entries of the enabled services (a list of names), with overrides merged in."""
    if not isinstance(enabled, (list, tuple)):
        raise catalog.CatalogError('expects a list of service names, got %r.' % (enabled,))
    return catalog.select(catalog.catalog(overrides), enabled)


def catalog_entry(name, overrides=None):
    """The catalog entry of one service (enabled or not), with overrides merged in."""
    if not isinstance(name, str):
        raise catalog.CatalogError('expects a service name, got %r.' % (name,))
    return catalog.select(catalog.catalog(overrides), [name])[name]


def catalog_port(entry, name='api'):
    """The number of a named port of a catalog entry."""
    return catalog.port(entry, name)


def rotation_secrets(name, enabled, overrides=None, database=False):
    """The secrets a password rotation of one deployed service gives new values (its Keystone user's password and,
    with database, its database password); an unknown, undeployed or user-less service is refused."""
    if not isinstance(enabled, (list, tuple)):
        raise catalog.CatalogError('expects the deployed services (openstack_services), got %r.' % (enabled,))
    return catalog.rotation_secrets(catalog.catalog(overrides), enabled, name, database)


def default_services(group_map, inventory_groups, overrides=None, network_driver='linuxbridge'):
    """The services deployed when openstack_services is not set: the catalog's defaults, with the ones whose
    default is a node role only where that role's group has hosts, and the L2 agent of the network driver."""
    if not isinstance(group_map, dict) or not isinstance(inventory_groups, dict):
        raise catalog.CatalogError('expects openstack_groups and the inventory groups (groups), got %r and %r.'
                                   % (group_map, inventory_groups))
    populated = [role for role in catalog.NODE_ROLES if inventory_groups.get(group_map.get(role, role))]
    return catalog.default_services(catalog.catalog(overrides), populated, network_driver)


def node_packages(services, host_groups, os_family, group_map=None):
    """Every package a host with these inventory groups installs for its services."""
    return catalog.packages(services, host_groups, os_family, group_map)


def node_units(services, host_groups, os_family, group_map=None):
    """Every systemd unit a host with these inventory groups runs for its services."""
    return catalog.units(services, host_groups, os_family, group_map)


def catalog_databases(services):
    """Every MariaDB database the given catalog entries own, sorted."""
    if not isinstance(services, dict):
        raise catalog.CatalogError('expects catalog entries by service name (from service_catalog), got %r.'
                                   % (services,))
    return catalog.databases(services)


def node_database_units(services, host_groups, os_family, group_map=None):
    """The systemd units a host with these inventory groups runs for the catalog entries that own databases."""
    if not isinstance(services, dict):
        raise catalog.CatalogError('expects catalog entries by service name (from service_catalog), got %r.'
                                   % (services,))
    return catalog.database_units(services, host_groups, os_family, group_map)


def services_on(services, host_groups, group_map=None):
    """Names of the catalog services that run on a host with these inventory groups."""
    return catalog.services_on(services, host_groups, group_map)


def firewall_ports(services, host_groups, group_map=None):
    """Ports (port, protocol, scope) a host with these inventory groups must open."""
    return catalog.firewall_ports(services, host_groups, group_map)


def firewall_bridges(services, host_groups, group_map=None):
    """Bridges whose instance traffic a host with these inventory groups must forward ('brq+': a prefix)."""
    return catalog.firewall_bridges(services, host_groups, group_map)


def port_scan_expectation(ports, side, idle=None):
    """The TCP ports a peer on side (management or provider) should find answering on a node opening ports."""
    return catalog.scan_expectation(ports, side, idle)


def port_scan_differences(expectation, answering):
    """Unexpected and missing ports of a scan, against port_scan_expectation's answer."""
    return catalog.scan_differences(expectation, answering)


def node_roles(host_groups, group_map=None):
    """Node roles (controller, network, compute, storage) of a host with these inventory groups."""
    if not isinstance(host_groups, (list, tuple)):
        raise catalog.CatalogError('expects the host\'s inventory groups (group_names), got %r.' % (host_groups,))
    if group_map is not None and not isinstance(group_map, dict):
        raise catalog.CatalogError('group_map must map node roles to inventory groups, got %r.' % (group_map,))
    return [role for role in catalog.node_roles(host_groups, group_map or {}) if role != 'all']


def secret_specs(services):
    """Every secret (name, kind, length or count) the given catalog entries need, sorted by name."""
    if not isinstance(services, dict):
        raise catalog.CatalogError('expects catalog entries by service name (from service_catalog), got %r.'
                                   % (services,))
    return catalog.secret_specs(services)


def debconf_preseeds(services):
    """Debconf questions (package, question, vtype, value) to preseed for these catalog entries."""
    if not isinstance(services, dict):
        raise catalog.CatalogError('expects catalog entries by service name, got %r.' % (services,))
    return catalog.debconf_preseeds(services)


def platform_releases(os_family, major_version):
    """OpenStack releases the platform (OS family, major version) offers."""
    return catalog.platform_releases(os_family, major_version)


class FilterModule(object):
    def filters(self):
        return {
            'service_catalog': _wrap(service_catalog),
            'catalog_entry': _wrap(catalog_entry),
            'catalog_port': _wrap(catalog_port),
            'default_services': _wrap(default_services),
            'node_packages': _wrap(node_packages),
            'node_units': _wrap(node_units),
            'catalog_databases': _wrap(catalog_databases),
            'node_database_units': _wrap(node_database_units),
            'services_on': _wrap(services_on),
            'firewall_ports': _wrap(firewall_ports),
            'firewall_bridges': _wrap(firewall_bridges),
            'port_scan_expectation': _wrap(port_scan_expectation),
            'port_scan_differences': _wrap(port_scan_differences),
            'secret_specs': _wrap(secret_specs),
            'rotation_secrets': _wrap(rotation_secrets),
            'node_roles': _wrap(node_roles),
            'debconf_preseeds': _wrap(debconf_preseeds),
            'platform_releases': _wrap(platform_releases),
        }
