#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: prechecks
short_description: Refuse a bad inventory or unfit nodes before anything is deployed
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
description:
  - Runs on the machine that runs Ansible (an action plugin) and changes nothing anywhere.
  - With O(stage=inventory), checks what the inventory alone tells - release, region, services, groups, host
    names, addresses, networks and interface names, option values, HTTPS files, and the day-1 data the bootstrap
    role makes last (C(bootstrap_stacks) from O(settings), the other C(bootstrap_*) lists read from the first
    host's variables, so that an expression in them that fails is reported as a problem).
  - With O(stage=secrets), checks that the secrets the services need are set (as variables, or loaded by the
    secrets role into C(openstack_secrets)) and that the secrets file is private.
  - With O(stage=nodes), checks the nodes from their facts and the result of
    P(gureum.openstack.precheck_facts#module) registered as O(node_data) - platform, Python, systemd, host names,
    interfaces, name resolution, ports, memory and disk (summed over nodes that share one host), clock skew, virt
    type, competing firewall or network configuration, SELinux.
  - Fails with every problem found, each a sentence that says what is wrong and how to fix it; the checks are listed
    in docs/prechecks.md.
options:
  stage:
    description: Which checks to run.
    type: str
    choices: [inventory, secrets, nodes]
    required: true
  hosts:
    description: Inventory hosts to check.
    type: list
    elements: str
    required: true
  settings:
    description:
      - Deployment settings - release, region, groups (node role to group), services, catalog_overrides,
        min_memory_mb and min_disk_mb (node role to MiB), max_clock_skew (seconds), required_secrets and
        secrets_file; for the inventory stage also endpoints, tls, stacks and templates_dir (the day-1 stacks and
        where their relative template paths start) and physical_network (the one Neutron maps to the provider
        bridge, default C(provider)).
    type: dict
    required: true
  node_data:
    description: Name of the variable holding each host's registered precheck_facts result.
    type: str
    default: __prechecks_node
attributes:
  action:
    description: Runs on the machine that runs Ansible, as an action plugin.
    support: full
  check_mode:
    description: Reads only; runs the same in check mode.
    support: full
  diff_mode:
    description: Changes nothing, so there is no diff.
    support: none
"""

EXAMPLES = r"""
- name: Check the inventory
  gureum.openstack.prechecks:
    stage: inventory
    hosts: "{{ groups['all'] }}"
    settings:
      release: "{{ openstack_release }}"
      region: "{{ openstack_region }}"
      groups: "{{ openstack_groups }}"
      services: "{{ openstack_services }}"
"""

RETURN = r"""
checks:
  description: Ids of the checks of this stage.
  returned: always
  type: list
  elements: str
problems:
  description: Problems found, each check, host (or null) and msg.
  returned: always
  type: list
  elements: dict
"""
