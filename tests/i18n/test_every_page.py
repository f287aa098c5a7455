"""Every page of the site renders in each of the seven languages, with the right lang and dir."""

import re

import pytest

from lms.config import LANGUAGES
from tests.test_permissions import MATRIX, world  # noqa: F401 - world is a fixture

HTML_TAG = re.compile(r'<html lang="([^"]+)" dir="(ltr|rtl)">')


def _pages():
    """(role, url) for every GET page, seen by a role that may open it."""
    pages = []
    for endpoint, (method, url, expected) in sorted(MATRIX.items()):
        if method != "GET" or endpoint == "static":
            continue
        role = next((r for r in ("admin", "owner", "anonymous", "trainer") if expected.get(r) == 200), None)
        if role is not None:
            pages.append((role, url))
    return pages


PAGES = _pages()


def test_the_list_covers_the_main_pages():
    urls = {url for _role, url in PAGES}
    assert {"/", "/me", "/courses/demo-kurs/erstes-modul", "/coordination", "/verify"} <= urls
    assert len(PAGES) >= 30


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_page_in(language, app, client, world):  # noqa: F811 - the fixture
    owner, users, ids = world
    signed_in = None
    problems = []
    for role, url in PAGES:
        if role != signed_in:
            client.post_form("/logout")
            if role != "anonymous":
                client.login(owner.email if role == "owner" else users[role].email)
            client.post_form("/language", {"lang": language})  # saved for the user, or in the cookie
            signed_in = role
        response = client.get(url.format(**ids))
        response.close()  # files are streamed
        if response.status_code != 200:
            problems.append(f"{url} as {role}: {response.status_code}")
            continue
        if not response.mimetype == "text/html":
            continue  # downloads (PDF, CSV, ZIP) are checked by their features' tests
        found = HTML_TAG.search(response.get_data(as_text=True))
        expected = (language, LANGUAGES[language][1])
        if found is None or found.groups() != expected:
            problems.append(f"{url} as {role}: {found.groups() if found else 'no <html>'} != {expected}")
    assert problems == []
