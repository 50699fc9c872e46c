"""compute_node: enable, disable, drain and remove a compute node against a fake openstacksdk connection.

Only openstack.connect is replaced, by an in-memory cloud whose Nova moves a server when asked (its migration
record going to the status a test chooses) and whose service delete takes the resource provider with it, as Nova
Zed does.
"""

from types import SimpleNamespace

import pytest

from ansible_collections.gureum.openstack.plugins.modules import compute_node


def server(name, host='compute3', status='ACTIVE'):
    return SimpleNamespace(id='id-' + name, name=name, status=status, compute_host=host, task_state=None)


class FakeCloud(object):
    def __init__(self):
        self.services = [SimpleNamespace(id='s1', binary='nova-compute', host='compute1', status='enabled', state='up'),
                         SimpleNamespace(id='s3', binary='nova-compute', host='compute3', status='enabled', state='up')]
        self.servers = [server('web1'), server('db1', status='SHUTOFF'), server('other', host='compute1')]
        self.hypervisors = [SimpleNamespace(id='rp-1', service_details={'host': 'compute1'}),
                            SimpleNamespace(id='rp-3', service_details={'host': 'compute3'})]
        self.providers = {'rp-1', 'rp-3'}
        self.agents = [SimpleNamespace(id='a3', host='compute3', agent_type='Linux bridge agent',
                                       binary='neutron-linuxbridge-agent', is_alive=True),
                       SimpleNamespace(id='a1', is_alive=True, host='compute1', agent_type='Linux bridge agent',
                                       binary='neutron-linuxbridge-agent')]
        self.migrations = []
        self.calls = []
        # what a requested move ends as: 'completed' (live), 'finished' (cold, VERIFY_RESIZE until confirmed), 'error'
        self.outcome = None
        self.provider_survives = False

    # compute
    def list_services(self, binary=None, host=None):
        return iter([s for s in self.services if s.binary == binary and s.host == host])

    def list_servers(self, all_projects=False, compute_host=None):
        assert all_projects
        return iter([s for s in self.servers if s.compute_host == compute_host])

    def get(self, url, microversion=None):
        # the hypervisors' list as Nova answers it at 2.53 (no uptime: no RPC to the nodes)
        assert (url, microversion) == ('/os-hypervisors/detail', '2.53')
        body = {'hypervisors': [{'id': h.id, 'service': {'host': h.service_details['host']}}
                                for h in self.hypervisors]}
        return SimpleNamespace(status_code=200, json=lambda: body)

    def list_migrations(self, server_id=None):
        return iter([m for m in self.migrations if m.server == server_id])

    def get_server(self, server_id):
        return next(s for s in self.servers if s.id == server_id)

    def _move(self, kind, srv, **kwargs):
        self.calls.append((kind, srv.name, kwargs))
        status = self.outcome or ('completed' if kind == 'live' else 'finished')
        self.migrations.append(SimpleNamespace(id=len(self.migrations) + 1, server=srv.id, status=status,
                                               dest_compute='compute1'))
        if status in ('completed', 'finished'):
            srv.compute_host = 'compute1'
            if kind == 'cold':
                srv.previous, srv.status = srv.status, 'VERIFY_RESIZE'

    def confirm(self, srv):
        self.calls.append(('confirm', srv.name, {}))
        srv.status = srv.previous
        self.migrations[-1].status = 'confirmed'

    def set_status(self, status):
        def update(service, host=None, binary=None, disabled_reason=None):
            self.calls.append((status, service.host, {'reason': disabled_reason}))
            service.status = status
        return update

    def delete_service(self, service, ignore_missing=True):
        self.calls.append(('delete_service', service.host, {}))
        self.services.remove(service)
        if not self.provider_survives:
            self.providers -= {h.id for h in self.hypervisors if h.service_details['host'] == service.host}

    def find_provider(self, name_or_id, ignore_missing=True):
        return SimpleNamespace(id=name_or_id) if name_or_id in self.providers else None

    def delete_agent(self, agent, ignore_missing=True):
        self.calls.append(('delete_agent', agent.id, {}))
        self.agents.remove(agent)

    def connect(self, cloud=None, **kwargs):
        self.cloud = cloud
        return SimpleNamespace(
            compute=SimpleNamespace(
                services=self.list_services, servers=self.list_servers, get=self.get,
                migrations=self.list_migrations, get_server=self.get_server,
                live_migrate_server=lambda srv, **kw: self._move('live', srv, **kw),
                migrate_server=lambda srv, **kw: self._move('cold', srv, **kw),
                confirm_server_resize=self.confirm,
                enable_service=self.set_status('enabled'), disable_service=self.set_status('disabled'),
                delete_service=self.delete_service),
            placement=SimpleNamespace(find_resource_provider=self.find_provider),
            network=SimpleNamespace(agents=lambda host=None: iter([a for a in self.agents if a.host == host]),
                                    delete_agent=self.delete_agent),
        )


@pytest.fixture
def cloud(monkeypatch):
    fake = FakeCloud()
    monkeypatch.setattr(compute_node.openstack, 'connect', fake.connect)
    monkeypatch.setattr(compute_node.time, 'sleep', lambda seconds: None)
    return fake


def node(run_module, check_mode=False, **args):
    return run_module(compute_node.main, dict({'host': 'compute3'}, **args), check_mode=check_mode)


