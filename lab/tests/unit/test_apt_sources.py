import pytest

from ansible_collections.gureum.lab.plugins.module_utils import apt_sources

DEB822 = """Types: deb
# http://snapshot.example/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main contrib

Types: deb-src
URIs: http://src.example/debian
Suites: bookworm
Components: main

Enabled: no
Types: deb
URIs: http://disabled.example/debian
Suites: bookworm
Components: main
"""

ONE_LINE = """# comment
deb http://one.example/debian bookworm main non-free
deb [arch=amd64 signed-by=/k.gpg] http://two.example/debian bookworm-backports main
deb-src http://one.example/debian bookworm main
deb http://other.example/ubuntu jammy main
"""


def test_deb822_skips_disabled_and_comments():
    entries = apt_sources.parse_deb822(DEB822)
    assert [e['uris'] for e in entries] == [['http://mirror.example/debian'], ['http://mirror.example/debian-security'],
                                            ['http://src.example/debian']]
    assert entries[0]['suites'] == ['bookworm', 'bookworm-updates']
    assert entries[1]['components'] == ['main', 'contrib']


def test_one_line_with_options():
    entries = apt_sources.parse_one_line(ONE_LINE)
    assert [(e['types'], e['uris'][0], e['suites'][0]) for e in entries] == [
        (['deb'], 'http://one.example/debian', 'bookworm'),
        (['deb'], 'http://two.example/debian', 'bookworm-backports'),
        (['deb-src'], 'http://one.example/debian', 'bookworm'),
        (['deb'], 'http://other.example/ubuntu', 'jammy'),
    ]
    assert entries[0]['components'] == ['main', 'non-free']


def test_distribution_sources_keep_suite_family_and_binaries_only():
    kept = apt_sources.distribution_sources(apt_sources.parse_deb822(DEB822) + apt_sources.parse_one_line(ONE_LINE),
                                            'bookworm')
    assert [e['uris'][0] for e in kept] == ['http://mirror.example/debian', 'http://mirror.example/debian-security',
                                            'http://one.example/debian', 'http://two.example/debian']
    assert all(e['types'] == ['deb'] for e in kept)


def test_primary_mirror_is_first_with_the_suite_itself():
    entries = apt_sources.parse_one_line('deb http://a.example/debian bookworm-backports main\n'
                                         'deb http://b.example/debian bookworm main\n')
    assert apt_sources.primary_mirror(entries, 'bookworm') == 'http://b.example/debian'


@pytest.mark.parametrize('entries', [[], apt_sources.parse_one_line('deb http://x.example/ubuntu jammy main\n')])
def test_no_mirror_for_suite_is_an_error(entries):
    with pytest.raises(apt_sources.AptSourcesError, match="no mirror for the 'bookworm' suite"):
        apt_sources.distribution_sources(entries, 'bookworm')


def test_mirror_hosts_unique_in_order():
    entries = apt_sources.parse_deb822(DEB822)
    assert apt_sources.mirror_hosts(entries) == ['mirror.example', 'src.example']


def test_render_round_trips():
    kept = apt_sources.distribution_sources(apt_sources.parse_deb822(DEB822), 'bookworm')
    assert apt_sources.parse_deb822(apt_sources.render_deb822(kept)) == kept


def test_read_apt_sources_from_a_root(tmp_path):
    (tmp_path / 'etc/apt/sources.list.d').mkdir(parents=True)
    (tmp_path / 'etc/apt/sources.list').write_text(ONE_LINE)
    (tmp_path / 'etc/apt/sources.list.d/debian.sources').write_text(DEB822)
    (tmp_path / 'etc/apt/sources.list.d/old.list.disabled').write_text('deb http://no.example/ bookworm main\n')
    hosts = apt_sources.mirror_hosts(apt_sources.read_apt_sources(str(tmp_path)))
    assert 'no.example' not in hosts
    assert hosts[:2] == ['one.example', 'two.example']
