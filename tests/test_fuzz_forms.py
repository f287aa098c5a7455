"""Every form and every search, fuzzed: random and hostile text, huge values, wrong types,
missing fields. Never a server error, and nothing stored carries invisible control text."""

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from lms.auth.models import User
from lms.coordination.models import Cohort, CohortSession, Organisation
from lms.extensions import db
from tests.conftest import Client
from tests.test_permissions import world  # noqa: F401 - a fixture

# Text people might type, plus what an attacker or a broken keyboard sends.
HOSTILE = st.sampled_from(
    [
        "\u202eevil\u202c",  # right-to-left override
        "\u2066isolate\u2069",
        "e\u0301\u0301\u0301",  # stacked combining marks
        "\x00\x07\x1b[31m",
        "\ufeffBOM",
        '=HYPERLINK("http://x")',
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
        "9" * 400,
        "-1",
        "1e309",
        "NaN",
        "2026-02-30",
        "",
        " ",
        "ä" * 5000,
    ]
)
VALUE = st.one_of(HOSTILE, st.text(max_size=300), st.integers().map(str), st.text(max_size=20_000))
VALUES = st.one_of(VALUE, st.lists(VALUE, min_size=2, max_size=3))

# endpoint -> (who, URL, field names); the CSRF token is always valid, so the fuzz reaches the views.
FORMS = {
    "auth.signup": (None, "/signup", ["email", "password", "confirm", "legal_name", "native_name", "locale"]),
    "auth.login": (None, "/login", ["email", "password", "remember"]),
    "auth.forgot_password": (None, "/password/forgot", ["email"]),
    "i18n.switch_language": (None, "/language", ["lang", "next"]),
    "certificates.verify_form": (None, "/verify", ["code"]),
    "auth.profile": ("admin", "/profile", ["legal_name", "native_name", "locale"]),
    "admin.change_role": ("admin", "/admin/users/{owner_id}/role", ["role"]),
    "coordination.create_organisation": ("admin", "/coordination/organisations", ["name", "city"]),
    "coordination.add_coordinator": ("admin", "/coordination/organisations/{organisation_id}/coordinators", ["email"]),
    "coordination.create_cohort": (
        "admin",
        "/coordination/organisations/{organisation_id}/cohorts",
        ["name", "course", "kind", "starts_on", "ends_on", "place"],
    ),
    "coordination.add_cohort_member": ("admin", "/coordination/cohorts/{cohort_id}/members", ["email"]),
    "coordination.add_session": ("admin", "/coordination/cohorts/{cohort_id}/sessions", ["held_on", "title", "units"]),
    "coordination.save_attendance": ("admin", "/coordination/cohorts/{cohort_id}/attendance", ["present"]),
    "coordination.send_invitations": ("admin", "/coordination/organisations/{organisation_id}/invitations", ["user"]),
    "coordination.confirm_import": ("admin", "/coordination/organisations/{organisation_id}/import/confirm", ["token"]),
    "certificate_admin.revoke_certificate": ("admin", "/admin/certificates/{code}/revoke", ["reason"]),
    "certificate_admin.reissue_certificate": ("admin", "/admin/certificates/{code}/reissue", ["reason"]),
    "certificate_admin.save_layout": (
        "admin",
        "/admin/certificates/layouts",
        ["completion-orientation", "completion-footer", "completion-signatory_1_name", "attendance-footer"],
    ),
    "quizzes.submit_attempt": (
        "admin",
        "/courses/demo-kurs/erstes-modul/quiz",
        ["token", "q-mitglieder", "q-pflichtangaben"],
    ),
    "privacy.delete_account": ("admin", "/me/delete", ["certificates", "password"]),
}
SEARCHES = [
    "/admin/users?q={value}",
    "/admin/certificates?q={value}&status={value}&course={value}",
    "/coordination/organisations/{organisation_id}?q={value}&page={value}",
    "/courses/demo-kurs/glossary?q={value}",
    "/verify?code={value}",
    "/admin/audit?action={value}&page={value}",
    "/coordination/evaluation?year={value}&quarter={value}",
    "/trainer/courses/demo-kurs/changes?page={value}",
    "/coordination?page={value}",
]

CLEAN = re.compile("[\u202a-\u202e\u2066-\u2069\ufeff\x00-\x08\x0b-\x1f]")


def _clean(text):
    return text is None or (not CLEAN.search(text) and unicodedata.is_normalized("NFC", text))


def _stored_text_is_clean():
    texts = []
    for user in db.session.scalars(select(User)):
        texts += [user.legal_name, user.native_name, user.email]
    for organisation in db.session.scalars(select(Organisation)):
        texts += [organisation.name, organisation.city]
    for cohort in db.session.scalars(select(Cohort)):
        texts += [cohort.name, cohort.place]
    texts += [s.title for s in db.session.scalars(select(CohortSession))]
    return [t for t in texts if not _clean(t)]


def test_the_fuzzed_forms_are_all_posting_forms(app):
    """A form endpoint the fuzz does not know fails here (like the permission matrix)."""
    posting = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    without_fields = {
        "auth.logout",
        "learning.enrol",
        "admin.create_reset_link",
        "trainer.publish_upload",
        "trainer.discard_upload",
        "trainer.toggle_visibility",
        "coordination.issue_certificates",
        "auth.accept_invitation",
        "auth.reset_password",  # token links: tested with their own forms
        "trainer.list_courses",
        "coordination.start_import",
    }  # uploads: tests/catalog, tests/coordination
    assert posting - without_fields - set(FORMS) == set()


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_form_never_fails_on_garbage(app, world, endpoint):  # noqa: F811 - the fixture
    owner, users, ids = world
    who, url, fields = FORMS[endpoint]
    client = Client(app.test_client())
    if who:
        client.login(users[who].email)
    token = client.csrf_token()
    url = url.format(**ids)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.dictionaries(st.sampled_from(fields + ["unexpected"]), VALUES, max_size=len(fields) + 1))
    def post(data):
        if endpoint == "privacy.delete_account":
            data.pop("password", None)  # a fuzzed password never matches; keep the admin's account
            data["password"] = "nicht das Passwort"
        response = client.post(url, data={**data, "csrf_token": token})
        response.close()
        assert response.status_code < 500, (data, response.status_code)

    post()
    with app.app_context():
        assert _stored_text_is_clean() == []


@pytest.mark.parametrize("search", SEARCHES)
def test_search_never_fails_on_garbage(app, world, search):  # noqa: F811 - the fixture
    owner, users, ids = world
    client = Client(app.test_client())
    client.login(users["admin"].email)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(VALUE.filter(lambda v: len(v) < 3000))
    def get(value):
        from urllib.parse import quote

        response = client.get(search.format(value=quote(value, safe=""), **ids))
        response.close()
        assert response.status_code < 500, (value, response.status_code)

    get()
