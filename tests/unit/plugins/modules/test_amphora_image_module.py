"""amphora_image hands its arguments and check mode to the builder and reports its errors (the builder itself is
tested in tests/unit/plugins/module_utils/test_amphora_image.py)."""

from ansible_collections.gureum.openstack.plugins.module_utils import amphora_image as builder
from ansible_collections.gureum.openstack.plugins.modules import amphora_image


def test_check_mode_is_passed_to_the_builder(run_module, monkeypatch):
    calls = []

    def build(dest, cache, check_mode=False):
        calls.append((dest, cache, check_mode))
        return {'path': dest + '/gureum-amphora.qcow2', 'manifest': dest + '/MANIFEST', 'changed': True,
                'sha256': None, 'size': None}
    monkeypatch.setattr(builder, 'build', build)
    result = run_module(amphora_image.main, {'dest': '/srv/amphora', 'cache': '/srv/debs'}, check_mode=True)
    assert calls == [('/srv/amphora', '/srv/debs', True)]
    assert result['changed'] is True and result['path'] == '/srv/amphora/gureum-amphora.qcow2'
    run_module(amphora_image.main, {'dest': '/srv/amphora', 'cache': '/srv/debs'})
    assert calls[-1] == ('/srv/amphora', '/srv/debs', False)


def test_a_failed_build_fails_with_its_reason(run_module, monkeypatch):
    def build(dest, cache, check_mode=False):
        raise builder.AmphoraImageError('missing mmdebstrap (Debian package mmdebstrap)')
    monkeypatch.setattr(builder, 'build', build)
    result = run_module(amphora_image.main, {'dest': '/srv/amphora', 'cache': '/srv/debs'})
    assert result['failed'] is True
    assert result['msg'] == 'building the amphora image failed: missing mmdebstrap (Debian package mmdebstrap)'
