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
    (dict(LAB, buckets=[]), 'unknown resource kind'),
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


# ---- Volume types, volumes, containers ----

STORAGE = {
    'volume_types': [{'name': 'standard', 'description': 'Ceph RBD', 'properties': {'volume_backend_name': 'rbd'}}],
    'volumes': [{'name': 'vol1', 'project': 'demo', 'user': 'demo', 'size': 1, 'volume_type': 'standard',
                 'server': 'web1'}],
    'containers': [{'name': 'demo-container', 'project': 'demo', 'user': 'demo',
                    'objects': [{'name': 'hello.txt', 'content': 'Hello'}]}],
}
SERVICES = ['keystone', 'nova', 'cinder', 'swift_proxy']


def with_storage(kind=None, index=0, **changes):
    """LAB with STORAGE, one entry of ``kind`` changed (a value None removes the key)."""
    data = copy.deepcopy(LAB)
    data.update(copy.deepcopy(STORAGE))
    if kind:
        data[kind][index].update(changes)
        for key in [k for k, v in changes.items() if v is None]:
            del data[kind][index][key]
    return data


def test_volumes_and_containers_are_planned_as_their_user():
    plan = day1.plan(with_storage(), services=SERVICES)
    assert plan['volume_types'] == [dict(STORAGE['volume_types'][0], state='present')]
    assert 'cloud' not in plan['volume_types'][0]
    assert plan['volumes'][0]['cloud'] == 'demo@demo' and plan['volumes'][0]['state'] == 'present'
    assert plan['containers'][0]['cloud'] == 'demo@demo'
    assert plan['containers'][0]['objects'] == [{'name': 'hello.txt', 'content': 'Hello'}]
    assert plan['clouds'] == [('demo', 'demo')]


def test_an_object_file_is_planned_with_its_absolute_path(tmp_path):
    data = with_storage('containers', objects=[{'name': 'a.txt', 'file': 'files/a.txt'},
                                               {'name': 'b.txt', 'file': '/srv/b.txt'}])
    objects = day1.plan(data, str(tmp_path))['containers'][0]['objects']
    assert objects == [{'name': 'a.txt', 'file': str(tmp_path / 'files' / 'a.txt')},
                       {'name': 'b.txt', 'file': '/srv/b.txt'}]


@pytest.mark.parametrize('kind, changes, message', [
    ('volumes', {'size': None}, "volume 'vol1': needs size, its size in GiB (a whole number, at least 1)."),
    ('volumes', {'size': 0}, "volume 'vol1': size must be a whole number of GiB (at least 1), not 0; fix it in "
                             "bootstrap_volumes."),
    ('volumes', {'size': '1G'}, "size must be a whole number of GiB (at least 1), not '1G'"),
    ('volumes', {'size': 1.5}, 'size must be a whole number of GiB (at least 1), not 1.5'),
    ('volumes', {'size': True}, 'size must be a whole number of GiB (at least 1), not True'),
    ('volumes', {'server': 'web2'}, "volume 'vol1': is attached to unknown server 'web2': add it to bootstrap_servers "
                                    "or fix server."),
    ('volumes', {'volume_type': 'fast'}, "volume 'vol1': uses volume type 'fast', which is not defined under "
                                         "bootstrap_volume_types: add it there or use one of standard, __DEFAULT__."),
    ('volumes', {'user': None}, "volume 'vol1': is in project 'demo' but made as admin, who would make it in project "
                                "admin (a volume belongs to the project it is made in): set user to a user with a role "
                                "in 'demo'."),
    ('volumes', {'user': 'bob'}, "volume 'vol1': is made as user 'bob', who is not defined under bootstrap_users"),
    ('volume_types', {'is_public': 'yes'}, "volume type 'standard': is_public must be true or false, not 'yes'."),
    ('volume_types', {'properties': {'volume_backend_name': 1}},
     "volume type 'standard': properties must map extra spec names to text, such as {volume_backend_name: rbd} "
     "(quote numbers and booleans), not {'volume_backend_name': 1}."),
    ('volume_types', {'properties': ['volume_backend_name=rbd']}, 'properties must map extra spec names to text'),
    ('containers', {'name': 'a/b'}, "container 'a/b': a container name has at most 256 characters and no /; rename it."),
    ('containers', {'user': None}, "container 'demo-container': is in project 'demo' but made as admin, who would make "
                                   "it in project admin (a container belongs to the project it is made in)"),
    ('containers', {'objects': 'hello.txt'}, "container 'demo-container': objects must be a list of {name, content or "
                                             "file}, not 'hello.txt'."),
    ('containers', {'objects': [{'content': 'x'}]}, "each object needs a name (and content or file), got "
                                                    "{'content': 'x'}."),
    ('containers', {'objects': [{'name': 'a'}]}, "object 'a' needs either content (its text) or file (a file on the "
                                                 "machine running Ansible), not neither."),
    ('containers', {'objects': [{'name': 'a', 'content': 'x', 'file': '/tmp/a'}]}, "object 'a' needs either content "
                                                                                   "(its text) or file"),
    ('containers', {'objects': [{'name': 'a', 'content': 42}]}, "object 'a': content must be text, not 42; quote it."),
    ('containers', {'objects': [{'name': 'a', 'content': 'x'}, {'name': 'a', 'content': 'y'}]},
     "object 'a' is listed twice; rename or remove one."),
], ids=['no-size', 'size-0', 'size-text', 'size-float', 'size-bool', 'unknown-server', 'unknown-type',
        'admin-in-demo', 'unknown-user', 'is-public-text',
        'property-number', 'properties-list', 'container-slash', 'container-admin-in-demo', 'objects-not-a-list',
        'object-without-name', 'object-without-content', 'object-with-both', 'object-content-number',
        'object-twice'])
