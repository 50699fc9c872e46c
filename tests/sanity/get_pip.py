"""Stand-in for get-pip.py, which ansible-test downloads from a host these machines cannot reach.

ansible-test runs this file inside each fresh sanity virtualenv with get-pip's arguments
(``--disable-pip-version-check pip==X ... --no-setuptools --no-wheel``). It does what get-pip does
with what is reachable: bootstrap pip from the interpreter's ensurepip, then install the requested
versions from the package index.
"""

import ensurepip
import subprocess
import sys

GET_PIP_ONLY = ('--no-setuptools', '--no-wheel')

ensurepip.bootstrap(upgrade=True)
args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install', '--quiet'] + args))
