"""Every role's meta/argument_specs.yml says what its defaults/main.yml holds.

Ansible validates a role's variables against its argument_specs.yml before the role runs, and ansible-doc shows the
file as the role's documentation; both go wrong quietly when the two files drift apart (a renamed variable that the
spec still lists, a new default it does not, a type or a default that says something else than the role does).
So, for every role:

- the options of the ``main`` entry point are exactly the keys of defaults/main.yml, except options the role needs
  from its caller, which are ``required: true`` and have no ``default:``;
- every option has a type (and lists the type of their elements) and a description;
- a default that is a literal value has the spec's type, and the spec's ``default:`` is that value; a default that
  is a template (or holds one) is described in words, never given as ``default:``, since validation would check the
  template's text, not its value;
- choices include the default, and Ansible's own validator accepts the literal defaults;
- options holding secrets are ``no_log``;
- every other entry point (tasks_from) has a tasks file, lists options of the ``main`` entry only (defined the same
  way) and every role variable its tasks read; every tasks_from used in the collection has an entry.
"""

import glob
import json
import os
import re

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES_DIR = os.path.join(ROOT, 'roles')
ROLES = sorted(name for name in os.listdir(ROLES_DIR) if os.path.isdir(os.path.join(ROLES_DIR, name)))

# The roles the collection ships; a new one gets its argument_specs.yml too
KNOWN_ROLES = ('bootstrap', 'chrony', 'openstack', 'firewalld', 'glance', 'heat', 'hosts', 'keystone', 'mariadb',
               'memcached', 'network', 'neutron', 'nova', 'nova_compute', 'openstack_service', 'packages',
               'placement', 'prechecks', 'rabbitmq', 'repos', 'secrets', 'selinux', 'service_setup', 'tempest', 'verify',
               'horizon', 'tls', 'cinder')

TYPES = {
    'str': (str,),
    'path': (str,),
    'int': (int,),
    'float': (float, int),
    'bool': (bool,),
    'list': (list,),
    'dict': (dict,),
    'raw': (object,),
}

# Options that hold secrets (names alone do not tell: prechecks_required_secrets is a list of names)
SECRET_NAME_RE = re.compile(r'(_password|_shared_secret|_keys|_auth)$')
SECRET_OPTIONS = ('openstack_service_secrets', 'service_setup_secrets', 'bootstrap_secrets')


