# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Build the tiny guest that the cloud boots in verify and day-1 labs, from Debian packages only.

Debian's kernel and an initramfs of busybox-static, the virtio modules and Debian's dropbear SSH server with
the few libraries it links, on a FAT disk that syslinux boots, converted to qcow2. The guest prints markers on its
serial console, gets its address by DHCP, reads the metadata service, lets root log in over SSH with the key pairs
the metadata names (dropbear; no password), and serves HTTP on ports 80 and 8080. Nothing is downloaded but
Debian's .deb files (from this machine's apt sources), and the same .deb files give the same bytes.

Console markers: GUREUM-GUEST-BOOTED, GUREUM-GUEST-DHCP <nic> <address>, GUREUM-GUEST-HTTP-READY,
GUREUM-GUEST-METADATA uuid=<uuid> name=<hostname>, GUREUM-GUEST-SSH-READY keys=<count>; the HTTP answer is
'gureum-guest uuid=<uuid> name=<hostname>' once the metadata was read, and /etc/gureum-guest holds the same line
for a login. The login user is root (Tempest's image_ssh_user); `sudo` runs a command as is, since a command
of root needs none. Used by the gureum.openstack.guest_image module and by scripts/guest-image.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gzip
import hashlib
import io
import os
import shutil
import subprocess
import tempfile

RECIPE_VERSION = 2  # bump when a build step changes
EPOCH = 1700000000  # every timestamp in the image, so that the bytes depend only on the inputs
MODULES = ['virtio_pci', 'virtio_net', 'virtio_blk']  # plus what they depend on
DISK_MIB = 32
# Debian packages of the SSH server and of the libraries it links (besides the kernel and busybox-static)
# (libtomcrypt links libgmp)
SSH_PACKAGES = ['dropbear-bin', 'libc6', 'libcrypt1', 'libtomcrypt1', 'libtommath1', 'libgmp10', 'zlib1g']
SSH_LIBRARIES = ['ld-linux-x86-64.so.2', 'libc.so.6', 'libcrypt.so.1', 'libtomcrypt.so.1', 'libtommath.so.1',
                 'libgmp.so.10', 'libz.so.1']
FAT_OFFSET_MIB = 1
DISK_ID = '0x47555245'  # "GURE"
FAT_VOLUME_ID = '47555245'
TOOLS = {'mkfs.fat': 'dosfstools', 'mcopy': 'mtools', 'syslinux': 'syslinux', 'sfdisk': 'fdisk',
         'qemu-img': 'qemu-utils', 'dpkg-deb': 'dpkg', 'apt-get': 'apt'}
SYSLINUX_MBR = '/usr/lib/syslinux/mbr/mbr.bin'

INIT = r'''#!/bin/busybox sh
# gureum guest: print a marker, DHCP on every NIC, read metadata, serve HTTP.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
say() { if [ -c /dev/ttyS0 ]; then echo "$*" > /dev/ttyS0; else echo "$*" > /dev/console; fi; }
say "GUREUM-GUEST-BOOTED kernel=$(uname -r)"
for module in $(cat /etc/modules); do insmod "/lib/modules/$module.ko" 2>/dev/null; done
ip link set lo up
tries=0
while [ ! -e /sys/class/net/eth0 ] && [ $tries -lt 50 ]; do sleep 0.2; tries=$((tries + 1)); done
# like a cloud image's DHCP client, it never gives up: a guest its node resumed at boot may ask before the node's
# network agent has wired its port or the DHCP server is back (udhcpc goes on in the background after -t tries)
for nic in $(ls /sys/class/net | grep -v '^lo$'); do
    ip link set "$nic" up
    udhcpc -i "$nic" -t 20 -T 3 -A 3 -b -q -s /etc/udhcpc.script >/dev/null 2>&1
done
mkdir -p /www
uuid=unknown name=unknown
echo "gureum-guest uuid=$uuid name=$name" > /www/index.html
httpd -f -p 80 -h /www </dev/null >/dev/null 2>&1 &
# a second port that security groups are expected to keep closed
httpd -f -p 8080 -h /www </dev/null >/dev/null 2>&1 &
say "GUREUM-GUEST-HTTP-READY"
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
tries=0
while [ $tries -lt 60 ]; do
    # busybox-static's wget crashes on Debian 12; plain HTTP over nc does the job
    printf 'GET /openstack/latest/meta_data.json HTTP/1.0\r\nHost: 169.254.169.254\r\n\r\n' |
        nc -w 5 169.254.169.254 80 > /tmp/metadata.http 2>/dev/null
    if head -n 1 /tmp/metadata.http | grep -q ' 200 '; then
        sed '1,/^\r*$/d' /tmp/metadata.http > /tmp/meta_data.json
        uuid=$(sed -n 's/.*"uuid": *"\([^"]*\)".*/\1/p' /tmp/meta_data.json)
        name=$(sed -n 's/.*"hostname": *"\([^"]*\)".*/\1/p' /tmp/meta_data.json)
        say "GUREUM-GUEST-METADATA uuid=$uuid name=$name"
        break
    fi
    tries=$((tries + 1))
    sleep 2
done
[ "$uuid" = unknown ] && say "GUREUM-GUEST-METADATA-FAILED"
echo "gureum-guest uuid=$uuid name=$name" > /www/index.html
echo "gureum-guest uuid=$uuid name=$name" > /etc/gureum-guest
[ "$name" = unknown ] || hostname "$name"
# root's keys: the public_keys of the metadata, one "name": "key" pair each
mkdir -p /root/.ssh && chmod 700 /root/.ssh
sed -n 's/.*"public_keys": *{\([^}]*\)}.*/\1/p' /tmp/meta_data.json 2>/dev/null | sed 's/", *"/"\n"/g' |
    sed -n 's/^ *"[^"]*": *"\(.*\)" *$/\1/p' | sed 's/\\n$//' > /root/.ssh/authorized_keys
chmod 600 /root/.ssh/authorized_keys
mkdir -p /etc/dropbear
dropbearkey -t ed25519 -f /etc/dropbear/dropbear_ed25519_host_key >/dev/null 2>&1
dropbear -r /etc/dropbear/dropbear_ed25519_host_key -P /tmp/dropbear.pid -s </dev/null >/dev/null 2>&1 &&
    say "GUREUM-GUEST-SSH-READY keys=$(grep -c . /root/.ssh/authorized_keys)"
while true; do sleep 3600; done
'''

UDHCPC_SCRIPT = r'''#!/bin/sh
case "$1" in
    deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
    bound|renew)
        echo "GUREUM-GUEST-DHCP $interface $ip" > /dev/ttyS0 2>/dev/null || echo "GUREUM-GUEST-DHCP $interface $ip" > /dev/console
        ip addr flush dev "$interface"
        ip addr add "$ip/${mask:-24}" dev "$interface"
        [ -n "$mtu" ] && ip link set "$interface" mtu "$mtu"
        for r in $router; do ip route add default via "$r" dev "$interface" && break; done
        for d in $dns; do echo "nameserver $d"; done > /etc/resolv.conf
        ;;
esac
exit 0
'''

# A login of root needs no sudo: commands given to it run as they are (tests and tools call sudo all the same)
SUDO = '''#!/bin/sh
while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do shift; done
exec "$@"
'''

# Plain HTTP over busybox's nc, as much of curl as Tempest's scenario tests use inside a guest: GET, and POST
# with -d (the metadata service's password); the body is printed as the server sent it; -f fails on an error status
CURL = r'''#!/bin/sh
method=GET data= fail=
while [ $# -gt 1 ]; do
    case "$1" in
        -X) method=$2; shift 2 ;;
        -d|--data) data=$2; [ "$method" = GET ] && method=POST; shift 2 ;;
        -f|--fail) fail=1; shift ;;
        -*) shift ;;
        *) break ;;
    esac
done
url=${1#http://}
path=/${url#*/}; [ "$path" = "/$url" ] && path=/
hostport=${url%%/*}; host=${hostport%:*}; port=80
[ "$host" = "$hostport" ] || port=${hostport##*:}
{
    printf '%s %s HTTP/1.0\r\nHost: %s\r\n' "$method" "$path" "$host"
    if [ "$method" = GET ]; then printf '\r\n'
    else printf 'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s' "${#data}" "$data"
    fi
} | nc -w 10 "$host" "$port" | {
    cr=$(printf '\r')
    IFS= read -r status || exit 7
    while IFS= read -r header && [ -n "${header%$cr}" ]; do :; done
    cat
    case "$status" in *' '[23][0-9][0-9]*) ;; *) [ -z "$fail" ] || exit 22 ;; esac
}
'''

# What the login user's account needs: root with no password (keys only), and the shell dropbear allows
ACCOUNT_FILES = {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
    'etc/shadow': 'root:*:19000:0:99999:7:::\n',
    'etc/group': 'root:x:0:\n',
    'etc/shells': '/bin/sh\n',
}

SYSLINUX_CFG = '''SERIAL 0 115200
DEFAULT gureum
PROMPT 0
TIMEOUT 0
LABEL gureum
  KERNEL vmlinuz
  INITRD initrd.gz
  APPEND console=tty0 console=ttyS0,115200 quiet
'''


class GuestImageError(Exception):
    """The build failed; the message says why and how to fix it."""


def run(argv, env=None, input_bytes=None, cwd=None, error=GuestImageError, tail=1000):
    """The command's output; if it fails, ``error`` with its last ``tail`` characters of stderr (the image builders
    share this)."""
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, cwd=cwd)
    out, err = proc.communicate(input_bytes)
    if proc.returncode != 0:
        raise error('%s failed (rc=%d): %s' % (' '.join(argv), proc.returncode,
                                               err.decode('utf-8', 'replace').strip()[-tail:]))
    return out


def sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def fetch_debs(cache):
    """Download (or reuse) the kernel, busybox-static and SSH packages this machine's apt sources offer."""
    depends = run(['apt-cache', 'depends', 'linux-image-amd64']).decode()
    kernel = next(line.split()[1] for line in depends.splitlines() if line.strip().startswith('Depends:'))
    debs = {}
    os.makedirs(cache, exist_ok=True)
    for name in [kernel, 'busybox-static'] + SSH_PACKAGES:
        version = run(['apt-cache', 'policy', name]).decode().split('Candidate:')[1].split()[0]
        found = [f for f in os.listdir(cache) if f.startswith(name + '_') and f.endswith('.deb')
                 and f.split('_')[1].replace('%3a', ':') == version]
        if not found:
            run(['apt-get', 'download', '-q', '%s=%s' % (name, version)], cwd=cache)
            found = [f for f in os.listdir(cache) if f.startswith(name + '_') and f.endswith('.deb')
                     and f.split('_')[1].replace('%3a', ':') == version]
        debs[name] = os.path.join(cache, found[0])
    return kernel, debs


def module_depends(path):
    """A module's dependencies, read from its .modinfo strings (no modinfo needed)."""
    with open(path, 'rb') as handle:
        data = handle.read()
    for chunk in data.split(b'\0'):
        if chunk.startswith(b'depends='):
            return [d for d in chunk[len(b'depends='):].decode().split(',') if d]
    return []


