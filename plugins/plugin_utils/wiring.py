# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Wiring between services: URLs and server lists built from inventory addresses, oslo.config files,
and the service_setup plan. Plain functions (the filters in plugins/filter/wiring.py wrap them);
every bad input raises WiringError with a sentence that says what was expected.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pprint
import re

import yaml

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 is not supported on the controller
    from urllib import quote

try:
    import netaddr
    HAS_NETADDR = True
except ImportError:  # pragma: no cover - netaddr is in requirements.txt
    HAS_NETADDR = False

from ansible_collections.gureum.openstack.plugins.plugin_utils import catalog

HOSTNAME_RE = re.compile(r'^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$')
OPTION_RE = re.compile(r'^[A-Za-z0-9_.-]+$')
# paste.deploy's sections ([filter:authtoken], [pipeline:main]) and Swift's [storage-policy:0] name a kind with ':'
SECTION_RE = re.compile(r'^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$')
INTERFACES = ('public', 'internal', 'admin')


class WiringError(Exception):
    """Bad input to a wiring helper; the message says what was expected."""


def _require_netaddr():
    if not HAS_NETADDR:
        raise WiringError('needs the Python library netaddr on the machine running Ansible (pip install netaddr).')


def host_part(address, what='address'):
    """``address`` (an IPv4/IPv6 address or a host name) as it goes into a URL: IPv6 in brackets."""
    _require_netaddr()
    if not isinstance(address, str) or not address:
        raise WiringError('%s must be an IP address or a host name, got %r.' % (what, address))
    text = address[1:-1] if address.startswith('[') and address.endswith(']') else address
    if netaddr.valid_ipv4(text, netaddr.INET_PTON):
        return text
    if netaddr.valid_ipv6(text):
        return '[%s]' % netaddr.IPAddress(text, 6).format(netaddr.ipv6_compact)
    if text == address and HOSTNAME_RE.match(address) and not re.match(r'^[0-9.]+$', address):
        return address
    raise WiringError('%s %r is neither an IP address nor a host name (give the host alone: no scheme, port or path).'
                      % (what, address))


def _hosts(hosts, what):
    if isinstance(hosts, str):
        hosts = [hosts]
    if not isinstance(hosts, (list, tuple)) or not hosts:
        raise WiringError('%s must be an address or a non-empty list of addresses, got %r.' % (what, hosts))
    return [host_part(host, what) for host in hosts]


def _port(port, what='port'):
    if isinstance(port, bool):
        raise WiringError('%s must be a number between 1 and 65535, got %r.' % (what, port))
    try:
        value = int(port)
    except (TypeError, ValueError):
        raise WiringError('%s must be a number between 1 and 65535, got %r.' % (what, port))
    if not 1 <= value <= 65535:
        raise WiringError('%s must be a number between 1 and 65535, got %r.' % (what, port))
    return value


def _credential(value, what):
    if not isinstance(value, str) or not value:
        raise WiringError('%s must be a non-empty string.' % what)
    return quote(value, safe='')


def _query(query):
    if not query:
        return ''
    if not isinstance(query, dict):
        raise WiringError('query must be a dictionary of URL parameters, got %r.' % (query,))
    return '?' + '&'.join('%s=%s' % (quote(str(key), safe=''), quote(str(query[key]), safe=''))
                          for key in sorted(query))


def transport_url(hosts, user, password, vhost='/', port=5672, scheme='rabbit', query=None):
    """oslo.messaging transport URL: rabbit://user:pass@host1:5672,user:pass@host2:5672/vhost."""
    hosts = _hosts(hosts, 'transport_url: hosts')
    port = _port(port, 'transport_url: port')
    creds = '%s:%s' % (_credential(user, 'transport_url: user'), _credential(password, 'transport_url: password'))
    if not isinstance(vhost, str) or not vhost:
        raise WiringError("transport_url: vhost must be a name, or '/' for the default vhost, got %r." % (vhost,))
    if not isinstance(scheme, str) or not re.match(r'^[a-z][a-z0-9+]*$', scheme):
        raise WiringError('transport_url: scheme must be a driver name such as rabbit, got %r.' % (scheme,))
    path = '' if vhost == '/' else quote(vhost, safe='')
    servers = ','.join('%s@%s:%d' % (creds, host, port) for host in hosts)
    return '%s://%s/%s%s' % (scheme, servers, path, _query(query))


