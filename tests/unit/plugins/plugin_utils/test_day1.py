import copy
import os
import re

import pytest

from ansible_collections.gureum.openstack.plugins.plugin_utils import day1

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))

LAB = {
    'projects': [{'name': 'demo', 'quotas': {'instances': 10, 'cores': 20}}],
    'users': [{'name': 'demo', 'project': 'demo', 'password_secret': 'demo_password',
               'roles': [{'role': 'member', 'project': 'demo'}]}],
    'flavors': [{'name': 'm1.tiny', 'vcpus': 1, 'ram': 256, 'disk': 1}],
    'images': [{'name': 'gureum-guest', 'file': '/tmp/g.qcow2', 'disk_format': 'qcow2'}],
    'networks': [
        {'name': 'ext_net', 'external': True, 'shared': True,
         'provider': {'network_type': 'flat', 'physical_network': 'provider'},
         'subnets': [{'name': 'ext_subnet', 'cidr': '198.51.100.0/24', 'gateway_ip': '198.51.100.1',
                      'enable_dhcp': False,
                      'allocation_pools': [{'start': '198.51.100.100', 'end': '198.51.100.200'}]}]},
        {'name': 'demo_private01', 'project': 'demo', 'user': 'demo',
         'subnets': [{'name': 'demo_private01_subnet', 'cidr': '172.16.10.0/24', 'dns_nameservers': ['8.8.8.8']}]},
    ],
    'routers': [{'name': 'DEMO_R1', 'project': 'demo', 'user': 'demo', 'external_gateway': 'ext_net',
                 'interfaces': ['demo_private01_subnet']}],
    'security_groups': [{'name': 'www_SSH_PERMIT', 'project': 'demo', 'user': 'demo',
                         'rules': [{'protocol': 'tcp', 'port': 22}, {'protocol': 'tcp', 'port': 80},
                                   {'protocol': 'icmp'}]}],
    'keypairs': [{'name': 'demoweb', 'user': 'demo', 'project': 'demo'}],
    'servers': [{'name': 'web1', 'project': 'demo', 'user': 'demo', 'image': 'gureum-guest', 'flavor': 'm1.tiny',
                 'networks': ['demo_private01'], 'security_groups': ['www_SSH_PERMIT'], 'key_name': 'demoweb'}],
    'floating_ips': [{'name': 'web1-fip', 'project': 'demo', 'user': 'demo', 'network': 'ext_net', 'server': 'web1'}],
}


def broken(path, value):
    """LAB with one value replaced; path is a list of keys/indexes."""
    data = copy.deepcopy(LAB)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def test_the_lab_example_is_valid_and_gets_defaults():
    plan = day1.plan(LAB)
    assert set(plan) == set(day1.KINDS) | {'clouds'}
    assert plan['networks'][0]['user'] == 'admin' and plan['networks'][0]['project'] == 'admin'
    assert plan['servers'][0]['state'] == 'present'
    assert plan['networks'][0]['cloud'] == 'admin'
    assert plan['servers'][0]['cloud'] == 'demo@demo'
    assert plan['clouds'] == [('demo', 'demo')]