def modules_in_load_order(module_dir, wanted):
    index = {}
    for dirpath, _dirs, files in os.walk(module_dir):
        for name in files:
            if name.endswith('.ko'):
                index[name[:-3].replace('-', '_')] = os.path.join(dirpath, name)
    order = []

    def visit(name, trail):
        if name in order:
            return
        if name not in index:
            raise GuestImageError('module %s (needed by %s) is not in the kernel package' % (name, ' <- '.join(trail)))
        for dep in module_depends(index[name]):
            visit(dep, trail + [name])
        order.append(name)
    for name in wanted:
        visit(name, [])
    return [(name, index[name]) for name in order]


def cpio_newc(entries):
    """A deterministic newc cpio archive of (path, mode, data-or-None-for-dir) entries."""
    out = io.BytesIO()

    def header(ino, name, mode, size, nlink):
        fields = [ino, mode, 0, 0, nlink, EPOCH, size, 0, 0, 0, 0, len(name) + 1, 0]
        out.write(b'070701' + b''.join(b'%08X' % f for f in fields) + name.encode() + b'\0')
        out.write(b'\0' * (-out.tell() % 4))
    for ino, (path, mode, data) in enumerate(entries, start=1):
        header(ino, path, mode, len(data or b''), 2 if data is None else 1)
        out.write(data or b'')
        out.write(b'\0' * (-out.tell() % 4))
    header(0, 'TRAILER!!!', 0, 0, 1)
    return out.getvalue()