def memcached_servers(hosts, port=11211):
    """memcached server list for oslo.cache and keystonemiddleware: ['10.0.0.11:11211', 'inet6:[fd00::11]:11211']."""
    port = _port(port, 'memcached_servers: port')
    result = []
    for host in _hosts(hosts, 'memcached_servers: hosts'):
        result.append(('inet6:%s:%d' if host.startswith('[') else '%s:%d') % (host, port))
    return result


def database_url(host, database, user, password, driver='mysql+pymysql', port=None, query=None):
    """SQLAlchemy URL for oslo.db: mysql+pymysql://user:pass@host/database."""
    host = host_part(host, 'database_url: host')
    if not isinstance(database, str) or not re.match(r'^[A-Za-z0-9_]+$', database):
        raise WiringError('database_url: database must be a name (letters, digits, _), got %r.' % (database,))
    if not isinstance(driver, str) or not re.match(r'^[a-z][a-z0-9]*(\+[a-z0-9]+)?$', driver):
        raise WiringError('database_url: driver must be like mysql+pymysql, got %r.' % (driver,))
    netloc = '%s:%s@%s' % (_credential(user, 'database_url: user'), _credential(password, 'database_url: password'),
                           host)
    if port is not None:
        netloc += ':%d' % _port(port, 'database_url: port')
    return '%s://%s/%s%s' % (driver, netloc, database, _query(query))


def endpoint_url(address, port=None, path='', scheme='http'):
    """An API URL: endpoint_url('10.0.0.11', 5000, '/v3') -> 'http://10.0.0.11:5000/v3'."""
    host = host_part(address, 'endpoint_url: address')
    if scheme not in ('http', 'https'):
        raise WiringError('endpoint_url: scheme must be http or https, got %r.' % (scheme,))
    if path is None:
        path = ''
    if not isinstance(path, str) or (path and not path.startswith('/')) or ' ' in path:
        raise WiringError("endpoint_url: path must be empty or start with '/', got %r." % (path,))
    netloc = host if port is None else '%s:%d' % (host, _port(port, 'endpoint_url: port'))
    return '%s://%s%s' % (scheme, netloc, path)


