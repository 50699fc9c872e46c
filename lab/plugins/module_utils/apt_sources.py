# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Read the package mirrors a machine already uses from its apt sources.

The lab must never carry a registry host name of its own: the base image, the
nodes' sources and the NAT allow-list are all derived from what this machine's
apt configuration names.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported
    from urlparse import urlsplit


class AptSourcesError(Exception):
    """The machine's apt sources do not name a usable mirror."""


def _entry(types, uris, suites, components):
    return {
        'types': list(types),
        'uris': list(uris),
        'suites': list(suites),
        'components': list(components),
    }


def parse_deb822(text):
    """Parse a deb822 ``.sources`` file into entries (disabled stanzas skipped)."""
    entries = []
    for stanza in text.split('\n\n'):
        fields = {}
        key = None
        for line in stanza.splitlines():
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            if line[0] in ' \t' and key:
                fields[key] += ' ' + line.strip()
                continue
            key, sep, value = line.partition(':')
            if not sep:
                key = None
                continue
            key = key.strip().lower()
            fields[key] = value.strip()
        if not fields or fields.get('enabled', 'yes').lower() == 'no':
            continue
        if 'uris' not in fields or 'suites' not in fields:
            continue
        entries.append(_entry(fields.get('types', 'deb').split(), fields['uris'].split(),
                              fields['suites'].split(), fields.get('components', '').split()))
    return entries


def parse_one_line(text):
    """Parse one-line-style ``sources.list`` content into entries."""
    entries = []
    for line in text.splitlines():
        line = line.split('#', 1)[0].strip()
        if not line:
            continue
        words = line.split()
        kind = words.pop(0)
        if kind not in ('deb', 'deb-src'):
            continue
        if words and words[0].startswith('['):
            while words and not words[0].endswith(']'):
                words.pop(0)
            words.pop(0)
        if len(words) < 2:
            continue
        entries.append(_entry([kind], [words[0]], [words[1]], words[2:]))
    return entries


def read_apt_sources(root='/'):
    """Return every enabled apt source entry configured under ``root``."""
    etc = os.path.join(root, 'etc', 'apt')
    entries = []
    one_line = [os.path.join(etc, 'sources.list')] + sorted(glob.glob(os.path.join(etc, 'sources.list.d', '*.list')))
    for path in one_line:
        if os.path.isfile(path):
            with open(path) as handle:
                entries.extend(parse_one_line(handle.read()))
    for path in sorted(glob.glob(os.path.join(etc, 'sources.list.d', '*.sources'))):
        with open(path) as handle:
            entries.extend(parse_deb822(handle.read()))
    return entries


def distribution_sources(entries, suite):
    """Keep the binary entries that serve ``suite`` or its -updates/-security suites."""
    kept = []
    for entry in entries:
        if 'deb' not in entry['types']:
            continue
        suites = [s for s in entry['suites'] if s == suite or s.startswith(suite + '-') or s.startswith(suite + '/')]
        if suites:
            kept.append(_entry(['deb'], entry['uris'], suites, entry['components'] or ['main']))
    if not kept:
        raise AptSourcesError(
            "This machine's apt sources name no mirror for the '%s' suite. Add one to "
            "/etc/apt/sources.list.d/ (the lab copies the machine's own mirror) or pass a mirror explicitly." % suite)
    return kept


def primary_mirror(entries, suite):
    """The first mirror URI that carries ``suite`` itself (what debootstrap needs)."""
    for entry in distribution_sources(entries, suite):
        if suite in entry['suites']:
            return entry['uris'][0]
    raise AptSourcesError("No apt source carries the '%s' suite itself; debootstrap needs one." % suite)


def mirror_hosts(entries):
    """Host names (or addresses) of every mirror in ``entries``, in first-seen order."""
    hosts = []
    for entry in entries:
        for uri in entry['uris']:
            host = urlsplit(uri).hostname
            if host and host not in hosts:
                hosts.append(host)
    return hosts


def render_deb822(entries):
    """Render entries as one deb822 ``.sources`` file."""
    stanzas = []
    for entry in entries:
        stanzas.append('Types: %s\nURIs: %s\nSuites: %s\nComponents: %s\n' % (
            ' '.join(entry['types']), ' '.join(entry['uris']), ' '.join(entry['suites']),
            ' '.join(entry['components'])))
    return '\n'.join(stanzas)
