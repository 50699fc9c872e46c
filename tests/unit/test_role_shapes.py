"""Static checks of the roles' shape that no single plugin test sees.

- Every include inside a role that is tagged with the role's name applies that tag to what it includes: without
  `apply: {tags: [...]}`, `--tags <role>` ran the include and skipped everything in it.
- The openstack role (the deployment settings) settles the same settings it hands to the plays on localhost.
"""

import glob
import os

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INCLUDES = ('ansible.builtin.include_role', 'ansible.builtin.include_tasks')


def _tasks(items):
    for task in items or []:
        yield task
        for key in ('block', 'rescue', 'always'):
            yield from _tasks(task.get(key))


def _includes():
    found = []
    for path in sorted(glob.glob(os.path.join(ROOT, 'roles', '*', 'tasks', '*.yml'))):
        role = path.split(os.sep)[-3]
        with open(path) as handle:
            for task in _tasks(yaml.safe_load(handle)):
                for action in INCLUDES:
                    if action in task:
                        found.append((role, os.path.relpath(path, ROOT), task.get('name', '?'), task))
    return found


@pytest.mark.parametrize('role, path, name, task', _includes(), ids=lambda v: v if isinstance(v, str) else '')
def test_includes_pass_the_role_tag_on(role, path, name, task):
    tags = task.get('tags') or []
    if not tags:
        pytest.skip('an untagged include (its tasks run with any tag the play runs)')
    args = task.get('ansible.builtin.include_role') or task.get('ansible.builtin.include_tasks')
    applied = ((args or {}).get('apply') or {}).get('tags') or [] if isinstance(args, dict) else []
    # the role's own tag must reach what is included (its finer tags, such as <role>_config, are the inner tasks'
    # to carry: an include run by --tags <role>_config then runs only those)
    assert role not in tags or role in applied, \
        '%s: "%s" is tagged %s but applies %s to what it includes' % (path, name, tags, applied)


def test_the_lifecycle_is_included_with_tags_by_every_service_role():
    users = sorted(set(role for role, dummy, dummy2, task in _includes()
                       if (task.get('ansible.builtin.include_role') or {}).get('name') == 'gureum.openstack.openstack_service'))
    assert 'keystone' in users and 'glance' in users and 'neutron' in users
    for role, path, name, task in _includes():
        args = task.get('ansible.builtin.include_role') or {}
        if args.get('name') == 'gureum.openstack.openstack_service':
            assert role in ((args.get('apply') or {}).get('tags') or []), '%s: %s' % (path, name)


def test_the_deployment_settings_are_one_list():
    with open(os.path.join(ROOT, 'roles', 'openstack', 'vars', 'main.yml')) as handle:
        listed = yaml.safe_load(handle)['__openstack_settings']
    with open(os.path.join(ROOT, 'roles', 'openstack', 'tasks', 'main.yml')) as handle:
        tasks = yaml.safe_load(handle)
    settled = [t for t in tasks if t.get('name') == "Settle the deployment's settings"][0]['ansible.builtin.set_fact']
    with open(os.path.join(ROOT, 'roles', 'openstack', 'defaults', 'main.yml')) as handle:
        defaults = [key for key in yaml.safe_load(handle) if key.startswith('openstack_') and key != 'openstack_group_prefix']
    assert list(settled) == listed == defaults
    assert all(settled[key] == '{{ %s }}' % key for key in settled)