def _ini_value(section, key, value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return ','.join(_ini_value(section, key, item) for item in value)
    if isinstance(value, str):
        if '\n' in value:
            raise WiringError('oslo_config: [%s] %s holds a line break; give one line.' % (section, key))
        return value
    raise WiringError('oslo_config: [%s] %s must be a string, number, boolean or list, got %r.'
                      % (section, key, value))


def oslo_config(sections):
    """An oslo.config (INI) file from {section: {option: value}}: DEFAULT first, then sections and options sorted.

    Booleans become true/false, lists are joined with commas, an option whose value is None is left out
    (so an override can remove a default). An empty section is still written.
    """
    if not isinstance(sections, dict):
        raise WiringError('oslo_config: expects {section: {option: value}}, got %r.' % (sections,))
    lines = []
    names = sorted(sections, key=lambda name: (name != 'DEFAULT', str(name)))
    for section in names:
        options = sections[section]
        if not isinstance(section, str) or not SECTION_RE.match(section):
            raise WiringError('oslo_config: section name %r is not a plain name.' % (section,))
        if options is None:
            continue
        if not isinstance(options, dict):
            raise WiringError('oslo_config: section [%s] must be a dictionary of options, got %r.'
                              % (section, options))
        if lines:
            lines.append('')
        lines.append('[%s]' % section)
        for key in sorted(options, key=str):
            if not isinstance(key, str) or not OPTION_RE.match(key):
                raise WiringError('oslo_config: option name %r in [%s] is not a plain name.' % (key, section))
            if options[key] is None:
                continue
            lines.append('%s = %s' % (key, _ini_value(section, key, options[key])))
    return '\n'.join(lines) + '\n'


SETTING_RE = re.compile(r'^[A-Z][A-Z0-9_]*$')


def _python_value(value, where):
    """``value`` as plain Python data (Ansible's string and mapping types made plain), or WiringError."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return '%s' % value
    if isinstance(value, (list, tuple)):
        return [_python_value(item, '%s[%d]' % (where, index)) for index, item in enumerate(value)]
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise WiringError('django_settings: %s has the key %r; keys are strings or numbers.' % (where, key))
            key = '%s' % key if isinstance(key, str) else key
            result[key] = _python_value(item, '%s[%r]' % (where, key))
        return result
    raise WiringError('django_settings: %s must be a string, number, boolean, null, list or dictionary, got %s.'
                      % (where, type(value).__name__))


def django_settings(settings):
    """A Django settings module (Horizon's local_settings.py) from {NAME: value}: one ``NAME = <Python literal>``
    per setting, in sorted order, dictionaries with sorted keys, so the same input always gives the same file.

    A setting whose value is None is left out (an override removes a default that way); None inside a value stays.
    Names are upper-case Python identifiers; values are strings, numbers, booleans, lists and dictionaries.
    """
    if not isinstance(settings, dict):
        raise WiringError('django_settings: expects {NAME: value}, got %r.' % (type(settings).__name__,))
    lines = []
    for name in sorted(settings, key=str):
        if not isinstance(name, str) or not SETTING_RE.match(name):
            raise WiringError('django_settings: %r is not a setting name (upper-case letters, digits and _).'
                              % (name,))
        if settings[name] is None:
            continue
        value = _python_value(settings[name], name)
        lines.append('%s = %s' % (name, pprint.pformat(value, width=100, sort_dicts=True)))
    return '\n'.join(lines) + '\n'


def service_endpoints(service, endpoints, caller='service_endpoints'):
    """{public, internal, admin: URL} of a catalog service (its entry: the Keystone endpoint's port and path come
    from its keystone part and its ports), from ``endpoints``, {interface: {address, scheme}}."""
    try:
        number, path = catalog.endpoint(service)
    except catalog.CatalogError as exc:
        raise WiringError('%s: %s' % (caller, exc))
    return _urls(number, path, endpoints, caller)


def _urls(number, path, endpoints, caller):
    if not isinstance(endpoints, dict) or sorted(endpoints) != sorted(INTERFACES):
        raise WiringError('%s: endpoints must give public, internal and admin, each {address, scheme}; got %r.'
                          % (caller, endpoints))
    urls = {}
    for interface in INTERFACES:
        where = endpoints[interface]
        if not isinstance(where, dict) or 'address' not in where:
            raise WiringError('%s: endpoints.%s must be {address, scheme}, got %r.' % (caller, interface, where))
        urls[interface] = endpoint_url(where['address'], number, path, where.get('scheme') or 'http')
    return urls


def health_url(service, address, scheme='http'):
    """The URL of a catalog service's health path (its 'health') on ``address``: on its Keystone endpoint's port,
    or on the port its 'health_port' names (the dashboard, which has no Keystone endpoint)."""
    try:
        number, path = catalog.health_endpoint(service)
    except catalog.CatalogError as exc:
        raise WiringError('health_url: %s' % exc)
    return endpoint_url(address, number, path, scheme)


def _identity(identity, interface, caller):
    if not isinstance(identity, dict) or not isinstance(identity.get(interface), str) or \
            not re.match(r'^https?://', identity[interface]):
        raise WiringError('%s: expects the Identity URLs {public, internal, admin} (openstack_identity_endpoints), '
                          'got %r.' % (caller, identity))
    return identity[interface]


def keystone_auth(identity, user, password, region, project='service', interface='internal'):
    """The keystoneauth password options a service uses to call another one as ``user`` (the [placement],
    [neutron], [nova], [service_user] ... sections): Identity's URL on ``interface`` of ``identity``, the
    {public, internal, admin} URLs of Keystone's endpoints (openstack_identity_endpoints)."""
    auth_url = _identity(identity, interface, 'keystone_auth')
    if not isinstance(user, str) or not user:
        raise WiringError('keystone_auth: user must be a Keystone user name, got %r.' % (user,))
    if not isinstance(password, str) or not password:
        raise WiringError("keystone_auth: the password of '%s' is empty; run the secrets role." % user)
    if not isinstance(region, str) or not region:
        raise WiringError('keystone_auth: region must be a region name such as RegionOne, got %r.' % (region,))
    return {
        'auth_url': auth_url,
        'auth_type': 'password',
        'project_domain_name': 'Default',
        'user_domain_name': 'Default',
        'region_name': region,
        'project_name': project,
        'username': user,
        'password': password,
    }


def keystone_authtoken(identity, user, password, memcached_servers, region):
    """The [keystone_authtoken] section of an API service: keystone_auth plus the public Identity URL that
    clients are sent to, and memcached for the token cache."""
    options = keystone_auth(identity, user, password, region)
    options['www_authenticate_uri'] = _identity(identity, 'public', 'keystone_authtoken')
    if memcached_servers:
        if not isinstance(memcached_servers, (list, tuple)):
            raise WiringError('keystone_authtoken: memcached_servers must be a list such as ["10.0.0.11:11211"].')
        options['memcached_servers'] = list(memcached_servers)
    options['service_token_roles_required'] = True
    return options


def numbered_files(values, directory, owner, units=None):
    """Files ``directory``/0, /1 ... holding ``values`` in order (key repositories such as Keystone's fernet keys),
    as the lifecycle's file entries: owned by ``owner`` (user and group), mode 0600, feeding ``units``."""
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) and v for v in values):
        raise WiringError('numbered_files: expects a list of non-empty strings (keys), got %d item(s) of another kind.'
                          % (len(values) if isinstance(values, (list, tuple)) else 0))
    if not isinstance(directory, str) or not directory.startswith('/'):
        raise WiringError('numbered_files: directory must be an absolute path, got %r.' % (directory,))
    return [{'path': '%s/%d' % (directory.rstrip('/'), index), 'content': value, 'owner': owner, 'group': owner,
             'mode': '0600', 'units': list(units or []), 'header': False} for index, value in enumerate(values)]


