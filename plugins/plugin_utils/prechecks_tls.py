# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The prechecks of the certificate, key and CA the user gives for HTTPS (openstack_tls_cert_file,
openstack_tls_key_file, openstack_tls_ca_file), on the machine running Ansible: each problem is a sentence with the fix.

Plain functions over paths; prechecks.inventory_problems calls them when any endpoint uses https.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import ipaddress

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    HAS_CRYPTOGRAPHY = True
except ImportError:  # pragma: no cover - ansible-core needs cryptography
    HAS_CRYPTOGRAPHY = False

CERT_VAR = 'openstack_tls_cert_file'
KEY_VAR = 'openstack_tls_key_file'
CA_VAR = 'openstack_tls_ca_file'
GENERATE = ('or leave both %s and %s empty to have a CA and a certificate generated beside the secrets file'
            % (CERT_VAR, KEY_VAR))


def _read(path, var, problems):
    try:
        with open(path, 'rb') as handle:
            return handle.read()
    except FileNotFoundError:
        problems.append('%s %s does not exist on the machine running Ansible: give the path of the PEM file there, %s.'
                        % (var, path, GENERATE))
    except IsADirectoryError:
        problems.append('%s %s is a directory: give the path of the PEM file, %s.' % (var, path, GENERATE))
    except (IOError, OSError) as exc:
        problems.append('%s %s cannot be read (%s): make it readable by the user running Ansible.'
                        % (var, path, exc.strerror or exc))
    return None


def _public(key):
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _not_after(cert):
    value = getattr(cert, 'not_valid_after_utc', None)
    if value is None:  # cryptography < 42
        value = cert.not_valid_after.replace(tzinfo=datetime.timezone.utc)
    return value


def pair_problems(cert_path, key_path, now=None):
    """Sentences saying what is wrong with a PEM certificate and its key, [] when they are usable together."""
    if not cert_path and not key_path:
        return []
    if not cert_path or not key_path:
        return ['Only one of %s and %s is set: give both the certificate and its key, %s.' % (CERT_VAR, KEY_VAR, GENERATE)]
    if not HAS_CRYPTOGRAPHY:
        return ['The Python library cryptography is missing on the machine running Ansible (ansible-core needs it): '
                'install requirements.txt.']
    problems = []
    cert_data = _read(cert_path, CERT_VAR, problems)
    key_data = _read(key_path, KEY_VAR, problems)
    cert = key = None
    if cert_data is not None:
        try:
            cert = x509.load_pem_x509_certificate(cert_data)
        except ValueError:
            problems.append('%s %s is not a PEM certificate (-----BEGIN CERTIFICATE-----): give the certificate, '
                            'its chain after it, in PEM.' % (CERT_VAR, cert_path))
    if key_data is not None:
        try:
            key = serialization.load_pem_private_key(key_data, password=None)
        except TypeError:
            problems.append('%s %s is encrypted: Apache and uwsgi cannot ask for its passphrase; give it unencrypted '
                            '(openssl pkey -in KEY -out KEY.plain) and keep it mode 0600.' % (KEY_VAR, key_path))
        except Exception:  # pylint: disable=broad-except
            problems.append('%s %s is not a PEM private key (-----BEGIN ... PRIVATE KEY-----): give the key the '
                            'certificate was made for.' % (KEY_VAR, key_path))
    if cert is not None and key is not None and _public(cert.public_key()) != _public(key.public_key()):
        problems.append('%s %s and %s %s do not match: the key is not the one the certificate was made for; give '
                        'the key of that certificate (openssl x509 -noout -pubkey -in CERT and openssl pkey -pubout '
                        '-in KEY must print the same).' % (CERT_VAR, cert_path, KEY_VAR, key_path))
    if cert is not None:
        now = now or datetime.datetime.now(datetime.timezone.utc)
        if _not_after(cert) < now:
            problems.append('%s %s expired on %s: renew the certificate, %s.'
                            % (CERT_VAR, cert_path, _not_after(cert).strftime('%Y-%m-%d'), GENERATE))
    return problems


def ca_problems(ca_path, cert_path):
    """Sentences saying what is wrong with the CA file the user gives beside a certificate of theirs."""
    if not ca_path:
        return []
    if not cert_path:
        return ['%s is set, but %s is not: the CA the collection generates signs the certificate then; remove %s, '
                'or give your certificate and key too.' % (CA_VAR, CERT_VAR, CA_VAR)]
    if not HAS_CRYPTOGRAPHY:
        return []  # said by pair_problems
    problems = []
    data = _read(ca_path, CA_VAR, problems)
    if data is not None:
        try:
            x509.load_pem_x509_certificate(data)
        except ValueError:
            problems.append('%s %s is not a PEM certificate (-----BEGIN CERTIFICATE-----): give the certificate of the '
                            'CA that signed %s, in PEM.' % (CA_VAR, ca_path, CERT_VAR))
    return problems


def _covers(pattern, name):
    pattern, name = pattern.lower().rstrip('.'), name.lower().rstrip('.')
    if pattern.startswith('*.'):
        head, dummy, rest = name.partition('.')
        return bool(head) and rest == pattern[2:]
    return pattern == name


def name_problems(cert_path, names):
    """Sentences for the names and addresses ``names`` that the PEM certificate at ``cert_path`` does not name in its
    subjectAltName; [] when it names them all, or when the file cannot be read (pair_problems says so)."""
    if not cert_path or not HAS_CRYPTOGRAPHY:
        return []
    try:
        with open(cert_path, 'rb') as handle:
            cert = x509.load_pem_x509_certificate(handle.read())
    except (IOError, OSError, ValueError):
        return []
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = san.get_values_for_type(x509.DNSName)
        ips = [str(ip) for ip in san.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        dns, ips = [], []
    missing = []
    for name in names:
        try:
            covered = str(ipaddress.ip_address(u'%s' % name)) in ips
        except ValueError:
            covered = any(_covers(pattern, name) for pattern in dns)
        if not covered and name not in missing:
            missing.append(name)
    if not missing:
        return []
    return ['%s %s does not name %s (its subjectAltName has %s): clients and the services\' own checks would refuse '
            'it there; get a certificate that names the public address and the controllers\' management addresses, '
            'or %s.' % (CERT_VAR, cert_path, ', '.join(missing), ', '.join(dns + ips) or 'nothing', GENERATE)]
