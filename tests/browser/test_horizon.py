"""The dashboard in a real browser (Debian's chromium, headless, driven by selenium), as the study notes use it.

In order: demo logs in; Project > Compute > Instances shows the day-1 server ACTIVE; the network topology draws the
day-1 networks and router; the server's console tab shows the noVNC canvas; with --load-balancer (where Octavia and
octavia-dashboard are deployed), Project > Network > Load Balancers shows it Active and Online; an instance launched
from the dashboard's form goes ACTIVE and is deleted; the admin sees every compute host under Admin > Compute > Hypervisors; a wrong
password gets the login error. Every page is saved as a PNG in the output directory, and every page is checked for a
Django, Horizon or Apache error page, a traceback, or nothing at all (pages.py), besides the element each step looks for.

Not part of the unit tests: run it against a deployed cloud (scripts/e2e does, and `make browser` for the lab);
tests/browser/conftest.py lists the options.
"""

import os
import re
import time

import pytest
import yaml
# selenium is in requirements-test.txt (scripts/setup --test): a missing one fails the test, never skips it
from selenium import webdriver
from selenium.common.exceptions import (NoSuchElementException, StaleElementReferenceException, TimeoutException,
                                        WebDriverException)
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from pages import page_problem


class Dashboard(object):
    """The browser, the dashboard's URL and the output directory; each page visited is checked and saved."""

    def __init__(self, config):
        self.config = config
        self.timeout = int(self.option('timeout'))
        self.out = os.path.abspath(self.option('output_dir'))
        os.makedirs(self.out, exist_ok=True)
        for stale in os.listdir(self.out):   # an earlier run's pages would mix with this run's numbering
            if re.match(r'[0-9]{2}-.*[.]png$', stale):
                os.remove(os.path.join(self.out, stale))
        self.clouds = _clouds(self.option('clouds_yaml'))
        self.url = self.option('horizon_url') or _default_url(self.clouds.get(self.option('admin_cloud')))
        if not self.url.endswith('/'):
            self.url += '/'
        self.shots = 0
        options = Options()
        options.binary_location = self.option('chromium')
        for argument in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--window-size=1400,1000',
                         '--disable-gpu', '--no-first-run'):
            options.add_argument(argument)
        # never ask the network for a driver (selenium-manager): Debian's chromedriver is given
        os.environ.setdefault('SE_OFFLINE', 'true')
        self.driver = webdriver.Chrome(service=Service(executable_path=self.option('chromedriver')), options=options)
        self.driver.set_page_load_timeout(self.timeout)

    def option(self, name):
        return self.config.getoption(name)

    def wait(self, condition, what, timeout=None):
        try:
            # a condition that reads the page while it navigates (a form just submitted) finds a stale element:
            # that is "not yet", not a failure
            return WebDriverWait(self.driver, timeout or self.timeout, poll_frequency=1,
                                 ignored_exceptions=(StaleElementReferenceException,)).until(condition)
        except TimeoutException:
            self.check('timeout')
            raise AssertionError('%s did not happen within %s s on %s'
                                 % (what, timeout or self.timeout, self.driver.current_url))

    def get(self, path):
        self.driver.get(self.url + path.lstrip('/'))

    def check(self, name, save=True):
        """Save the page as NN-name.png (unless ``save`` is false: a page polled again and again), then fail on an
        error page or an empty one."""
        self.driver.switch_to.default_content()
        path = '(not saved)'
        if save:
            self.shots += 1
            path = os.path.join(self.out, '%02d-%s.png' % (self.shots, re.sub(r'[^a-z0-9-]+', '-', name.lower())))
            self.driver.save_screenshot(path)
        try:
            text = self.driver.find_element(By.TAG_NAME, 'body').text
        except NoSuchElementException:
            text = ''
        problem = page_problem(self.driver.title, text)
        assert problem is None, '%s (%s, saved as %s)' % (problem, self.driver.current_url, path)
        return text

    def credentials(self, cloud):
        """(user, password) of a clouds.yaml entry; HORIZON_<DEMO|ADMIN>_USER and _PASSWORD in the environment take
        its place (never an option: a password on a command line shows in the process list)."""
        role = 'DEMO' if cloud == self.option('demo_cloud') else 'ADMIN'
        if os.environ.get('HORIZON_%s_PASSWORD' % role):
            return os.environ.get('HORIZON_%s_USER' % role, role.lower()), os.environ['HORIZON_%s_PASSWORD' % role]
        auth = (self.clouds.get(cloud) or {}).get('auth') or {}
        assert auth.get('username') and auth.get('password'), (
            "the clouds.yaml has no user and password for '%s' (or set HORIZON_%s_USER and HORIZON_%s_PASSWORD)"
            % (cloud, role, role))
        return auth['username'], auth['password']

    def login(self, cloud, password=None):
        username, known = self.credentials(cloud)
        self.get('auth/logout/')
        self.get('auth/login/')
        self.wait(expected_conditions.presence_of_element_located((By.ID, 'id_username')), 'the login form')
        self.check('login-%s' % cloud)
        self.driver.find_element(By.ID, 'id_username').send_keys(username)
        self.driver.find_element(By.ID, 'id_password').send_keys(password or known)
        self.driver.find_element(By.ID, 'loginBtn').click()

    def row(self, name):
        """The row of the instances (or any) table whose display name is ``name``, or None."""
        rows = self.driver.find_elements(By.XPATH, '//tr[@data-display=%s]' % _xpath_literal(name))
        return rows[0] if rows else None

    def instance_status(self, name, save=True):
        self.get('project/instances/')
        self.check('instances', save)
        # Horizon replaces the row of an instance in a passing state (Build, Deleting) each time it polls it: a row
        # found just before that is stale, so it is looked up again
        for attempt in range(5):
            row = self.row(name)
            if row is None:
                return None
            try:
                cells = row.find_elements(By.CSS_SELECTOR, 'td.status_up, td.status_down, td.status_unknown')
                return ' '.join(cell.text for cell in cells) or row.text
            except StaleElementReferenceException:
                if attempt == 4:
                    raise
                time.sleep(1)
        return None

    def quit(self):
        self.driver.quit()


