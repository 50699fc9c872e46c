"""Make the checkout importable as ansible_collections.gureum.openstack for the unit tests."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'collections'))