def test_absent_refuses_a_node_with_servers_and_changes_nothing(cloud, run_module):
    result = node(run_module, state='absent')
    assert result['failed'] is True
    assert result['msg'].startswith('compute3 still runs 2 server(s): web1 (id-web1, ACTIVE), db1 (id-db1, SHUTOFF).')
    assert '-e migrate=true' in result['msg']
    assert cloud.calls == []


def test_absent_refuses_in_check_mode_too(cloud, run_module):
    assert node(run_module, check_mode=True, state='absent')['failed'] is True


def test_absent_deletes_the_service_its_provider_and_agents(cloud, run_module):
    cloud.servers = [s for s in cloud.servers if s.compute_host != 'compute3']
    result = node(run_module, state='absent')
    assert not result.get('failed'), result
    assert result['changed'] is True
    assert result['service'] == {'id': 's3', 'status': 'enabled', 'state': 'up'}
    assert result['resource_providers'] == ['rp-3']
    assert result['agents'] == [{'id': 'a3', 'type': 'Linux bridge agent', 'binary': 'neutron-linuxbridge-agent',
                                'alive': True}]
    assert cloud.calls == [('delete_service', 'compute3', {}), ('delete_agent', 'a3', {})]
    assert cloud.providers == {'rp-1'}
    assert [a.id for a in cloud.agents] == ['a1']


def test_absent_again_changes_nothing(cloud, run_module):
    cloud.servers = []
    node(run_module, state='absent')
    cloud.calls = []
    result = node(run_module, state='absent')
    assert (result['changed'], result['service'], result['agents'], cloud.calls) == (False, None, [], [])


def test_absent_in_check_mode_deletes_nothing(cloud, run_module):
    cloud.servers = []
    result = node(run_module, check_mode=True, state='absent')
    assert result['changed'] is True
    assert cloud.calls == []


def test_a_provider_left_in_placement_is_reported(cloud, run_module):
    cloud.servers = []
    cloud.provider_survives = True
    result = node(run_module, state='absent')
    assert result['failed'] is True
    assert 'rp-3 are still in Placement' in result['msg']


@pytest.mark.parametrize('state, calls', [
    ('disabled', [('disabled', 'compute3', {'reason': 'removed by gureum.openstack'})]),
    ('enabled', []),
])
def test_enabled_and_disabled(cloud, run_module, state, calls):
    result = node(run_module, state=state)
    assert result['changed'] is bool(calls)
    assert cloud.calls == calls


def test_disabled_unknown_host_is_refused(cloud, run_module):
    result = node(run_module, host='compute9', state='disabled')
    assert result['failed'] is True
    assert 'no nova-compute service on host compute9' in result['msg']


def test_drained_live_migrates_running_and_cold_migrates_stopped_servers(cloud, run_module):
    result = node(run_module, state='drained')
    assert not result.get('failed'), result
    assert result['changed'] is True
    assert result['migrated'] == [{'id': 'id-web1', 'name': 'web1', 'type': 'live', 'to': 'compute1'},
                                  {'id': 'id-db1', 'name': 'db1', 'type': 'cold', 'to': 'compute1'}]
    assert cloud.calls == [('disabled', 'compute3', {'reason': 'removed by gureum.openstack'}),
                           ('live', 'web1', {'block_migration': 'auto'}),
                           ('cold', 'db1', {}), ('confirm', 'db1', {})]
    assert cloud.get_server('id-db1').status == 'SHUTOFF'


def test_drained_cold_migrates_everything(cloud, run_module):
    result = node(run_module, state='drained', migration='cold')
    assert [m['type'] for m in result['migrated']] == ['cold', 'cold']
    assert [c[0] for c in cloud.calls] == ['disabled', 'cold', 'confirm', 'cold', 'confirm']


def test_a_failed_migration_stops_with_its_status(cloud, run_module):
    cloud.outcome = 'error'
    result = node(run_module, state='drained')
    assert result['failed'] is True
    assert result['msg'].startswith('moving server web1 (id-web1) off compute3 failed: the migration is error')
    assert [c[0] for c in cloud.calls] == ['disabled', 'live']


def test_an_old_failed_migration_does_not_count(cloud, run_module):
    cloud.migrations.append(SimpleNamespace(id=1, server='id-web1', status='error', dest_compute='compute1'))
    result = node(run_module, state='drained')
    assert not result.get('failed'), result


def test_a_move_that_never_ends_times_out(cloud, run_module, monkeypatch):
    cloud.outcome = 'running'
    ticks = iter(range(0, 10000, 100))
    monkeypatch.setattr(compute_node.time, 'monotonic', lambda: next(ticks))
    result = node(run_module, state='drained', timeout=300)
    assert result['failed'] is True
    assert 'was not moved off compute3 within 300 s' in result['msg']


def test_drained_in_check_mode_moves_nothing(cloud, run_module):
    result = node(run_module, check_mode=True, state='drained')
    assert (result['changed'], result['migrated'], cloud.calls) == (True, [], [])


def test_an_api_error_is_reported_with_the_host(cloud, run_module, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError('503 Service Unavailable')
    monkeypatch.setattr(cloud, 'list_services', broken)
    result = node(run_module, state='disabled', cloud='operator')
    assert result['failed'] is True
    assert result['msg'] == 'compute node compute3 in the cloud operator: 503 Service Unavailable'
