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
  - Compares each zone of O(zones) as firewalld runs it with its permanent configuration (through firewalld's
    Python client, or C(firewall-cmd --list-all) with and without C(--permanent) where the client is missing); when
    any differs, reloads firewalld so the running firewall is the permanent one again (a port opened at runtime
    only, or a permanent change not yet loaded).
  - Interface bindings are left out of the comparison, since NetworkManager binds interfaces at runtime.
  - In check mode, reports whether it would reload.
options:
  timeout:
    description: Seconds to wait for firewalld to answer (it does not while it loads its rules).
    type: int
    default: 120
  zones:
    description: Zones to compare.
    type: list
    elements: str
    required: true
requirements:
  - firewalld running on the node (C(firewall-cmd)).
attributes:
  check_mode:
    description: Reports whether it would reload, and does not reload.
    support: full
  diff_mode:
    description: Shows no diff; the differences are in the result.
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

import time

from ansible.module_utils.basic import AnsibleModule

try:
    from firewall.client import FirewallClient
    HAS_CLIENT = True
except ImportError:
    HAS_CLIENT = False

IGNORED = ('interfaces',)


def normalize(settings):
    """Zone settings as sorted 'key: values' lines, without interface bindings."""
    lines = []
    for key, value in sorted(settings.items()):
        if key in IGNORED:
            continue
        if isinstance(value, (list, tuple)):
            value = ' '.join(sorted('/'.join(v) if isinstance(v, (list, tuple)) else '%s' % v for v in value))
        lines.append('%s: %s' % (key, value))
    return lines


def from_text(text):
    """The same from `firewall-cmd --list-all` output: 'key: values' lines, and under 'rich rules:' (and
    'forward-ports:') one item per tab-indented line, kept whole (a rule has spaces, and colons in IPv6 addresses)."""
    settings = {}
    key = None
    for line in text.splitlines()[1:]:
        if key and line.startswith('\t') and line.strip():
            settings[key].append(line.strip())
            continue
        name, sep, values = line.strip().partition(':')
        if sep:
            key = name.strip().replace('-', '_').replace(' ', '_')
            settings[key] = values.split() if key != 'rich_rules' else ([values.strip()] if values.strip() else [])
            if key == 'forward_ports':
                settings[key] = [values.strip()] if values.strip() else []
    return normalize(settings)


def client_views(zone):
    client = FirewallClient()
    if not client.connected:
        raise RuntimeError('firewalld is not running')
    runtime = client.getZoneSettings(zone).getSettingsDict()
    permanent = client.config().getZoneByName(zone).getSettings().getSettingsDict()
    return {'runtime': normalize(runtime), 'permanent': normalize(permanent)}


def command_views(module, firewall_cmd, zone):
    views = {}
    for view, extra in (('runtime', []), ('permanent', ['--permanent'])):
        rc, out, err = module.run_command([firewall_cmd] + extra + ['--zone', zone, '--list-all'])
        if rc != 0:
            raise RuntimeError('firewall-cmd cannot show the %s zone: %s' % (view, (err or out).strip()))
        views[view] = from_text(out)
    return views


def main():
    module = AnsibleModule(argument_spec=dict(zones=dict(type='list', elements='str', required=True),
                                              timeout=dict(type='int', default=120)),
                           supports_check_mode=True)
    firewall_cmd = module.get_bin_path('firewall-cmd', required=True)
    differences = {}
    # firewalld answers on D-Bus only once it has loaded its rules, which takes a while on a small machine just
    # after it started: ask again until it does, for at most the timeout
    deadline = time.time() + module.params['timeout']
    for zone in module.params['zones']:
        while True:
            try:
                views = client_views(zone) if HAS_CLIENT else command_views(module, firewall_cmd, zone)
                break
            except Exception as exc:  # pylint: disable=broad-except
                if time.time() < deadline:
                    time.sleep(2)
                    continue
                module.fail_json(msg="Cannot read zone '%s' from firewalld (%s): check that firewalld runs (systemctl "
                                 "start firewalld), that /etc/firewalld/zones/%s.xml exists and that "
                                 "firewall-cmd --check-config passes." % (zone, exc, zone))
        if views['runtime'] != views['permanent']:
            differences[zone] = views
    if differences and not module.check_mode:
        rc, out, err = module.run_command([firewall_cmd, '--reload'])
        if rc != 0:
            module.fail_json(msg='firewall-cmd --reload failed: %s' % (err or out).strip(), differences=differences)
    module.exit_json(changed=bool(differences), differences=differences)


if __name__ == '__main__':
    main()
