#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: ceph_cluster
short_description: Converge a Ceph cluster's monitors' protocol, replication rule, pools and client keys
version_added: "0.4.0"
author: gureum.openstack contributors (@gureum)
description:
  - Runs on one monitor node as client.admin, after the daemons exist (M(gureum.openstack.ceph_daemons)); reads the
    cluster once and changes only what differs, so a converged cluster costs a few read-only calls.
  - Monitors - C(ceph mon enable-msgr2) when a monitor has no v2 address.
  - Replication - a replicated CRUSH rule C(replicated_<failure_domain>) (C(osd) spreads the copies over the OSDs of
    one host, C(host) over hosts), made when missing; every pool of I(pools) uses it.
  - Pools - made with I(pool_pg_num) placement groups when missing (the autoscaler may change that later; it is
    never set again); C(size), C(min_size) and the rule set when they differ; the application (C(rbd)) enabled.
  - Client keys - each entity of I(clients) with exactly the given key and caps, imported with C(ceph auth import)
    when it is missing or differs, so the key equals the deployment's secret.
options:
  cluster:
    description: The cluster's name.
    type: str
    default: ceph
  admin_keyring:
    description: client.admin's keyring.
    type: path
    default: /etc/ceph/ceph.client.admin.keyring
  msgr2:
    description: Whether every monitor must have a msgr2 address.
    type: bool
    default: true
  failure_domain:
    description: The CRUSH type the copies of an object are spread over.
    type: str
    choices: [osd, host]
    default: host
  pool_size:
    description: Copies of each object.
    type: int
    default: 3
  pool_min_size:
    description: Copies that must be written before a write is acknowledged.
    type: int
    default: 2
  pool_pg_num:
    description: Placement groups of a new pool.
    type: int
    default: 32
  pools:
    description: The pools, each C(name) and C(application).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The pool's name.
        type: str
        required: true
      application:
        description: The application enabled on it.
        type: str
        default: rbd
  clients:
    description: The client entities, each C(name) (C(client.cinder)), C(key) and C(caps) (C({mon, osd})).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The entity.
        type: str
        required: true
      key:
        description: Its cephx key (never logged).
        type: str
        required: true
      caps:
        description: Its caps by daemon type.
        type: dict
        required: true
attributes:
  check_mode:
    support: full
    description: Reads the cluster and reports what would change.
  diff_mode:
    support: none
    description: Returns no diff; C(changes) says what changed.
  platform:
    support: full
    platforms: posix
    description: Runs on a node with the ceph CLI and the admin keyring (the first monitor).
'''

EXAMPLES = r'''
- name: Pools and client keys
  gureum.openstack.ceph_cluster:
    failure_domain: osd
    pools: [{name: volumes}, {name: images}]
    clients:
      - name: client.glance
        key: "{{ ceph_client_glance_key }}"
        caps: {mon: profile rbd, osd: profile rbd pool=images}
  run_once: true
  no_log: true
'''

RETURN = r'''
changes:
  description: What changed (or would), one sentence each.
  returned: always
  type: list
  elements: str
  sample: ["pool volumes created", "client.cinder imported"]
health:
  description: The cluster's health status after the run (C(HEALTH_OK), C(HEALTH_WARN) ...).
  returned: always
  type: str