def _xpath_literal(text):
    if "'" not in text:
        return "'%s'" % text
    return 'concat(%s)' % ", \"'\", ".join("'%s'" % part for part in text.split("'"))


def _clouds(path):
    if not path and os.environ.get('HORIZON_DEMO_PASSWORD') and os.environ.get('HORIZON_ADMIN_PASSWORD'):
        return {}
    if not path or not os.path.exists(path):
        pytest.fail('the clouds.yaml with the users\' passwords is needed: --clouds-yaml or HORIZON_CLOUDS_YAML '
                    '(the artifacts directory of the deployment has it), got %r' % (path,))
    with open(path) as handle:
        return (yaml.safe_load(handle) or {}).get('clouds') or {}


def _default_url(cloud):
    # the dashboard is served with the public endpoints' scheme, so the auth_url's scheme is the dashboard's too
    match = re.match(r'^(https?)://([^/:]+|\[[^\]]+\])', ((cloud or {}).get('auth') or {}).get('auth_url', ''))
    if not match:
        pytest.fail('--horizon-url (HORIZON_URL) is needed: the clouds.yaml has no admin auth_url to take the host from')
    return '%s://%s/horizon/' % (match.group(1), match.group(2))


@pytest.fixture(scope='module')
def dash(request):
    dashboard = Dashboard(request.config)
    yield dashboard
    dashboard.quit()


def _logged_in(driver):
    return '/auth/login' not in driver.current_url and '/auth/logout' not in driver.current_url