@pytest.mark.parametrize('data, message', [
    (broken(['networks', 0, 'subnets', 0, 'gateway_ip'], '10.0.0.1'), 'gateway_ip 10.0.0.1 is outside 198.51.100.0/24'),
    (broken(['networks', 0, 'subnets', 0, 'allocation_pools'], [{'start': '198.51.100.100', 'end': '198.51.101.5'}]),
     'allocation pool end 198.51.101.5 is outside'),
    (broken(['networks', 0, 'subnets', 0, 'allocation_pools'], [{'start': '198.51.100.1', 'end': '198.51.100.9'}]),
     'gateway 198.51.100.1 lies inside allocation pool'),
    (broken(['networks', 0, 'subnets', 0, 'allocation_pools'], [{'start': '198.51.100.20', 'end': '198.51.100.10'}]),
     'ends before it starts'),
    (broken(['networks', 1, 'subnets', 0, 'cidr'], '172.16.10.1/24'), 'is not a network address'),
    (broken(['routers', 0, 'external_gateway'], 'ext_nett'), "gateway on unknown network 'ext_nett'"),
    (broken(['routers', 0, 'external_gateway'], 'demo_private01'), 'which is not external'),
    (broken(['routers', 0, 'interfaces'], ['nope']), "interface on unknown subnet 'nope'"),
    (broken(['floating_ips', 0, 'network'], 'demo_private01'), 'floating IPs come from an external network'),
    (broken(['floating_ips', 0, 'server'], 'web2'), "unknown server 'web2'"),
    (broken(['servers', 0, 'flavor'], 'm1.huge'), "flavor 'm1.huge', which is not defined"),
    (broken(['servers', 0, 'networks'], ['ext_nett']), "unknown network 'ext_nett'"),
    (broken(['servers', 0, 'security_groups'], ['www']), "unknown security group 'www'"),
    (broken(['servers', 0, 'project'], 'other'), "project 'other', which is neither defined"),
    (broken(['servers', 0, 'user'], 'bob'), "user 'bob', who is not defined"),
    (broken(['users', 0, 'roles'], []), 'that user has no role in that project'),
    (broken(['users', 0, 'password_secret'], None), 'needs password_secret'),
    (broken(['projects', 0, 'quotas'], {'instances': 'ten'}), 'quota instances must be an integer'),
    (broken(['security_groups', 0, 'rules'], [{'protocol': 'icmp', 'port': 22}]), 'must be a tcp/udp port'),
    (broken(['security_groups', 0, 'rules'], [{'protocol': 'gre'}]), 'rule protocol must be one of'),
    (broken(['networks', 0, 'provider'], {'network_type': 'flat'}), 'needs physical_network'),
    (broken(['networks', 0, 'user'], 'demo'), 'only an admin can make an external network'),
    (broken(['networks', 0, 'user'], 'demo'), 'only an admin can give provider attributes'),
    (broken(['networks', 0, 'provider'], {'network_type': 'vlan', 'physical_network': 'provider',
                                          'segmentation_id': 4095}),
     'needs segmentation_id, a VLAN ID from 1 to 4094, not 4095'),
    (broken(['flavors'], [{'name': 'm1.tiny'}, {'name': 'm1.tiny'}]), 'is listed twice'),
    (broken(['keypairs', 0, 'state'], 'gone'), 'state must be present or absent'),
    (dict(LAB, volumes=[]), 'unknown resource kind'),
    (broken(['images', 0, 'file'], None), 'needs file .a disk image'),
])
def test_broken_resources_are_refused(data, message):
    with pytest.raises(day1.Day1Error, match=message):
        day1.plan(data)


def test_every_problem_is_reported_at_once():
    data = broken(['routers', 0, 'external_gateway'], 'nope')
    data['servers'][0]['flavor'] = 'm1.huge'
    errors = day1.check(data)
    assert len(errors) == 2


def test_overlapping_subnets_in_one_network():
    data = copy.deepcopy(LAB)
    data['networks'][1]['subnets'].append({'name': 'second', 'cidr': '172.16.10.128/25'})
    assert any('overlaps subnet demo_private01_subnet' in e for e in day1.check(data))


def test_absent_resources_need_no_references():
    data = broken(['servers', 0, 'state'], 'absent')
    data['servers'][0]['flavor'] = 'gone'
    data['floating_ips'][0]['state'] = 'absent'
    assert day1.check(data) == []


AUTH_URL = 'http://10.0.0.11:5000/v3'


def _cloud(user, project, password):
    return {'username': user, 'project': project, 'password': password, 'auth_url': AUTH_URL, 'region': 'RegionOne'}


def test_clouds_of_the_lab():
    clouds = day1.clouds(day1.plan(LAB), {'demo': 'demo-pw'}, 'admin-pw', AUTH_URL, 'RegionOne')
    assert clouds == {
        'internal': {'admin': _cloud('admin', 'admin', 'admin-pw'), 'demo@demo': _cloud('demo', 'demo', 'demo-pw')},
        'people': {'admin': _cloud('admin', 'admin', 'admin-pw'), 'demo': _cloud('demo', 'demo', 'demo-pw')},
    }


def _two_users():
    data = copy.deepcopy(LAB)
    data['projects'].append({'name': 'ops'})
    data['users'] += [
        # acts in another project than its default one
        {'name': 'bob', 'project': 'demo', 'password': 'x',
         'roles': [{'role': 'member', 'project': 'demo'}, {'role': 'member', 'project': 'ops'}]},
        # no project: no cloud of its own for people
        {'name': 'svc', 'password': 'x', 'roles': [{'role': 'reader', 'project': 'ops'}]},
        {'name': 'gone', 'project': 'demo', 'password': 'x', 'state': 'absent'},
    ]
    data['keypairs'].append({'name': 'bobkey', 'user': 'bob', 'project': 'ops'})
    return day1.plan(data)


@pytest.mark.parametrize('part, names', [
    ('internal', ['admin', 'bob@ops', 'demo@demo']),
    ('people', ['admin', 'bob', 'demo']),
])
def test_clouds_names(part, names):
    passwords = {'demo': 'demo-pw', 'bob': 'bob-pw', 'svc': 'svc-pw'}
    assert sorted(day1.clouds(_two_users(), passwords, 'admin-pw', AUTH_URL, 'RegionOne')[part]) == names


