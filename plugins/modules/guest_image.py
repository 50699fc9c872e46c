#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: guest_image
short_description: Build the tiny test guest from Debian packages only (reproducibly)
description:
  - Builds a bootable qcow2 disk (and its kernel and initramfs) from Debian's kernel and busybox-static packages,
    downloaded through this machine's own apt sources. Nothing else is downloaded.
  - The guest prints C(GUREUM-GUEST-BOOTED) on its serial console, gets its address by DHCP
    (C(GUREUM-GUEST-DHCP)), reads the metadata service (C(GUREUM-GUEST-METADATA uuid=<uuid> name=<hostname>)) and
    answers HTTP on ports 80 and 8080 with C(gureum-guest uuid=<uuid> name=<hostname>).
  - The same packages and recipe give the same bytes; when they have not changed since the last build, nothing
    is done.
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
options:
  dest:
    description: Directory for C(gureum-guest.qcow2), C(vmlinuz), C(initrd.gz) and C(MANIFEST).
    type: path
    required: true
  cache:
    description: Directory that keeps the downloaded .deb files.
    type: path
    required: true
requirements:
  - A Debian machine with apt, dpkg-deb, dosfstools, mtools, syslinux, syslinux-common, fdisk and qemu-utils
attributes:
  check_mode:
    support: none
    description: Always builds (or finds the build up to date).
  diff_mode:
    support: none
    description: Returns no diff.
'''

EXAMPLES = r'''
- name: Build the guest image
  gureum.openstack.guest_image:
    dest: /var/cache/gureum-openstack/guest
    cache: /var/cache/gureum-openstack/debs
  delegate_to: localhost
  register: guest
'''

RETURN = r'''
path:
  description: The bootable qcow2 disk.
  returned: always
  type: str
kernel:
  description: The guest's kernel (also used to test KVM on compute nodes).
  returned: always
  type: str
initrd:
  description: The guest's initramfs.
  returned: always
  type: str
manifest:
  description: File listing the inputs and the sha256 of every output.
  returned: always
  type: str
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.gureum.openstack.plugins.module_utils import guest_image


def main():
    module = AnsibleModule(
        argument_spec=dict(
            dest=dict(type='path', required=True),
            cache=dict(type='path', required=True),
        ),
        supports_check_mode=False,
    )
    try:
        result = guest_image.build(module.params['dest'], module.params['cache'])
    except (guest_image.GuestImageError, OSError) as exc:
        module.fail_json(msg='building the guest image failed: %s' % exc)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
