"""day1_state: the stamp, and the comparison of a day-1 plan with a fake openstacksdk connection.

The plan comes from the real day1_plan (plugins/plugin_utils/day1.py); only openstack.connect is replaced, by an
in-memory cloud that lists what the module asks for.
"""

import copy
import os
import stat
from types import SimpleNamespace

import keystoneauth1.exceptions
import openstack
import openstack.exceptions
import pytest

from ansible_collections.gureum.openstack.plugins.modules import day1_state
from ansible_collections.gureum.openstack.plugins.plugin_utils import day1

DATA = {
    'projects': [{'name': 'demo'}],
    'users': [{'name': 'demo', 'project': 'demo', 'password': 'D3mo-pw',
               'roles': [{'role': 'member', 'project': 'demo'}]}],
    'flavors': [{'name': 'm1.tiny', 'vcpus': 1, 'ram': 256, 'disk': 1}],
    'images': [{'name': 'gureum-guest', 'file': '/tmp/g.qcow2'}],
    'networks': [
        {'name': 'ext_net', 'external': True, 'shared': True,
         'provider': {'network_type': 'flat', 'physical_network': 'provider'},
         'subnets': [{'name': 'ext_subnet', 'cidr': '198.51.100.0/24', 'gateway_ip': '198.51.100.1',
                      'enable_dhcp': False}]},
        {'name': 'demo_net', 'project': 'demo', 'user': 'demo',
         'subnets': [{'name': 'demo_subnet', 'cidr': '172.16.10.0/24'}]},
    ],
    'routers': [{'name': 'demo_router', 'project': 'demo', 'user': 'demo', 'external_gateway': 'ext_net',
                 'interfaces': ['demo_subnet']}],
    'security_groups': [{'name': 'web', 'project': 'demo', 'user': 'demo', 'rules': [{'protocol': 'tcp', 'port': 80}]}],
    'keypairs': [{'name': 'demokey', 'project': 'demo', 'user': 'demo'}],
    'servers': [{'name': 'web1', 'project': 'demo', 'user': 'demo', 'image': 'gureum-guest', 'flavor': 'm1.tiny',
                 'networks': ['demo_net'], 'security_groups': ['web'], 'key_name': 'demokey'}],
    'floating_ips': [{'name': 'web1-fip', 'project': 'demo', 'user': 'demo', 'network': 'ext_net', 'server': 'web1'}],
}
PLAN = day1.plan(DATA)
DIGEST = 'a' * 64


def named(*names):
    return [SimpleNamespace(name=name) for name in names]


def server(name, status='ACTIVE', floating=True):
    addresses = {'demo_net': [{'addr': '172.16.10.5', 'OS-EXT-IPS:type': 'fixed'}]}
    if floating:
        addresses['demo_net'].append({'addr': '198.51.100.120', 'OS-EXT-IPS:type': 'floating'})
    return SimpleNamespace(name=name, id='id-' + name, status=status, addresses=addresses)


