#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: amphora_image
short_description: Build Octavia's amphora image from Debian packages only (reproducibly)
description:
  - Builds the qcow2 image Octavia boots its amphorae from, with Debian 12's own packages, installed by
    C(mmdebstrap) from this machine's Debian apt sources. Nothing else is downloaded.
  - The image holds Debian's Octavia 11 amphora agent (C(octavia-agent)), haproxy, keepalived, ipvsadm,
    cryptsetup, Debian's generic kernel and cloud-init restricted to the config drive, where Octavia's controller
    puts the agent's configuration and certificates. Three defects of Debian's C(octavia-agent) packaging are
    fixed inside the image (the agent's working directory and syslog socket, quoted sysctl values, the memory
    cost of the certificates' LUKS volume).
  - The same Debian archive (the InRelease files of its suites) and the same recipe give the same bytes; when
    they have not changed since the last build, nothing is done.
  - Runs where the image is built, usually the Ansible controller (C(delegate_to) localhost), as root.
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
options:
  dest:
    description: Directory for C(gureum-amphora.qcow2) and C(MANIFEST) (inputs, packages, sha256 of the image).
    type: path
    required: true
  cache:
    description: Directory that keeps the downloaded .deb files between builds.
    type: path
    required: true
requirements:
  - A Debian 12 machine with apt, mmdebstrap, e2fsprogs, dosfstools, mtools, syslinux, syslinux-common, fdisk and
    qemu-utils, and root.
attributes:
  check_mode:
    support: full
    description: Reads the Debian archive's release files and reports whether a build would run, without building.
  diff_mode:
    support: none
    description: Returns no diff.
notes:
  - A build takes several minutes (most of it dpkg installing about 500 packages) and about 3 GiB of temporary
    space; the image is about 470 MiB.
  - C(scripts/amphora-image --boot-test) in the repository boots the image under QEMU with a config drive as
    Octavia writes it and checks that the agent answers over TLS.
'''

EXAMPLES = r'''
- name: Build the amphora image
  gureum.openstack.amphora_image:
    dest: /var/cache/gureum-openstack/amphora
    cache: /var/cache/gureum-openstack/amphora-debs
  delegate_to: localhost
  run_once: true
  register: amphora
'''

RETURN = r'''
path:
  description: The qcow2 image.
  returned: always
  type: str
  sample: /var/cache/gureum-openstack/amphora/gureum-amphora.qcow2
sha256:
  description: sha256 of the image; null in check mode when a build would run.
  returned: always
  type: str
  sample: 5ba139f24774aa1e9de2161aba8e700b43b4f61fa5899a3af2f78bad2834818a
size:
  description: Size of the image in bytes; null in check mode when a build would run.
  returned: always
  type: int
  sample: 489684992
manifest:
  description: File listing the inputs, the installed packages and the sha256 of the image.
  returned: always
  type: str
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.gureum.openstack.plugins.module_utils import amphora_image


def main():
    module = AnsibleModule(
        argument_spec=dict(
            dest=dict(type='path', required=True),
            cache=dict(type='path', required=True),
        ),
        supports_check_mode=True,
    )
    try:
        result = amphora_image.build(module.params['dest'], module.params['cache'], check_mode=module.check_mode)
    except (amphora_image.AmphoraImageError, OSError) as exc:
        module.fail_json(msg='building the amphora image failed: %s' % exc)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
