# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Cinder's backends as data: checked, and turned into cinder.conf sections and volume types.

A backend is {name, type, ...}: type rbd (Ceph through librbd: pool, user, backend_host) or lvm (a volume group
exported over iSCSI: volume_group, device, target_helper). Any other key is a cinder.conf option of the backend's
section, written as given; volume_type names the backend's volume type (default: the backend's name). The roles
(cinder, nova_compute, bootstrap) and the prechecks read backends through these functions only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

TYPES = ('rbd', 'lvm')
TARGET_HELPERS = ('tgtadm', 'lioadm')
NAME_RE = re.compile(r'^[A-Za-z][A-Za-z0-9_-]{0,63}$')
# cinder.conf sections a backend may not be named after: they hold other options
RESERVED = ('DEFAULT', 'database', 'keystone_authtoken', 'oslo_concurrency', 'oslo_messaging_rabbit', 'nova',
            'backend_defaults', 'coordination', 'key_manager', 'service_user')
# keys of a backend that are not cinder.conf options
OWN_KEYS = {'rbd': ('name', 'type', 'volume_type', 'pool', 'user'),
            'lvm': ('name', 'type', 'volume_type', 'device')}


class CinderError(Exception):
    """Bad backend data; the message says how to fix it."""


def problems(backends):
    """Every mistake in ``backends`` (cinder_backends), each a sentence with its fix; [] when they are fine."""
    if not isinstance(backends, list) or not backends:
        return ['cinder_backends must be a non-empty list of backends, each {name, type: rbd or lvm}; got %r.'
                % (backends,)]
    found, names, types = [], set(), set()
    for index, backend in enumerate(backends):
        if not isinstance(backend, dict):
            found.append('cinder_backends[%d] must be a dictionary {name, type, ...}, got %r.' % (index, backend))
            continue
        name = backend.get('name')
        where = "cinder_backends: backend '%s'" % name
        if not isinstance(name, str) or not NAME_RE.match(name) or name in RESERVED:
            found.append('cinder_backends[%d] needs a name: letters, digits, - and _, starting with a letter, and not '
                         'a cinder.conf section of its own (%s); got %r.' % (index, ', '.join(RESERVED), name))
            continue
        if name in names:
            found.append('%s is listed twice: give each backend its own name.' % where)
        names.add(name)
        kind = backend.get('type')
        if kind not in TYPES:
            found.append('%s has type %r; use rbd (Ceph) or lvm (a volume group exported over iSCSI).' % (where, kind))
            continue
        vtype = backend.get('volume_type', name)
        if not isinstance(vtype, str) or not vtype.strip():
            found.append('%s: volume_type must be a volume type name, got %r.' % (where, vtype))
        elif vtype in types:
            found.append('%s: volume type %r is already the type of another backend; give each its own.'
                         % (where, vtype))
        types.add(vtype)
        if kind == 'lvm':
            helper = backend.get('target_helper')
            if helper is not None and helper not in TARGET_HELPERS:
                found.append('%s: target_helper %r is not one of %s (tgtadm needs tgt, lioadm the kernel LIO target '
                             'and targetcli).' % (where, helper, ', '.join(TARGET_HELPERS)))
            device = backend.get('device')
            if device is not None and device != '' and (not isinstance(device, str) or not device.startswith('/dev/')):
                found.append('%s: device must be a block device path under /dev (e.g. /dev/sdb), got %r.'
                             % (where, device))
            group = backend.get('volume_group')
            if group is not None and (not isinstance(group, str) or not re.match(r'^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$',
                                                                                 group)):
                found.append('%s: volume_group %r is not a volume group name.' % (where, group))
        for key in ('pool', 'user'):
            value = backend.get(key)
            if kind == 'rbd' and value is not None and (not isinstance(value, str) or not value):
                found.append('%s: %s must be a non-empty name, got %r.' % (where, key, value))
    return found


def _check(backends):
    found = problems(backends)
    if found:
        raise CinderError(' '.join(found))


def kinds(backends):
    """The backend types in use, sorted, each once."""
    _check(backends)
    return sorted(set(backend['type'] for backend in backends))


def volume_types(backends):
    """The volume type of each backend, in order: [{name, backend}] (backend: its volume_backend_name)."""
    _check(backends)
    return [{'name': backend.get('volume_type', backend['name']), 'backend': backend['name']} for backend in backends]


def lvm_backends(backends, defaults=None):
    """The lvm backends with their volume group and device filled in: [{name, volume_group, device,
    target_helper}] (what the role creates the groups from and the prechecks look for)."""
    _check(backends)
    defaults = defaults or {}
    return [{'name': b['name'], 'volume_group': b.get('volume_group', defaults.get('volume_group', 'cinder-volumes')),
             'device': b.get('device', defaults.get('device', '')) or '',
             'target_helper': b.get('target_helper', defaults.get('target_helper', 'tgtadm'))}
            for b in backends if b['type'] == 'lvm']


def sections(backends, defaults=None):
    """{'enabled': backend names in order, 'sections': {name: cinder.conf options}}.

    ``defaults``: rbd_pool, rbd_user, rbd_secret_uuid, ceph_conf (RBD); volume_group, target_helper,
    target_ip_address, target_port (LVM). The keys a backend gives beyond its own (see OWN_KEYS) are cinder.conf options that
    win over the built-in ones; a null value removes one.
    """
    _check(backends)
    defaults = defaults or {}
    result = {}
    for backend in backends:
        name, kind = backend['name'], backend['type']
        if kind == 'rbd':
            pool = backend.get('pool', defaults.get('rbd_pool', 'volumes'))
            options = {
                'volume_driver': 'cinder.volume.drivers.rbd.RBDDriver',
                'rbd_pool': pool,
                'rbd_user': backend.get('user', defaults.get('rbd_user', 'cinder')),
                'rbd_ceph_conf': defaults.get('ceph_conf', '/etc/ceph/ceph.conf'),
                'rbd_secret_uuid': defaults.get('rbd_secret_uuid', ''),
                # copy-on-write clones stay clones (of images in Glance's RBD store too)
                'rbd_flatten_volume_from_snapshot': False,
                'rbd_max_clone_depth': 5,
                'rbd_store_chunk_size': 4,
                'rados_connect_timeout': -1,
                'report_discard_supported': True,
                # every cinder-volume of the backend answers for its volumes under one name: any storage node
                # can manage them (active/passive; no cluster coordination)
                'backend_host': 'rbd:%s' % pool,
            }
        else:
            options = {
                'volume_driver': 'cinder.volume.drivers.lvm.LVMVolumeDriver',
                'volume_group': backend.get('volume_group', defaults.get('volume_group', 'cinder-volumes')),
                'target_protocol': 'iscsi',
                'target_helper': backend.get('target_helper', defaults.get('target_helper', 'tgtadm')),
            }
            if defaults.get('target_ip_address'):
                options['target_ip_address'] = defaults['target_ip_address']
            # the iSCSI portal's port the computes are told (the catalog's cinder_iscsi_target.ports.iscsi)
            if defaults.get('target_port'):
                options['target_port'] = int(defaults['target_port'])
        options['volume_backend_name'] = name
        for key, value in backend.items():
            if key in OWN_KEYS[kind] or key in ('volume_group', 'target_helper'):
                continue
            if value is None:
                options.pop(key, None)
            else:
                options[key] = value
        result[name] = options
    return {'enabled': [backend['name'] for backend in backends], 'sections': result}