'''

import json
import os
import tempfile

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.gureum.openstack.plugins.module_utils.ceph import CephError, Cli, keyring


class Cluster(object):

    def __init__(self, params, cli, check_mode=False):
        self.p = params
        self.cli = cli
        self.check_mode = check_mode
        self.changes = []

    def change(self, sentence, *args, **kwargs):
        self.changes.append(sentence)
        if not self.check_mode:
            self.cli.run(*args, **kwargs)

    def msgr2(self):
        monmap = self.cli.json(['mon', 'dump']) or {}
        without = [mon['name'] for mon in monmap.get('mons', [])
                   if not any(a.get('type') == 'v2' for a in (mon.get('public_addrs') or {}).get('addrvec', []))]
        if self.p['msgr2'] and without:
            self.change('msgr2 enabled on %s' % ', '.join(without), ['mon', 'enable-msgr2'])

    def rule(self):
        name = 'replicated_%s' % self.p['failure_domain']
        rules = self.cli.json(['osd', 'crush', 'rule', 'dump']) or []
        by_name = dict((r['rule_name'], r['rule_id']) for r in rules)
        if name not in by_name:
            self.change('CRUSH rule %s created' % name,
                        ['osd', 'crush', 'rule', 'create-replicated', name, 'default', self.p['failure_domain']])
            if not self.check_mode:
                rules = self.cli.json(['osd', 'crush', 'rule', 'dump']) or []
                by_name = dict((r['rule_name'], r['rule_id']) for r in rules)
        return name, by_name.get(name)

    def pools(self, rule_name, rule_id):
        existing = dict((pool['pool_name'], pool) for pool in self.cli.json(['osd', 'pool', 'ls', 'detail']) or [])
        size, min_size = self.p['pool_size'], self.p['pool_min_size']
        for spec in self.p['pools']:
            name = spec['name']
            pool = existing.get(name)
            if pool is None:
                pg = str(self.p['pool_pg_num'])
                self.change('pool %s created' % name, ['osd', 'pool', 'create', name, pg, pg, 'replicated', rule_name])
                pool = {'size': None, 'min_size': None, 'crush_rule': rule_id, 'application_metadata': {}}
            elif pool.get('crush_rule') != rule_id:
                self.change('pool %s uses rule %s' % (name, rule_name),
                            ['osd', 'pool', 'set', name, 'crush_rule', rule_name])
            if pool.get('size') != size:
                # a pool of one copy must be asked for twice over (mon_allow_pool_size_one as well)
                confirm = ['--yes-i-really-mean-it'] if size == 1 else []
                self.change('pool %s size %d' % (name, size), ['osd', 'pool', 'set', name, 'size', str(size)] + confirm)
            if pool.get('min_size') != min_size:
                self.change('pool %s min_size %d' % (name, min_size),
                            ['osd', 'pool', 'set', name, 'min_size', str(min_size)])
            application = spec.get('application') or 'rbd'
            if application not in (pool.get('application_metadata') or {}):
                self.change('pool %s application %s' % (name, application),
                            ['osd', 'pool', 'application', 'enable', name, application])

    def clients(self):
        for client in self.p['clients']:
            name = client['name']
            caps = dict((daemon, '%s' % value) for daemon, value in client['caps'].items())
            rc, out, dummy = self.cli.run(['auth', 'get', name, '--format', 'json'], check=False)
            current = None
            if rc == 0 and out.strip():
                found = json.loads(out)
                current = found[0] if isinstance(found, list) and found else None
            if current and current.get('key') == client['key'] and current.get('caps', {}) == caps:
                continue
            sentence = '%s %s' % (name, 'imported' if current is None else 'given its key and caps again')
            self.changes.append(sentence)
            if self.check_mode:
                continue
            handle, path = tempfile.mkstemp(prefix='gureum-keyring-')
            try:
                with os.fdopen(handle, 'w') as out_file:
                    out_file.write(keyring(name, client['key'], caps))
                self.cli.run(['auth', 'import', '-i', path])
            finally:
                os.unlink(path)

    def converge(self):
        self.msgr2()
        rule_name, rule_id = self.rule()
        self.pools(rule_name, rule_id)
        self.clients()
        rc, out, dummy = self.cli.run(['health'], check=False)
        return out.split()[0] if rc == 0 and out.strip() else 'unknown'


def main():
    module = AnsibleModule(
        argument_spec=dict(
            cluster=dict(type='str', default='ceph'),
            admin_keyring=dict(type='path', default='/etc/ceph/ceph.client.admin.keyring'),
            msgr2=dict(type='bool', default=True),
            failure_domain=dict(type='str', default='host', choices=['osd', 'host']),
            pool_size=dict(type='int', default=3),
            pool_min_size=dict(type='int', default=2),
            pool_pg_num=dict(type='int', default=32),
            pools=dict(type='list', elements='dict', default=[], options=dict(
                name=dict(type='str', required=True),
                application=dict(type='str', default='rbd'),
            )),
            clients=dict(type='list', elements='dict', default=[], options=dict(
                name=dict(type='str', required=True),
                key=dict(type='str', required=True, no_log=True),
                caps=dict(type='dict', required=True),
            )),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if not 1 <= params['pool_min_size'] <= params['pool_size']:
        module.fail_json(msg='pool_min_size (%d) must be between 1 and pool_size (%d).'
                         % (params['pool_min_size'], params['pool_size']))

    def runner(argv, data=None):
        return module.run_command(argv, data=data, binary_data=data is not None, environ_update={'LC_ALL': 'C'})

    cluster = Cluster(params, Cli(runner, params['cluster'], params['admin_keyring']), module.check_mode)
    try:
        health = cluster.converge()
    except CephError as exc:
        module.fail_json(msg='%s' % exc, changes=cluster.changes)
    module.exit_json(changed=bool(cluster.changes), changes=cluster.changes, health=health)


if __name__ == '__main__':
    main()
