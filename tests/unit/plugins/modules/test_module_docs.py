"""Every module's DOCUMENTATION, EXAMPLES and RETURN are YAML, and DOCUMENTATION lists the options main() takes.

A line of DOCUMENTATION such as "... stops there: a converged service ..." is a YAML mapping inside a description,
and ansible-doc (and ansible-test sanity) then finds no documentation at all; an option the code takes but the
documentation lacks is undocumented. main() runs up to AnsibleModule(), which records its argument_spec and stops.
"""

import glob
import importlib
import os

import pytest
import yaml
from ansible.module_utils import basic

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
MODULES = sorted(os.path.splitext(os.path.basename(path))[0]
                 for path in glob.glob(os.path.join(ROOT, 'plugins', 'modules', '*.py')))


def _module(name):
    return importlib.import_module('ansible_collections.gureum.openstack.plugins.modules.%s' % name)


class _Stop(Exception):
    pass


def argument_spec(name, monkeypatch):
    """The argument_spec main() hands to AnsibleModule, or None for the documentation of an action plugin."""
    module = _module(name)
    if not hasattr(module, 'main'):
        return None
    found = {}

    def init(self, argument_spec=None, **kwargs):
        found['spec'] = argument_spec
        raise _Stop()
    monkeypatch.setattr(basic.AnsibleModule, '__init__', init)
    with pytest.raises(_Stop):
        module.main()
    return found['spec']


def test_the_modules_are_found():
    assert 'mariadb_accounts' in MODULES and 'day1_state' in MODULES and 'network_config' in MODULES


@pytest.mark.parametrize('name', MODULES)
@pytest.mark.parametrize('part', ['DOCUMENTATION', 'EXAMPLES', 'RETURN'])
def test_the_documentation_is_yaml(name, part):
    text = getattr(_module(name), part)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        pytest.fail('plugins/modules/%s.py %s is not YAML: %s' % (name, part, exc))
    if part == 'DOCUMENTATION':
        assert data['module'] == name


def _compare(where, documented, spec):
    assert sorted(documented) == sorted(spec), '%s: documented %s, the code takes %s' % (
        where, sorted(documented), sorted(spec))
    for option, definition in spec.items():
        doc = documented[option]
        assert doc.get('type', 'str') == definition.get('type', 'str'), '%s.%s: type' % (where, option)
        assert bool(doc.get('required')) == bool(definition.get('required')), '%s.%s: required' % (where, option)
        if definition.get('default') is not None:
            assert doc.get('default') == definition['default'], '%s.%s: default' % (where, option)
        if definition.get('options'):
            _compare('%s.%s' % (where, option), doc.get('suboptions') or {}, definition['options'])


@pytest.mark.parametrize('name', MODULES)
def test_the_documented_options_are_the_argument_spec(name, monkeypatch):
    spec = argument_spec(name, monkeypatch)
    if spec is None:
        pytest.skip('%s is documentation of an action plugin' % name)
    documented = yaml.safe_load(_module(name).DOCUMENTATION).get('options') or {}
    _compare(name, documented, spec)
