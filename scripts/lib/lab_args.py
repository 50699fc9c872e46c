#!/usr/bin/env python
"""The gureum.lab arguments a lab was made with, read back from the inventory it wrote (nodes with their groups and
addresses, the networks (the amphora network too where the lab has one), the NICs), so a script can grow or boot
that lab again with the same shape:

    scripts/lib/lab_args.py INVENTORY     prints them as JSON (for ansible-playbook -e)

E2E_LAB_ARGS (JSON), when set, is taken as it is.
"""

import json
import os
import sys

import yaml


def lab_args(inventory):
    if os.environ.get('E2E_LAB_ARGS'):
        return json.loads(os.environ['E2E_LAB_ARGS'])
    with open(inventory) as handle:
        data = yaml.safe_load(handle)['all']
    common = data.get('vars', {})
    hosts = data['hosts']
    first = hosts[sorted(hosts)[0]]
    groups = dict((name, sorted((child or {}).get('hosts') or {})) for name, child in data['children'].items())
    networks = {'management': {'cidr': common['management_network']['cidr']},
                'provider': {'cidr': common['provider_network']['cidr']}}
    interfaces = {'management': first.get('management_interface', common.get('management_interface')),
                  'provider': first.get('provider_interface', common.get('provider_interface'))}
    # the amphora network (Octavia's lb-mgmt-net), in labs made since it exists
    if common.get('amphora_network'):
        networks['amphora'] = {'cidr': common['amphora_network']['cidr']}
        interfaces['amphora'] = first.get('amphora_interface', common.get('amphora_interface', 'eth2'))
    return {
        'lab_networks': networks,
        'lab_interfaces': interfaces,
        'lab_login_user': os.environ.get('DAY2_LAB_LOGIN_USER', 'stack'),
        'lab_nodes': [{'name': name, 'address': vars_['management_address'],
                       'groups': sorted(g for g, members in groups.items() if name in members)}
                      for name, vars_ in hosts.items()],
    }


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: %s INVENTORY' % sys.argv[0])
    print(json.dumps(lab_args(sys.argv[1])))
