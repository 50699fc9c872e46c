# openstack.cloud 2.5 reads openstack.version.__version__, but openstacksdk 4.x no longer imports
# openstack.version from openstack/__init__.py, so every openstack.cloud module fails with
# "module 'openstack' has no attribute 'version'". The benchmark puts this directory on PYTHONPATH for the
# openstack.cloud tasks only; importing the submodule makes the attribute exist.
import openstack.version  # noqa: F401  pylint: disable=unused-import
