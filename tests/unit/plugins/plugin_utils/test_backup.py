"""The deployment id and the checks a restore makes before anything changes (plugins/plugin_utils/backup.py)."""

import pytest

from ansible_collections.gureum.openstack.plugins.plugin_utils import backup, catalog

DEPLOYMENT = {'id': 'abc', 'region': 'RegionOne', 'database_host': 'controller'}
DATABASES = ['keystone', 'nova']
FILES = [{'path': 'databases.sql.gz', 'sha256': '11'}, {'path': 'secrets.yml', 'sha256': '22'}]
CHECKSUMS = {'databases.sql.gz': '11', 'secrets.yml': '22'}


def manifest(**changes):
    data = {'format': 1, 'deployment': dict(DEPLOYMENT), 'databases': {'keystone': {}, 'nova': {}},
            'files': [dict(item) for item in FILES]}
    for key, value in changes.items():
        if key in DEPLOYMENT:
            data['deployment'][key] = value
        else:
            data[key] = value
    return data


def test_the_deployment_id_is_stable_and_short():
    first = backup.deployment_id(['key0', 'key1'])
    assert first == backup.deployment_id(['key0', 'key1'])
    assert len(first) == 16 and first != backup.deployment_id(['key0', 'key2'])
    assert 'key0' not in first


@pytest.mark.parametrize('keys', [[], None, [''], 'key0'])
def test_no_credential_keys_is_an_error(keys):
    with pytest.raises(backup.BackupError, match='keystone_credential_keys'):
        backup.deployment_id(keys)


def test_a_fitting_archive_passes():
    data = manifest()
    assert backup.check_manifest(data, DEPLOYMENT, DATABASES, CHECKSUMS) is data


@pytest.mark.parametrize('data, checksums, restore_secrets, sentence', [
    (None, CHECKSUMS, False, 'no manifest.yml of format 1'),
    (manifest(format=2), CHECKSUMS, False, 'no manifest.yml of format 1'),
    (manifest(region='RegionTwo'), CHECKSUMS, True, "its region is 'RegionTwo', this one's 'RegionOne'"),
    (manifest(database_host='db9'), CHECKSUMS, True, "its database host is 'db9'"),
    (manifest(id='other'), CHECKSUMS, False, 'deployment id is other, this one.s abc.*restore_secrets=true'),
    (manifest(databases={'keystone': {}}), CHECKSUMS, False, 'it has no dump of nova'),
    (manifest(databases={'keystone': {}, 'nova': {}, 'heat': {}}), CHECKSUMS, False, 'it holds heat'),
    (manifest(files=[]), CHECKSUMS, False, 'lists no files'),
    (manifest(), {'databases.sql.gz': '11'}, False, 'damaged: secrets.yml'),
    (manifest(), dict(CHECKSUMS, **{'databases.sql.gz': '99'}), False, 'damaged: databases.sql.gz'),
])
def test_a_misfit_is_refused(data, checksums, restore_secrets, sentence):
    with pytest.raises(backup.BackupError, match=sentence):
        backup.check_manifest(data, DEPLOYMENT, DATABASES, checksums, restore_secrets)


def test_restore_secrets_skips_the_id_only():
    data = manifest(id='other')
    assert backup.check_manifest(data, DEPLOYMENT, DATABASES, CHECKSUMS, restore_secrets=True) is data


def test_files_are_relative_and_sorted():
    stats = [{'exists': True, 'path': '/s/b/x', 'checksum': '2', 'size': 3},
             {'exists': True, 'path': '/s/b/a', 'checksum': '1', 'size': 1}]
    assert backup.files(stats, '/s/b') == [{'path': 'a', 'sha256': '1', 'size': 1},
                                           {'path': 'x', 'sha256': '2', 'size': 3}]
    with pytest.raises(backup.BackupError, match='not under'):
        backup.files(stats, '/t')
    with pytest.raises(backup.BackupError, match='checksum'):
        backup.files([{'exists': False, 'path': '/s/b/x'}], '/s/b')


def test_the_catalog_gives_every_database():
    services = catalog.select(catalog.catalog(), ['keystone', 'glance', 'placement', 'nova', 'nova_compute',
                                                  'neutron_server', 'heat', 'heat_cfn', 'horizon', 'mariadb'])
    assert catalog.databases(services) == ['glance', 'heat', 'keystone', 'neutron', 'nova', 'nova_api',
                                           'nova_cell0', 'placement']


@pytest.mark.parametrize('groups, units', [
    (['controller'], ['glance-api', 'heat-api', 'heat-engine', 'keystone', 'neutron-api', 'neutron-rpc-server',
                      'nova-api', 'nova-api-metadata', 'nova-conductor', 'nova-novncproxy', 'nova-scheduler',
                      'placement-api']),
    (['compute'], []),
    (['network'], []),
])
def test_the_database_units_of_a_node(groups, units):
    services = catalog.select(catalog.catalog(), catalog.default_services(catalog.catalog(), ['compute', 'network']))
    assert catalog.database_units(services, groups, 'Debian') == units
