"""What the horizon role renders means what the docs say: local_settings.py is Python with the deployment's
Keystone, memcached, web root and secret key, Apache serves the catalog's ports, and the static files are compressed
again when the settings change but not when only the secret key does (rendered offline, as the golden tests do).
"""

import re

import pytest
from ansible.template import trust_as_template

from test_golden import SECRETS, rendering  # the golden tests' offline rendering of a role


def _file(rendered, path):
    return [entry for entry in rendered.files if entry['path'] == path][0]


def _settings(rendered):
    scope = {}
    text = _file(rendered, '/etc/openstack-dashboard/local_settings.py')['content']
    exec(compile(text, 'local_settings.py', 'exec'), scope)  # pylint: disable=exec-used
    return scope


def test_local_settings_are_the_deployments():
    settings = _settings(rendering('horizon', 'controller', 'Debian', 'default'))
    assert settings['WEBROOT'] == '/horizon/'
    assert settings['OPENSTACK_KEYSTONE_URL'] == 'http://10.0.0.11:5000/v3'
    assert settings['OPENSTACK_API_VERSIONS'] == {'identity': 3}
    assert settings['SESSION_ENGINE'] == 'django.contrib.sessions.backends.cache'
    assert settings['CACHES']['default']['LOCATION'] == ['10.0.0.11:11211']
    assert settings['SECRET_KEY'] == SECRETS['horizon_secret_key']
    assert settings['ALLOWED_HOSTS'] == ['10.0.0.11']
    assert settings['COMPRESS_OFFLINE'] is True and settings['DEBUG'] is False
    assert settings['SESSION_COOKIE_SECURE'] is False
    assert 'OPENSTACK_SSL_CACERT' not in settings


def test_overrides_and_moved_ports_reach_the_files():
    rendered = rendering('horizon', 'controller', 'Debian', 'overridden')
    settings = _settings(rendered)
    assert settings['TIME_ZONE'] == 'Asia/Seoul'
    assert 'OPENSTACK_KEYSTONE_DEFAULT_ROLE' not in settings
    assert settings['OPENSTACK_NEUTRON_NETWORK']['enable_ipv6'] is False
    assert settings['OPENSTACK_NEUTRON_NETWORK']['enable_router'] is True
    # HTTPS (openstack_public_scheme): Keystone's URL too, verified against the system trust
    assert settings['OPENSTACK_KEYSTONE_URL'] == 'https://10.0.0.11:5050/v3'
    assert settings['OPENSTACK_SSL_CACERT'] == '/etc/ssl/certs/ca-certificates.crt'
    assert settings['CSRF_COOKIE_SECURE'] is True
    ports = _file(rendered, '/etc/apache2/ports.conf')['content']
    assert re.findall(r'(?m)^Listen (\d+)$', ports) == ['8081', '8444']
    site = _file(rendered, '/etc/apache2/sites-available/openstack-dashboard-alias-only.conf')['content']
    assert '<VirtualHost *:8444>' in site and 'processes=4' in site
    assert 'Redirect permanent "/" "https://10.0.0.11:8444/"' in site
    assert 'SSLCertificateKeyFile /etc/gureum-openstack/tls/horizon.key' in site
    key = _file(rendered, '/etc/gureum-openstack/tls/horizon.key')
    assert key['mode'] == '0640' and key['group'] == 'root' and key['header'] is False
    assert key['units'] == ['apache2'] and 'PRIVATE KEY' in key['content']


def test_plain_http_has_no_tls_files_and_redirects_the_address_alone():
    rendered = rendering('horizon', 'controller', 'Debian', 'default')
    assert not [entry for entry in rendered.files if '/tls/' in entry['path']]
    site = _file(rendered, '/etc/apache2/sites-available/openstack-dashboard-alias-only.conf')['content']
    assert 'RedirectMatch ^/$ /horizon/' in site and 'SSLEngine' not in site
    assert 'WSGIScriptAlias /horizon /usr/share/openstack-dashboard/wsgi.py' in site
    assert re.findall(r'(?m)^Listen (\d+)$', _file(rendered, '/etc/apache2/ports.conf')['content']) == ['80']


def _digest(rendered, **values):
    templar = rendered.templar.copy_with_new_env(available_variables=dict(rendered.values, **values))
    return str(templar.template(trust_as_template('{{ __horizon_static_digest }}')))


@pytest.mark.parametrize('family', ['Debian', 'RedHat'])
def test_the_static_files_follow_the_settings_not_the_secret_key(family):
    rendered = rendering('horizon', 'controller', family, 'default')
    base = rendered.render('__horizon_static_digest')
    assert re.match(r'^[0-9a-f]{12}$', base)
    assert _digest(rendered, horizon_secret_key='another-secret-key-0123456789') == base
    assert _digest(rendered, horizon_time_zone='Asia/Seoul') != base
    # the heat dashboard's package (heat is deployed by default) is part of the digest
    assert _digest(rendered, horizon_services=['keystone']) != base
    step = rendered.render('__horizon_static')
    assert step['name'] == 'horizon_static_' + base
    assert step['package'] == 'openstack-dashboard'
