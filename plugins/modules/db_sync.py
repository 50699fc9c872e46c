#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: db_sync
short_description: Run an OpenStack schema migration and report changed only when the schema moved
description:
  - Reads the schema version with O(version_command), runs O(sync_command), reads the version again, and
    reports C(changed) only when the two versions differ. The migration tools are idempotent; the version tells
    whether the sync did anything.
  - With O(package), a sync already done for the installed version of that package is not run again.
  - The commands run as O(user) (C(runuser -u)), like the services that own the database.
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
options:
  sync_command:
    description: The migration command, as a list of arguments.
    type: list
    elements: str
    required: true
  version_command:
    description: A command that prints the current schema version (its whole output is compared).
    type: list
    elements: str
    required: true
  user:
    description: System user the commands run as.
    type: str
    default: root
  package:
    description:
      - A package whose version decides whether the migration can be skipped. After a migration the module
        notes that version in O(stamp_dir); while the installed version is the same, the schema is already where
        this version wants it, so neither command runs (re-runs stay fast). Without it the sync always runs.
      - Delete the stamp file to force a migration (for example after restoring an older database).
    type: str
  stamp_dir:
    description: Where the versions that were migrated to are noted (one file per O(name)).
    type: path
    default: /var/lib/gureum-openstack/db_sync
  name:
    description: Name of the stamp file; defaults to the first word of O(sync_command).
    type: str
attributes:
  check_mode:
    support: partial
    description: Can run in check mode.
    details: Reads the version and reports nothing as changed.
  diff_mode:
    support: none
    description: Returns no diff.
notes:
  - A failing command fails the task with its output.
'''

EXAMPLES = r'''
- name: Bring Glance's schema up to date
  gureum.openstack.db_sync:
    version_command: [glance-manage, db, version]
    sync_command: [glance-manage, db, sync]
    user: glance
    package: glance-common
'''

RETURN = r'''
before:
  description: Output of the version command before the migration.
  returned: always
  type: str
after:
  description: Output of the version command after the migration.
  returned: when the migration ran
  type: str
skipped_for:
  description: The package version whose migration was done before (nothing ran).
  returned: when skipped because of the stamp
  type: str
'''

import os
import re

from ansible.module_utils.basic import AnsibleModule


def installed_version(module, package):
    """The installed version of a package (dpkg or rpm), or None."""
    if module.get_bin_path('dpkg-query'):
        rc, out, dummy = module.run_command(['dpkg-query', '-W', '-f=${Version}', package])
    else:
        rc, out, dummy = module.run_command(['rpm', '-q', '--qf', '%{VERSION}-%{RELEASE}', package])
    return out.strip() if rc == 0 and out.strip() else None


URL_PASSWORD = re.compile(r'://[^:/@\s]+:([^@\s]+)@')


def main():
    module = AnsibleModule(
        argument_spec=dict(
            sync_command=dict(type='list', elements='str', required=True),
            version_command=dict(type='list', elements='str', required=True),
            user=dict(type='str', default='root'),
            package=dict(type='str'),
            stamp_dir=dict(type='path', default='/var/lib/gureum-openstack/db_sync'),
            name=dict(type='str'),
        ),
        supports_check_mode=True,
    )
    prefix = [] if module.params['user'] == 'root' else ['runuser', '-u', module.params['user'], '--']

    def run(argv, what):
        rc, out, err = module.run_command(prefix + argv)
        # A command may print a URL with its password (nova-manage masks its own; nothing promises the others do)
        module.no_log_values.update(URL_PASSWORD.findall(out + err))
        if rc != 0:
            module.fail_json(msg='%s (%s) failed with rc=%d: %s' % (what, ' '.join(argv), rc, (err or out).strip()[-2000:]),
                             stdout=out, stderr=err)
        return out.strip()

    version = installed_version(module, module.params['package']) if module.params['package'] else None
    stamp = os.path.join(module.params['stamp_dir'],
                         module.params['name'] or os.path.basename(module.params['sync_command'][0]))
    if version and os.path.exists(stamp):
        with open(stamp) as handle:
            if handle.read().strip() == version:
                module.exit_json(changed=False, skipped_for=version)
    before = run(module.params['version_command'], 'reading the schema version')
    if module.check_mode:
        module.exit_json(changed=False, before=before)
    run(module.params['sync_command'], 'the migration')
    after = run(module.params['version_command'], 'reading the schema version')
    if version:
        if not os.path.isdir(module.params['stamp_dir']):
            os.makedirs(module.params['stamp_dir'])
        with open(stamp, 'w') as handle:
            handle.write(version + '\n')
    module.exit_json(changed=before != after, before=before, after=after)


if __name__ == '__main__':
    main()