class FakeCloud(object):
    """What the admin sees: every resource of the plan, by default."""

    def __init__(self):
        self.resources = {
            'projects': named('admin', 'service', 'demo'),
            'users': named('admin', 'glance', 'nova', 'demo'),
            'flavors': named('m1.tiny'),
            'images': named('gureum-guest'),
            'networks': named('ext_net', 'demo_net'),
            'subnets': named('ext_subnet', 'demo_subnet'),
            'routers': named('demo_router'),
            'security_groups': named('default', 'web'),
            'servers': [server('web1')],
            'stacks': [],
            'types': [],
            'volumes': [],
            'containers': [],
            # Octavia's, as the admin sees them (every project's)
            'load_balancers': [], 'listeners': [], 'pools': [], 'health_monitors': [],
        }
        # the members of each pool, by the pool's id; the floating IPs by port id
        self.members = {}
        self.ips = {}
        # the objects of each container, by its name
        self.objects = {}
        self.connects = []
        self.calls = []
        self.fail = None

    def remove(self, kind, name):
        self.resources[kind] = [item for item in self.resources[kind] if item.name != name]

    def lister(self, kind):
        def listing(**kwargs):
            self.calls.append((kind, kwargs))
            if self.fail is not None:
                raise self.fail
            return iter(list(self.resources[kind]))
        return listing

    def connect(self, cloud=None, **kwargs):
        self.connects.append(cloud)
        return SimpleNamespace(
            identity=SimpleNamespace(projects=self.lister('projects'), users=self.lister('users')),
            compute=SimpleNamespace(flavors=self.lister('flavors'), servers=self.lister('servers')),
            image=SimpleNamespace(images=self.lister('images')),
            network=SimpleNamespace(networks=self.lister('networks'), subnets=self.lister('subnets'),
                                    routers=self.lister('routers'), security_groups=self.lister('security_groups'),
                                    ips=self.ip_lister),
            orchestration=SimpleNamespace(stacks=self.lister('stacks')),
            block_storage=SimpleNamespace(types=self.lister('types'), volumes=self.lister('volumes')),
            object_store=SimpleNamespace(containers=self.lister('containers'), objects=self.object_lister),
            load_balancer=SimpleNamespace(load_balancers=self.lister('load_balancers'),
                                          listeners=self.lister('listeners'), pools=self.lister('pools'),
                                          health_monitors=self.lister('health_monitors'),
                                          members=self.member_lister),
        )

    def member_lister(self, pool, **kwargs):
        self.calls.append(('members', dict(kwargs, pool=pool)))
        return iter(named(*self.members.get(pool, [])))

    def ip_lister(self, port_id=None, **kwargs):
        self.calls.append(('ips', dict(kwargs, port_id=port_id)))
        return iter(self.ips.get(port_id, []))

    def object_lister(self, container, **kwargs):
        self.calls.append(('objects', dict(kwargs, container=container)))
        return iter(named(*self.objects.get(container, [])))


@pytest.fixture
def cloud(monkeypatch):
    fake = FakeCloud()
    monkeypatch.setattr(day1_state.openstack, 'connect', fake.connect)
    return fake


@pytest.fixture
def stamp(tmp_path):
    path = tmp_path / 'applied.sha256'
    path.write_text(DIGEST + '\n')
    return str(path)


def compare(run_module, stamp, plan=None, digest=DIGEST, **extra):
    args = {'plan': PLAN if plan is None else plan, 'digest': digest, 'stamp': stamp}
    args.update(extra)
    return run_module(day1_state.main, args)


# ---------------------------------------------------------------------------------------------------------------------
# record


def test_record_writes_the_stamp_0600(cloud, run_module, tmp_path):
    path = str(tmp_path / 'applied.sha256')
    result = run_module(day1_state.main, {'plan': PLAN, 'digest': DIGEST, 'stamp': path, 'record': True})
    assert not result.get('failed'), result
    assert result['changed'] is True
    with open(path) as handle:
        assert handle.read() == DIGEST + '\n'
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert 'converged' not in result
    assert cloud.connects == []


def test_record_of_the_same_digest_changes_nothing(cloud, run_module, stamp):
    before = os.stat(stamp).st_mtime_ns
    result = run_module(day1_state.main, {'plan': PLAN, 'digest': DIGEST, 'stamp': stamp, 'record': True})
    assert result['changed'] is False
    assert os.stat(stamp).st_mtime_ns == before


def test_record_replaces_an_old_digest(cloud, run_module, stamp):
    os.chmod(stamp, 0o644)
    result = run_module(day1_state.main, {'plan': PLAN, 'digest': 'b' * 64, 'stamp': stamp, 'record': True})
    assert result['changed'] is True
    with open(stamp) as handle:
        assert handle.read() == 'b' * 64 + '\n'
    assert stat.S_IMODE(os.stat(stamp).st_mode) == 0o600


