# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Installed package versions and the stamps that say a package version's schema migration was done.

Shared by gureum.openstack.db_sync (which writes the stamps) and gureum.openstack.service_config (which reads them
to tell, in the same call that checks the configuration, whether a migration is pending).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

STAMP_DIR = '/var/lib/gureum-openstack/db_sync'


def installed_versions(module, packages):
    """{package: version} of the installed ones among ``packages`` (one dpkg-query or rpm call)."""
    packages = list(packages)
    if not packages:
        return {}
    found = {}
    if module.get_bin_path('dpkg-query'):
        dummy, out, dummy = module.run_command(
            ['dpkg-query', '--show', '--showformat=${Package} ${db:Status-Status} ${Version}\\n'] + packages)
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] == 'installed':
                found[parts[0].split(':')[0]] = parts[2]
    else:
        dummy, out, dummy = module.run_command(['rpm', '-q', '--qf', '%{NAME} %{VERSION}-%{RELEASE}\\n'] + packages)
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] in packages:
                found[parts[0]] = parts[1]
    return found


def stamp_path(stamp_dir, name):
    return os.path.join(stamp_dir or STAMP_DIR, name)


def read_stamp(stamp_dir, name):
    """The package version a migration was last done for, or None."""
    path = stamp_path(stamp_dir, name)
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        return handle.read().strip() or None


def write_stamp(stamp_dir, name, version):
    path = stamp_path(stamp_dir, name)
    if not os.path.isdir(os.path.dirname(path)):
        os.makedirs(os.path.dirname(path))
    with open(path, 'w') as handle:
        handle.write(version + '\n')
