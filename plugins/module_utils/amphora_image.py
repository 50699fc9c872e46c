# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Build Octavia's amphora image from Debian packages only, reproducibly.

Debian 12 (mmdebstrap, from this machine's own Debian apt sources) with Debian's Octavia 11 amphora agent
(octavia-agent), haproxy, keepalived, cloud-init restricted to the config drive, and Debian's generic kernel, on
a raw disk (a FAT partition that syslinux boots, holding the kernel and the initramfs, and an ext4 root filled
with ``mkfs.ext4 -d``: no loop device, no mount), converted to compressed qcow2. Nothing is downloaded but
Debian's index files and .deb files. With the same Debian archive (its InRelease files) and the same recipe, the
bytes are the same: every timestamp is EPOCH, the filesystem identifiers are fixed, and what differs from one
install to the next (machine-id, SSH host keys, logs, apt lists) is removed.

Three defects of Debian's octavia-agent 11.0.0-2+deb12u1 packaging are fixed inside the image (see customize()).
Used by the gureum.openstack.amphora_image module and by scripts/amphora-image.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fcntl
import glob
import hashlib
import json
import os
import re
import shutil
import tempfile

from ansible_collections.gureum.openstack.plugins.module_utils import guest_image
from ansible_collections.gureum.openstack.plugins.module_utils.guest_image import sha256

RECIPE_VERSION = 2  # bump when a build step changes in a way the recipe digest does not see
EPOCH = 1700000000  # every timestamp in the image (SOURCE_DATE_EPOCH, mtimes, the filesystems' times)
SUITE = 'bookworm'
IMAGE_NAME = 'gureum-amphora.qcow2'
DISK_MIB = 2048
BOOT_OFFSET_MIB = 1
BOOT_MIB = 127  # the FAT partition with syslinux, the kernel and the initramfs
DISK_ID = '0x414d5048'  # "AMPH"
FAT_VOLUME_ID = '414d5048'
ROOT_UUID = '6f637461-7669-4100-8000-616d70686f72'  # fixed, so that the kernel's root= and the bytes never change
ROOT_HASH_SEED = '6f637461-7669-4100-8000-686173687365'
ROOT_LABEL = 'amphora-root'
SYSLINUX_MBR = '/usr/lib/syslinux/mbr/mbr.bin'
APT_SOURCES = '/etc/apt/sources.list'
APT_SOURCES_DIR = '/etc/apt/sources.list.d'
APT_HELPER = '/usr/lib/apt/apt-helper'
TOOLS = {'mmdebstrap': 'mmdebstrap', 'mkfs.ext4': 'e2fsprogs', 'debugfs': 'e2fsprogs', 'dumpe2fs': 'e2fsprogs',
         'mkfs.fat': 'dosfstools', 'mcopy': 'mtools', 'syslinux': 'syslinux', 'sfdisk': 'fdisk',
         'qemu-img': 'qemu-utils', 'dpkg-query': 'dpkg'}

# What the amphora runs. mmdebstrap installs no Recommends. octavia-agent pulls in haproxy, keepalived, ipvsadm,
# iptables, cryptsetup, ifupdown, ... itself.
PACKAGES = [
    'octavia-agent', 'haproxy', 'keepalived', 'ipvsadm', 'iptables', 'iproute2', 'cryptsetup',
    'linux-image-amd64', 'initramfs-tools', 'systemd-sysv', 'udev', 'kmod', 'dbus',
    # cloud-init reads the config drive (files, user data, network data); the management NIC of a subnet with
    # DHCP is brought up by ifupdown with isc-dhcp-client (the agent also runs /sbin/dhclient for DHCP ports)
    'cloud-init', 'ifupdown', 'isc-dhcp-client', 'netbase',
    'openssh-server', 'sudo', 'procps', 'e2fsprogs', 'ca-certificates',
]
# Leave out what an appliance never reads (copyright files stay)
DPKG_OPTIONS = [
    'path-exclude=/usr/share/man/*',
    'path-exclude=/usr/share/info/*',
    'path-exclude=/usr/share/doc/*',
    'path-include=/usr/share/doc/*/copyright',
    'path-exclude=/usr/share/locale/*',
    'path-include=/usr/share/locale/locale.alias',
    'path-exclude=/usr/share/lintian/*',
]

CLOUD_CFG = '''# gureum amphora: Octavia boots amphorae with a config drive (its files: the agent's configuration and
# certificates); never wait for a metadata service
datasource_list: [ ConfigDrive, None ]
# no locale is installed: keep C.UTF-8 (cloud-init would generate en_US.UTF-8 and fail)
locale: false
# host keys for a debugging login (Octavia's amp_ssh_key_name); RSA and DSA keys cost most of a minute under TCG
ssh_genkeytypes: [ed25519, ecdsa]
# the amphora's name (amphora-<id>) resolves, so that sudo and the agent's tools do not wait on DNS
manage_etc_hosts: true
'''

SYSLINUX_CFG = '''SERIAL 0 115200
DEFAULT amphora
PROMPT 0
TIMEOUT 0
LABEL amphora
  KERNEL vmlinuz
  INITRD initrd.img
  APPEND root=UUID=%s ro net.ifnames=0 biosdevname=0 console=tty0 console=ttyS0,115200
''' % ROOT_UUID

FSTAB = 'UUID=%s / ext4 errors=remount-ro 0 1\n' % ROOT_UUID

# Defect 3: Debian's /sbin/octavia-agent-ramfs-start formats the certificates' ramdisk as LUKS2 with cryptsetup's
# default key derivation, argon2id, which asks for up to 1 GiB of memory (half of RAM at most): on a 1 GiB amphora
# it competes with haproxy, or fails. The passphrase is 32 random characters used once and never stored, so a
# costly key derivation buys nothing: PBKDF2 with the fewest iterations. cryptsetup reads no defaults from /etc,
# so the unit runs this copy of the script instead (the package's own files stay untouched).
RAMFS_START = '''#!/bin/sh
# gureum amphora: Debian's /sbin/octavia-agent-ramfs-start with PBKDF2 instead of argon2id (see the drop-in)
set -e

modprobe brd rd_size=1024000 max_part=2 rd_nr=1
passphrase=$(head /dev/urandom | tr -dc "a-zA-Z0-9" | fold -w 32 | head -n 1)
certs_path=$(grep base_cert_dir /etc/octavia/amphora-agent.conf | awk '{print $3}')
if [ -z "${certs_path}" ] ; then
\tcerts_path=/var/lib/octavia/certs
fi
mkdir -p "${certs_path}"
chown octavia:octavia ${certs_path}
echo -n "${passphrase}" | cryptsetup luksFormat --batch-mode --type luks2 --pbkdf pbkdf2 \\
\t--pbkdf-force-iterations 1000 /dev/ram0 -
echo -n "${passphrase}" | cryptsetup luksOpen /dev/ram0 certfs-ramfs -
mkfs.ext2 -q /dev/mapper/certfs-ramfs
mount /dev/mapper/certfs-ramfs ${certs_path}
chown octavia:octavia ${certs_path}
'''
RAMFS_START_PATH = 'usr/local/sbin/octavia-agent-ramfs-start'
RAMFS_DROPIN = '''# gureum amphora: LUKS2 with PBKDF2, not argon2id (its memory cost does not fit a 1 GiB amphora)
[Service]
ExecStart=
ExecStart=/%s
''' % RAMFS_START_PATH

# Defect 1: the agent's working directory. Debian's unit runs the agent with WorkingDirectory=~ (root's home,
# /root), but the agent hands gunicorn the syslog address 'unix://run/rsyslog/octavia/log', which gunicorn reads
# as the relative path run/rsyslog/octavia/log: from /root it does not exist (and Python's SysLogHandler raises
# when it cannot connect). From / it is the socket rsyslog opens for it (RSYSLOG_SOCKET, as Octavia's own amphora
# image does; Debian's package does not ship it). The agent starts after rsyslog and after cloud-init wrote the config drive's files
# (its configuration and certificates).
AGENT_DROPIN = '''# gureum amphora: the agent's syslog address is relative to its working directory
[Unit]
After=rsyslog.service cloud-config.target
Wants=rsyslog.service octavia-agent-certs-ramfs.service

[Service]
WorkingDirectory=/
'''
RSYSLOG_SOCKET = '''# gureum amphora: the socket the amphora agent (gunicorn) logs to (rsyslog.conf loads imuxsock)
input(type="imuxsock" Socket="/run/rsyslog/octavia/log" CreatePath="on")
'''

# Units left disabled. Debian's octavia-agent-netns.service runs /sbin/octavia-agent-netns-start at every boot:
# before any port is plugged there is no /var/lib/octavia/plugged_interfaces and the script (set -e) fails; Octavia
# 11's agent installs and enables its own amphora-netns.service when it configures a listener, which does the same
# with every step allowed to fail. The agent runs haproxy and keepalived as units of its own (haproxy-<id>,
# octavia-keepalived), in the amphora-haproxy namespace: the packages' default instances are not wanted.
# pollinate (a dependency of octavia-agent) would ask an Internet entropy server at boot; the image has no apt
# sources left, so apt's daily timers have nothing to do.
DISABLED_UNITS = ['octavia-agent-netns.service', 'haproxy.service', 'keepalived.service', 'pollinate.service',
                  'apt-daily.timer', 'apt-daily-upgrade.timer']

# Removed from the image: differ from one install to the next, or are regenerated at first boot
# (machine-id by systemd, SSH host keys by cloud-init)
VOLATILE = [
    'etc/ssh/ssh_host_*', 'var/lib/dbus/machine-id', 'var/lib/systemd/random-seed', 'var/cache/ldconfig/aux-cache',
    'var/lib/apt/lists/*', 'var/cache/apt/*.bin', 'var/cache/apt/archives/*.deb', 'var/cache/debconf/*-old',
    'var/lib/dpkg/*-old', 'etc/passwd-', 'etc/group-', 'etc/shadow-', 'etc/gshadow-', 'etc/subuid-', 'etc/subgid-',
    'etc/apt/sources.list', 'etc/apt/sources.list.d/*', 'etc/resolv.conf', 'var/lib/dhcp/*', 'tmp/*', 'var/tmp/*',
    'var/lib/cloud/*',
]
VOLATILE_TREES = ['var/log']  # every file in them goes, the directories (with their owners and modes) stay
# The agent runs /sbin/dhclient -lf /var/lib/dhclient/dhclient-<nic>.leases for a VIP without VRRP (topology
# SINGLE), a path Debian's dhclient neither creates nor lets dhclient write under its AppArmor profile
DHCLIENT_DIR = 'var/lib/dhclient'
DHCLIENT_APPARMOR = '''# gureum amphora: the lease files octavia's amphora agent asks dhclient for
/var/lib/dhclient/dhclient* lrw,
'''
HOSTNAME = 'amphora\n'
HOSTS = '127.0.0.1\tlocalhost\n127.0.1.1\tamphora\n::1\tlocalhost ip6-localhost ip6-loopback\n'


class AmphoraImageError(Exception):
    """The build failed; the message says why and how to fix it."""


def run(argv, env=None, input_bytes=None, cwd=None):
    return guest_image.run(argv, env=env, input_bytes=input_bytes, cwd=cwd, error=AmphoraImageError, tail=2000)


def parse_sources(text, deb822):
    """Entries of an apt sources file as dicts {types, uris, suites, components, signed_by}."""
    entries = []
    if deb822:
        for stanza in re.split(r'\n\s*\n', text):
            fields = {}
            key = None
            for line in stanza.splitlines():
                if not line.strip() or line.lstrip().startswith('#'):
                    continue
                if line[0] in ' \t' and key:
                    fields[key] += ' ' + line.strip()
                    continue
                key, _sep, value = line.partition(':')
                key = key.strip().lower()
                fields[key] = value.strip()
            if not fields or fields.get('enabled', 'yes').lower() == 'no':
                continue
            entries.append({'types': fields.get('types', '').split(), 'uris': fields.get('uris', '').split(),
                            'suites': fields.get('suites', '').split(),
                            'components': fields.get('components', '').split(),
                            'signed_by': fields.get('signed-by', '')})
    else:
        for line in text.splitlines():
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            options = ''
            match = re.match(r'^(\S+)\s+\[([^\]]*)\]\s+(.*)$', line)
            if match:
                kind, options, rest = match.groups()
            else:
                kind, _sep, rest = line.partition(' ')
            words = rest.split()
            if len(words) < 2:
                continue
            signed = re.search(r'signed-by=(\S+)', options)
            entries.append({'types': [kind], 'uris': [words[0]], 'suites': [words[1]], 'components': words[2:],
                            'signed_by': signed.group(1) if signed else ''})
    return entries


def debian_sources(sources=APT_SOURCES, sources_dir=APT_SOURCES_DIR, suite=SUITE):
    """This machine's apt sources of Debian ``suite`` (and its -updates and -security), as one deb822 text.

    Other repositories the machine may have (vendors' tools) are left out: the image holds Debian only.
    """
    entries = []
    if os.path.exists(sources):
        with open(sources) as handle:
            entries += parse_sources(handle.read(), deb822=False)
    for path in sorted(glob.glob(os.path.join(sources_dir, '*.list')) + glob.glob(os.path.join(sources_dir,
                                                                                               '*.sources'))):
        with open(path) as handle:
            entries += parse_sources(handle.read(), deb822=path.endswith('.sources'))
    wanted = (suite, suite + '-updates', suite + '-security')
    stanzas = []
    for entry in entries:
        suites = [s for s in entry['suites'] if s in wanted]
        if 'deb' not in entry['types'] or not suites or not entry['uris']:
            continue
        stanza = 'Types: deb\nURIs: %s\nSuites: %s\nComponents: %s\n' % (
            ' '.join(entry['uris']), ' '.join(suites), ' '.join(entry['components']) or 'main')
        if entry['signed_by']:
            stanza += 'Signed-By: %s\n' % entry['signed_by']
        if stanza not in stanzas:
            stanzas.append(stanza)
    if not any(re.search(r'^Suites: (.* )?%s( |$)' % suite, s, re.M) for s in stanzas):
        raise AmphoraImageError('no apt source of Debian %s in %s or %s; the amphora is built from Debian packages '
                                'only: add one to this machine (the one running Ansible), or build the image '
                                'elsewhere and give its path in octavia_image_file' % (suite, sources, sources_dir))
    return '\n'.join(stanzas)


def release_urls(sources_text):
    """The InRelease file of every suite of the sources: what the build resolves its packages from."""
    urls = []
    for entry in parse_sources(sources_text, deb822=True):
        for uri in entry['uris']:
            for suite in entry['suites']:
                urls.append('%s/dists/%s/InRelease' % (uri.rstrip('/'), suite))
    return urls


def release_digests(sources_text, work):
    """sha256 of each suite's InRelease (downloaded with apt's own client, so apt's proxy settings hold)."""
    digests = []
    for index, url in enumerate(release_urls(sources_text)):
        dest = os.path.join(work, 'InRelease.%d' % index)
        try:
            run([APT_HELPER, 'download-file', url, dest])
        except AmphoraImageError as exc:
            raise AmphoraImageError(
                'the amphora image is built from the Debian archive of this machine\'s apt sources, and %s could not '
                'be downloaded (%s): let this machine (the one running Ansible) reach its Debian mirror (or its apt '
                'proxy), or build the image elsewhere (scripts/amphora-image) and give its path in octavia_image_file'
                % (url, str(exc).splitlines()[-1] if str(exc) else 'no message'))
        digests.append((url.split('/dists/', 1)[1].split('/')[0], sha256(dest)))
    return digests


def mmdebstrap_argv(root, debs, suite=SUITE):
    """mmdebstrap's command line: sources from stdin, .deb files kept in ``debs`` between builds."""
    argv = ['mmdebstrap', '--mode=root', '--format=directory', '--variant=apt',
            '--include=' + ','.join(PACKAGES), '--aptopt=Acquire::Languages "none"']
    argv += ['--dpkgopt=' + option for option in DPKG_OPTIONS]
    argv += ['--skip=download/empty', '--skip=essential/unlink',
             '--setup-hook=mkdir -p "$1"/var/cache/apt/archives/',
             '--setup-hook=sync-in %s /var/cache/apt/archives/' % debs,
             '--customize-hook=sync-out /var/cache/apt/archives %s' % debs,
             suite, root, '-']
    return argv


def fix_sysctl(text):
    """Defect 2: Debian's /etc/sysctl.d/octavia-agent-sysctl.conf quotes three values ("16384 65536 524288"):
    systemd-sysctl and sysctl write the quotes too and the kernel rejects them; tcp_tw_recycle is gone since
    Linux 4.12 and fails both (and octavia-agent's netns script, which runs sysctl --system under set -e)."""
    lines = []
    for line in text.splitlines():
        match = re.match(r'^\s*([a-z0-9_.\-/]+)\s*=\s*"(.*)"\s*$', line)
        if match:
            line = '%s=%s' % match.groups()
        if re.match(r'^\s*net\.ipv4\.tcp_tw_recycle\s*=', line):
            line = '# gureum amphora: %s (gone since Linux 4.12)' % line.strip()
        lines.append(line)
    return '\n'.join(lines) + '\n'


def write(root, path, content, mode=0o644):
    target = os.path.join(root, path)
    if not os.path.isdir(os.path.dirname(target)):
        os.makedirs(os.path.dirname(target))
    if os.path.lexists(target):
        os.unlink(target)
    with open(target, 'w') as handle:
        handle.write(content)
    os.chmod(target, mode)


def customize(root):
    """The amphora's own configuration and the fixes of Debian's packaging, written into the root tree."""
    write(root, 'etc/cloud/cloud.cfg.d/90_gureum_amphora.cfg', CLOUD_CFG)
    sysctl = os.path.join(root, 'etc/sysctl.d/octavia-agent-sysctl.conf')
    if not os.path.exists(sysctl):
        raise AmphoraImageError('octavia-agent installed no %s: is this still Debian\'s package?' % sysctl)
    with open(sysctl) as handle:
        fixed = fix_sysctl(handle.read())
    write(root, 'etc/sysctl.d/octavia-agent-sysctl.conf', fixed)
    write(root, RAMFS_START_PATH, RAMFS_START, 0o755)
    write(root, 'etc/systemd/system/octavia-agent-certs-ramfs.service.d/gureum-amphora.conf', RAMFS_DROPIN)
    write(root, 'etc/systemd/system/octavia-agent.service.d/gureum-amphora.conf', AGENT_DROPIN)
    write(root, 'etc/rsyslog.d/05-gureum-amphora-agent.conf', RSYSLOG_SOCKET)
    for unit in DISABLED_UNITS:
        for link in glob.glob(os.path.join(root, 'etc/systemd/system/*.wants', unit)):
            os.unlink(link)
    if not os.path.isdir(os.path.join(root, DHCLIENT_DIR)):
        os.makedirs(os.path.join(root, DHCLIENT_DIR))
    write(root, 'etc/apparmor.d/local/sbin.dhclient', DHCLIENT_APPARMOR)
    write(root, 'etc/fstab', FSTAB)
    write(root, 'etc/hostname', HOSTNAME)
    write(root, 'etc/hosts', HOSTS)
    # systemd creates the machine's own id at first boot
    write(root, 'etc/machine-id', '', 0o444)


def remove_volatile(root):
    for pattern in VOLATILE:
        for path in glob.glob(os.path.join(root, pattern)):
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)
    for tree in VOLATILE_TREES:
        for dirpath, _dirnames, filenames in os.walk(os.path.join(root, tree)):
            for name in filenames:
                os.unlink(os.path.join(dirpath, name))


