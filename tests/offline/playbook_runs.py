"""What the offline playbook tests share: ansible-playbook on this checkout's playbooks, and the example inventory
with this machine as every node."""

import os
import shutil
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, 'inventories', 'example')


def ansible_playbook(inventory, playbook, *args, **env):
    """Run playbooks/<playbook> with the inventory file and args (env: more environment variables, such as
    ANSIBLE_TIMEOUT); the CompletedProcess, its output in stdout."""
    environ = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, 'ansible.cfg'), ANSIBLE_CACHE_PLUGIN='memory',
                   ANSIBLE_FORCE_COLOR='0', **env)
    return subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', inventory,
         os.path.join(ROOT, 'playbooks', playbook)] + list(args),
        cwd=ROOT, env=environ, check=False, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)


def example_inventory(top, become=None, **host_vars):
    """inventories/example copied to top, each host given host_vars (and ansible_become when become is not None);
    the path of its hosts.yml."""
    shutil.copytree(EXAMPLE, top)
    path = os.path.join(top, 'hosts.yml')
    with open(path) as handle:
        hosts = yaml.safe_load(handle)
    if become is not None:
        hosts['all']['vars']['ansible_become'] = become
    for host in hosts['all']['hosts'].values():
        host.update(host_vars)
    with open(path, 'w') as handle:
        yaml.safe_dump(hosts, handle, default_flow_style=False)
    return path


def local_example(top):
    """The example inventory with every node this machine (local connection, this Python, no become)."""
    return example_inventory(top, become=False, ansible_connection='local', ansible_python_interpreter=sys.executable)


def unreachable_example(top):
    """The example inventory with every node at a port of this machine where nothing listens."""
    return example_inventory(top, ansible_host='127.0.0.1', ansible_port=9)