def test_bad_storage_resources_are_refused_with_their_sentence(kind, changes, message):
    errors = day1.check(with_storage(kind, **changes))
    assert len(errors) == 1 and message in errors[0], errors


def test_a_volume_in_an_unknown_project_is_refused():
    errors = day1.check(with_storage('volumes', project='ops'))
    assert "volume 'vol1': belongs to project 'ops', which is neither defined under bootstrap_projects nor built in " \
           "(admin, service): add it to bootstrap_projects or fix project." in errors


def test_cinders_default_type_is_not_made_but_may_be_named():
    data = with_storage('volumes', volume_type='__DEFAULT__')
    data['volume_types'].append({'name': '__DEFAULT__', 'state': 'absent'})
    assert day1.check(data) == ["volume type '__DEFAULT__': is Cinder's own default type, which every cloud has: "
                                "leave it out (volumes may name it all the same)."]
    data['volume_types'].pop()
    assert day1.check(data) == []


def test_a_volume_on_a_server_of_another_project_is_refused():
    data = with_storage()
    data['projects'].append({'name': 'ops'})
    data['users'][0]['roles'].append({'role': 'member', 'project': 'ops'})
    data['volumes'][0]['project'] = 'ops'
    assert day1.check(data) == [
        "volume 'vol1': is attached to server 'web1' of project 'demo', but the volume is in project 'ops': a server "
        "takes the volumes of its own project; put both in one."]


def test_a_volume_on_a_server_marked_absent_is_refused():
    data = with_storage('servers', state='absent')
    data['floating_ips'][0]['state'] = 'absent'
    assert day1.check(data) == ["volume 'vol1': is attached to unknown server 'web1': add it to bootstrap_servers or "
                                "fix server."]


def test_a_volume_from_an_image_marked_absent_is_refused():
    data = with_storage('volumes', image='gureum-guest')
    data['images'][0]['state'] = 'absent'
    data['servers'][0]['image'] = 'other'
    errors = [e for e in day1.check(data) if e.startswith('volume ')]
    assert errors == ["volume 'vol1': is made from image 'gureum-guest', which bootstrap_images marks absent: keep the "
                      "image, or make the volume from another one."]


@pytest.mark.parametrize('changes', [
    {'volume_type': '__DEFAULT__'}, {'volume_type': None}, {'server': None}, {'image': 'cirros-from-the-cloud'},
    {'user': 'admin', 'project': 'admin', 'server': None},
], ids=['default-type', 'no-type', 'no-server', 'an-image-the-cloud-has', 'admin-in-admin'])
def test_volumes_that_are_fine(changes):
    assert day1.check(with_storage('volumes', **changes)) == []