def test_record_in_check_mode_writes_nothing(cloud, run_module, tmp_path):
    path = str(tmp_path / 'applied.sha256')
    result = run_module(day1_state.main, {'plan': PLAN, 'digest': DIGEST, 'stamp': path, 'record': True},
                        check_mode=True)
    assert result['changed'] is True
    assert not os.path.exists(path)


# ---------------------------------------------------------------------------------------------------------------------
# digest


def test_a_changed_digest_is_not_converged_without_asking_the_cloud(cloud, run_module, stamp):
    result = compare(run_module, stamp, digest='b' * 64)
    assert (result['changed'], result['converged']) == (False, False)
    assert result['reasons'] == ['the day-1 data changed']
    assert cloud.connects == [] and cloud.calls == []


def test_data_never_applied_is_not_converged_without_asking_the_cloud(cloud, run_module, tmp_path):
    result = compare(run_module, str(tmp_path / 'missing.sha256'))
    assert result['converged'] is False
    assert result['reasons'] == ['the day-1 data was never applied']
    assert cloud.connects == []


def test_without_openstacksdk_a_changed_digest_still_answers(cloud, run_module, stamp, monkeypatch):
    monkeypatch.setattr(day1_state, 'HAS_SDK', False)
    assert compare(run_module, stamp, digest='b' * 64)['converged'] is False
    result = compare(run_module, stamp)
    assert result['failed'] is True and 'openstacksdk' in result['msg']


# ---------------------------------------------------------------------------------------------------------------------
# the cloud


def test_everything_there_is_converged(cloud, run_module, stamp):
    result = compare(run_module, stamp)
    assert not result.get('failed'), result
    assert (result['changed'], result['converged'], result['reasons']) == (False, True, [])
    assert cloud.connects == ['admin']
    assert ('servers', {'all_projects': True}) in cloud.calls


def test_the_cloud_entry_is_the_one_given(cloud, run_module, stamp):
    compare(run_module, stamp, cloud='operator')
    assert cloud.connects == ['operator']


@pytest.mark.parametrize('kind, name, reason', [
    ('projects', 'demo', 'project demo is missing'),
    ('users', 'demo', 'user demo is missing'),
    ('flavors', 'm1.tiny', 'flavor m1.tiny is missing'),
    ('images', 'gureum-guest', 'image gureum-guest is missing'),
    ('networks', 'demo_net', 'network demo_net is missing'),
    ('subnets', 'demo_subnet', 'subnet demo_subnet is missing'),
    ('routers', 'demo_router', 'router demo_router is missing'),
    ('security_groups', 'web', 'security group web is missing'),
    ('servers', 'web1', 'server web1 is missing'),
])
def test_a_missing_resource_is_reported(cloud, run_module, stamp, kind, name, reason):
    cloud.remove(kind, name)
    result = compare(run_module, stamp)
    assert result['converged'] is False
    assert result['reasons'] == [reason]


def test_a_server_that_is_not_active_is_reported(cloud, run_module, stamp):
    cloud.resources['servers'] = [server('web1', status='SHUTOFF')]
    assert compare(run_module, stamp)['reasons'] == ['server web1 is SHUTOFF']


def test_a_missing_floating_ip_is_reported(cloud, run_module, stamp):
    cloud.resources['servers'] = [server('web1', floating=False)]
    result = compare(run_module, stamp)
    assert result['converged'] is False
    assert result['reasons'] == ['server web1 has no floating IP']


def test_several_missing_resources_are_all_reported(cloud, run_module, stamp):
    cloud.remove('projects', 'demo')
    cloud.remove('subnets', 'ext_subnet')
    cloud.resources['servers'] = [server('web1', floating=False)]
    assert compare(run_module, stamp)['reasons'] == [
        'project demo is missing', 'subnet ext_subnet is missing', 'server web1 has no floating IP']


def _absent(kind, name):
    plan = copy.deepcopy(PLAN)
    for item in plan[kind]:
        if item['name'] == name:
            item['state'] = 'absent'
    return plan


