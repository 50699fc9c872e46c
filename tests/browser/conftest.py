"""Options of the browser test (tests/browser/test_horizon.py); each also comes from an environment variable.

    --horizon-url     HORIZON_URL          the dashboard, e.g. http://10.0.0.11/horizon/ (default: the host of the
                                           clouds.yaml's admin auth_url, its scheme, /horizon/)
    --clouds-yaml     HORIZON_CLOUDS_YAML  the deployment's clouds.yaml (artifacts directory) with the users' passwords
                                           (default OS_CLIENT_CONFIG_FILE)
    --demo-cloud      HORIZON_DEMO_CLOUD   the demo user's entry there (default demo)
    --admin-cloud     HORIZON_ADMIN_CLOUD  the admin's entry (default admin)
    --output-dir      HORIZON_OUTPUT_DIR   where each page is saved as a PNG (default .cache/browser)
    --computes        HORIZON_COMPUTES     compute hosts Admin > Hypervisors must list, comma-separated (default:
                                           at least two hypervisors)
    --load-balancer   HORIZON_LOAD_BALANCER
                                           a day-1 load balancer Project > Network > Load Balancers must show
                                           Active and Online (default: none, for a cloud without Octavia)
    --chromium, --chromedriver             HORIZON_CHROMIUM, HORIZON_CHROMEDRIVER (Debian's /usr/bin/chromium and
                                           /usr/bin/chromedriver)
The day-1 names (server, networks, router, flavor, image) default to inventories/example's. Instead of the
clouds.yaml, the environment may give HORIZON_DEMO_USER, HORIZON_DEMO_PASSWORD, HORIZON_ADMIN_USER and
HORIZON_ADMIN_PASSWORD (environment only: a password on a command line shows in the process list).
"""

import os

OPTIONS = (
    ('horizon-url', 'HORIZON_URL', ''),
    ('clouds-yaml', 'HORIZON_CLOUDS_YAML', os.environ.get('OS_CLIENT_CONFIG_FILE', '')),
    ('demo-cloud', 'HORIZON_DEMO_CLOUD', 'demo'),
    ('admin-cloud', 'HORIZON_ADMIN_CLOUD', 'admin'),
    ('output-dir', 'HORIZON_OUTPUT_DIR', os.path.join('.cache', 'browser')),
    ('computes', 'HORIZON_COMPUTES', ''),
    ('chromium', 'HORIZON_CHROMIUM', '/usr/bin/chromium'),
    ('chromedriver', 'HORIZON_CHROMEDRIVER', '/usr/bin/chromedriver'),
    ('server', 'HORIZON_SERVER', 'demo-web01'),
    ('networks', 'HORIZON_NETWORKS', 'ext_net,demo_private01'),
    ('router', 'HORIZON_ROUTER', 'DEMO_R1'),
    ('flavor', 'HORIZON_FLAVOR', 'm1.tiny'),
    ('image', 'HORIZON_IMAGE', 'gureum-guest'),
    ('network', 'HORIZON_NETWORK', 'demo_private01'),
    ('load-balancer', 'HORIZON_LOAD_BALANCER', ''),
    ('timeout', 'HORIZON_TIMEOUT', '180'),
)


def pytest_addoption(parser):
    group = parser.getgroup('horizon', 'the dashboard under test')
    for name, env, default in OPTIONS:
        group.addoption('--' + name, dest=name.replace('-', '_'), default=os.environ.get(env, default),
                        help='(env %s)' % env)