def test_absent_storage_resources_need_no_references():
    data = with_storage('volumes', state='absent', server='gone', size=None, volume_type='gone')
    data['containers'][0].update(state='absent', objects='not checked')
    data['volume_types'][0].update(state='absent', properties=['not checked'])
    assert day1.check(data) == []


@pytest.mark.parametrize('services, messages', [
    (SERVICES, []),
    (['keystone', 'swift_proxy'], [
        "bootstrap_volume_types lists standard, but Cinder is not deployed (cinder is not in openstack_services; by "
        "default it comes with hosts in the storage group): add storage hosts, or remove the volume types.",
        "bootstrap_volumes lists vol1, but Cinder is not deployed (cinder is not in openstack_services; by default it "
        "comes with hosts in the storage group): add storage hosts, or remove the volumes."]),
    (['keystone', 'cinder'], [
        "bootstrap_containers lists demo-container, but Swift's proxy is not deployed (swift_proxy is not in "
        "openstack_services; by default it comes with hosts in the storage group): add storage hosts, or remove the "
        "containers."]),
], ids=['both', 'no-cinder', 'no-swift'])
def test_storage_resources_need_their_service(services, messages):
    assert day1.check(with_storage(), context={'services': services}) == messages
    if messages:
        with pytest.raises(day1.Day1Error, match='remove the'):
            day1.plan(with_storage(), services=services)


def test_absent_volumes_need_cinder_too():
    # deleting them would call Cinder as well
    data = with_storage('volumes', state='absent')
    data['volume_types'] = []
    assert day1.check(data, context={'services': ['keystone', 'swift_proxy']}) == [
        "bootstrap_volumes lists vol1, but Cinder is not deployed (cinder is not in openstack_services; by default it "
        "comes with hosts in the storage group): add storage hosts, or remove the volumes."]


def test_without_services_the_plan_leaves_them_unchecked():
    assert day1.plan(with_storage())['volumes'][0]['name'] == 'vol1'
    assert day1.plan(dict(LAB), services=[])['volumes'] == []


@pytest.mark.parametrize('content, message', [
    (None, 'file {path} does not exist on the machine running Ansible; give its path (absolute, or relative to the '
           "inventory's directory), or content instead."),
    (b'\xff\xfe\x00binary', 'file {path} is not UTF-8 text, and an object is put from text; save it as UTF-8.'),
    (b'Hello\n', None),
], ids=['missing', 'binary', 'text'])
def test_object_files_are_checked_with_the_files_context(tmp_path, content, message):
    path = tmp_path / 'hello.txt'
    if content is not None:
        path.write_bytes(content)
    data = with_storage('containers', objects=[{'name': 'hello.txt', 'file': 'hello.txt'}])
    assert day1.check(data, str(tmp_path)) == []
    errors = [e for e in day1.check(data, str(tmp_path), context={'files': True}) if e.startswith('container ')]
    expected = [] if message is None else ["container 'demo-container': object 'hello.txt': "
                                           + message.format(path=path)]
    assert errors == expected


def test_storage_names_are_unique_per_project():
    data = with_storage()
    data['volumes'].append(dict(data['volumes'][0]))
    data['containers'].append(dict(data['containers'][0], project='admin', user='admin'))
    assert day1.check(data) == ["volume 'vol1': is listed twice in project 'demo'; names must be unique: rename or "
                                "remove one."]


# ---- Load balancers ----

MONITOR = {'type': 'HTTP', 'delay': 5, 'timeout': 3, 'max_retries': 2, 'url_path': '/', 'expected_codes': '200'}
LB = {'name': 'lb1', 'project': 'demo', 'user': 'demo', 'vip_subnet': 'demo_private01_subnet',
      'floating_ip': {'network': 'ext_net'},
      'listeners': [{'name': 'lb1-http', 'protocol': 'HTTP', 'port': 80,
                     'pool': {'name': 'lb1-pool', 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN',
                              'members': [{'server': 'web1', 'port': 80}, {'server': 'web2', 'port': 80}],
                              'health_monitor': dict(MONITOR)}}]}
