# golden: owner=root group=root mode=0644 units=apache2
# CACHES (memcached, which also holds the sessions) is set in /etc/openstack-dashboard/local_settings.py