@pytest.mark.parametrize('kind, name, reason', [
    ('projects', 'demo', 'project demo is still there'),
    ('users', 'demo', 'user demo is still there'),
    ('flavors', 'm1.tiny', 'flavor m1.tiny is still there'),
    ('images', 'gureum-guest', 'image gureum-guest is still there'),
    ('networks', 'demo_net', 'network demo_net is still there'),
    ('routers', 'demo_router', 'router demo_router is still there'),
    ('security_groups', 'web', 'security group web is still there'),
    ('servers', 'web1', 'server web1 is still there'),
])
def test_an_absent_resource_still_there_is_reported(cloud, run_module, stamp, kind, name, reason):
    result = compare(run_module, stamp, plan=_absent(kind, name))
    assert result['converged'] is False
    assert reason in result['reasons']


def test_absent_resources_that_are_gone_are_converged(cloud, run_module, stamp):
    plan = _absent('servers', 'web1')
    for item in plan['floating_ips']:
        item['state'] = 'absent'
    cloud.remove('servers', 'web1')
    result = compare(run_module, stamp, plan=plan)
    assert (result['converged'], result['reasons']) == (True, [])


def test_the_subnets_of_an_absent_network_are_not_asked_for(cloud, run_module, stamp):
    cloud.remove('networks', 'demo_net')
    cloud.remove('subnets', 'demo_subnet')
    plan = _absent('networks', 'demo_net')
    assert compare(run_module, stamp, plan=plan)['reasons'] == []


def test_an_sdk_error_fails_with_a_sentence(cloud, run_module, stamp):
    cloud.fail = openstack.exceptions.HttpException(message='Service Unavailable')
    result = compare(run_module, stamp)
    assert result['failed'] is True
    assert result['msg'].startswith('cannot read the cloud as admin: ')


def test_an_unknown_cloud_fails_with_a_sentence(run_module, stamp, monkeypatch):
    def connect(cloud=None, **kwargs):
        raise openstack.exceptions.ConfigException('Cloud %s was not found.' % cloud)
    monkeypatch.setattr(day1_state.openstack, 'connect', connect)
    result = compare(run_module, stamp, cloud='nope')
    assert result['failed'] is True
    assert 'cannot read the cloud as nope: Cloud nope was not found.' in result['msg']


def test_an_unreachable_keystone_fails_with_a_sentence(cloud, run_module, stamp):
    cloud.fail = keystoneauth1.exceptions.ConnectFailure('Unable to establish connection to http://10.0.0.11:5000/v3')
    result = compare(run_module, stamp)
    assert result['failed'] is True
    assert result['msg'].startswith('cannot read the cloud as admin: ')


# ---------------------------------------------------------------------------------------------------------------------
# stacks: read in their own cloud


EXAMPLE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))), 'inventories', 'example')
STACK_PLAN = day1.plan(dict(DATA, stacks=[{
    'name': 'stack1', 'project': 'demo', 'user': 'demo', 'template': 'heat/stack1.yaml',
    'parameters': {'image': 'gureum-guest', 'flavor': 'm1.tiny', 'network': 'demo_net'}}]), EXAMPLE_DIR)
TAG = STACK_PLAN['stacks'][0]['tag']


def stack(status='CREATE_COMPLETE', tags=None):
    return SimpleNamespace(name='stack1', status=status, tags=[TAG] if tags is None else tags)


def test_a_complete_stack_with_its_tag_is_converged_and_read_as_its_user(cloud, run_module, stamp):
    cloud.resources['stacks'] = [stack()]
    result = compare(run_module, stamp, plan=STACK_PLAN)
    assert not result.get('failed'), result
    assert (result['converged'], result['reasons']) == (True, [])
    assert cloud.connects == ['admin', 'demo@demo']