# Where each service's copy of the cloud's HTTPS certificate and key lives on a node (tls_files writes them,
# uwsgi_socket points uwsgi at them): one copy per service, so its key can be readable by that service's group alone
# and the lifecycle restarts exactly that service's units when the certificate changes
TLS_DIR = '/etc/gureum-openstack/tls'
NAME_RE = re.compile(r'^[a-z][a-z0-9_-]*$')


def tls_paths(name):
    """{'cert': path, 'key': path} of service ``name``'s copy of the cloud's certificate and key on a node."""
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise WiringError('expects a service name (lower-case letters, digits, _ and -), got %r.' % (name,))
    return {'cert': '%s/%s.crt' % (TLS_DIR, name), 'key': '%s/%s.key' % (TLS_DIR, name)}


def tls_files(name, cert, key, group='root', units=None):
    """The lifecycle's file entries of service ``name``'s copy of the certificate (PEM, with its chain; mode 0644) and
    its key (mode 0640, group ``group``, which the service's processes run as), both feeding ``units``."""
    paths = tls_paths(name)
    for what, text in (('cert', cert), ('key', key)):
        if not isinstance(text, str) or '-----BEGIN ' not in text:
            raise WiringError('tls_files: %s of %s must be PEM text (-----BEGIN ...), got %s.'
                              % (what, name, 'an empty value' if not text else 'something else'))
    if not isinstance(group, str) or not group:
        raise WiringError('tls_files: group must be a group name, got %r.' % (group,))
    return [{'path': paths['cert'], 'content': cert.rstrip('\n') + '\n', 'owner': 'root', 'group': 'root',
             'mode': '0644', 'units': list(units or []), 'header': False},
            {'path': paths['key'], 'content': key.rstrip('\n') + '\n', 'owner': 'root', 'group': group,
             'mode': '0640', 'units': list(units or []), 'header': False}]


def uwsgi_socket(port, scheme='http', name=None):
    """uwsgi's listener argument for a port on every address: --http-socket :PORT, or with https
    --https-socket :PORT,CERT,KEY on service ``name``'s copy of the cloud's certificate (tls_paths)."""
    number = _port(port)
    if scheme == 'http':
        return '--http-socket :%d' % number
    if scheme != 'https':
        raise WiringError('uwsgi_socket: scheme must be http or https, got %r.' % (scheme,))
    if not name:
        raise WiringError('uwsgi_socket: https needs the service name whose certificate copy uwsgi reads.')
    paths = tls_paths(name)
    return '--https-socket :%d,%s,%s' % (number, paths['cert'], paths['key'])


CLOUD_KEYS = ('username', 'password', 'project', 'auth_url', 'region')


def _cloud(cloud, caller):
    if not isinstance(cloud, dict) or [k for k in CLOUD_KEYS if not cloud.get(k)]:
        got = sorted(cloud) if isinstance(cloud, dict) else cloud
        raise WiringError('%s: a cloud needs %s; got %s.' % (caller, ', '.join(CLOUD_KEYS), got))
    # plain strings (Ansible hands over its own string types, which a YAML dumper does not know)
    return dict((str(key), '%s' % value) for key, value in cloud.items() if value is not None)


def _quote(value):
    return "'%s'" % value.replace("'", "'\\''")


