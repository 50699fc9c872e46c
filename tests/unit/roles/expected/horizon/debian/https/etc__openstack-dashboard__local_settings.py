# golden: owner=root group=horizon mode=0640 units=apache2
ALLOWED_HOSTS = ['10.0.0.11']
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.MemcachedCache',
             'LOCATION': ['10.0.0.11:11211']}}
COMPRESS_OFFLINE = True
CSRF_COOKIE_SECURE = True
DEBUG = False
OPENSTACK_API_VERSIONS = {'identity': 3}
OPENSTACK_KEYSTONE_DEFAULT_DOMAIN = 'Default'
OPENSTACK_KEYSTONE_DEFAULT_ROLE = 'member'
OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = False
OPENSTACK_KEYSTONE_URL = 'https://10.0.0.11:5000/v3'
OPENSTACK_NEUTRON_NETWORK = {'enable_distributed_router': False,
 'enable_fip_topology_check': True,
 'enable_ha_router': False,
 'enable_ipv6': True,
 'enable_quotas': True,
 'enable_router': True}
OPENSTACK_SSL_CACERT = '/etc/ssl/certs/ca-certificates.crt'
SECRET_KEY = 'FakeSecret-horizon_secret_key-0123456789'
SESSION_COOKIE_SECURE = True
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
STATIC_ROOT = '/var/lib/openstack-dashboard/static'
TIME_ZONE = 'UTC'
WEBROOT = '/horizon/'
