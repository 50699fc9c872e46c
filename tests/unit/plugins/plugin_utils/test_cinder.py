"""Cinder's backends as data: one sentence per mistake; sections, volume types and volume groups from them."""

import pytest

from ansible_collections.gureum.openstack.plugins.plugin_utils import cinder

DEFAULTS = {'rbd_secret_uuid': 'u-u-i-d', 'target_ip_address': '10.0.0.41', 'device': '/dev/vdb'}


def test_the_default_rbd_backend():
    result = cinder.sections([{'name': 'rbd', 'type': 'rbd'}], DEFAULTS)
    assert result['enabled'] == ['rbd']
    section = result['sections']['rbd']
    assert section['volume_driver'] == 'cinder.volume.drivers.rbd.RBDDriver'
    assert (section['rbd_pool'], section['rbd_user'], section['rbd_secret_uuid']) == ('volumes', 'cinder', 'u-u-i-d')
    assert section['volume_backend_name'] == 'rbd' and section['backend_host'] == 'rbd:volumes'


def test_an_lvm_backend_and_extra_options():
    backends = [{'name': 'lvm-1', 'type': 'lvm', 'target_helper': 'lioadm', 'volume_clear': 'none'},
                {'name': 'fast', 'type': 'rbd', 'pool': 'fast', 'volume_type': 'ssd', 'report_discard_supported': None}]
    result = cinder.sections(backends, DEFAULTS)
    assert result['enabled'] == ['lvm-1', 'fast']
    lvm = result['sections']['lvm-1']
    assert lvm == {'volume_driver': 'cinder.volume.drivers.lvm.LVMVolumeDriver', 'volume_group': 'cinder-volumes',
                   'target_protocol': 'iscsi', 'target_helper': 'lioadm', 'target_ip_address': '10.0.0.41',
                   'volume_backend_name': 'lvm-1', 'volume_clear': 'none'}
    assert 'report_discard_supported' not in result['sections']['fast']
    assert 'volume_type' not in result['sections']['fast']
    assert cinder.volume_types(backends) == [{'name': 'lvm-1', 'backend': 'lvm-1'}, {'name': 'ssd', 'backend': 'fast'}]
    assert cinder.kinds(backends) == ['lvm', 'rbd']
    moved = cinder.sections(backends[:1], dict(DEFAULTS, target_port='3270'))['sections']['lvm-1']
    assert moved['target_port'] == 3270
    assert cinder.lvm_backends(backends, DEFAULTS) == [{'name': 'lvm-1', 'volume_group': 'cinder-volumes',
                                                        'device': '/dev/vdb', 'target_helper': 'lioadm'}]


@pytest.mark.parametrize('backends, words', [
    (None, 'must be a non-empty list'),
    ([], 'must be a non-empty list'),
    (['rbd'], 'must be a dictionary'),
    ([{'type': 'rbd'}], 'needs a name'),
    ([{'name': 'DEFAULT', 'type': 'rbd'}], 'needs a name'),
    ([{'name': 'x', 'type': 'nfs'}], "has type 'nfs'"),
    ([{'name': 'x', 'type': 'rbd'}, {'name': 'x', 'type': 'lvm'}], 'listed twice'),
    ([{'name': 'x', 'type': 'rbd'}, {'name': 'y', 'type': 'rbd', 'volume_type': 'x'}], 'already the type'),
    ([{'name': 'x', 'type': 'lvm', 'target_helper': 'iet'}], "target_helper 'iet'"),
    ([{'name': 'x', 'type': 'lvm', 'device': 'sdb'}], 'under /dev'),
    ([{'name': 'x', 'type': 'lvm', 'volume_group': 'a b'}], 'is not a volume group name'),
    ([{'name': 'x', 'type': 'rbd', 'pool': ''}], 'pool must be a non-empty name'),
])
def test_bad_backends_are_refused_with_a_sentence(backends, words):
    found = cinder.problems(backends)
    assert any(words in text for text in found), found
    with pytest.raises(cinder.CinderError, match=words.replace('(', r'\(').replace(')', r'\)')):
        cinder.sections(backends)