OCTAVIA = ['keystone', 'nova', 'neutron_server', 'octavia']


def with_lb(**changes):
    """LAB with a second server web2, demo's load-balancer_member role and LB, changed by ``changes``: a dotted path
    (listeners.0.pool.members.0.server) to a value, None removing the key."""
    data = copy.deepcopy(LAB)
    data['users'][0]['roles'].append({'role': 'load-balancer_member', 'project': 'demo'})
    data['servers'].append(dict(data['servers'][0], name='web2'))
    lb = copy.deepcopy(LB)
    for path, value in changes.items():
        keys = [int(k) if k.isdigit() else k for k in path.split('.')]
        target = lb
        for key in keys[:-1]:
            target = target[key]
        if value is None:
            del target[keys[-1]]
        else:
            target[keys[-1]] = value
    data['load_balancers'] = [lb]
    return data


def test_a_load_balancer_is_planned_as_its_user_with_its_parts_one_list_each():
    plan = day1.plan(with_lb(**{'listeners.0.pool.protocol': None, 'listeners.0.pool.lb_algorithm': None}),
                     services=OCTAVIA)
    lb = plan['load_balancers'][0]
    assert (lb['cloud'], lb['state']) == ('demo@demo', 'present')
    assert lb['pools'] == [{'name': 'lb1-pool', 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN',
                            'listener': 'lb1-http'}]
    assert lb['members'] == [
        {'name': 'web1', 'server': 'web1', 'port': 80, 'pool': 'lb1-pool', 'subnet': 'demo_private01_subnet',
         'cidr': '172.16.10.0/24'},
        {'name': 'web2', 'server': 'web2', 'port': 80, 'pool': 'lb1-pool', 'subnet': 'demo_private01_subnet',
         'cidr': '172.16.10.0/24'}]
    assert lb['health_monitors'] == [dict(MONITOR, name='lb1-pool-monitor', pool='lb1-pool')]
    assert lb['listeners'][0]['pool']['members'] == lb['members']
    assert plan['clouds'] == [('demo', 'demo')]


def test_an_absent_load_balancer_needs_no_references():
    data = with_lb(state='absent', vip_subnet='gone', **{'listeners.0.port': 0,
                                                         'listeners.0.pool.members.0.server': 'gone'})
    assert day1.check(data, context={'services': OCTAVIA}) == []
    assert 'pools' not in day1.plan(data, services=OCTAVIA)['load_balancers'][0]