def test_demo_logs_in(dash):
    dash.login(dash.option('demo_cloud'))
    dash.wait(_logged_in, 'the demo user reaching the dashboard after logging in')
    text = dash.check('demo-overview')
    assert 'Overview' in text or 'Limit Summary' in text, 'the project overview is not shown after logging in'


def test_the_day1_server_is_active(dash):
    name = dash.option('server')
    status = dash.instance_status(name)
    assert status is not None, '%s is not in Project > Compute > Instances' % name
    assert 'Active' in status, '%s is %r in Project > Compute > Instances, not Active' % (name, status)


def test_the_network_topology_draws_the_day1_networks(dash):
    dash.get('project/network_topology/')
    wanted = [n for n in dash.option('networks').split(',') if n] + [dash.option('router')]

    def drawn(driver):
        texts = driver.execute_script(
            "return Array.from(document.querySelectorAll('svg text')).map(function (e) { return e.textContent; });")
        # device names are truncated in the drawing: a long name shows by its start
        missing = [n for n in wanted if not any(t == n or (len(t) > 3 and t.endswith('..') and n.startswith(t[:-2]))
                                                for t in texts)]
        return not missing

    dash.wait(drawn, 'the topology drawing %s' % ', '.join(wanted))
    dash.check('network-topology')


def test_the_console_shows_the_novnc_canvas(dash):
    name = dash.option('server')
    dash.get('project/instances/')
    row = dash.row(name)
    assert row is not None, '%s is not in Project > Compute > Instances' % name
    uuid = row.get_attribute('id').rsplit('__', 1)[-1]
    dash.get('project/instances/%s/?tab=instance_details__console' % uuid)
    frame = dash.wait(expected_conditions.presence_of_element_located((By.ID, 'console_embed')),
                      'the console tab and its frame')
    dash.driver.switch_to.frame(frame)
    try:
        dash.wait(lambda driver: driver.execute_script(
            "var c = document.querySelector('canvas'); return c !== null && c.width > 0 && c.height > 0;"),
            'the noVNC canvas of %s' % name)
    finally:
        dash.driver.switch_to.default_content()
    time.sleep(2)  # the guest's screen drawn into it
    dash.check('console')


def test_the_day1_load_balancer_is_active_and_online(dash):
    name = dash.option('load_balancer')
    if not name:
        pytest.skip('no --load-balancer given (a cloud without Octavia)')
    dash.get('project/load_balancer/')
    # octavia-dashboard's panel is an AngularJS table, filled after the page loads
    xpath = '//tr[.//a[normalize-space(.)=%s]]' % _xpath_literal(name)
    row = dash.wait(expected_conditions.presence_of_element_located((By.XPATH, xpath)),
                    '%s in Project > Network > Load Balancers' % name)
    text = dash.check('load-balancers')
    assert 'Active' in row.text and 'Online' in row.text, (
        '%s is not Active and Online in Project > Network > Load Balancers: %r' % (name, row.text))
    assert name in text


def _click(dash, xpath, what):
    element = dash.wait(expected_conditions.element_to_be_clickable((By.XPATH, xpath)), what)
    dash.driver.execute_script('arguments[0].scrollIntoView({block: "center"});', element)
    try:
        element.click()
    except WebDriverException:
        dash.driver.execute_script('arguments[0].click();', element)


# the transfer table's allocate action: a button whose own classes are 'fa fa-arrow-up' (widgets/action-list)
_ALLOCATE = ('//tr[td[contains(normalize-space(.), %s)]]'
             '//button[contains(@class, "fa-arrow-up") or .//span[contains(@class, "fa-arrow-up")]]')


def _allocate(dash, name, what):
    """In a step of the launch form, move the row ``name`` from the available table to the allocated one."""
    _click(dash, _ALLOCATE % _xpath_literal(name), '%s %s offered in the launch form' % (what, name))


def _step(dash, label):
    _click(dash, '//div[contains(@class, "wizard")]//*[self::a or self::span][normalize-space(.)=%s]'
           % _xpath_literal(label), 'the %s step of the launch form' % label)