def find_file(roots, name):
    """The real file of ``name`` (a library's soname or a program) in the unpacked packages, links followed."""
    for root in roots:
        for dirpath, dummy, files in sorted(os.walk(root)):
            if name in files:
                path = os.path.join(dirpath, name)
                while os.path.islink(path):
                    target = os.readlink(path)
                    path = os.path.join(root, target.lstrip('/')) if target.startswith('/') else \
                        os.path.join(os.path.dirname(path), target)
                if os.path.isfile(path):
                    return path
    raise GuestImageError('%s is not in the packages %s' % (name, ', '.join(SSH_PACKAGES)))


def build_initramfs(busybox, modules, ssh_roots):
    dirs = ['bin', 'sbin', 'dev', 'etc', 'lib', 'lib64', 'lib/modules', 'proc', 'root', 'sys', 'tmp', 'www']
    entries = [(d, 0o40755, None) for d in dirs]
    with open(busybox, 'rb') as handle:
        entries.append(('bin/busybox', 0o100755, handle.read()))
    entries.append(('init', 0o100755, INIT.encode()))
    entries.append(('bin/sudo', 0o100755, SUDO.encode()))
    entries.append(('bin/curl', 0o100755, CURL.encode()))
    for path, content in sorted(ACCOUNT_FILES.items()):
        entries.append((path, 0o100600 if path == 'etc/shadow' else 0o100644, content.encode()))
    for name, target in (('dropbear', 'sbin/dropbear'), ('dropbearkey', 'bin/dropbearkey')):
        with open(find_file(ssh_roots, name), 'rb') as handle:
            entries.append((target, 0o100755, handle.read()))
    # the libraries where the dynamic loader looks without a cache (/lib), the loader where binaries name it
    for name in SSH_LIBRARIES:
        with open(find_file(ssh_roots, name), 'rb') as handle:
            data = handle.read()
        entries.append(('lib/' + name, 0o100755, data))
        if name.startswith('ld-linux'):
            entries.append(('lib64/' + name, 0o100755, data))
    entries.append(('etc/udhcpc.script', 0o100755, UDHCPC_SCRIPT.encode()))
    entries.append(('etc/modules', 0o100644, ''.join(name + '\n' for name, _path in modules).encode()))
    for name, path in modules:
        with open(path, 'rb') as handle:
            entries.append(('lib/modules/%s.ko' % name, 0o100644, handle.read()))
    raw = cpio_newc(entries)
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode='wb', compresslevel=9, mtime=0) as gz:
        gz.write(raw)
    return buf.getvalue()


def build_disk(work, vmlinuz, initrd, output):
    files = os.path.join(work, 'files')
    os.makedirs(files)
    shutil.copyfile(vmlinuz, os.path.join(files, 'vmlinuz'))
    shutil.copyfile(initrd, os.path.join(files, 'initrd.gz'))
    with open(os.path.join(files, 'syslinux.cfg'), 'w') as handle:
        handle.write(SYSLINUX_CFG)
    for name in os.listdir(files):
        os.utime(os.path.join(files, name), (EPOCH, EPOCH))
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH), MTOOLS_SKIP_CHECK='1', TZ='UTC')
    fat = os.path.join(work, 'fat.img')
    with open(fat, 'wb') as handle:
        handle.truncate((DISK_MIB - FAT_OFFSET_MIB) << 20)
    run(['mkfs.fat', '--invariant', '-i', FAT_VOLUME_ID, '-n', 'GUREUM', '-F', '16', fat], env=env)
    run(['mcopy', '-m', '-i', fat] + [os.path.join(files, n) for n in sorted(os.listdir(files))] + ['::/'], env=env)
    run(['syslinux', '--install', fat], env=env)
    disk = os.path.join(work, 'disk.raw')
    with open(disk, 'wb') as handle:
        handle.truncate(DISK_MIB << 20)
    table = 'label: dos\nlabel-id: %s\nstart=%d, type=6, bootable\n' % (DISK_ID, FAT_OFFSET_MIB << 11)
    run(['sfdisk', '-q', disk], input_bytes=table.encode(), env=env)
    with open(disk, 'r+b') as out, open(fat, 'rb') as part, open(SYSLINUX_MBR, 'rb') as mbr:
        out.write(mbr.read(440))
        out.seek(FAT_OFFSET_MIB << 20)
        shutil.copyfileobj(part, out)
    run(['qemu-img', 'convert', '-f', 'raw', '-O', 'qcow2', disk, output], env=env)


