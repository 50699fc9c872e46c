"""The neutron role's ebtables wrapper: which rule of a listing it takes for a failed delete."""
import importlib.machinery
import importlib.util
import os

import pytest

PATH = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'roles', 'neutron', 'files', 'ebtables-among-delete')


def _wrapper():
    loader = importlib.machinery.SourceFileLoader('ebtables_among_delete', PATH)
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


@pytest.mark.parametrize('listed, asked, same', [
    # the listing drops the MAC's leading zeros
    ('-i tapzz --among-src fa:16:3e:0:0:1 -j RETURN', '-i tapzz --among-src fa:16:3e:00:00:01 -j RETURN', True),
    # several MACs, in any order, with the listing's trailing comma
    ('-i tapzz --among-src fa:16:3e:0:0:1,fa:16:3e:0:0:2, -j RETURN',
     '-i tapzz --among-src fa:16:3e:00:00:02,fa:16:3e:00:00:01 -j RETURN', True),
    ('-i tapzz --among-src fa:16:3e:0:0:1 -j RETURN', '-i tapzz --among-src fa:16:3e:00:00:02 -j RETURN', False),
    ('-i tapzz --among-src fa:16:3e:0:0:1 -j RETURN', '-i tapyy --among-src fa:16:3e:00:00:01 -j RETURN', False),
    ('-i tapzz --among-src fa:16:3e:0:0:1 -j RETURN', '-i tapzz --among-dst fa:16:3e:00:00:01 -j RETURN', False),
])
def test_rules_compare_with_their_macs_as_numbers(listed, asked, same):
    wrapper = _wrapper()
    assert (wrapper.normal(listed.split()) == wrapper.normal(asked.split())) is same


def test_only_a_failed_among_delete_falls_back(monkeypatch):
    wrapper = _wrapper()
    calls = []

    def call(argv):
        calls.append(argv)
        return 4 if argv[-1] == 'RETURN' else 0

    class Listing:
        stdout = '1 -i tapzz --among-src fa:16:3e:0:0:1 -j RETURN\n2 -j DROP\n'

    monkeypatch.setattr(wrapper.subprocess, 'call', call)
    monkeypatch.setattr(wrapper.subprocess, 'run', lambda *a, **k: Listing())
    delete = ['-t', 'nat', '--concurrent', '-D', 'neutronMAC-tapzz', '-i', 'tapzz', '--among-src',
              'fa:16:3e:00:00:01', '-j', 'RETURN']
    assert wrapper.main(delete) == 0
    assert calls[-1] == [wrapper.REAL, '-t', 'nat', '--concurrent', '-D', 'neutronMAC-tapzz', '1']
    calls.clear()
    # a failure of anything else is returned as it is, with no second call
    assert wrapper.main(['-t', 'nat', '-A', 'x', '-j', 'RETURN']) == 4
    assert len(calls) == 1