def test_a_cloud_acts_in_the_resource_project():
    passwords = {'demo': 'demo-pw', 'bob': 'bob-pw'}
    clouds = day1.clouds(_two_users(), passwords, 'admin-pw', AUTH_URL, 'RegionOne')
    assert clouds['internal']['bob@ops'] == _cloud('bob', 'ops', 'bob-pw')
    assert clouds['people']['bob'] == _cloud('bob', 'demo', 'bob-pw')


def test_clouds_read_pairs_as_lists_too():
    # after templating, the plan's (user, project) pairs are lists
    plan = dict(day1.plan(LAB), clouds=[['demo', 'demo']])
    assert 'demo@demo' in day1.clouds(plan, {'demo': 'pw'}, 'admin-pw', AUTH_URL, 'RegionOne')['internal']


def test_an_empty_plan_has_the_admin_cloud_only():
    clouds = day1.clouds(day1.plan({}), {}, 'admin-pw', AUTH_URL, 'RegionOne')
    assert clouds == {'internal': {'admin': _cloud('admin', 'admin', 'admin-pw')},
                      'people': {'admin': _cloud('admin', 'admin', 'admin-pw')}}


@pytest.mark.parametrize('passwords, admin_password, message', [
    ({}, 'admin-pw', "user 'demo' has no password"),
    ({'demo': ''}, 'admin-pw', "user 'demo' has no password"),
    (None, 'admin-pw', "user 'demo' has no password"),
    ({'demo': 'pw'}, '', "user 'admin' has no password"),
    ({'demo': 'pw'}, None, "user 'admin' has no password"),
])
def test_clouds_refuse_a_missing_password(passwords, admin_password, message):
    with pytest.raises(day1.Day1Error, match=message):
        day1.clouds(day1.plan(LAB), passwords, admin_password, AUTH_URL, 'RegionOne')


# ---- Stacks ----

EXAMPLE_TEMPLATE = os.path.join(ROOT, 'inventories', 'example', 'heat', 'stack1.yaml')
STACK = {'name': 'stack1', 'project': 'demo', 'user': 'demo', 'template': 'heat/stack1.yaml',
         'parameters': {'image': 'gureum-guest', 'flavor': 'm1.tiny', 'network': 'demo_private01'}}
EXAMPLE_DIR = os.path.join(ROOT, 'inventories', 'example')


def with_stack(**changes):
    data = copy.deepcopy(LAB)
    data['stacks'] = [dict(STACK, **changes)]
    return data


def test_the_example_stack_is_valid_and_planned_with_its_absolute_template_and_a_tag():
    plan = day1.plan(with_stack(), EXAMPLE_DIR)
    stack = plan['stacks'][0]
    assert stack['template'] == EXAMPLE_TEMPLATE
    assert stack['cloud'] == 'demo@demo' and stack['state'] == 'present'
    assert re.match(r'^gureum-day1-[0-9a-f]{16}$', stack['tag'])
    assert ('demo', 'demo') in plan['clouds']


def test_the_tag_follows_the_parameters_and_the_template(tmp_path):
    first = day1.plan(with_stack(), EXAMPLE_DIR)['stacks'][0]['tag']
    assert day1.plan(with_stack(), EXAMPLE_DIR)['stacks'][0]['tag'] == first
    other = dict(STACK['parameters'], flavor='m1.small')
    assert day1.plan(with_stack(parameters=other), EXAMPLE_DIR)['stacks'][0]['tag'] != first
    copied = tmp_path / 'stack1.yaml'
    copied.write_text(open(EXAMPLE_TEMPLATE).read() + '\n# changed\n')
    assert day1.plan(with_stack(template=str(copied)))['stacks'][0]['tag'] != first


def _template(tmp_path, text, name='t.yaml'):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


GOOD = 'heat_template_version: 2017-02-24\nparameters:\n  image: {type: string}\n  size: {type: number, default: 1}\n' \
       'resources:\n  s: {type: OS::Nova::Server}\n'


