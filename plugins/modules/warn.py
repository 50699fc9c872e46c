#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: warn
short_description: Print a warning and change nothing
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
description:
  - Shows O(msg) as an Ansible warning (the C([WARNING]) line, also in the play's summary), for choices that are
    allowed but risky, such as SELinux in permissive mode.
  - Runs on the controller as an action plugin; nothing reaches the node.
options:
  msg:
    description: The warning, as a sentence.
    type: str
    required: true
attributes:
  action:
    description: Runs on the machine that runs Ansible, as an action plugin.
    support: full
  check_mode:
    description: Prints the warning in check mode too.
    support: full
  diff_mode:
    description: Changes nothing, so there is no diff.
    support: none
"""

EXAMPLES = r"""
- name: Say loudly that SELinux will not enforce
  gureum.openstack.warn:
    msg: SELinux is permissive on this node; nothing it would deny is denied.
"""

RETURN = r"""
msg:
  description: The warning.
  returned: always
  type: str
"""
