"""virt_type with /dev/kvm, the QEMU binary and the boot test faked (run_command writes the serial log)."""

import json
import os

import pytest
from ansible.module_utils import basic

from ansible_collections.gureum.openstack.plugins.modules import virt_type


class FakeHost(object):
    """/dev/kvm present or not, QEMU installed or not, and a QEMU run whose kernel prints its banner or not."""

    def __init__(self, tmp_path):
        self.kvm = True
        self.kernel = tmp_path / 'vmlinuz'
        self.kernel.write_bytes(b'\x4d\x5a bzImage one')
        self.qemu = tmp_path / 'bin' / 'qemu-system-x86_64'
        self.qemu.parent.mkdir()
        self.qemu.write_bytes(b'\x7fELF qemu 8.2')
        self.qemu_installed = True
        self.cache = tmp_path / 'state' / 'virt_type.json'
        self.boots = True
        self.stderr = ''
        self.commands = []
        self.serial_logs = []

    def exists(self, path, real=os.path.exists):
        return self.kvm if path == '/dev/kvm' else real(path)

    def get_bin_path(self, module, name, required=False, opt_dirs=None):
        if name == 'timeout':
            return '/usr/bin/timeout'
        return str(self.qemu) if name == 'qemu-system-x86_64' and self.qemu_installed else None

    def run_command(self, module, argv, **kwargs):
        self.commands.append(list(argv))
        serial = argv[argv.index('-serial') + 1]
        assert serial.startswith('file:')
        self.serial_logs.append(serial[len('file:'):])
        with open(serial[len('file:'):], 'ab') as handle:
            handle.write(b'\x1b[0m' + (b'[    0.000000] Linux version 6.1.0-31-amd64 (gcc-12)\n' if self.boots else b''))
        return (0, '', '') if self.boots else (-9, '', self.stderr)


@pytest.fixture
def host(tmp_path, monkeypatch):
    fake = FakeHost(tmp_path)
    monkeypatch.setattr(virt_type.os.path, 'exists', fake.exists)
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda module, *a, **kw: fake.get_bin_path(module, *a, **kw))  # pylint: disable=unnecessary-lambda
    monkeypatch.setattr(basic.AnsibleModule, 'run_command',
                        lambda module, *a, **kw: fake.run_command(module, *a, **kw))  # pylint: disable=unnecessary-lambda
    return fake


def args(host, **extra):
    base = {'kernel': str(host.kernel), 'cache': str(host.cache)}
    base.update(extra)
    return base


@pytest.mark.parametrize('forced, kvm', [
    ('kvm', False),
    ('qemu', True),
], ids=['kvm-without-device', 'qemu-with-device'])
def test_a_forced_value_is_answered_without_a_test(host, run_module, forced, kvm):
    host.kvm = kvm
    result = run_module(virt_type.main, args(host, force=forced))
    assert (result['virt_type'], result['probed'], result['changed']) == (forced, False, False)
    assert result['reason'] == 'forced by configuration'
    assert host.commands == [] and not host.cache.exists()


def test_no_dev_kvm_answers_qemu(host, run_module):
    host.kvm = False
    result = run_module(virt_type.main, args(host))
    assert (result['virt_type'], result['probed'], result['changed']) == ('qemu', False, False)
    assert result['reason'] == '/dev/kvm does not exist'
    assert host.commands == []


def test_a_kernel_that_boots_answers_kvm(host, run_module):
    result = run_module(virt_type.main, args(host))
    assert not result.get('failed'), result
    assert (result['virt_type'], result['probed'], result['changed']) == ('kvm', True, True)
    assert result['reason'].startswith('a kernel booted under KVM in ')
    cached = json.loads(host.cache.read_text())
    assert (cached['virt_type'], cached['reason']) == ('kvm', result['reason'])


def test_a_kernel_that_does_not_print_in_time_answers_qemu(host, run_module):
    host.boots = False
    host.stderr = 'qemu-system-x86_64: failed to initialize kvm: Permission denied\n'
    result = run_module(virt_type.main, args(host, timeout=7))
    assert (result['virt_type'], result['probed'], result['changed']) == ('qemu', True, True)
    assert result['reason'] == ('a kernel did not boot under KVM within 7s: '
                                'qemu-system-x86_64: failed to initialize kvm: Permission denied')
    assert json.loads(host.cache.read_text())['virt_type'] == 'qemu'