@pytest.mark.parametrize('changes, message', [
    ({'listeners.0.pool.members.1.server': 'web3'},
     "load balancer 'lb1': pool 'lb1-pool': member 'web3' is not a server of bootstrap_servers (or it is marked "
     "absent): add it there or fix server."),
    ({'vip_subnet': 'demo_private01'},
     "load balancer 'lb1': has its VIP on unknown subnet 'demo_private01': name a subnet of bootstrap_networks "
     "(vip_subnet takes a subnet name, not a network name)."),
    ({'vip_subnet': None}, "load balancer 'lb1': needs vip_subnet, the name of a subnet of bootstrap_networks its "
                           "virtual IP comes from."),
    ({'listeners.0.pool.members.0.subnet': 'nope'},
     "load balancer 'lb1': pool 'lb1-pool': member 'web1' is on unknown subnet 'nope': name a subnet of "
     "bootstrap_networks, or leave subnet out for the server's own."),
    ({'listeners.0.pool.members.0.subnet': 'ext_subnet'},
     "load balancer 'lb1': pool 'lb1-pool': member 'web1' is on subnet 'ext_subnet', but server 'web1' has no port "
     "there (its subnets: demo_private01_subnet): name one of them."),
    ({'listeners.0.port': 0}, "load balancer 'lb1': listener 'lb1-http': port 0 must be a whole number from 1 to "
                              "65535."),
    ({'listeners.0.port': 65536}, "listener 'lb1-http': port 65536 must be a whole number from 1 to 65535."),
    ({'listeners.0.port': '80'}, "listener 'lb1-http': port '80' must be a whole number from 1 to 65535."),
    ({'listeners.0.pool.members.0.port': 70000},
     "pool 'lb1-pool': member 'web1': port 70000 must be a whole number from 1 to 65535."),
    ({'floating_ip': {'network': 'demo_private01'}},
     "load balancer 'lb1': has its floating IP on network 'demo_private01', which is not external; floating IPs come "
     "from an external network (ext_net): set floating_ip.network to one."),
    ({'floating_ip': {'network': 'ext-net'}},
     "load balancer 'lb1': has its floating IP on unknown network 'ext-net': name an external network of "
     "bootstrap_networks (ext_net by default)."),
    ({'floating_ip': 'ext_net'}, "load balancer 'lb1': floating_ip must be {network: <an external network>}, not "
                                 "'ext_net'."),
    ({'listeners.0.protocol': 'TERMINATED_HTTPS'},
     "listener 'lb1-http': protocol 'TERMINATED_HTTPS' is not one an amphora serves without a key manager; use one "
     "of HTTP, HTTPS, TCP, UDP, SCTP."),
    ({'listeners.0.pool.protocol': 'UDP'}, "pool 'lb1-pool': protocol 'UDP' cannot serve a HTTP listener; use one "
                                           "of HTTP, PROXY, PROXYV2."),
    ({'listeners.0.pool.lb_algorithm': 'RANDOM'}, "pool 'lb1-pool': lb_algorithm 'RANDOM' is not one the amphora "
                                                  "provider knows; use one of ROUND_ROBIN, LEAST_CONNECTIONS, "
                                                  "SOURCE_IP."),
    ({'listeners.0.pool.members.1.server': 'web1'}, "pool 'lb1-pool': server 'web1' is a member twice; list it once."),
    ({'listeners.0.pool.health_monitor.timeout': 10}, "pool 'lb1-pool': health_monitor: timeout 10 is longer than "
                                                      "delay 5; a check must end before the next one starts: make "
                                                      "timeout at most delay."),
    ({'listeners.0.pool.health_monitor.max_retries': 11}, 'health_monitor: max_retries must be a whole number from 1 '
                                                          'to 10, not 11.'),
    ({'listeners.0.pool.health_monitor.delay': None}, 'health_monitor: delay must be a whole number of seconds (at '
                                                      'least 1), not None.'),
    ({'listeners.0.pool.health_monitor.type': 'ICMP'}, "health_monitor: type 'ICMP' is not one Octavia knows"),
    ({'listeners.0.pool.health_monitor.type': 'TCP'}, 'health_monitor: url_path, expected_codes apply to HTTP and '
                                                      'HTTPS monitors only, not TCP; remove them.'),
    ({'listeners.0.pool.health_monitor.url_path': 'index.html'}, "url_path 'index.html' must be a path starting "
                                                                 "with /."),
    ({'listeners.0.pool.health_monitor.expected_codes': '2xx'}, "expected_codes '2xx' must be a status code (200), a "
                                                                "list (200,202) or a range (200-204)."),
    ({'listeners.0.pool.members': 'web1'}, "pool 'lb1-pool': members must be a list of {server, port, subnet}, not "
                                           "'web1'."),
    ({'listeners.0.pool.members.0': {'port': 80}}, "pool 'lb1-pool': each member needs server (a day-1 server by "
                                                   "name) and port, got {'port': 80}."),
    ({'listeners': {'name': 'http'}}, "listeners must be a list of {name, protocol, port, pool}"),
    ({'user': None}, "load balancer 'lb1': is in project 'demo' but made as admin, who would make it in project admin"),
], ids=['unknown-member', 'vip-on-a-network', 'no-vip', 'member-unknown-subnet', 'member-subnet-elsewhere',
        'port-0', 'port-65536', 'port-text', 'member-port', 'fip-internal', 'fip-unknown', 'fip-not-a-dict',
        'terminated-https', 'pool-protocol', 'algorithm', 'member-twice', 'monitor-timeout', 'monitor-retries',
        'monitor-no-delay', 'monitor-type', 'monitor-http-keys', 'monitor-path', 'monitor-codes', 'members-not-a-list',
        'member-without-server', 'listeners-not-a-list', 'admin-in-demo'])
