#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: libvirt_secret
short_description: A libvirt secret holding a Ceph client's key, defined once and kept equal to the key given
version_added: "0.1.0"
author: gureum.openstack contributors (@gureum)
description:
  - Defines a persistent libvirt secret of usage C(ceph) with the given UUID (what C(rbd_secret_uuid) names in Nova's
    and Cinder's configuration) and sets its value to a cephx key, so QEMU authenticates to Ceph when it attaches an
    RBD volume. A secret already defined with that UUID and usage, holding that key, is left alone.
  - Talks to libvirtd through the libvirt Python bindings (python3-libvirt, which nova-compute depends on); the key
    never appears on a command line or in a file, and is not returned.
  - A secret with the UUID but another usage is redefined; O(state=absent) undefines it.
options:
  uuid:
    description: The secret's UUID.
    type: str
    required: true
  usage:
    description: Its usage name, e.g. C(client.cinder secret).
    type: str
    default: client.cinder secret
  key:
    description: The cephx key (base64, as C(ceph auth get-key) prints it). Required with O(state=present).
    type: str
  state:
    description: Whether the secret exists.
    type: str
    choices: [present, absent]
    default: present
  uri:
    description: libvirt's connection URI.
    type: str
    default: qemu:///system
attributes:
  check_mode:
    description: Says whether the secret would be defined, changed or undefined, and changes nothing.
    support: full
  diff_mode:
    description: No diff; the value is a secret.
    support: none
"""

EXAMPLES = r"""
- name: Keep client.cinder's key in libvirt
  gureum.openstack.libvirt_secret:
    uuid: "{{ openstack_secrets.ceph_libvirt_secret_uuid }}"
    key: "{{ openstack_secrets.ceph_client_cinder_key }}"
  no_log: true
"""

RETURN = r"""
defined:
  description: Whether the secret was defined (or redefined) by this call.
  returned: always
  type: bool
value_set:
  description: Whether its value was set by this call (it differed or was not set).
  returned: always
  type: bool
"""

import base64
import binascii
import uuid as uuidlib
from xml.sax.saxutils import escape

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    import libvirt
    HAS_LIBVIRT = True
except ImportError:  # pragma: no cover - the module reports it
    libvirt = None
    HAS_LIBVIRT = False

# libvirt's "no such secret" error (VIR_ERR_NO_SECRET)
NO_SECRET = 66


def secret_xml(uuid, usage):
    return ("<secret ephemeral='no' private='no'><uuid>%s</uuid><usage type='ceph'><name>%s</name></usage></secret>"
            % (escape(uuid), escape(usage)))


def find(conn, uuid):
    try:
        return conn.secretLookupByUUIDString(uuid)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == NO_SECRET:
            return None
        raise


def current_value(secret):
    """The secret's value, or None when it has none yet."""
    try:
        return secret.value()
    except libvirt.libvirtError:
        return None


def run(module, conn):
    params = module.params
    result = {'changed': False, 'defined': False, 'value_set': False}
    secret = find(conn, params['uuid'])
    if params['state'] == 'absent':
        if secret is not None:
            result['changed'] = True
            if not module.check_mode:
                secret.undefine()
        return result
    try:
        wanted = base64.b64decode(params['key'], validate=True)
    except (binascii.Error, ValueError, TypeError):
        module.fail_json(msg='libvirt_secret: key is not base64 (a cephx key as ceph auth get-key prints it).')
    if not wanted:
        module.fail_json(msg='libvirt_secret: key is empty.')
    if secret is None or secret.usageType() != libvirt.VIR_SECRET_USAGE_TYPE_CEPH or \
            secret.usageID() != params['usage']:
        result.update(changed=True, defined=True)
        if module.check_mode:
            result['value_set'] = True
            return result
        secret = conn.secretDefineXML(secret_xml(params['uuid'], params['usage']))
    if result['defined'] or current_value(secret) != wanted:
        result.update(changed=True, value_set=True)
        if not module.check_mode:
            secret.setValue(wanted)
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            uuid=dict(type='str', required=True),
            usage=dict(type='str', default='client.cinder secret'),
            key=dict(type='str', no_log=True),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            uri=dict(type='str', default='qemu:///system'),
        ),
        required_if=[('state', 'present', ['key'])],
        supports_check_mode=True,
    )
    try:
        uuidlib.UUID(module.params['uuid'])
    except ValueError:
        module.fail_json(msg='libvirt_secret: uuid %r is not a UUID.' % module.params['uuid'])
    if not HAS_LIBVIRT:
        module.fail_json(msg=missing_required_lib('libvirt (python3-libvirt, which nova-compute depends on)'))
    try:
        conn = libvirt.open(module.params['uri'])
    except libvirt.libvirtError as exc:
        module.fail_json(msg='libvirt_secret: cannot connect to %s (%s); is libvirtd running?'
                         % (module.params['uri'], exc))
    try:
        result = run(module, conn)
    except libvirt.libvirtError as exc:
        module.fail_json(msg='libvirt_secret: libvirt refused: %s' % exc)
    finally:
        conn.close()
    module.exit_json(**result)


if __name__ == '__main__':
    main()