def test_a_silent_timeout_gives_a_reason_without_error(host, run_module):
    host.boots = False
    result = run_module(virt_type.main, args(host))
    assert result['reason'] == 'a kernel did not boot under KVM within 30s'


def test_the_boot_test_runs_the_kernel_under_kvm_with_a_kill_timeout(host, run_module):
    run_module(virt_type.main, args(host, timeout=12))
    assert len(host.commands) == 1
    argv = host.commands[0]
    assert argv[:4] == ['/usr/bin/timeout', '--signal=KILL', '12', str(host.qemu)]
    assert argv[argv.index('-machine') + 1] == 'accel=kvm'
    assert argv[argv.index('-kernel') + 1] == str(host.kernel)
    assert '-no-reboot' in argv and 'panic=-1' in argv[argv.index('-append') + 1]
    assert not os.path.exists(host.serial_logs[0])


def test_the_cached_answer_is_reused_while_nothing_changed(host, run_module):
    first = run_module(virt_type.main, args(host))
    host.boots = False
    second = run_module(virt_type.main, args(host))
    assert len(host.commands) == 1
    assert (second['virt_type'], second['probed'], second['changed']) == ('kvm', False, False)
    assert second['reason'] == first['reason']


def test_a_changed_qemu_probes_again(host, run_module):
    run_module(virt_type.main, args(host))
    host.qemu.write_bytes(b'\x7fELF qemu 9.0')
    host.boots = False
    result = run_module(virt_type.main, args(host))
    assert len(host.commands) == 2
    assert (result['virt_type'], result['probed']) == ('qemu', True)
    assert json.loads(host.cache.read_text())['virt_type'] == 'qemu'


def test_check_mode_probes_but_writes_no_cache(host, run_module):
    result = run_module(virt_type.main, args(host), check_mode=True)
    assert (result['virt_type'], result['probed']) == ('kvm', True)
    assert not host.cache.exists()


def test_missing_qemu_fails(host, run_module):
    host.qemu_installed = False
    result = run_module(virt_type.main, args(host))
    assert result['failed'] is True and result['msg'].startswith('qemu-system-x86_64 is not installed')
    assert host.commands == []


def test_missing_kernel_asks_for_it(host, run_module):
    host.kernel.unlink()
    result = run_module(virt_type.main, args(host))
    assert (result['probe_needed'], result['virt_type'], result['changed']) == (True, '', False)
    assert host.commands == []


def test_a_cached_answer_needs_no_kernel(host, run_module):
    run_module(virt_type.main, args(host))
    host.kernel.unlink()
    result = run_module(virt_type.main, args(host))
    assert (result['probe_needed'], result['virt_type'], result['probed']) == (False, 'kvm', False)
    assert len(host.commands) == 1


def test_a_changed_kernel_keeps_the_answer(host, run_module):
    run_module(virt_type.main, args(host))
    host.kernel.write_bytes(b'other')
    host.boots = False
    assert run_module(virt_type.main, args(host))['virt_type'] == 'kvm'
    assert len(host.commands) == 1


def test_the_fingerprint_follows_qemu(host):
    key = virt_type.fingerprint(str(host.qemu))
    assert key == virt_type.fingerprint(str(host.qemu))
    host.qemu.write_bytes(b'other')
    assert key != virt_type.fingerprint(str(host.qemu))


@pytest.mark.parametrize('line, read_only', [
    ('35 30 0:30 / /sys/fs/cgroup/cpu ro,nosuid,nodev,noexec,relatime - cgroup cgroup ro,cpu', True),
    ('35 30 0:30 / /sys/fs/cgroup/cpu rw,nosuid,nodev,noexec,relatime - cgroup cgroup rw,cpu', False),
    ('35 30 0:30 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw', False),
    ('36 30 0:31 / /boot ro,relatime - ext4 /dev/vda1 ro', False),
])
def test_read_only_cgroups(tmp_path, line, read_only):
    mountinfo = tmp_path / 'mountinfo'
    mountinfo.write_text('22 1 0:21 / / rw,relatime - overlay overlay rw\n' + line + '\n')
    assert virt_type.cgroups_read_only(str(mountinfo)) is read_only