@pytest.mark.parametrize('text, message', [
    (None, r'template .*missing\.yaml does not exist; give the path of a Heat template'),
    ('heat_template_version: ocata\nresources: [\n', r'does not parse as YAML at line 3, column 1'),
    ('- a list\n', 'is not a Heat template: a mapping'),
    ('description: no version\nresources: {s: {type: OS::Nova::Server}}\n', 'it has no heat_template_version'),
    ('heat_template_version: 2099-01-01\nresources: {s: {type: OS::Nova::Server}}\n',
     'version 2099-01-01 is not one Heat knows'),
    ('heat_template_version: ocata\n', 'it declares no resources'),
    ('heat_template_version: ocata\nparameters: [image]\nresources: {s: {type: OS::Nova::Server}}\n',
     'parameters must map each parameter name'),
], ids=['missing', 'not-yaml', 'not-a-mapping', 'no-version', 'unknown-version', 'no-resources', 'bad-parameters'])
def test_a_bad_template_is_refused_with_a_sentence(tmp_path, text, message):
    path = str(tmp_path / 'missing.yaml') if text is None else _template(tmp_path, text)
    errors = day1.check(with_stack(template=path, parameters={'image': 'x'}))
    assert len(errors) == 1 and errors[0].startswith("stack 'stack1': ")
    assert re.search(message, errors[0]), errors[0]


def test_a_relative_template_is_taken_from_the_inventory_directory(tmp_path):
    (tmp_path / 'heat').mkdir()
    _template(tmp_path, GOOD, 'heat/t.yaml')
    assert day1.check(with_stack(template='heat/t.yaml', parameters={'image': 'x'}), str(tmp_path)) == []
    errors = day1.check(with_stack(template='heat/t.yaml', parameters={'image': 'x'}), str(tmp_path / 'elsewhere'))
    assert 'does not exist' in errors[0]


@pytest.mark.parametrize('parameters, message', [
    ({'image': 'x', 'flavour': 'm1.tiny'},
     "parameter 'flavour' is not declared by template .*; it declares image, size."),
    ({}, "template .* needs parameter 'image' \\(it has no default\\); add it under parameters."),
    ('image=x', 'parameters must be a mapping'),
], ids=['undeclared', 'missing-required', 'not-a-mapping'])
def test_stack_parameters_must_match_the_template(tmp_path, parameters, message):
    errors = day1.check(with_stack(template=_template(tmp_path, GOOD), parameters=parameters))
    assert len(errors) == 1 and re.search(message, errors[0]), errors


def test_an_aws_template_declares_its_parameters_under_parameters_with_a_capital(tmp_path):
    path = _template(tmp_path, "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  KeyName: {Type: String}\n"
                               "Resources:\n  s: {Type: 'AWS::EC2::Instance'}\n")
    assert day1.check(with_stack(template=path, parameters={'KeyName': 'k'})) == []


@pytest.mark.parametrize('changes, message', [
    ({'project': 'nowhere'}, "belongs to project 'nowhere'"),
    ({'user': 'nobody'}, "is made as user 'nobody'"),
    ({'template': ''}, 'needs template'),
    ({'name': '1stack'}, 'a stack name starts with a letter'),
], ids=['project', 'user', 'no-template', 'bad-name'])
def test_other_stack_mistakes(changes, message):
    errors = day1.check(with_stack(**changes), EXAMPLE_DIR)
    assert any(message in e for e in errors), errors


def test_an_absent_stack_needs_no_template():
    plan = day1.plan(with_stack(state='absent', template='gone.yaml'), EXAMPLE_DIR)
    assert plan['stacks'][0]['state'] == 'absent' and 'tag' not in plan['stacks'][0]


def _planned():
    return day1.plan(with_stack(), EXAMPLE_DIR)['stacks']


@pytest.mark.parametrize('found, todo', [
    (lambda tag: {}, True),
    (lambda tag: {'demo@demo': [{'name': 'stack1', 'status': 'CREATE_COMPLETE', 'tags': [tag]}]}, False),
    (lambda tag: {'demo@demo': [{'name': 'stack1', 'stack_status': 'UPDATE_COMPLETE', 'tags': [tag]}]}, False),
    (lambda tag: {'demo@demo': [{'name': 'stack1', 'status': 'CREATE_FAILED', 'tags': [tag]}]}, True),
    (lambda tag: {'demo@demo': [{'name': 'stack1', 'status': 'CREATE_COMPLETE', 'tags': ['gureum-day1-old']}]}, True),
    (lambda tag: {'demo@demo': [{'name': 'stack1', 'status': 'CREATE_COMPLETE', 'tags': None}]}, True),
    (lambda tag: {'admin': [{'name': 'stack1', 'status': 'CREATE_COMPLETE', 'tags': [tag]}]}, True),
], ids=['missing', 'complete', 'updated', 'failed', 'old-tag', 'no-tags', 'other-cloud'])
def test_stacks_to_apply(found, todo):
    stacks = _planned()
    assert day1.stacks_to_apply(stacks, found(stacks[0]['tag'])) == (stacks if todo else [])


def test_absent_stacks_are_never_applied():
    assert day1.stacks_to_apply([dict(_planned()[0], state='absent')], {}) == []