def test_an_instance_launched_from_the_form_goes_active_and_is_deleted(dash):
    name = 'browser-%d' % int(time.time())
    dash.get('project/instances/')
    dash.check('instances-before-launch')
    _click(dash, '//*[@id="instances__action_launch-ng"]', 'the Launch Instance button')
    field = dash.wait(expected_conditions.visibility_of_element_located((By.ID, 'name')), 'the launch form')
    field.send_keys(name)
    dash.check('launch-details')
    _step(dash, 'Source')
    _allocate(dash, dash.option('image'), 'the image')
    dash.check('launch-source')
    _step(dash, 'Flavor')
    _allocate(dash, dash.option('flavor'), 'the flavor')
    dash.check('launch-flavor')
    _step(dash, 'Networks')
    # a project with a single network has it allocated already; otherwise it is among the available ones
    buttons = dash.driver.find_elements(By.XPATH, _ALLOCATE % _xpath_literal(dash.option('network')))
    offered = [button for button in buttons if button.is_displayed()]
    if offered:
        _allocate(dash, dash.option('network'), 'the network')
    dash.check('launch-networks')
    _click(dash, '//button[contains(@class, "finish")]', 'the Launch Instance button of the form')
    deadline = time.time() + dash.timeout
    status = None
    while time.time() < deadline:
        status = dash.instance_status(name, save=False)
        if status and ('Active' in status or 'Error' in status):
            break
        time.sleep(5)
    assert status and 'Active' in status, '%s launched from the dashboard is %r, not Active' % (name, status)
    dash.check('launched-active')

    # Horizon's themed checkbox hides the input behind its label: click it as the label's click would
    checkbox = dash.row(name).find_element(By.XPATH, './/input[@type="checkbox"]')
    dash.driver.execute_script('arguments[0].click();', checkbox)
    _click(dash, '//*[@id="instances__action_delete"]', 'the Delete Instances button')
    _click(dash, '//div[contains(@class, "modal")]//*[contains(@class, "btn-danger") or contains(@class, "btn-primary")]'
           '[contains(normalize-space(.), "Delete")]', 'the confirmation of the deletion')
    deadline = time.time() + dash.timeout
    while time.time() < deadline:
        if dash.instance_status(name, save=False) is None:
            break
        time.sleep(5)
    assert dash.instance_status(name) is None, '%s is still listed after its deletion from the dashboard' % name
    dash.check('deleted')


def test_the_admin_sees_every_compute_host(dash):
    dash.login(dash.option('admin_cloud'))
    dash.wait(_logged_in, 'the admin reaching the dashboard after logging in')
    dash.check('admin-overview')
    dash.get('admin/hypervisors/')
    text = dash.check('admin-hypervisors')
    computes = [c for c in dash.option('computes').split(',') if c]
    if computes:
        missing = [c for c in computes if not re.search(r'(?<![\w-])%s(?![\w-])' % re.escape(c), text)]
        assert missing == [], 'Admin > Compute > Hypervisors does not list %s' % ', '.join(missing)
    else:
        rows = dash.driver.find_elements(By.XPATH, '//table[@id="hypervisors"]/tbody/tr[not(contains(@class, "empty"))]')
        assert len(rows) >= 2, 'Admin > Compute > Hypervisors lists %d hypervisor(s), not two' % len(rows)


def test_a_wrong_password_gets_the_login_error(dash):
    dash.login(dash.option('demo_cloud'), password='not-the-password-%d' % int(time.time()))
    dash.wait(lambda driver: 'Invalid credentials' in driver.find_element(By.TAG_NAME, 'body').text,
              'the login error (Invalid credentials)', timeout=60)
    text = dash.check('wrong-password')
    assert 'Invalid credentials' in text, 'the login page does not say Invalid credentials: %r' % text[:300]
    assert '/auth/login' in dash.driver.current_url
