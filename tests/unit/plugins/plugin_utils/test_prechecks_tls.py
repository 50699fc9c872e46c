"""The dashboard's HTTPS certificate and key are refused, each problem with its fix, before anything changes."""

import datetime
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


def _cert(key, days=30, start=NOW):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, u'cloud.example.org')])
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(start - datetime.timedelta(days=60))
            .not_valid_after(start + datetime.timedelta(days=days)).sign(key, hashes.SHA256()))


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
    return (_write(tmp_path / 'horizon.crt', _cert(key).public_bytes(serialization.Encoding.PEM), 0o644),
            _write(tmp_path / 'horizon.key', _pem_key(key)))


def test_a_matching_pair_passes(pair):
    assert prechecks_tls.pair_problems(pair[0], pair[1], now=NOW) == []


def test_nothing_given_passes():
    assert prechecks_tls.pair_problems('', '') == []


@pytest.mark.parametrize('case, message', [
    ('cert missing', r'horizon_tls_cert_file .*/nothing.crt does not exist on the machine running Ansible: give the path'),
    ('key missing', r'horizon_tls_key_file .*/nothing.key does not exist'),
    ('only cert', r'Only one of horizon_tls_cert_file and horizon_tls_key_file is set: give both'),
    ('directory', r'horizon_tls_cert_file .* is a directory'),
    ('not a cert', r'is not a PEM certificate \(-----BEGIN CERTIFICATE-----\)'),
    ('not a key', r'is not a PEM private key'),
    ('encrypted key', r'is encrypted: Apache cannot ask for its passphrase'),
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


def _https(settings, hosts, cert, key, scheme_var=True):
    settings['services'] = settings['services'] + ['horizon']
    if scheme_var:
        hosts[0]['vars']['horizon_scheme'] = 'https'
    else:
        settings['public_scheme'] = 'https'
    hosts[0]['vars'].update(horizon_tls_cert_file=cert, horizon_tls_key_file=key)


@pytest.mark.parametrize('scheme_var', [True, False], ids=['horizon_scheme', 'openstack_public_scheme'])
def test_the_inventory_stage_refuses_a_missing_certificate(tmp_path, scheme_var):
    settings, hosts = lab()
    _https(settings, hosts, str(tmp_path / 'none.crt'), str(tmp_path / 'none.key'), scheme_var)
    found = [p for p in prechecks.inventory_problems(settings, hosts) if p['check'] == 'tls_files']
    assert [p['host'] for p in found] == ['controller', 'controller']
    assert found[0]['msg'].startswith('controller: horizon_tls_cert_file ')


def test_the_inventory_stage_passes_a_good_pair_and_plain_http(pair):
    settings, hosts = lab()
    _https(settings, hosts, pair[0], pair[1])
    assert [p for p in prechecks.inventory_problems(settings, hosts) if p['check'] == 'tls_files'] == []
    settings, hosts = lab()
    settings['services'] = settings['services'] + ['horizon']
    hosts[0]['vars'].update(horizon_tls_cert_file='/nowhere.crt', horizon_tls_key_file='/nowhere.key')
    assert [p for p in prechecks.inventory_problems(settings, hosts) if p['check'] == 'tls_files'] == []


def test_https_for_the_public_endpoints_is_refused_until_the_apis_serve_it(pair):
    settings, hosts = lab()
    _https(settings, hosts, pair[0], pair[1], scheme_var=False)
    found = [p for p in prechecks.inventory_problems(settings, hosts) if p['check'] == 'public_scheme']
    assert len(found) == 1 and 'horizon_scheme: https' in found[0]['msg']
    settings, hosts = lab()
    _https(settings, hosts, pair[0], pair[1])
    assert [p for p in prechecks.inventory_problems(settings, hosts) if p['check'] == 'public_scheme'] == []