def test_bad_load_balancers_are_refused_with_their_sentence(changes, message):
    errors = day1.check(with_lb(**changes), context={'services': OCTAVIA})
    assert len(errors) == 1 and message in errors[0], errors
    with pytest.raises(day1.Day1Error, match=re.escape(message)):
        day1.plan(with_lb(**changes), services=OCTAVIA)


def test_a_member_of_another_project_is_refused():
    data = with_lb()
    data['projects'].append({'name': 'ops'})
    data['users'][0]['roles'].append({'role': 'member', 'project': 'ops'})
    data['servers'][1]['project'] = 'ops'
    assert day1.check(data) == [
        "load balancer 'lb1': pool 'lb1-pool': member 'web2' is a server of project 'ops', but the load balancer is in "
        "project 'demo': put both in one."]


def test_a_member_on_several_subnets_names_its_subnet():
    data = with_lb()
    data['networks'][1]['subnets'].append({'name': 'second', 'cidr': '172.16.11.0/24'})
    assert day1.check(data) == [
        "load balancer 'lb1': pool 'lb1-pool': member 'web1' sits on several subnets (demo_private01_subnet, second): "
        "name the one the load balancer reaches it on with subnet.",
        "load balancer 'lb1': pool 'lb1-pool': member 'web2' sits on several subnets (demo_private01_subnet, second): "
        "name the one the load balancer reaches it on with subnet."]
    data['load_balancers'][0]['listeners'][0]['pool']['members'][0]['subnet'] = 'second'
    data['load_balancers'][0]['listeners'][0]['pool']['members'][1]['subnet'] = 'demo_private01_subnet'
    assert day1.check(data) == []
    members = day1.plan(data)['load_balancers'][0]['members']
    assert [(m['subnet'], m['cidr']) for m in members] == [
        ('second', '172.16.11.0/24'), ('demo_private01_subnet', '172.16.10.0/24')]


def test_a_load_balancer_needs_octavia():
    message = ("bootstrap_load_balancers lists lb1, but Octavia is not deployed (octavia is not in openstack_services): "
               "add octavia to openstack_services, or remove the load balancers.")
    assert day1.check(with_lb(), context={'services': ['keystone', 'nova']}) == [message]
    assert day1.check(with_lb(state='absent'), context={'services': ['keystone', 'nova']}) == [message]
    with pytest.raises(day1.Day1Error, match='remove the load balancers'):
        day1.plan(with_lb(), services=['keystone'])
    assert day1.check(with_lb()) == []  # services unknown: not checked


def test_a_load_balancer_made_by_a_user_without_load_balancer_member_is_refused():
    data = with_lb()
    data['users'][0]['roles'].pop()
    assert day1.check(data) == [
        "load balancer 'lb1': is made as user 'demo', who has no load-balancer_member role in project 'demo' "
        "(Octavia's default policy lets only that role, or an admin, make load balancers): add {role: "
        "load-balancer_member, project: demo} to the user's roles."]
    assert [c for c, k, t in day1.problems(data)] == ['owners']


def test_listener_pool_and_monitor_names_are_unique_and_ports_per_load_balancer():
    data = with_lb()
    second = copy.deepcopy(data['load_balancers'][0])
    second['name'] = 'lb2'
    second['floating_ip'] = None
    del second['floating_ip']
    data['load_balancers'].append(second)
    data['load_balancers'][0]['listeners'].append({'name': 'lb1-other', 'port': 80})
    assert day1.check(data) == [
        "load balancer 'lb1': listener 'lb1-other': port 80 is taken by listener 'lb1-http' already; give each listener "
        "its own port.",
        "load balancer 'lb2': listener 'lb1-http' is also a listener of load balancer 'lb1'; Octavia finds them by "
        "name: give each its own.",
        "load balancer 'lb2': pool 'lb1-pool' is also a pool of load balancer 'lb1'; Octavia finds them by name: give "
        "each its own.",
        "load balancer 'lb2': health monitor 'lb1-pool-monitor' is also a health monitor of load balancer 'lb1'; "
        "Octavia finds them by name: give each its own."]