def keystonerc(cloud):
    """A keystonerc file (shell exports for the openstack CLI) for {username, password, project, auth_url, region,
    user_domain, project_domain}."""
    cloud = _cloud(cloud, 'keystonerc')
    lines = [
        '# Credentials of %s for the openstack CLI: . keystonerc_%s' % (cloud['username'], cloud['username']),
        'export OS_USERNAME=%s' % _quote(cloud['username']),
        'export OS_PASSWORD=%s' % _quote(cloud['password']),
        'export OS_PROJECT_NAME=%s' % _quote(cloud['project']),
        'export OS_USER_DOMAIN_NAME=%s' % _quote(cloud.get('user_domain') or 'Default'),
        'export OS_PROJECT_DOMAIN_NAME=%s' % _quote(cloud.get('project_domain') or 'Default'),
        'export OS_AUTH_URL=%s' % _quote(cloud['auth_url']),
        'export OS_IDENTITY_API_VERSION=3',
        'export OS_REGION_NAME=%s' % _quote(cloud['region']),
        'export OS_INTERFACE=public',
    ]
    if cloud.get('cacert'):
        lines.append('export OS_CACERT=%s' % _quote(cloud['cacert']))
    return '\n'.join(lines) + '\n'


def clouds_yaml(clouds):
    """A clouds.yaml for {name: {username, password, project, auth_url, region, ...}}, clouds in name order."""
    if not isinstance(clouds, dict) or not clouds:
        raise WiringError('clouds_yaml: expects {cloud name: cloud}, got %r.' % (type(clouds).__name__,))
    document = {'clouds': {}}
    for name in sorted(clouds):
        cloud = _cloud(clouds[name], 'clouds_yaml')
        entry = {
            'auth': {
                'auth_url': cloud['auth_url'], 'username': cloud['username'], 'password': cloud['password'],
                'project_name': cloud['project'], 'user_domain_name': cloud.get('user_domain') or 'Default',
                'project_domain_name': cloud.get('project_domain') or 'Default',
            },
            'region_name': cloud['region'], 'interface': 'public', 'identity_api_version': 3,
        }
        if cloud.get('cacert'):
            entry['cacert'] = cloud['cacert']
        document['clouds'][str(name)] = entry
    # ASCII only: YAML escapes the rest, so no character a reader would take for a line break is written raw
    return ('# openstack --os-cloud <name> ...; elsewhere: OS_CLIENT_CONFIG_FILE=<this file>\n'
            + yaml.safe_dump(document, default_flow_style=False, sort_keys=False, allow_unicode=False, width=1000))


def table_column(text, column):
    """The values of one column of a table the OpenStack tools print (nova-manage, the openstack CLI):

        +-----------+--------------------------------------+----------+
        | Cell Name | Cell UUID                            | Hostname |
        +-----------+--------------------------------------+----------+
        | cell1     | 8b5b9e9d-...                         | compute1 |

    table_column(text, 'Hostname') -> ['compute1']. Exact values, so compute1 is never found in compute10."""
    if not isinstance(text, str):
        raise WiringError('table_column: expects the text of a table, got %r.' % (type(text).__name__,))
    rows = [[cell.strip() for cell in line.strip()[1:-1].split('|')]
            for line in text.splitlines() if line.strip().startswith('|') and line.strip().endswith('|')]
    if not rows:
        return []
    if column not in rows[0]:
        raise WiringError('table_column: the table has no column %r (it has %s).' % (column, ', '.join(rows[0])))
    index = rows[0].index(column)
    return [row[index] for row in rows[1:] if len(row) > index]


def _secret(secrets, name):
    value = secrets.get(name)
    if not value or not isinstance(value, str):
        raise WiringError("service_setup_plan: secret '%s' is missing from the secrets; run the secrets role "
                          "(playbooks/common.yml, which every stage imports) or add it to the secrets file."
                          % name)
    return value


def service_setup_plan(services, secrets, endpoints=None):
    """The service_setup plan (catalog.setup_plan) with passwords filled in from ``secrets`` and each Keystone
    service's endpoint URLs built from ``endpoints``, {interface: {address, scheme}} for public, internal, admin.
    """
    if not isinstance(services, dict):
        raise WiringError('service_setup_plan: expects catalog entries by service name (from service_catalog).')
    if not isinstance(secrets, dict):
        raise WiringError('service_setup_plan: secrets must be a dictionary (openstack_secrets).')
    try:
        plan = catalog.setup_plan(services)
    except catalog.CatalogError as exc:
        raise WiringError('service_setup_plan: %s' % exc)
    for key in ('databases', 'messaging'):
        for item in plan[key]:
            item['password'] = _secret(secrets, item['secret'])
    for key in ('users', 'domain_users'):
        for item in plan[key]:
            item['password'] = _secret(secrets, item['secret'])
    for item in plan['services']:
        item['endpoints'] = _urls(item['port'], item['path'], endpoints, 'service_setup_plan')
    return plan