def recipe_digest():
    """The recipe is an input too: what the guest runs and how the disk is laid out (RECIPE_VERSION counts
    changes to the build steps themselves)."""
    recipe = repr((RECIPE_VERSION, EPOCH, MODULES, DISK_MIB, FAT_OFFSET_MIB, DISK_ID, FAT_VOLUME_ID, INIT,
                   UDHCPC_SCRIPT, SYSLINUX_CFG, SSH_PACKAGES, SSH_LIBRARIES, SUDO, CURL,
                   sorted(ACCOUNT_FILES.items())))
    return hashlib.sha256(recipe.encode('utf-8')).hexdigest()


def missing_tools():
    """Tools the build needs that this machine lacks, with their Debian packages."""
    missing = ['%s (Debian package %s)' % (tool, pkg) for tool, pkg in sorted(TOOLS.items()) if not shutil.which(tool)]
    if not os.path.exists(SYSLINUX_MBR):
        missing.append('%s (Debian package syslinux-common)' % SYSLINUX_MBR)
    return missing


def build(output, cache):
    """Build the guest into ``output`` unless the same inputs built it already.

    Returns {path, kernel, initrd, changed, manifest}.
    """
    missing = missing_tools()
    if missing:
        raise GuestImageError('missing %s; install them (scripts/setup does).' % ', '.join(missing))
    kernel, debs = fetch_debs(cache)
    manifest = ''.join('input %s %s\n' % (os.path.basename(path), sha256(path)) for path in sorted(debs.values()))
    manifest += 'input recipe %s\n' % recipe_digest()
    manifest_path = os.path.join(output, 'MANIFEST')
    outputs = ['gureum-guest.qcow2', 'vmlinuz', 'initrd.gz']
    result = {'path': os.path.join(output, outputs[0]), 'kernel': os.path.join(output, 'vmlinuz'),
              'initrd': os.path.join(output, 'initrd.gz'), 'changed': False}
    if os.path.exists(manifest_path) and all(os.path.exists(os.path.join(output, o)) for o in outputs):
        with open(manifest_path) as handle:
            if handle.read().startswith(manifest):
                result['manifest'] = manifest_path
                return result
    work = tempfile.mkdtemp(prefix='gureum-guest.')
    try:
        for name, path in debs.items():
            run(['dpkg-deb', '-x', path, os.path.join(work, name)])
        release = kernel[len('linux-image-'):]
        kroot = os.path.join(work, kernel)
        modules = modules_in_load_order(os.path.join(kroot, 'lib/modules', release), MODULES)
        initrd = build_initramfs(os.path.join(work, 'busybox-static', 'bin/busybox'), modules,
                                 [os.path.join(work, name) for name in SSH_PACKAGES])
        if not os.path.isdir(output):
            os.makedirs(output)
        shutil.copyfile(os.path.join(kroot, 'boot', 'vmlinuz-' + release), result['kernel'])
        with open(result['initrd'], 'wb') as handle:
            handle.write(initrd)
        build_disk(work, result['kernel'], result['initrd'], result['path'])
    finally:
        shutil.rmtree(work)
    with open(manifest_path, 'w') as handle:
        handle.write(manifest + ''.join('output %s %s\n' % (o, sha256(os.path.join(output, o))) for o in outputs))
    result.update(changed=True, manifest=manifest_path)
    return result