@pytest.mark.parametrize('found, reason', [
    ([], 'stack stack1 is missing'),
    ([stack('CREATE_FAILED')], 'stack stack1 is CREATE_FAILED'),
    ([stack(tags=['gureum-day1-0000000000000000'])], 'stack stack1 was made from another template or other parameters'),
    ([stack(tags=[])], 'stack stack1 was made from another template or other parameters'),
], ids=['missing', 'failed', 'other-tag', 'no-tag'])
def test_a_stack_that_differs_is_not_converged(cloud, run_module, stamp, found, reason):
    cloud.resources['stacks'] = found
    result = compare(run_module, stamp, plan=STACK_PLAN)
    assert (result['converged'], result['reasons']) == (False, [reason])


def test_an_absent_stack_still_there_is_not_converged(cloud, run_module, stamp):
    plan = copy.deepcopy(STACK_PLAN)
    plan['stacks'][0]['state'] = 'absent'
    cloud.resources['stacks'] = [stack()]
    result = compare(run_module, stamp, plan=plan)
    assert result['reasons'] == ['stack stack1 is still there']
    cloud.resources['stacks'] = []
    assert compare(run_module, stamp, plan=plan)['converged'] is True


def test_a_plan_without_stacks_asks_no_other_cloud(cloud, run_module, stamp):
    compare(run_module, stamp)
    assert cloud.connects == ['admin'] and not [c for c in cloud.calls if c[0] == 'stacks']


def test_a_missing_project_is_reported_without_logging_into_it_for_its_stacks(cloud, run_module, stamp, monkeypatch):
    # a cloud rebuilt under the same inventory: the stamp says applied, the stack's project is gone
    cloud.remove('projects', 'demo')

    def connect(cloud_name=None, **kwargs):
        if cloud_name != 'admin':
            raise keystoneauth1.exceptions.Unauthorized('Could not find project: demo.')
        return FakeCloud.connect(cloud, cloud_name)
    monkeypatch.setattr(day1_state.openstack, 'connect', lambda cloud=None, **kw: connect(cloud, **kw))
    result = compare(run_module, stamp, plan=STACK_PLAN)
    assert not result.get('failed'), result
    assert (result['converged'], result['reasons']) == (False, ['project demo is missing'])


# ---------------------------------------------------------------------------------------------------------------------
# volume types and volumes: read by the admin, only when the plan has some


STORAGE_PLAN = day1.plan(dict(DATA, volume_types=[{'name': 'standard', 'properties': {'volume_backend_name': 'rbd'}}],
                              volumes=[{'name': 'vol1', 'project': 'demo', 'user': 'demo', 'size': 1,
                                        'volume_type': 'standard', 'server': 'web1'},
                                       {'name': 'scratch', 'project': 'demo', 'user': 'demo', 'size': 2}]))


def volume(name, status='in-use', attached_to=('id-web1',)):
    return SimpleNamespace(name=name, status=status, attachments=[{'server_id': s} for s in attached_to])


@pytest.fixture
def storage(cloud):
    cloud.resources['types'] = named('__DEFAULT__', 'standard')
    cloud.resources['volumes'] = [volume('vol1'), volume('scratch', 'available', ())]
    return cloud


def test_volumes_as_planned_are_converged(storage, run_module, stamp):
    result = compare(run_module, stamp, plan=STORAGE_PLAN)
    assert not result.get('failed'), result
    assert (result['converged'], result['reasons']) == (True, [])
    assert ('volumes', {'all_projects': True}) in storage.calls
    # the admin lists the private volume types too
    assert ('types', {'is_public': 'None'}) in storage.calls
    assert storage.connects == ['admin']


def test_a_plan_without_volumes_asks_cinder_nothing(cloud, run_module, stamp):
    # (Cinder may not be deployed at all)
    assert compare(run_module, stamp)['converged'] is True
    assert not [c for c in cloud.calls if c[0] in ('types', 'volumes', 'containers', 'objects')]


