"""diagnostics: the masking of secrets, the paths derived from unit names, and main() on a fake node under tmp_path.

The fake node: configuration and logs under tmp_path (given as config_paths and log_paths), no systemctl and no
journalctl (get_bin_path answers None for them), and real commands (echo, cat) whose output holds secrets.
"""

import os
import stat
import tarfile

import pytest
from ansible.module_utils import basic

from ansible_collections.gureum.openstack.plugins.modules import diagnostics

SECRET = 'Zq8rT2mW9xK4vB7nL3pY6cD1fH5jG0sA'   # a generated password: 32 letters and digits
OTHER = 'Hk3Lm9Qr2St7Uv1Wx5Yz8Ab4Cd6Ef0Gi'
FERNET = 'mB3vX9kQ2rT7wY1zL5nP8sD4fG6hJ0cA2eR4tY6uI8o='
M = diagnostics.MASK

# ---------------------------------------------------------------------------------------------------------------------
# mask


@pytest.mark.parametrize('text, expected', [
    # a transport_url with two hosts: both passwords, not the users, hosts or vhost
    ('transport_url = rabbit://nova:%s@10.0.0.11:5672,nova:%s@10.0.0.12:5672/nova' % (OTHER, OTHER),
     'transport_url = rabbit://nova:%s@10.0.0.11:5672,nova:%s@10.0.0.12:5672/nova' % (M, M)),
    ('connection = mysql+pymysql://nova:%s@10.0.0.11:3306/nova_api' % OTHER,
     'connection = mysql+pymysql://nova:%s@10.0.0.11:3306/nova_api' % M),
    # a URL in a log line
    ('2026-12-02 ERROR oslo.messaging Connection to rabbit://neutron:%s@10.0.0.11:5672/ refused' % OTHER,
     '2026-12-02 ERROR oslo.messaging Connection to rabbit://neutron:%s@10.0.0.11:5672/ refused' % M),
    # option lines of INI, shell, YAML, Python, JSON and rabbitmq.conf files; the value is the rest of the line
    ('password = %s' % OTHER, 'password = %s' % M),
    ('[keystone_authtoken]\npassword=%s\nusername = nova' % OTHER, '[keystone_authtoken]\npassword=%s\nusername = nova' % M),
    ('  admin_password: "%s"' % OTHER, '  admin_password: %s' % M),
    ('memcache_secret_key = two words', 'memcache_secret_key = %s' % M),
    ("SECRET_KEY = '%s'" % OTHER, 'SECRET_KEY = %s' % M),
    ('    "password": "%s",' % OTHER, '    "password": %s' % M),
    ('default_pass = guest', 'default_pass = %s' % M),
    ('auth_encryption_key = %s' % OTHER, 'auth_encryption_key = %s' % M),
    ('metadata_proxy_shared_secret = %s' % OTHER, 'metadata_proxy_shared_secret = %s' % M),
    ('OS_PASSWORD=%s' % OTHER, 'OS_PASSWORD=%s' % M),
    # an option inside a log line: only its value
    ('DEBUG req password=%s user=admin' % OTHER, 'DEBUG req password=%s user=admin' % M),
    ("DEBUG {'X-Auth-Token': 'gAAAAABtoken', 'Accept': '*/*'}", "DEBUG {'X-Auth-Token': '%s', 'Accept': '*/*'}" % M),
    # the deployment's secrets wherever they are, also where no rule would see them
    ('argv: --os-password %s --debug' % SECRET, 'argv: --os-password %s --debug' % M),
    ('fernet %s and %s' % (FERNET, SECRET), 'fernet %s and %s' % (M, M)),
    # a PEM private key's body
    ('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\nkqhkiG9w0BAQEF\n-----END PRIVATE KEY-----\n',
     '-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n' % M),
    ('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----',
     '-----BEGIN RSA PRIVATE KEY-----\n%s\n-----END RSA PRIVATE KEY-----' % M),
])
def test_mask_hides_secrets(text, expected):
    masked, count = diagnostics.mask(text, [SECRET, FERNET])
    assert masked == expected
    assert count >= 1
    for value in (SECRET, OTHER, FERNET):
        assert value not in masked


