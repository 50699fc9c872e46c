"""What the browser test calls a broken page, as a plain function (no browser needed; tests/unit checks it).

A dashboard that answers with a Django or Apache error page, a traceback or nothing at all is broken even when the
element a step looks for happens to be missing for another reason: the test says which, with the page's own words.
"""

import re

# (pattern, what it means): the first match names the problem
ERROR_MARKERS = (
    (r'Server Error \(500\)', "Django's error page (Server Error (500))"),
    (r'Something went wrong', "Horizon's error page (Something went wrong)"),
    (r'Traceback \(most recent call last\)', 'a Python traceback'),
    (r'Exception Value:', "Django's debug page (Exception Value)"),
    (r'Bad Request \(400\)', 'Bad Request (400): the host name is not in ALLOWED_HOSTS'),
    (r'CSRF verification failed', 'CSRF verification failed (403)'),
    (r'Internal Server Error', "Apache's Internal Server Error (500)"),
    (r'Service Unavailable', 'Service Unavailable (503)'),
    (r'The requested URL was not found on this server', "Apache's Not Found (404)"),
    (r'Page Not Found', "Horizon's Page Not Found (404)"),
    (r'OfflineGenerationError', 'the static files were not compressed for these settings (OfflineGenerationError)'),
)
MIN_TEXT = 20


def page_problem(title, text):
    """A sentence saying why a page (its title and visible text) is an error page or empty, or None if it looks
    like a page of the dashboard."""
    title = title or ''
    text = text or ''
    for pattern, meaning in ERROR_MARKERS:
        for where, value in (('title', title), ('text', text)):
            match = re.search(pattern, value)
            if match:
                start = max(0, match.start() - 80)
                excerpt = ' '.join(value[start:match.end() + 120].split())
                return 'the page is %s; its %s says: %s' % (meaning, where, excerpt)
    if len(text.strip()) < MIN_TEXT:
        return 'the page is empty (title %r, %d characters of text)' % (title, len(text.strip()))
    return None
