"""HTTPS for the cloud: a bad certificate, key or CA file, two schemes on one address, or HTTPS on the RHEL family
are refused, each problem with its fix, before anything changes (real certificates, made with cryptography)."""

import datetime
import ipaddress
import os
import re

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ansible_collections.gureum.openstack.plugins.plugin_utils import prechecks, prechecks_tls

from test_prechecks import lab  # the sound four-node lab of the prechecks tests

NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)


def _key():
    return ec.generate_private_key(ec.SECP256R1())


def _cert(key, days=30, start=NOW, names=('cloud.example.org', '10.0.0.11')):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, u'cloud.example.org')])
    san = [x509.IPAddress(ipaddress.ip_address(n)) if n[0].isdigit() else x509.DNSName(n) for n in names]
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
               .serial_number(1).not_valid_before(start - datetime.timedelta(days=60))
               .not_valid_after(start + datetime.timedelta(days=days)))
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return builder.sign(key, hashes.SHA256())


def _write(path, data, mode=0o600):
    with open(path, 'wb') as handle:
        handle.write(data)
    os.chmod(path, mode)
    return str(path)


def _pem_key(key, password=None):
    encryption = (serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


@pytest.fixture
def pair(tmp_path):
    key = _key()
    return (_write(tmp_path / 'cloud.crt', _cert(key).public_bytes(serialization.Encoding.PEM), 0o644),
            _write(tmp_path / 'cloud.key', _pem_key(key)))


def test_a_matching_pair_passes(pair):
    assert prechecks_tls.pair_problems(pair[0], pair[1], now=NOW) == []


def test_nothing_given_passes():
    assert prechecks_tls.pair_problems('', '') == []


@pytest.mark.parametrize('case, message', [
    ('cert missing', r'openstack_tls_cert_file .*/nothing.crt does not exist on the machine running Ansible: give the path'),
    ('key missing', r'openstack_tls_key_file .*/nothing.key does not exist'),
    ('only cert', r'Only one of openstack_tls_cert_file and openstack_tls_key_file is set: give both'),
    ('directory', r'openstack_tls_cert_file .* is a directory'),
    ('not a cert', r'is not a PEM certificate \(-----BEGIN CERTIFICATE-----\)'),
    ('not a key', r'is not a PEM private key'),
    ('encrypted key', r'is encrypted: Apache and uwsgi cannot ask for its passphrase'),
    ('other key', r'do not match: the key is not the one the certificate was made for'),
    ('expired', r'expired on 2026-11-21: renew the certificate'),
])
def test_a_bad_pair_is_refused_with_the_fix(tmp_path, pair, case, message):
    cert, key = pair
    if case == 'cert missing':
        cert = str(tmp_path / 'nothing.crt')
    elif case == 'key missing':
        key = str(tmp_path / 'nothing.key')
    elif case == 'only cert':
        key = ''
    elif case == 'directory':
        cert = str(tmp_path)
    elif case == 'not a cert':
        cert = _write(tmp_path / 'bad.crt', b'hello\n')
    elif case == 'not a key':
        key = _write(tmp_path / 'bad.key', b'-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n')
    elif case == 'encrypted key':
        key = _write(tmp_path / 'enc.key', _pem_key(_key(), b'secret'))
        cert = _write(tmp_path / 'enc.crt', _cert(_key()).public_bytes(serialization.Encoding.PEM))
    elif case == 'other key':
        key = _write(tmp_path / 'other.key', _pem_key(_key()))
    elif case == 'expired':
        old = _key()
        cert = _write(tmp_path / 'old.crt', _cert(old, days=-10).public_bytes(serialization.Encoding.PEM))
        key = _write(tmp_path / 'old.key', _pem_key(old))
    found = prechecks_tls.pair_problems(cert, key, now=NOW)
    assert len(found) >= 1
    assert any(re.search(message, text) for text in found), found


@pytest.mark.skipif(os.geteuid() == 0, reason='root reads any file')
def test_an_unreadable_file_is_refused(pair):
    os.chmod(pair[1], 0)
    found = prechecks_tls.pair_problems(pair[0], pair[1], now=NOW)
    assert any('cannot be read' in text and 'readable by the user running Ansible' in text for text in found), found


def _endpoints(public='http', internal=None, admin=None, public_address='10.0.0.11'):
    return {'public': {'address': public_address, 'scheme': public},
            'internal': {'address': '10.0.0.11', 'scheme': internal or public},
            'admin': {'address': '10.0.0.11', 'scheme': admin or public}}


def _https(settings, cert='', key='', ca=''):
    settings['endpoints'] = _endpoints('https')
    settings['tls'] = {'cert_file': cert, 'key_file': key, 'ca_file': ca}


def _inventory(settings, hosts, check):
    return [p for p in prechecks.inventory_problems(settings, hosts) if p['check'] == check]


def test_https_with_a_generated_certificate_passes():
    settings, hosts = lab()
    _https(settings)
    assert prechecks.inventory_problems(settings, hosts) == []
    assert prechecks.node_problems(settings, hosts) == []


def test_https_with_the_users_pair_and_ca_passes(tmp_path, pair):
    settings, hosts = lab()
    ca = _write(tmp_path / 'ca.crt', _cert(_key()).public_bytes(serialization.Encoding.PEM), 0o644)
    _https(settings, pair[0], pair[1], ca)
    assert prechecks.inventory_problems(settings, hosts) == []


@pytest.mark.parametrize('case, message', [
    ('cert missing', r'^openstack_tls_cert_file .*/none.crt does not exist on the machine running Ansible'),
    ('key missing', r'^openstack_tls_key_file .*/none.key does not exist on the machine running Ansible'),
    ('only key', r'^Only one of openstack_tls_cert_file and openstack_tls_key_file is set: give both'),
    ('other key', r'do not match: the key is not the one the certificate was made for'),
    ('ca missing', r'^openstack_tls_ca_file .*/none-ca.crt does not exist'),
    ('ca not pem', r'^openstack_tls_ca_file .* is not a PEM certificate'),
    ('ca alone', r'^openstack_tls_ca_file is set, but openstack_tls_cert_file is not'),
])
def test_the_inventory_stage_refuses_bad_files_with_a_sentence(tmp_path, pair, case, message):
    settings, hosts = lab()
    cert, key, ca = pair[0], pair[1], ''
    if case == 'cert missing':
        cert = str(tmp_path / 'none.crt')
    elif case == 'key missing':
        key = str(tmp_path / 'none.key')
    elif case == 'only key':
        cert = ''
    elif case == 'other key':
        key = _write(tmp_path / 'other.key', _pem_key(_key()))
    elif case == 'ca missing':
        ca = str(tmp_path / 'none-ca.crt')
    elif case == 'ca not pem':
        ca = _write(tmp_path / 'ca.txt', b'not a certificate\n', 0o644)
    elif case == 'ca alone':
        cert, key, ca = '', '', pair[0]
    _https(settings, cert, key, ca)
    found = _inventory(settings, hosts, 'tls_files')
    assert len(found) == 1, found
    assert re.search(message, found[0]['msg']), found[0]['msg']
    assert found[0]['msg'].endswith('.')


def test_plain_http_does_not_read_the_files():
    settings, hosts = lab()
    settings['endpoints'] = _endpoints('http')
    settings['tls'] = {'cert_file': '/nowhere.crt', 'key_file': '', 'ca_file': '/nowhere-ca.crt'}
    assert prechecks.inventory_problems(settings, hosts) == []


@pytest.mark.parametrize('endpoints, wanted', [
    (_endpoints('https', internal='http'), ['public', 'internal']),
    (_endpoints('http', admin='https'), ['public', 'admin']),
    # a public address of its own (the user's TLS proxy in front): allowed
    (_endpoints('https', internal='http', admin='http', public_address='cloud.example.org'), []),
    (_endpoints('https'), []),
])
def test_two_schemes_on_one_address_are_refused(endpoints, wanted):
    settings, hosts = lab()
    settings['endpoints'] = endpoints
    found = _inventory(settings, hosts, 'endpoint_schemes')
    if not wanted:
        assert found == []
        return
    assert len(found) >= 1
    assert found[0]['msg'].startswith('openstack_%s_scheme is ' % wanted[0])
    assert 'openstack_%s_scheme is' % wanted[1] in found[0]['msg']
    assert 'set both to the same scheme' in found[0]['msg']


def test_https_on_the_rhel_family_is_refused_at_the_node_stage():
    settings, hosts = lab()
    _https(settings)
    hosts[0]['facts'].update(os_family='RedHat', distribution='Rocky', distribution_version='9.5',
                             distribution_major_version='9')
    found = [p for p in prechecks.node_problems(settings, hosts) if p['check'] == 'tls_platform']
    assert [p['host'] for p in found] == ['controller']
    assert 'HTTPS is done for Debian only so far' in found[0]['msg']
    settings['endpoints'] = _endpoints('http')
    assert [p for p in prechecks.node_problems(settings, hosts) if p['check'] == 'tls_platform'] == []


@pytest.mark.parametrize('names, public, wanted', [
    (('cloud.example.org', '10.0.0.11'), 'cloud.example.org', None),
    (('*.example.org', '10.0.0.11'), 'cloud.example.org', None),
    # a wildcard covers one label only
    (('*.org', '10.0.0.11'), 'cloud.example.org', 'does not name cloud.example.org '),
    # the controllers' management address: the services' health checks ask there
    (('cloud.example.org',), 'cloud.example.org', 'does not name 10.0.0.11 '),
    ((), '10.0.0.11', 'does not name 10.0.0.11 (its subjectAltName has nothing)'),
])
def test_a_certificate_that_does_not_name_the_addresses_is_refused(tmp_path, names, public, wanted):
    key = _key()
    cert = _write(tmp_path / 'named.crt', _cert(key, names=names).public_bytes(serialization.Encoding.PEM), 0o644)
    settings, hosts = lab()
    _https(settings, cert, _write(tmp_path / 'named.key', _pem_key(key)))
    settings['endpoints']['public']['address'] = public
    found = _inventory(settings, hosts, 'tls_files')
    if wanted is None:
        assert found == []
    else:
        assert len(found) == 1 and wanted in found[0]['msg'], found
        assert 'get a certificate that names the public address' in found[0]['msg']
