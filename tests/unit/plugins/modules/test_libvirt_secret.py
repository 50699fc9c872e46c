"""gureum.openstack.libvirt_secret against a fake libvirt: defined once, value kept, the key never returned."""

import base64

import pytest

from ansible_collections.gureum.openstack.plugins.modules import libvirt_secret

UUID = '457eb676-33da-42ec-9a8c-9293d545c337'
KEY = base64.b64encode(b'\x01\x00' + b'k' * 26).decode()
OTHER = base64.b64encode(b'\x01\x00' + b'o' * 26).decode()
USAGE_CEPH = 2


class FakeError(Exception):
    def __init__(self, msg, code):
        super(FakeError, self).__init__(msg)
        self.code = code

    def get_error_code(self):
        return self.code


class FakeSecret(object):
    def __init__(self, conn, uuid, usage, usage_type=USAGE_CEPH):
        self.conn, self.uuid, self.usage, self.usage_type, self.stored = conn, uuid, usage, usage_type, None

    def usageType(self):
        return self.usage_type

    def usageID(self):
        return self.usage

    def value(self):
        if self.stored is None:
            raise FakeError('secret has no value', 1)
        return self.stored

    def setValue(self, value):
        self.conn.calls.append('setValue')
        self.stored = value

    def undefine(self):
        self.conn.calls.append('undefine')
        del self.conn.secrets[self.uuid]


class FakeConn(object):
    def __init__(self):
        self.secrets, self.calls, self.closed = {}, [], False

    def secretLookupByUUIDString(self, uuid):
        if uuid not in self.secrets:
            raise FakeError('no secret', libvirt_secret.NO_SECRET)
        return self.secrets[uuid]

    def secretDefineXML(self, xml):
        self.calls.append(xml)
        assert "<usage type='ceph'>" in xml and "private='no'" in xml
        uuid = xml.split('<uuid>')[1].split('</uuid>')[0]
        usage = xml.split('<name>')[1].split('</name>')[0]
        old = self.secrets.get(uuid)
        secret = FakeSecret(self, uuid, usage)
        if old is not None:
            secret.stored = old.stored
        self.secrets[uuid] = secret
        return secret

    def close(self):
        self.closed = True


class FakeLibvirt(object):
    libvirtError = FakeError
    VIR_SECRET_USAGE_TYPE_CEPH = USAGE_CEPH

    def __init__(self):
        self.conn = FakeConn()

    def open(self, uri):
        assert uri == 'qemu:///system'
        return self.conn


@pytest.fixture
def fake(monkeypatch):
    lib = FakeLibvirt()
    monkeypatch.setattr(libvirt_secret, 'libvirt', lib)
    monkeypatch.setattr(libvirt_secret, 'HAS_LIBVIRT', True)
    return lib


def test_a_missing_secret_is_defined_with_the_key(fake, run_module):
    result = run_module(libvirt_secret.main, {'uuid': UUID, 'key': KEY})
    assert result['changed'] and result['defined'] and result['value_set']
    secret = fake.conn.secrets[UUID]
    assert secret.usage == 'client.cinder secret' and secret.stored == base64.b64decode(KEY)
    assert fake.conn.closed


def test_a_second_run_changes_nothing(fake, run_module):
    run_module(libvirt_secret.main, {'uuid': UUID, 'key': KEY})
    fake.conn.calls[:] = []
    result = run_module(libvirt_secret.main, {'uuid': UUID, 'key': KEY})
    assert not result['changed'] and not result['defined'] and not result['value_set']
    assert fake.conn.calls == []


def test_a_changed_key_is_set_without_redefining(fake, run_module):
    run_module(libvirt_secret.main, {'uuid': UUID, 'key': OTHER})
    fake.conn.calls[:] = []
    result = run_module(libvirt_secret.main, {'uuid': UUID, 'key': KEY})
    assert result['changed'] and not result['defined'] and result['value_set']
    assert fake.conn.calls == ['setValue'] and fake.conn.secrets[UUID].stored == base64.b64decode(KEY)


def test_a_secret_of_another_usage_is_redefined(fake, run_module):
    fake.conn.secrets[UUID] = FakeSecret(fake.conn, UUID, 'something else', usage_type=1)
    result = run_module(libvirt_secret.main, {'uuid': UUID, 'key': KEY})
    assert result['defined'] and fake.conn.secrets[UUID].usage == 'client.cinder secret'


def test_check_mode_changes_nothing(fake, run_module):
    result = run_module(libvirt_secret.main, {'uuid': UUID, 'key': KEY}, check_mode=True)
    assert result['changed'] and result['defined']
    assert fake.conn.secrets == {} and fake.conn.calls == []


def test_absent_undefines(fake, run_module):
    run_module(libvirt_secret.main, {'uuid': UUID, 'key': KEY})
    result = run_module(libvirt_secret.main, {'uuid': UUID, 'state': 'absent'})
    assert result['changed'] and fake.conn.secrets == {}
    assert not run_module(libvirt_secret.main, {'uuid': UUID, 'state': 'absent'})['changed']


def test_the_key_is_never_in_the_output(fake, run_module):
    result = run_module(libvirt_secret.main, {'uuid': UUID, 'key': KEY})
    assert KEY not in result['_raw']


@pytest.mark.parametrize('args, message', [
    ({'uuid': 'not-a-uuid', 'key': KEY}, 'is not a UUID'),
    ({'uuid': UUID, 'key': 'not base64!'}, 'is not base64'),
    ({'uuid': UUID}, 'state is present but all of the following are missing: key'),
])
def test_bad_input_is_refused_with_a_sentence(fake, run_module, args, message):
    result = run_module(libvirt_secret.main, args)
    assert result['failed'] and message in result['msg']
    assert fake.conn.secrets == {}


def test_without_the_bindings_it_says_which_package(monkeypatch, run_module):
    monkeypatch.setattr(libvirt_secret, 'HAS_LIBVIRT', False)
    result = run_module(libvirt_secret.main, {'uuid': UUID, 'key': KEY})
    assert result['failed'] and 'python3-libvirt' in result['msg']
