"""The browser test's idea of a broken page (tests/browser/pages.py), without a browser.

The browser test itself runs against a deployed dashboard only (scripts/e2e, make browser), never here.
"""

import importlib.util
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_SPEC = importlib.util.spec_from_file_location('browser_pages', os.path.join(ROOT, 'tests', 'browser', 'pages.py'))
pages = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(pages)

LOGIN = 'Log in\nUser Name\nPassword\nSign In\nOpenStack Dashboard'


@pytest.mark.parametrize('title, text, meaning', [
    ('Server Error (500)', '<h1>Server Error (500)</h1>', r"Django's error page \(Server Error \(500\)\); its title"),
    ('Error - OpenStack Dashboard', 'Something went wrong!\nAn unexpected error has occurred.', "Horizon's error"),
    ('x', 'Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/django/core"', 'a Python traceback'),
    ('KeyError at /horizon/', 'Request Method: GET\nException Value: foo\nDjango Version: 3.2', "Django's debug page"),
    ('', 'Bad Request (400)', 'ALLOWED_HOSTS'),
    ('403 Forbidden', 'Forbidden (403)\nCSRF verification failed. Request aborted.', 'CSRF verification failed'),
    ('500 Internal Server Error', 'Internal Server Error\nThe server encountered an internal error', "Apache's Internal"),
    ('404 Not Found', 'Not Found\nThe requested URL was not found on this server.', "Apache's Not Found"),
    ('OfflineGenerationError at /horizon/auth/login/', 'You have offline compression enabled but key "abc" is missing',
     'OfflineGenerationError'),
    ('', '', 'the page is empty'),
    ('OpenStack Dashboard', '   \n ', r"the page is empty \(title 'OpenStack Dashboard', 0 characters"),
], ids=['django 500', 'horizon 500', 'traceback', 'debug page', 'allowed hosts', 'csrf', 'apache 500', 'apache 404',
        'not compressed', 'nothing', 'blank'])
def test_error_and_empty_pages_are_named(title, text, meaning):
    problem = pages.page_problem(title, text)
    assert problem is not None
    assert re.search(meaning, problem), problem


@pytest.mark.parametrize('title, text', [
    ('Login - OpenStack Dashboard', LOGIN),
    ('Instances - OpenStack Dashboard', 'Project\nCompute\nInstances\ndemo-web01 gureum-guest 172.16.10.5 Active'),
    # the login error is a page of the dashboard, not an error page
    ('Login - OpenStack Dashboard', 'Invalid credentials.\n' + LOGIN),
], ids=['login', 'instances', 'login error'])
def test_dashboard_pages_pass(title, text):
    assert pages.page_problem(title, text) is None


def test_the_excerpt_shows_the_words_around_the_marker():
    problem = pages.page_problem('Instances', 'Project Compute ' * 3 + 'Server Error (500) while listing servers')
    assert 'Server Error (500) while listing servers' in problem