def _load(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


def defaults(role):
    path = os.path.join(ROLES_DIR, role, 'defaults', 'main.yml')
    return (_load(path) or {}) if os.path.exists(path) else {}


def specs(role):
    path = os.path.join(ROLES_DIR, role, 'meta', 'argument_specs.yml')
    assert os.path.exists(path), 'roles/%s has no meta/argument_specs.yml' % role
    data = _load(path) or {}
    assert isinstance(data.get('argument_specs'), dict), 'roles/%s/meta/argument_specs.yml: no argument_specs' % role
    return data['argument_specs']


def main_options(role):
    main = specs(role).get('main')
    assert main, 'roles/%s/meta/argument_specs.yml has no main entry point' % role
    return main.get('options') or {}


def is_template(value):
    """Whether a default is (or holds) a Jinja template, whose value only Ansible knows."""
    if isinstance(value, str):
        return '{{' in value or '{%' in value
    if isinstance(value, list):
        return any(is_template(item) for item in value)
    if isinstance(value, dict):
        return any(is_template(key) or is_template(item) for key, item in value.items())
    return False


def has_type(value, type_name):
    if value is None:
        return True
    if isinstance(value, bool) and type_name in ('int', 'float'):
        return False
    return isinstance(value, TYPES[type_name])


def same(a, b):
    """Equal as YAML values (true is not 1, 1 is not '1')."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def entry_points(role):
    return sorted((name, entry) for name, entry in specs(role).items() if name != 'main')


# ---------------------------------------------------------------------------------------------------------------------


def test_every_known_role_is_checked():
    assert set(KNOWN_ROLES) <= set(ROLES)


@pytest.mark.parametrize('role', ROLES)
def test_main_options_are_the_defaults(role):
    options = main_options(role)
    keys = set(defaults(role))
    missing = sorted(keys - set(options))
    assert not missing, 'roles/%s: defaults/main.yml has %s, which argument_specs.yml does not document' % (
        role, ', '.join(missing))
    extra = sorted(name for name in set(options) - keys if not options[name].get('required'))
    assert not extra, ('roles/%s: argument_specs.yml documents %s, which is neither a default nor required from the '
                       'caller (renamed or removed?)' % (role, ', '.join(extra)))


@pytest.mark.parametrize('role', ROLES)
def test_every_option_has_a_type_and_a_description(role):
    for entry_name, entry in specs(role).items():
        assert entry.get('short_description'), 'roles/%s entry %s has no short_description' % (role, entry_name)
        for name, option in (entry.get('options') or {}).items():
            where = 'roles/%s entry %s option %s' % (role, entry_name, name)
            assert option.get('type') in TYPES, '%s: type %r' % (where, option.get('type'))
            if option['type'] == 'list':
                assert option.get('elements') in TYPES, '%s: a list needs elements' % where
            description = option.get('description')
            if isinstance(description, list):
                description = ' '.join(description)
            assert isinstance(description, str) and description.strip(), '%s: no description' % where


@pytest.mark.parametrize('role', ROLES)
def test_literal_defaults_have_the_spec_type(role):
    options = main_options(role)
    for name, value in sorted(defaults(role).items()):
        option = options.get(name, {})
        if 'type' not in option or (isinstance(value, str) and is_template(value)):
            continue
        assert has_type(value, option['type']), 'roles/%s: %s defaults to %r, not a %s' % (
            role, name, value, option['type'])
        if option['type'] == 'list' and isinstance(value, list) and option.get('elements'):
            for item in value:
                if not is_template(item):
                    assert has_type(item, option['elements']), 'roles/%s: %s holds %r, not a %s' % (
                        role, name, item, option['elements'])


@pytest.mark.parametrize('role', ROLES)
def test_spec_defaults_are_the_literal_defaults(role):
    options = main_options(role)
    for name, value in sorted(defaults(role).items()):
        option = options.get(name)
        if option is None:
            continue
        if option.get('required'):
            assert 'default' not in option, 'roles/%s: %s is required, so it has no default' % (role, name)
        elif is_template(value):
            assert 'default' not in option, (
                'roles/%s: %s defaults to a template; say what it gives in the description instead of default: %r'
                % (role, name, option['default']))
        else:
            assert same(option.get('default'), value), 'roles/%s: %s defaults to %r, argument_specs.yml says %r' % (
                role, name, value, option.get('default'))


@pytest.mark.parametrize('role', ROLES)
def test_ansible_accepts_the_spec_and_the_literal_defaults(role):
    for entry_name, entry in specs(role).items():
        options = entry.get('options') or {}
        validator = ArgumentSpecValidator(options)
        literal = dict((name, value) for name, value in defaults(role).items()
                       if name in options and not is_template(value))
        # the role's required options come from its caller
        literal.update((name, 'x' if options[name]['type'] in ('str', 'path') else [])
                       for name in options if options[name].get('required') and name not in literal)
        result = validator.validate(literal, validate_role_argument_spec=True)
        assert not result.error_messages, 'roles/%s entry %s: %s' % (role, entry_name, result.error_messages)


@pytest.mark.parametrize('role', ROLES)
def test_choices_hold_the_default(role):
    options = main_options(role)
    for name, value in sorted(defaults(role).items()):
        choices = options.get(name, {}).get('choices')
        if choices and not is_template(value) and value is not None:
            assert value in choices, 'roles/%s: %s defaults to %r, not one of %s' % (role, name, value, choices)


@pytest.mark.parametrize('role', ROLES)
def test_secrets_are_no_log(role):
    for entry_name, entry in specs(role).items():
        for name, option in (entry.get('options') or {}).items():
            if SECRET_NAME_RE.search(name) or name in SECRET_OPTIONS:
                assert option.get('no_log') is True, 'roles/%s entry %s: %s holds secrets, so no_log: true' % (
                    role, entry_name, name)


# ---------------------------------------------------------------------------------------------------------------------
# Entry points other than main (tasks_from)


def _task_files(role, entry):
    """The tasks file of an entry point and every tasks file of the role it includes or imports, by name."""
    tasks_dir = os.path.join(ROLES_DIR, role, 'tasks')
    todo, seen = ['%s.yml' % entry], []
    while todo:
        name = todo.pop()
        if name in seen or not os.path.exists(os.path.join(tasks_dir, name)):
            continue
        seen.append(name)
        with open(os.path.join(tasks_dir, name)) as handle:
            text = handle.read()
        todo += re.findall(r'(?:include_tasks|import_tasks):\s*(?:\n\s*file:\s*)?["\']?([\w/.-]+\.yml)', text)
    return [os.path.join(tasks_dir, name) for name in seen]


@pytest.mark.parametrize('role', ROLES)
def test_entry_points_have_tasks_and_the_main_options(role):
    options = main_options(role)
    for entry_name, entry in entry_points(role):
        assert os.path.exists(os.path.join(ROLES_DIR, role, 'tasks', '%s.yml' % entry_name)), (
            'roles/%s: argument_specs.yml has entry point %s, but there is no tasks/%s.yml' % (
                role, entry_name, entry_name))
        for name, option in (entry.get('options') or {}).items():
            assert name in options, 'roles/%s entry %s: %s is not an option of main' % (role, entry_name, name)
            assert same(option, options[name]), (
                'roles/%s entry %s: %s is defined otherwise than in main' % (role, entry_name, name))


@pytest.mark.parametrize('role', ROLES)
def test_entry_points_list_the_role_variables_their_tasks_read(role):
    names = set(defaults(role))
    for entry_name, entry in entry_points(role):
        read = set()
        for path in _task_files(role, entry_name):
            with open(path) as handle:
                read |= set(re.findall(r'\b[a-z][a-z0-9_]*\b', handle.read())) & names
        missing = sorted(read - set(entry.get('options') or {}))
        assert not missing, 'roles/%s entry %s: its tasks read %s, which the entry does not list' % (
            role, entry_name, ', '.join(missing))


def _tasks_from_uses():
    uses = set()
    paths = glob.glob(os.path.join(ROOT, 'playbooks', '*.yml')) + glob.glob(os.path.join(ROOT, '*.yml')) + \
        glob.glob(os.path.join(ROLES_DIR, '*', 'tasks', '**', '*.yml'), recursive=True)
    for path in paths:
        with open(path) as handle:
            text = handle.read()
        for role, entry in re.findall(r'name:\s*gureum\.openstack\.(\w+)\s*\n\s*tasks_from:\s*(\w+)', text):
            uses.add((role, entry))
    return sorted(uses)


def test_tasks_from_uses_are_found():
    assert ('prechecks', 'nodes') in _tasks_from_uses()
    assert ('openstack', 'localhost') in _tasks_from_uses()


@pytest.mark.parametrize('role, entry', _tasks_from_uses())
def test_every_tasks_from_has_an_entry_point(role, entry):
    assert entry in specs(role), 'gureum.openstack.%s is used with tasks_from: %s, which argument_specs.yml lacks' % (
        role, entry)
