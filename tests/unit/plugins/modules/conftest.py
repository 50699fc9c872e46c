"""Run a module's main() as Ansible would, and read back the JSON it prints.

exit_json and fail_json are the real ones, so what a test reads is what the controller would get, no_log masking
included. AnsibleModule.log (syslog/journal) only collects its messages in run.logged.
"""

import json

import pytest
from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args


@pytest.fixture
def run_module(capsys, monkeypatch):
    logged = []
    monkeypatch.setattr(basic.AnsibleModule, 'log', lambda self, msg, log_args=None: logged.append(msg))

    def run(main, args, check_mode=False):
        args = dict(args)
        if check_mode:
            args['_ansible_check_mode'] = True
        capsys.readouterr()
        with patch_module_args(args):
            with pytest.raises(SystemExit) as exit_info:
                main()
        out = capsys.readouterr().out
        result = json.loads(out)
        result['_exit_code'] = exit_info.value.code
        result['_raw'] = out
        return result
    run.logged = logged
    return run
