# golden: owner=root group=root mode=0644 units=apache2
# WEBROOT is set in /etc/openstack-dashboard/local_settings.py