@pytest.mark.parametrize('change, reason', [
    (lambda c: c.remove('types', 'standard'), 'volume type standard is missing'),
    (lambda c: c.remove('volumes', 'scratch'), 'volume scratch is missing'),
    (lambda c: c.resources.update(volumes=[volume('vol1'), volume('scratch', 'error', ())]), 'volume scratch is error'),
    (lambda c: c.resources.update(volumes=[volume('vol1', 'available', ()), volume('scratch', 'available', ())]),
     'volume vol1 is not attached to server web1'),
    (lambda c: c.resources.update(volumes=[volume('vol1', attached_to=('id-other',)),
                                           volume('scratch', 'available', ())]),
     'volume vol1 is not attached to server web1'),
], ids=['type-missing', 'volume-missing', 'volume-error', 'volume-detached', 'volume-on-another-server'])
def test_a_volume_that_differs_is_reported(storage, run_module, stamp, change, reason):
    change(storage)
    result = compare(run_module, stamp, plan=STORAGE_PLAN)
    assert (result['converged'], result['reasons']) == (False, [reason])


@pytest.mark.parametrize('kind, name, reason', [
    ('volume_types', 'standard', 'volume type standard is still there'),
    ('volumes', 'scratch', 'volume scratch is still there'),
])
def test_an_absent_volume_or_type_still_there_is_reported(storage, run_module, stamp, kind, name, reason):
    plan = copy.deepcopy(STORAGE_PLAN)
    for item in plan[kind]:
        if item['name'] == name:
            item['state'] = 'absent'
    assert compare(run_module, stamp, plan=plan)['reasons'] == [reason]
    storage.remove('types' if kind == 'volume_types' else kind, name)
    assert compare(run_module, stamp, plan=plan)['converged'] is True


# ---------------------------------------------------------------------------------------------------------------------
# containers and their objects: read in their own cloud


CONTAINER_PLAN = day1.plan(dict(DATA, containers=[
    {'name': 'demo-container', 'project': 'demo', 'user': 'demo',
     'objects': [{'name': 'hello.txt', 'content': 'Hello'}, {'name': 'notes/a.txt', 'content': 'a'}]},
    {'name': 'empty', 'project': 'demo', 'user': 'demo'}]))


@pytest.fixture
def swift(cloud):
    cloud.resources['containers'] = named('demo-container', 'empty', 'someone-elses')
    cloud.objects = {'demo-container': ['hello.txt', 'notes/a.txt', 'more.txt']}
    return cloud


def test_containers_as_planned_are_converged_and_read_as_their_user(swift, run_module, stamp):
    result = compare(run_module, stamp, plan=CONTAINER_PLAN)
    assert not result.get('failed'), result
    assert (result['converged'], result['reasons']) == (True, [])
    assert swift.connects == ['admin', 'demo@demo']
    # a container without objects in the plan is not listed
    assert [c[1]['container'] for c in swift.calls if c[0] == 'objects'] == ['demo-container']


@pytest.mark.parametrize('change, reasons', [
    (lambda c: c.remove('containers', 'empty'), ['container empty is missing']),
    (lambda c: c.objects.update({'demo-container': ['more.txt']}),
     ['object hello.txt of container demo-container is missing',
      'object notes/a.txt of container demo-container is missing']),
], ids=['container', 'objects'])
def test_a_container_that_differs_is_reported(swift, run_module, stamp, change, reasons):
    change(swift)
    result = compare(run_module, stamp, plan=CONTAINER_PLAN)
    assert (result['converged'], result['reasons']) == (False, reasons)


def test_an_absent_container_still_there_is_reported(swift, run_module, stamp):
    plan = copy.deepcopy(CONTAINER_PLAN)
    plan['containers'][1]['state'] = 'absent'
    assert compare(run_module, stamp, plan=plan)['reasons'] == ['container empty is still there']
    swift.remove('containers', 'empty')
    assert compare(run_module, stamp, plan=plan)['converged'] is True


def test_containers_are_not_read_before_their_project_exists(swift, run_module, stamp):
    swift.remove('projects', 'demo')
    result = compare(run_module, stamp, plan=CONTAINER_PLAN)
    assert result['reasons'] == ['project demo is missing']
    assert swift.connects == ['admin']


