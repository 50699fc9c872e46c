"""The variables the prechecks read are variables of the collection.

The prechecks read host variables by name (plugins/action/prechecks.py HOST_VARS, handed to
plugins/plugin_utils/prechecks.py). A name no role defines is a check that never sees the value the roles use:
nova_virt_type was read long after the nova_compute role had renamed it nova_compute_virt_type, so a bad value
passed the prechecks and failed the deployment. Every such name must be a key of some roles/*/defaults/main.yml or
an option of some roles/*/meta/argument_specs.yml, except the inventory's own variables.
"""

import ast
import glob
import os

import pytest
import yaml

from ansible_collections.gureum.openstack.plugins.action import prechecks as action

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PRECHECKS = os.path.join(ROOT, 'plugins', 'plugin_utils', 'prechecks.py')

# Set in the inventory per host or group, not by a role (see inventories/lab and docs)
INVENTORY = ('management_address', 'management_interface', 'management_network', 'provider_network',
             'provider_interface', 'provider_address', 'provider_bridge', 'prechecks_memory_mb', 'amphora_network',
             'amphora_interface', 'amphora_address')


def _load(path):
    with open(path) as handle:
        return yaml.safe_load(handle) or {}


def role_variables():
    """{name: [where]} of every role default and every argument_specs option."""
    found = {}
    for path in sorted(glob.glob(os.path.join(ROOT, 'roles', '*', 'defaults', 'main.yml')) +
                       glob.glob(os.path.join(ROOT, 'roles', '*', 'defaults', 'main', '*.yml'))):
        for name in _load(path):
            found.setdefault(name, []).append(os.path.relpath(path, ROOT))
    for path in sorted(glob.glob(os.path.join(ROOT, 'roles', '*', 'meta', 'argument_specs.yml'))):
        for entry_point in (_load(path).get('argument_specs') or {}).values():
            for name in (entry_point or {}).get('options') or {}:
                found.setdefault(name, []).append(os.path.relpath(path, ROOT))
    return found


ROLE_VARIABLES = role_variables()


def _tree():
    with open(PRECHECKS) as handle:
        return ast.parse(handle.read(), PRECHECKS)


def option_check_names():
    """The keys of the ``allowed`` dictionary of prechecks._option_checks."""
    for node in ast.walk(_tree()):
        if isinstance(node, ast.FunctionDef) and node.name == '_option_checks':
            for stmt in ast.walk(node):
                if isinstance(stmt, ast.Assign) and [getattr(t, 'id', None) for t in stmt.targets] == ['allowed']:
                    return sorted(key.value for key in stmt.value.keys)
    raise AssertionError('no allowed dictionary in prechecks._option_checks')


def _is_host_vars(node):
    """hvars, or <something>['vars'] (host['vars'], h['vars'])."""
    if isinstance(node, ast.Name):
        return node.id == 'hvars'
    return isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value == 'vars'


def host_vars_read():
    """Every literal name the checks read from a host's vars: hvars.get('x'), host['vars'].get('x'), hvars['x']."""
    names = set()
    for node in ast.walk(_tree()):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == 'get' and \
                _is_host_vars(node.func.value) and node.args and isinstance(node.args[0], ast.Constant):
            names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and _is_host_vars(node.value) and isinstance(node.slice, ast.Constant):
            names.add(node.slice.value)
    # filled in by the action plugin itself, not read from the inventory
    names.discard('secrets')
    return sorted(names)


def _collection_names(names):
    return [n for n in names if not n.startswith('ansible_') and n not in INVENTORY]


def test_the_role_variables_are_found():
    # the scan itself works: a few variables every deployment has
    for name in ('selinux_state', 'network_bridge_type', 'nova_compute_virt_type'):
        assert name in ROLE_VARIABLES, name


@pytest.mark.parametrize('name', _collection_names(action.HOST_VARS))
def test_every_host_variable_the_prechecks_read_is_a_role_variable(name):
    assert name in ROLE_VARIABLES, (
        "plugins/action/prechecks.py HOST_VARS reads '%s', which no roles/*/defaults/main.yml nor "
        "roles/*/meta/argument_specs.yml defines: renamed?" % name)


@pytest.mark.parametrize('name', _collection_names(option_check_names()))
def test_every_option_checked_is_a_role_variable(name):
    assert name in ROLE_VARIABLES, (
        "prechecks._option_checks checks '%s', which no roles/*/defaults/main.yml nor "
        "roles/*/meta/argument_specs.yml defines: renamed?" % name)


@pytest.mark.parametrize('name', option_check_names())
def test_every_option_checked_is_handed_over_by_the_action_plugin(name):
    assert name in action.HOST_VARS


@pytest.mark.parametrize('name', host_vars_read())
def test_every_host_variable_a_check_reads_is_handed_over_by_the_action_plugin(name):
    assert name in action.HOST_VARS, (
        "plugins/plugin_utils/prechecks.py reads host variable '%s', which plugins/action/prechecks.py HOST_VARS does "
        "not pass: the check never sees it." % name)


def test_the_old_virt_type_name_is_gone():
    assert 'nova_virt_type' not in action.HOST_VARS
    assert 'nova_virt_type' not in option_check_names()
    assert 'nova_virt_type' not in host_vars_read()
