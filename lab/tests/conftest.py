"""Make the checkout importable as ansible_collections.gureum.lab (and .openstack) for the lab's unit tests.

Ansible's own collection finder serves the imports (as it does under ansible-test units), so tests that render
templates with collection filters (tests/unit/roles) and tests that import plugin code directly see the same
modules, whatever order pytest runs them in.
"""

import os

from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

COLLECTIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'collections')
_AnsibleCollectionFinder(paths=[COLLECTIONS])._install()