# ---------------------------------------------------------------------------------------------------------------------
# load balancers: read as the admin, only when the plan has some

LB_DATA = copy.deepcopy(DATA)
LB_DATA['users'][0]['roles'].append({'role': 'load-balancer_member', 'project': 'demo'})
LB_DATA['load_balancers'] = [{
    'name': 'lb1', 'project': 'demo', 'user': 'demo', 'vip_subnet': 'demo_subnet', 'floating_ip': {'network': 'ext_net'},
    'listeners': [{'name': 'lb1-http', 'protocol': 'HTTP', 'port': 80, 'pool': {
        'name': 'lb1-pool', 'members': [{'server': 'web1', 'port': 80}],
        'health_monitor': {'type': 'HTTP', 'delay': 5, 'timeout': 3, 'max_retries': 2}}}]}]
LB_PLAN = day1.plan(LB_DATA)


def _lb_there(cloud, status='ACTIVE'):
    cloud.resources.update(
        load_balancers=[SimpleNamespace(name='lb1', id='lb-1', provisioning_status=status, vip_port_id='port-1')],
        listeners=named('lb1-http'), pools=[SimpleNamespace(name='lb1-pool', id='pool-1')],
        health_monitors=named('lb1-pool-monitor'))
    cloud.members['pool-1'] = ['web1']
    cloud.ips['port-1'] = [SimpleNamespace(floating_ip_address='198.51.100.130')]


def test_a_load_balancer_with_all_its_parts_is_converged(cloud, run_module, stamp):
    _lb_there(cloud)
    result = compare(run_module, stamp, plan=LB_PLAN)
    assert not result.get('failed'), result
    assert (result['converged'], result['reasons']) == (True, [])
    assert cloud.connects == ['admin']


def test_a_plan_without_load_balancers_asks_no_octavia(cloud, run_module, stamp):
    cloud.resources['load_balancers'] = None  # listing them would fail
    assert compare(run_module, stamp)['converged'] is True
    assert not [c for c in cloud.calls if c[0] in ('load_balancers', 'listeners', 'pools', 'members')]


@pytest.mark.parametrize('change, reason', [
    (lambda c: c.resources.update(load_balancers=[]), 'load balancer lb1 is missing'),
    (lambda c: c.resources['load_balancers'][0].__setattr__('provisioning_status', 'ERROR'), 'load balancer lb1 is ERROR'),
    (lambda c: c.resources.update(listeners=[]), 'listener lb1-http of load balancer lb1 is missing'),
    (lambda c: c.resources.update(pools=[]), 'pool lb1-pool of load balancer lb1 is missing'),
    (lambda c: c.members.update({'pool-1': []}), 'member web1 of pool lb1-pool is missing'),
    (lambda c: c.resources.update(health_monitors=[]), 'health monitor lb1-pool-monitor of load balancer lb1 is missing'),
    (lambda c: c.ips.update({'port-1': []}), 'load balancer lb1 has no floating IP'),
], ids=['missing', 'error', 'listener', 'pool', 'member', 'monitor', 'floating-ip'])
def test_a_load_balancer_that_differs_is_not_converged(cloud, run_module, stamp, change, reason):
    _lb_there(cloud)
    change(cloud)
    result = compare(run_module, stamp, plan=LB_PLAN)
    assert (result['converged'], result['reasons']) == (False, [reason])


def test_an_absent_load_balancer_still_there_is_not_converged(cloud, run_module, stamp):
    plan = copy.deepcopy(LB_PLAN)
    plan['load_balancers'][0]['state'] = 'absent'
    _lb_there(cloud)
    assert compare(run_module, stamp, plan=plan)['reasons'] == ['load balancer lb1 is still there']
    cloud.resources['load_balancers'] = []
    assert compare(run_module, stamp, plan=plan)['converged'] is True