@pytest.mark.parametrize('text', [
    'auth_type = password',
    'key_repository = /etc/keystone/fernet-keys/',
    'max_active_keys = 3',
    'username = nova',
    'www_authenticate_uri = http://10.0.0.11:5000/v3',
    'url = http://10.0.0.11:9696',
    '[keystone_authtoken]',
    'password =',
    'send_service_user_token = true',
    'verify_token = False',
    "DEBUG {'auth_token': None}",
    'transport_url = rabbit://10.0.0.11:5672/',
    '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----',
    # a secret too short to look for is not searched (it would mask words)
    'the word short stays',
    # what is masked already is not masked again (and not counted)
    'password = %s' % M,
    'transport_url = rabbit://nova:%s@10.0.0.11:5672/nova' % M,
])
def test_mask_leaves_the_rest(text):
    assert diagnostics.mask(text, [SECRET, 'short']) == (text, 0)


def test_mask_takes_the_longest_secret_first():
    # a secret that holds another is masked whole, leaving no tail of it
    masked, dummy = diagnostics.mask('x %s%s y' % (SECRET, 'TAIL'), [SECRET, SECRET + 'TAIL'])
    assert masked == 'x %s y' % M


# ---------------------------------------------------------------------------------------------------------------------
# the paths of a unit


@pytest.mark.parametrize('unit, names', [
    ('keystone', ['keystone']),
    ('nova-api', ['nova-api', 'nova']),
    ('neutron-l3-agent', ['neutron-l3-agent', 'neutron']),
    ('rabbitmq-server', ['rabbitmq-server', 'rabbitmq']),
    ('openvswitch-switch', ['openvswitch-switch', 'openvswitch']),
    ('libvirtd', ['libvirtd', 'libvirt']),
    ('chronyd', ['chronyd', 'chrony']),
    ('httpd', ['httpd', 'http']),
    ('apache2', ['apache2']),
])
def test_unit_names(unit, names):
    assert diagnostics.unit_names(unit) == names


def test_unit_paths():
    config, logs = diagnostics.unit_paths('nova-compute')
    assert config == ['/etc/nova-compute', '/etc/nova', '/etc/nova-compute.conf', '/etc/default/nova-compute',
                      '/etc/systemd/system/nova-compute.service.d']
    assert logs == ['/var/log/nova-compute', '/var/log/nova']


@pytest.mark.parametrize('text, expected', [
    ('Id=a.service\nLoadState=loaded\n\nId=b.service\nLoadState=not-found\n',
     {'a.service': {'Id': 'a.service', 'LoadState': 'loaded'},
      'b.service': {'Id': 'b.service', 'LoadState': 'not-found'}}),
    ('\n', {}),
])
def test_parse_show(text, expected):
    assert diagnostics.parse_show(text) == expected


def test_tail_reads_the_last_lines(tmp_path):
    path = tmp_path / 'x.log'
    path.write_bytes(b''.join(b'line %d\n' % n for n in range(100)))
    assert diagnostics.tail(str(path), 3, 10000) == b'line 97\nline 98\nline 99\n'
    # at most max_bytes from the end, starting at a whole line
    assert diagnostics.tail(str(path), 50, 20) == b'line 98\nline 99\n'


# ---------------------------------------------------------------------------------------------------------------------
# main() on a fake node


@pytest.fixture
def node(tmp_path, monkeypatch):
    real = basic.AnsibleModule.get_bin_path

    def get_bin_path(self, arg, required=False, opt_dirs=None):
        return None if arg in ('systemctl', 'journalctl') else real(self, arg, required, opt_dirs)
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path', get_bin_path)
    etc = tmp_path / 'etc' / 'nova'
    (etc / 'fernet-keys').mkdir(parents=True)
    (etc / 'nova.conf').write_text(
        '[DEFAULT]\ntransport_url = rabbit://nova:%s@10.0.0.11:5672/nova\n'
        '[database]\nconnection = mysql+pymysql://nova:%s@10.0.0.11/nova\n'
        '[keystone_authtoken]\nusername = nova\npassword = %s\n' % (SECRET, OTHER, SECRET))
    os.chmod(str(etc / 'nova.conf'), 0o640)
    (etc / 'fernet-keys' / '0').write_text(FERNET)
    (etc / 'big.json').write_text('x' * 2000)
    (etc / 'blob.db').write_bytes(b'\0\1\2' + SECRET.encode())
    os.symlink('nova.conf', str(etc / 'link.conf'))
    (tmp_path / 'usr').mkdir()
    (tmp_path / 'usr' / 'os-release').write_text('ID=debian\n')
    os.symlink(str(tmp_path / 'usr' / 'os-release'), str(tmp_path / 'etc' / 'os-release'))
    log = tmp_path / 'log' / 'nova'
    log.mkdir(parents=True)
    (log / 'nova-api.log').write_text(''.join('line %d rabbit://nova:%s@h/\n' % (n, OTHER) for n in range(50)))
    (log / 'nova-api.log.1').write_text('old %s\n' % SECRET)
    (log / 'nova-api.log.2.gz').write_bytes(b'old')
    out = tmp_path / 'out'
    out.mkdir()
    return tmp_path