@pytest.mark.parametrize('changes', [
    {'floating_ip': None}, {'listeners.0.pool.health_monitor': None}, {'listeners.0.pool': None},
    {'listeners': []}, {'listeners.0.pool.health_monitor.expected_codes': '200-204'},
    {'listeners.0.pool.health_monitor.expected_codes': '200,202'},
    {'listeners.0.protocol': 'TCP', 'listeners.0.pool.protocol': 'TCP',
     'listeners.0.pool.health_monitor': {'type': 'TCP', 'delay': 5, 'timeout': 5, 'max_retries': 3}},
    {'listeners.0.pool.members.0.subnet': 'demo_private01_subnet'},
], ids=['no-fip', 'no-monitor', 'no-pool', 'no-listener', 'code-range', 'code-list', 'tcp', 'subnet-given'])
def test_load_balancers_that_are_fine(changes):
    assert day1.check(with_lb(**changes), context={'services': OCTAVIA}) == []


def test_a_load_balancers_floating_ip_counts_against_the_quota():
    data = with_lb()
    data['projects'][0]['quotas']['floating_ips'] = 1
    assert day1.check(data) == [
        "project 'demo': quota floating_ips is 1, but the day-1 resources need 2 (its floating IPs): raise it to at "
        "least 2 (-1: no limit), or make fewer of them."]


# ---- lb_members: the members as openstack.cloud.lb_member takes them ----

def _found_server(name, *addresses):
    return {'name': name, 'addresses': {'demo_private01': [{'addr': a, 'OS-EXT-IPS:type': t} for a, t in addresses]}}


def test_members_get_their_servers_address_in_the_subnet_and_its_id():
    lbs = day1.plan(with_lb())['load_balancers']
    servers = {'demo@demo': [_found_server('web1', ('172.16.10.5', 'fixed'), ('198.51.100.120', 'floating')),
                             _found_server('web2', ('172.16.10.6', 'fixed'))]}
    subnets = {'demo@demo': [{'name': 'demo_private01_subnet', 'id': 'sub-1'}, {'name': 'ext_subnet', 'id': 'sub-2'}]}
    assert day1.lb_members(lbs, servers, subnets) == [
        {'cloud': 'demo@demo', 'load_balancer': 'lb1', 'pool': 'lb1-pool', 'name': 'web1', 'address': '172.16.10.5',
         'subnet_id': 'sub-1', 'port': 80},
        {'cloud': 'demo@demo', 'load_balancer': 'lb1', 'pool': 'lb1-pool', 'name': 'web2', 'address': '172.16.10.6',
         'subnet_id': 'sub-1', 'port': 80}]


@pytest.mark.parametrize('servers, subnets, message', [
    ([_found_server('web1', ('172.16.10.5', 'fixed'))], [{'name': 'demo_private01_subnet', 'id': 'sub-1'}],
     "load balancer 'lb1', pool 'lb1-pool', member 'web2': server 'web2' is not there (as demo@demo)"),
    ([_found_server('web1', ('172.16.10.5', 'fixed')), _found_server('web2', ('10.9.9.9', 'fixed'))],
     [{'name': 'demo_private01_subnet', 'id': 'sub-1'}],
     "member 'web2': server 'web2' has no address in subnet 'demo_private01_subnet' (172.16.10.0/24); give it a port "
     "there."),
    ([_found_server('web1', ('172.16.10.5', 'fixed')), _found_server('web2', ('172.16.10.6', 'fixed'))], [],
     "member 'web1': subnet 'demo_private01_subnet' is not there (as demo@demo)."),
], ids=['server-missing', 'no-address-there', 'subnet-missing'])
def test_members_that_cannot_be_made_are_refused_with_a_sentence(servers, subnets, message):
    lbs = day1.plan(with_lb())['load_balancers']
    with pytest.raises(day1.Day1Error, match=re.escape(message)):
        day1.lb_members(lbs, {'demo@demo': servers}, {'demo@demo': subnets})


def test_absent_load_balancers_have_no_members():
    lbs = day1.plan(with_lb(state='absent'))['load_balancers']
    assert day1.lb_members(lbs, {}, {}) == []