def clamp_times(root, epoch=EPOCH):
    """Every file, directory and link gets the same mtime and atime (mkfs.ext4 -d copies them)."""
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.utime(os.path.join(dirpath, name), (epoch, epoch), follow_symlinks=False)
    os.utime(root, (epoch, epoch))


def installed_packages(root):
    out = run(['dpkg-query', '--admindir=%s' % os.path.join(root, 'var/lib/dpkg'), '-W',
               '-f=${db:Status-Abbrev} ${Package} ${Version}\n']).decode()
    return sorted(' '.join(line.split()[1:3]) for line in out.splitlines() if line.startswith('ii'))


def kernel_files(root):
    kernels = sorted(glob.glob(os.path.join(root, 'boot', 'vmlinuz-*')))
    if len(kernels) != 1:
        raise AmphoraImageError('expected one kernel in %s/boot, found %d' % (root, len(kernels)))
    release = os.path.basename(kernels[0])[len('vmlinuz-'):]
    initrd = os.path.join(root, 'boot', 'initrd.img-' + release)
    if not os.path.exists(initrd):
        raise AmphoraImageError('the kernel %s has no initramfs (initramfs-tools did not run)' % release)
    return kernels[0], initrd


def disk_layout():
    """(start, size) in bytes of the boot (FAT) and root (ext4) partitions, and sfdisk's table."""
    boot = (BOOT_OFFSET_MIB << 20, BOOT_MIB << 20)
    root_start = boot[0] + boot[1]
    rootfs = (root_start, (DISK_MIB << 20) - root_start)
    table = ('label: dos\nlabel-id: %s\nstart=%d, size=%d, type=6, bootable\nstart=%d, size=%d, type=83\n'
             % (DISK_ID, boot[0] // 512, boot[1] // 512, rootfs[0] // 512, rootfs[1] // 512))
    return boot, rootfs, table


def mkfs_ext4_argv(root, disk, offset, size):
    return ['mkfs.ext4', '-q', '-F', '-L', ROOT_LABEL, '-U', ROOT_UUID, '-T', 'default', '-b', '4096',
            '-E', 'hash_seed=%s,offset=%d,nodiscard' % (ROOT_HASH_SEED, offset), '-d', root, disk,
            str(size // 4096)]


def used_inodes(dumpe2fs_text):
    """The inodes in use, from dumpe2fs's per-group 'Free inodes:' lists."""
    per_group = int(re.search(r'^Inodes per group:\s+(\d+)', dumpe2fs_text, re.M).group(1))
    used = []
    group = None
    for line in dumpe2fs_text.splitlines():
        match = re.match(r'^Group (\d+):', line)
        if match:
            group = int(match.group(1))
            continue
        match = re.match(r'^\s+Free inodes:\s*(.*)$', line)
        if match and group is not None:
            free = set()
            for part in match.group(1).split(','):
                part = part.strip()
                if part:
                    first, _sep, last = part.partition('-')
                    free.update(range(int(first), int(last or first) + 1))
            used += [n for n in range(group * per_group + 1, (group + 1) * per_group + 1) if n not in free]
    return used


def clamp_inode_times(device, epoch=EPOCH):
    """mkfs.ext4 -d copies each file's ctime, which is when clamp_times() ran (no one can set a ctime), and its
    atime, which its own reading moves (relatime): set both to ``epoch`` in every inode with debugfs, itself held
    to the same clock (it stamps the superblock). ``device`` may carry an offset (disk.raw?offset=N)."""
    inodes = used_inodes(run(['dumpe2fs', device]).decode())
    commands = ''.join('sif <%d> %s @%d\n' % (inode, field, epoch) for inode in inodes for field in ('ctime', 'atime'))
    run(['debugfs', '-w', '-f', '-', device], input_bytes=commands.encode(),
        env=dict(os.environ, E2FSPROGS_FAKE_TIME=str(epoch)))
    return len(inodes)


def qemu_img_argv(raw, output):
    # one coroutine (-m 1): with several, compressed clusters land in completion order and the bytes vary
    return ['qemu-img', 'convert', '-m', '1', '-c', '-f', 'raw', '-O', 'qcow2', raw, output]


def build_disk(work, root, vmlinuz, initrd, output):
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH), E2FSPROGS_FAKE_TIME=str(EPOCH), MTOOLS_SKIP_CHECK='1',
               TZ='UTC')
    boot, rootfs, table = disk_layout()
    files = os.path.join(work, 'boot')
    os.makedirs(files)
    shutil.copyfile(vmlinuz, os.path.join(files, 'vmlinuz'))
    shutil.copyfile(initrd, os.path.join(files, 'initrd.img'))
    with open(os.path.join(files, 'syslinux.cfg'), 'w') as handle:
        handle.write(SYSLINUX_CFG)
    for name in os.listdir(files):
        os.utime(os.path.join(files, name), (EPOCH, EPOCH))
    fat = os.path.join(work, 'boot.img')
    with open(fat, 'wb') as handle:
        handle.truncate(boot[1])
    run(['mkfs.fat', '--invariant', '-i', FAT_VOLUME_ID, '-n', 'AMPHORA', '-F', '16', fat], env=env)
    run(['mcopy', '-m', '-i', fat] + [os.path.join(files, n) for n in sorted(os.listdir(files))] + ['::/'], env=env)
    run(['syslinux', '--install', fat], env=env)
    raw = os.path.join(work, 'disk.raw')
    with open(raw, 'wb') as handle:
        handle.truncate(DISK_MIB << 20)
    run(['sfdisk', '-q', raw], input_bytes=table.encode(), env=env)
    run(mkfs_ext4_argv(root, raw, rootfs[0], rootfs[1]), env=env)
    clamp_inode_times('%s?offset=%d' % (raw, rootfs[0]))
    with open(raw, 'r+b') as out, open(fat, 'rb') as part, open(SYSLINUX_MBR, 'rb') as mbr:
        out.write(mbr.read(440))
        out.seek(boot[0])
        shutil.copyfileobj(part, out)
    run(qemu_img_argv(raw, output), env=env)


def recipe_digest():
    """The recipe is an input too (RECIPE_VERSION counts changes to the build steps themselves)."""
    recipe = repr((RECIPE_VERSION, EPOCH, SUITE, PACKAGES, DPKG_OPTIONS, DISK_MIB, BOOT_OFFSET_MIB, BOOT_MIB,
                   DISK_ID, FAT_VOLUME_ID, ROOT_UUID, ROOT_HASH_SEED, ROOT_LABEL, CLOUD_CFG, SYSLINUX_CFG, FSTAB,
                   RAMFS_START, RAMFS_DROPIN, AGENT_DROPIN, RSYSLOG_SOCKET, DISABLED_UNITS, VOLATILE, VOLATILE_TREES,
                   DHCLIENT_DIR, DHCLIENT_APPARMOR, HOSTNAME, HOSTS))
    return hashlib.sha256(recipe.encode('utf-8')).hexdigest()


def manifest_inputs(releases):
    lines = ['input recipe %s\n' % recipe_digest()]
    lines += ['input release %s %s\n' % (suite, digest) for suite, digest in releases]
    return ''.join(lines)


def up_to_date(manifest_path, image, inputs):
    """True when the manifest records these inputs and the image still has the sha256 recorded for it."""
    if not (os.path.exists(manifest_path) and os.path.exists(image)):
        return False
    with open(manifest_path) as handle:
        text = handle.read()
    if not text.startswith(inputs):
        return False
    match = re.search(r'^output %s ([0-9a-f]{64}) ' % re.escape(os.path.basename(image)), text, re.M)
    return bool(match) and match.group(1) == sha256(image)


def missing_tools():
    """Tools the build needs that this machine lacks, with their Debian packages."""
    missing = ['%s (Debian package %s)' % (tool, pkg) for tool, pkg in sorted(TOOLS.items()) if not shutil.which(tool)]
    if not os.path.exists(SYSLINUX_MBR):
        missing.append('%s (Debian package syslinux-common)' % SYSLINUX_MBR)
    if not os.path.exists(APT_HELPER):
        missing.append('%s (Debian package apt)' % APT_HELPER)
    return missing


def result_of(image, manifest_path, changed):
    result = {'path': image, 'manifest': manifest_path, 'changed': changed, 'sha256': None, 'size': None}
    if os.path.exists(image):
        with open(manifest_path) as handle:
            match = re.search(r'^output %s ([0-9a-f]{64}) (\d+)$' % re.escape(os.path.basename(image)),
                              handle.read(), re.M)
        if match:
            result.update(sha256=match.group(1), size=int(match.group(2)))
    return result


def preflight():
    """What would stop a build on this machine, as sentences saying how to fix each (empty when it can build): the
    tools, root, Debian in the apt sources, and their archive reachable (each suite's InRelease downloaded)."""
    problems = []
    missing = missing_tools()
    if missing:
        problems.append('the amphora image build needs %s on this machine: install them (scripts/setup does)'
                        % ', '.join(missing))
    if os.geteuid() != 0:
        problems.append('the amphora image build runs as root on this machine (mmdebstrap installs packages into a '
                        'root tree owned by root): run ansible-playbook as root, or build the image as root with '
                        'scripts/amphora-image and give its path in octavia_image_file')
    work = tempfile.mkdtemp(prefix='gureum-amphora-preflight.')
    try:
        if not missing:
            release_digests(debian_sources(), work)
    except AmphoraImageError as exc:
        problems.append(str(exc))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return problems


def build(output, cache, check_mode=False, log=None):
    """Build the amphora image into ``output`` unless the same inputs built it already.

    ``cache`` keeps the downloaded .deb files. In check mode nothing is built: ``changed`` says whether a build
    would run. Returns {path, sha256, size, manifest, changed}.
    """
    log = log or (lambda msg: None)
    missing = missing_tools()
    if missing:
        raise AmphoraImageError('missing %s; install them (scripts/setup does).' % ', '.join(missing))
    if os.geteuid() != 0:
        raise AmphoraImageError('run as root: mmdebstrap installs packages into a root tree owned by root')
    sources = debian_sources()
    if not os.path.isdir(output):
        if check_mode:
            return result_of(os.path.join(output, IMAGE_NAME), os.path.join(output, 'MANIFEST'), True)
        os.makedirs(output)
    # One build at a time into ``output``: a second one (the deploy's own after the one its packages stage started in
    # the background, or another deploy sharing the directory) waits, then finds the image up to date
    with open(os.path.join(output, '.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build_locked(output, cache, sources, check_mode, log)


def _build_locked(output, cache, sources, check_mode, log):
    image = os.path.join(output, IMAGE_NAME)
    manifest_path = os.path.join(output, 'MANIFEST')
    work = tempfile.mkdtemp(prefix='gureum-amphora.')
    try:
        inputs = manifest_inputs(release_digests(sources, work))
        if up_to_date(manifest_path, image, inputs):
            return result_of(image, manifest_path, False)
        if check_mode:
            return {'path': image, 'manifest': manifest_path, 'changed': True, 'sha256': None, 'size': None}
        debs = os.path.join(cache, 'debs')
        if not os.path.isdir(debs):
            os.makedirs(debs)
        root = os.path.join(work, 'root')
        env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH), TZ='UTC', LC_ALL='C.UTF-8')
        log('mmdebstrap %s into %s' % (SUITE, root))
        run(mmdebstrap_argv(root, debs), env=env, input_bytes=sources.encode())
        packages = installed_packages(root)
        vmlinuz, initrd = kernel_files(root)
        customize(root)
        remove_volatile(root)
        clamp_times(root)
        log('disk image %s' % image)
        partial = image + '.partial'
        build_disk(work, root, vmlinuz, initrd, partial)
        os.rename(partial, image)
    finally:
        shutil.rmtree(work)
    with open(manifest_path, 'w') as handle:
        handle.write(inputs + ''.join('package %s\n' % p for p in packages) +
                     'output %s %s %d\n' % (IMAGE_NAME, sha256(image), os.path.getsize(image)))
    return result_of(image, manifest_path, True)


# The boot test (scripts/amphora-image --boot-test): a config drive as Octavia 11's compute driver has Nova write
# it. Octavia's CertComputeCreate and ComputeCreate tasks hand Nova these files (user_data_config_drive = False,
# Octavia's default): the agent's configuration (rendered from Octavia's amphora_agent_conf.template), the
# server certificate with its key, the CA of the controller's client certificates, and rsyslog's forwarding
# rules; Nova puts each under openstack/content/ and names it in meta_data.json's "files", which cloud-init writes.

AGENT_CONF = '''[DEFAULT]
debug = False
use_syslog = True
syslog_log_facility = LOG_LOCAL1

[haproxy_amphora]
base_cert_dir = /var/lib/octavia/certs
base_path = /var/lib/octavia
bind_host = ::
bind_port = 9443
haproxy_cmd = /usr/sbin/haproxy
respawn_count = 2
respawn_interval = 2
use_upstart = True
user_log_facility = 0
administrative_log_facility = 1

[health_manager]
controller_ip_port_list = %(controllers)s
heartbeat_interval = 10
heartbeat_key = %(heartbeat_key)s

[amphora_agent]
agent_server_ca = /etc/octavia/certs/client_ca.pem
agent_server_cert = /etc/octavia/certs/server.pem
agent_request_read_timeout = 180
amphora_id = %(amphora_id)s
amphora_udp_driver = keepalived_lvs
agent_tls_protocol = TLSv1.2

[controller_worker]
loadbalancer_topology = SINGLE
'''

# Octavia's user_data_config_drive.template with no files in it (they travel as the config drive's files)
USER_DATA = '''#cloud-config
# vim: syntax=yaml
#
# This configuration with take user-data dict and build a cloud-init
# script utilizing the write_files module. The user-data dict should be a
# Key Value pair where the Key is the path to store the file and the Value
# is the data to store at that location
#
# Example:
#     {'/root/path/to/file.cfg': 'I'm a file, write things in me'}
runcmd:
-   systemctl restart rsyslog

timezone: UTC
'''


def agent_config(amphora_id, heartbeat_key, controllers=('127.0.0.1:5555',)):
    return AGENT_CONF % {'amphora_id': amphora_id, 'heartbeat_key': heartbeat_key,
                         'controllers': ', '.join(controllers)}


def config_drive_tree(amphora_id, files, mac, public_keys=None, user_data=USER_DATA):
    """{relative path: bytes} of a Nova config drive (label config-2) for an amphora with one NIC (DHCP).

    ``files`` maps the amphora's paths to their contents, in the order Octavia adds them; ``public_keys`` maps key
    names to SSH public keys (Octavia's amp_ssh_key_name).
    """
    public_keys = public_keys or {}
    tree = {}
    listing = []
    for index, (path, content) in enumerate(files.items()):
        content_path = '/content/%04d' % index
        listing.append({'path': path, 'content_path': content_path})
        tree['openstack' + content_path] = content.encode('utf-8')
    name = 'amphora-' + amphora_id
    meta = {'uuid': amphora_id, 'name': name, 'hostname': name, 'launch_index': 0,
            'availability_zone': 'nova', 'project_id': '0' * 32, 'meta': {}, 'files': listing,
            'public_keys': public_keys, 'devices': [],
            'keys': [{'name': key_name, 'type': 'ssh', 'data': key} for key_name, key in sorted(public_keys.items())]}
    link = 'tap' + amphora_id[:11]
    network = {'links': [{'id': link, 'type': 'ovs', 'vif_id': amphora_id, 'mtu': 1500,
                          'ethernet_mac_address': mac}],
               'networks': [{'id': 'network0', 'type': 'ipv4_dhcp', 'link': link, 'network_id': amphora_id}],
               'services': []}
    tree['openstack/latest/meta_data.json'] = json.dumps(meta, sort_keys=True).encode()
    tree['openstack/latest/network_data.json'] = json.dumps(network, sort_keys=True).encode()
    tree['openstack/latest/user_data'] = user_data.encode()
    tree['openstack/latest/vendor_data.json'] = b'{}'
    tree['openstack/latest/vendor_data2.json'] = b'{}'
    return tree


def genisoimage_argv(source, iso):
    # the options of Nova's configdrive builder
    return ['genisoimage', '-o', iso, '-ldots', '-allow-lowercase', '-allow-multidot', '-l', '-quiet', '-J', '-r',
            '-V', 'config-2', source]


def qemu_argv(disk, config_drive, forwards, mac, console, memory_mib=1024):
    """A TCG guest (never KVM: see LAB-NOTES) with the config drive as a CD and a user-mode NIC that reaches
    nothing (restrict=on); ``forwards`` maps ports of 127.0.0.1 to the guest's ports."""
    netdev = 'user,id=mgmt,restrict=on' + ''.join(',hostfwd=tcp:127.0.0.1:%d-:%d' % (port, guest)
                                                  for port, guest in sorted(forwards.items()))
    return ['qemu-system-x86_64', '-machine', 'pc,accel=tcg', '-cpu', 'qemu64', '-smp', '1', '-m', str(memory_mib),
            '-nodefaults', '-display', 'none', '-no-reboot',
            '-drive', 'file=%s,if=virtio,format=qcow2' % disk,
            '-drive', 'file=%s,media=cdrom,readonly=on,format=raw' % config_drive,
            '-netdev', netdev, '-device', 'virtio-net-pci,netdev=mgmt,mac=%s' % mac,
            '-serial', 'file:%s' % console]
