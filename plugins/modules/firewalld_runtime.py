#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: firewalld_runtime
short_description: Make the running firewalld match its permanent configuration
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
description:
  - Compares each zone of O(zones) as firewalld runs it (C(firewall-cmd --zone Z --list-all)) with its permanent
    configuration (the same with C(--permanent)); when any differs, reloads firewalld so the running firewall is
    the permanent one again (a port opened at runtime only, or a permanent change not yet loaded).
  - Interface bindings are left out of the comparison, since NetworkManager binds interfaces at runtime.
  - In check mode, reports whether it would reload.
options:
  zones:
    description: Zones to compare.
    type: list
    elements: str
    required: true
requirements:
  - firewalld running on the node (C(firewall-cmd)).
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
"""

EXAMPLES = r"""
- name: Make the running firewall match the permanent configuration
  gureum.openstack.firewalld_runtime:
    zones: [public, management]
"""

RETURN = r"""
differences:
  description: For each zone that differed, its runtime and permanent settings (one line per setting).
  returned: always
  type: dict
  sample: {public: {runtime: ["ports: 22/tcp 8080/tcp"], permanent: ["ports: 22/tcp"]}}
"""

from ansible.module_utils.basic import AnsibleModule

IGNORED = ('interfaces:',)


def settings(text):
    """The setting lines of `firewall-cmd --list-all` output, without the zone name line and interface bindings."""
    lines = [line.strip() for line in text.splitlines()[1:] if line.strip()]
    result = []
    for line in lines:
        if line.startswith(IGNORED):
            continue
        key, sep, values = line.partition(':')
        result.append('%s:%s%s' % (key, sep and ' ', ' '.join(sorted(values.split()))) if sep else line)
    return result


def main():
    module = AnsibleModule(argument_spec=dict(zones=dict(type='list', elements='str', required=True)),
                           supports_check_mode=True)
    firewall_cmd = module.get_bin_path('firewall-cmd', required=True)
    rc, out, err = module.run_command([firewall_cmd, '--state'])
    if rc != 0:
        module.fail_json(msg='firewalld is not running (%s); start it: systemctl start firewalld.' % (err or out).strip())
    differences = {}
    for zone in module.params['zones']:
        views = {}
        for view, extra in (('runtime', []), ('permanent', ['--permanent'])):
            rc, out, err = module.run_command([firewall_cmd] + extra + ['--zone', zone, '--list-all'])
            if rc != 0:
                module.fail_json(msg="firewall-cmd cannot show the %s zone '%s': %s. Check that "
                                     "/etc/firewalld/zones/%s.xml exists and that firewall-cmd --check-config passes."
                                     % (view, zone, (err or out).strip(), zone))
            views[view] = settings(out)
        if views['runtime'] != views['permanent']:
            differences[zone] = views
    if differences and not module.check_mode:
        rc, out, err = module.run_command([firewall_cmd, '--reload'])
        if rc != 0:
            module.fail_json(msg='firewall-cmd --reload failed: %s' % (err or out).strip(), differences=differences)
    module.exit_json(changed=bool(differences), differences=differences)


if __name__ == '__main__':
    main()
