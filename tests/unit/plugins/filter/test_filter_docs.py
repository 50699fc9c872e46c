"""Every filter the collection exposes has its documentation, plugins/filter/<name>.yml, and it fits the code.

ansible-doc -t filter reads these files; a filter without one is undocumented, and one whose options name other
parameters than the function takes documents a call that fails. For every filter of every FilterModule in
plugins/filter/*.py: the file exists with DOCUMENTATION, EXAMPLES and RETURN; DOCUMENTATION.name is the filter's name;
``_input`` and the options are exactly the function's parameters (the first one is the input), ``positional`` lists
them in the function's order; parameters without a default are required, and a documented default is the code's.
"""

import glob
import importlib
import inspect
import json
import os

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
FILTER_DIR = os.path.join(ROOT, 'plugins', 'filter')


def _unwrap(func):
    """The function a filter wraps (the catalog and wiring filters wrap theirs to turn errors into filter errors)."""
    while True:
        inner = getattr(func, '__wrapped__', None)
        if inner is None:
            closure = inspect.getclosurevars(func).nonlocals if func.__closure__ else {}
            inner = next((value for value in closure.values()
                          if inspect.isfunction(value) and value.__name__ == func.__name__), None)
        if inner is None:
            return func
        func = inner


def exposed_filters():
    """(filter name, module file, function) of every filter of every FilterModule."""
    found = []
    for path in sorted(glob.glob(os.path.join(FILTER_DIR, '*.py'))):
        module = importlib.import_module('ansible_collections.gureum.openstack.plugins.filter.%s'
                                         % os.path.splitext(os.path.basename(path))[0])
        if hasattr(module, 'FilterModule'):
            for name, func in sorted(module.FilterModule().filters().items()):
                found.append((name, os.path.basename(path), _unwrap(func)))
    return found


FILTERS = exposed_filters()


def _doc(name):
    path = os.path.join(FILTER_DIR, '%s.yml' % name)
    assert os.path.exists(path), 'filter %s has no plugins/filter/%s.yml' % (name, name)
    with open(path) as handle:
        return yaml.safe_load(handle)


def _parameters(func):
    return list(inspect.signature(func).parameters.values())


def test_the_filters_are_found():
    names = [name for name, dummy, dummy in FILTERS]
    assert len(names) == len(set(names)), 'two filter modules expose the same name'
    for name in ('service_catalog', 'catalog_port', 'day1_clouds', 'network_interfaces', 'keystone_authtoken'):
        assert name in names


@pytest.mark.parametrize('name, source, func', FILTERS, ids=[name for name, dummy, dummy in FILTERS])
def test_the_filter_has_its_documentation(name, source, func):
    doc = _doc(name)
    assert set(('DOCUMENTATION', 'EXAMPLES', 'RETURN')) <= set(doc), 'plugins/filter/%s.yml lacks a section' % name
    documentation = doc['DOCUMENTATION']
    assert documentation['name'] == name
    for key in ('short_description', 'description', 'author', 'version_added'):
        assert documentation.get(key), 'plugins/filter/%s.yml: no %s' % (name, key)
    assert name in doc['EXAMPLES'], 'plugins/filter/%s.yml: the examples do not use the filter' % name
    assert '_value' in doc['RETURN']


@pytest.mark.parametrize('name, source, func', FILTERS, ids=[name for name, dummy, dummy in FILTERS])
def test_the_options_are_the_parameters(name, source, func):
    documentation = _doc(name)['DOCUMENTATION']
    parameters = _parameters(func)
    names = ['_input'] + [p.name for p in parameters[1:]]
    options = documentation.get('options') or {}
    assert sorted(options) == sorted(names), '%s (%s): options %s, the function takes %s' % (
        name, source, sorted(options), names)
    positional = [word.strip() for word in str(documentation.get('positional', '')).split(',') if word.strip()]
    assert positional == names[:len(positional)] and positional[:1] == ['_input'], (
        '%s: positional is %s; the function takes %s in that order' % (name, positional, names))
    for parameter, option in zip(parameters, names):
        spec = options[option]
        assert spec.get('type') and spec.get('description'), '%s: option %s needs a type and a description' % (
            name, option)
        if parameter.default is inspect.Parameter.empty:
            assert spec.get('required') is True, '%s: %s has no default, so it is required' % (name, option)
        else:
            assert not spec.get('required'), '%s: %s has a default (%r), so it is not required' % (
                name, option, parameter.default)
            if parameter.default is not None:
                assert json.dumps(spec.get('default')) == json.dumps(parameter.default), (
                    '%s: %s defaults to %r in the code, %r in the documentation' % (
                        name, option, parameter.default, spec.get('default')))


def test_no_documentation_without_a_filter():
    names = set(name for name, dummy, dummy in FILTERS)
    orphans = sorted(os.path.splitext(os.path.basename(path))[0]
                     for path in glob.glob(os.path.join(FILTER_DIR, '*.yml'))
                     if os.path.splitext(os.path.basename(path))[0] not in names)
    assert not orphans, 'plugins/filter has documentation of no filter: %s' % ', '.join(orphans)