def _run(run_module, node, **extra):
    config = [str(node / 'etc' / 'nova'), str(node / 'etc' / 'absent'), str(node / 'etc' / 'os-release')]
    args = dict(name='compute1', config_paths=config,
                log_paths=[str(node / 'log' / 'nova')], lines=5, max_file_size=1000, tmpdir=str(node / 'out'),
                secrets=[SECRET, FERNET],
                commands=[{'name': 'echo', 'argv': ['echo', 'OS_PASSWORD=%s' % SECRET]},
                          {'name': 'absent', 'argv': ['no-such-program-here']}],
                units=['nova-compute'], optional_units=['chrony'])
    args.update(extra)
    return run_module(diagnostics.main, args)


def _members(path):
    with tarfile.open(path) as tar:
        return dict((m.name, (m, tar.extractfile(m).read() if m.isfile() else None)) for m in tar.getmembers())


def test_main_writes_a_masked_archive(run_module, node):
    result = _run(run_module, node)
    assert result['_exit_code'] == 0 and result['changed'] is True
    archive = result['archive']
    assert os.path.dirname(archive) == str(node / 'out')
    assert stat.S_IMODE(os.stat(archive).st_mode) == 0o600
    assert result['size'] == os.path.getsize(archive)
    members = _members(archive)
    assert all(name.startswith('compute1/') for name in members)
    for name, (member, data) in members.items():
        for value in (SECRET, OTHER, FERNET):
            assert data is None or value.encode() not in data, '%s holds a secret' % name
    conf = members['compute1%s/etc/nova/nova.conf' % node][1].decode()
    assert 'rabbit://nova:%s@10.0.0.11' % M in conf and 'password = %s' % M in conf and 'username = nova' in conf
    # a log is its last lines; rotated logs, key directories, binary and large files stay out
    log = members['compute1%s/log/nova/nova-api.log' % node][1].decode()
    assert log.splitlines()[0].startswith('line 45 ') and len(log.splitlines()) == 5
    names = ' '.join(members)
    for absent in ('nova-api.log.1', 'nova-api.log.2.gz', 'fernet-keys', 'big.json', 'blob.db'):
        assert absent not in names
    link = members['compute1%s/etc/nova/link.conf' % node][0]
    assert link.issym() and link.linkname == 'nova.conf'
    # a path given that is a link is read through it
    assert members['compute1%s/etc/os-release' % node][1] == b'ID=debian\n'
    assert members['compute1/commands/echo.txt'][1].decode() == '$ echo OS_PASSWORD=%s\n%s\n' % (M, 'OS_PASSWORD=' + M)
    # systemctl is missing: the unit is reported not found, the optional one left out
    assert result['units'] == {'nova-compute': 'not-found'}
    assert members['compute1/units.txt'][1].decode().split() == ['nova-compute', 'not-found']
    manifest = members['compute1/MANIFEST.txt'][1].decode()
    assert 'Diagnostics of compute1' in manifest and 'etc/nova/nova.conf' in manifest
    assert 'no-such-program-here is not installed' in manifest and 'binary' in manifest
    skipped = dict((s['what'], s['why']) for s in result['left_out'])
    assert skipped['commands/absent'] == 'no-such-program-here is not installed'
    assert skipped[str(node / 'etc' / 'nova' / 'big.json')].startswith('larger than 1000 bytes')
    assert result['masked'] >= 5
    # nothing the controller gets holds a secret
    for value in (SECRET, OTHER, FERNET):
        assert value not in result['_raw']


def test_main_refuses_a_name_that_is_a_path(run_module, node):
    result = _run(run_module, node, name='../x')
    assert result['failed'] and 'plain name' in result['msg']
    assert os.listdir(str(node / 'out')) == []


def test_main_refuses_a_command_without_argv(run_module, node):
    result = _run(run_module, node, commands=[{'name': 'x'}])
    assert result['failed'] and 'needs a name' in result['msg']
    # the archive begun is removed
    assert os.listdir(str(node / 'out')) == []
