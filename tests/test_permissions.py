"""Every endpoint × every role, built from the URL map: a new endpoint needs an entry."""

import io

import pytest

from lms.certificates.services import issue_certificate
from lms.extensions import db
from lms.learning.services import enrol
from tests.conftest import form_token

ROLES = ("anonymous", "learner", "trainer", "coordinator", "admin")
LOGIN = "login"  # redirect to the login page

COORDINATORS = {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 200, "admin": 200}
ADMIN_ONLY = {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 403, "admin": 200}
ADMIN_ONLY_303 = {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 403, "admin": 303}

# endpoint -> (method, url, {role: expected status})
MATRIX = {
    "catalog.index": ("GET", "/", dict.fromkeys(ROLES, 200)),
    "catalog.show_course": ("GET", "/courses/demo-kurs", dict.fromkeys(ROLES, 200)),
    "auth.signup": ("GET", "/signup", {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)}),
    "auth.login": ("GET", "/login", {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)}),
    "auth.logout": ("POST", "/logout", dict.fromkeys(ROLES, 302)),
    "auth.forgot_password": ("GET", "/password/forgot", {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)}),
    "auth.reset_password": ("GET", "/password/reset/not-a-valid-link", dict.fromkeys(ROLES, 400)),
    "admin.create_reset_link": ("POST", "/admin/users/{owner_id}/reset-link", ADMIN_ONLY),
    "privacy.notice": ("GET", "/privacy", dict.fromkeys(ROLES, 200)),
    "privacy.download_data": ("GET", "/me/data.zip", {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 200)}),
    "privacy.delete_account": ("GET", "/me/delete", {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 200)}),
    "admin.audit_log": ("GET", "/admin/audit", ADMIN_ONLY),
    "auth.profile": ("GET", "/profile", {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 200)}),
    "learning.enrol": (
        "POST",
        "/courses/demo-kurs/enrol",
        {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 302)},
    ),
    "learning.show_module": (
        "GET",
        "/courses/demo-kurs/erstes-modul",
        {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 200)},
    ),
    "learning.side_by_side": (
        "GET",
        "/courses/demo-kurs/erstes-modul/side-by-side?lang=ar",
        {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 200)},
    ),
    "learning.handout": (
        "GET",
        "/courses/demo-kurs/erstes-modul/handout.pdf",
        {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 200)},
    ),
    "catalog.glossary": ("GET", "/courses/demo-kurs/glossary", dict.fromkeys(ROLES, 200)),
    "learning.dashboard": ("GET", "/me", {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 200)}),
    # An empty submission without the form's token is refused for everyone signed in.
    "quizzes.submit_attempt": (
        "POST",
        "/courses/demo-kurs/erstes-modul/quiz",
        {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 400)},
    ),
    # The attempt belongs to the owner (a learner); only the owner and admins may read it. The
    # coordinator coordinates the owner's organisation and may download the owner's certificates.
    "quizzes.show_attempt": (
        "GET",
        "/attempts/{attempt_id}",
        {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 403, "admin": 200, "owner": 200},
    ),
    "certificates.download_pdf": (
        "GET",
        "/certificates/{code}.pdf",
        {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 200, "admin": 200, "owner": 200},
    ),
    "certificates.download_credential": (
        "GET",
        "/certificates/{code}.json",
        {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 200, "admin": 200, "owner": 200},
    ),
    "certificates.issuer_document": ("GET", "/.well-known/credential-issuer.json", dict.fromkeys(ROLES, 200)),
    "certificates.verify_form": ("GET", "/verify", dict.fromkeys(ROLES, 200)),
    "certificates.verify": ("GET", "/verify/{code}", dict.fromkeys(ROLES, 200)),
    "i18n.switch_language": ("POST", "/language", dict.fromkeys(ROLES, 302)),
    "admin.list_users": (
        "GET",
        "/admin/users",
        {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 403, "admin": 200},
    ),
    "admin.change_role": (
        "POST",
        "/admin/users/{owner_id}/role",
        {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 403, "admin": 302},
    ),
    "certificate_admin.list_certificates": (
        "GET",
        "/admin/certificates",
        {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 403, "admin": 200},
    ),
    "certificate_admin.revoke_certificate": (
        "POST",
        "/admin/certificates/{code}/revoke",
        {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 403, "admin": 303},
    ),
    "certificate_admin.reissue_certificate": (
        "POST",
        "/admin/certificates/{code}/reissue",
        {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 403, "admin": 303},
    ),
    "certificate_admin.print_pdf": (
        "GET",
        "/admin/certificates/print.pdf",
        {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 403, "admin": 200},
    ),
    "certificate_admin.export_certificates": (
        "GET",
        "/admin/certificates/list.xlsx",
        {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 403, "admin": 200},
    ),
    "certificate_admin.print_zip": (
        "GET",
        "/admin/certificates/print.zip",
        {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 403, "admin": 200},
    ),
    "certificate_admin.edit_layouts": (
        "GET",
        "/admin/certificates/layouts",
        {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 403, "admin": 200},
    ),
    "certificate_admin.save_layout": (
        "POST",
        "/admin/certificates/layouts/completion",
        {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 403, "admin": 303},
    ),
    "certificate_admin.sample_pdf": (
        "GET",
        "/admin/certificates/layouts/attendance/sample.pdf",
        {"anonymous": LOGIN, "learner": 403, "trainer": 403, "coordinator": 403, "admin": 200},
    ),
    "trainer.list_courses": (
        "GET",
        "/trainer/courses",
        {"anonymous": LOGIN, "learner": 403, "trainer": 200, "coordinator": 403, "admin": 200},
    ),
    "trainer.show_upload": (
        "GET",
        "/trainer/uploads/{token}",
        {"anonymous": LOGIN, "learner": 403, "trainer": 200, "coordinator": 403, "admin": 404},
    ),
    "trainer.publish_upload": (
        "POST",
        "/trainer/uploads/{token}/publish",
        {"anonymous": LOGIN, "learner": 403, "coordinator": 403, "admin": 404, "trainer": 303},
    ),
    "trainer.discard_upload": (
        "POST",
        "/trainer/uploads/{token}/discard",
        {"anonymous": LOGIN, "learner": 403, "coordinator": 403, "admin": 404, "trainer": 303},
    ),
    "trainer.download_course": (
        "GET",
        "/trainer/courses/demo-kurs.zip",
        {"anonymous": LOGIN, "learner": 403, "trainer": 200, "coordinator": 403, "admin": 200},
    ),
    "trainer.toggle_visibility": (
        "POST",
        "/trainer/courses/demo-kurs/visibility",
        {"anonymous": LOGIN, "learner": 403, "trainer": 303, "coordinator": 403, "admin": 303},
    ),
    "trainer.show_changes": (
        "GET",
        "/trainer/courses/demo-kurs/changes",
        {"anonymous": LOGIN, "learner": 403, "trainer": 200, "coordinator": 403, "admin": 200},
    ),
    "trainer.show_languages": (
        "GET",
        "/trainer/courses/demo-kurs/languages",
        {"anonymous": LOGIN, "learner": 403, "trainer": 200, "coordinator": 403, "admin": 200},
    ),
    "catalog.module_media": ("GET", "/media/demo-kurs/01-erstes-modul/schema.png", dict.fromkeys(ROLES, 200)),
    "quizzes.item_analysis": (
        "GET",
        "/trainer/courses/demo-kurs/item-analysis",
        {"anonymous": LOGIN, "learner": 403, "trainer": 200, "coordinator": 403, "admin": 200},
    ),
    "quizzes.export_item_analysis": (
        "GET",
        "/trainer/courses/demo-kurs/item-analysis.csv",
        {"anonymous": LOGIN, "learner": 403, "trainer": 200, "coordinator": 403, "admin": 200},
    ),
    # Coordination: coordinators of the organisation and admins; everyone else is refused.
    "coordination.index": ("GET", "/coordination", COORDINATORS),
    "coordination.create_organisation": ("POST", "/coordination/organisations", ADMIN_ONLY_303),
    "coordination.add_coordinator": (
        "POST",
        "/coordination/organisations/{organisation_id}/coordinators",
        ADMIN_ONLY_303,
    ),
    "coordination.show_organisation": ("GET", "/coordination/organisations/{organisation_id}", COORDINATORS),
    "coordination.export_people": ("GET", "/coordination/organisations/{organisation_id}/people.csv", COORDINATORS),
    "coordination.create_cohort": (
        "POST",
        "/coordination/organisations/{organisation_id}/cohorts",
        {**COORDINATORS, "coordinator": 303, "admin": 303},
    ),
    "coordination.start_import": ("GET", "/coordination/organisations/{organisation_id}/import", COORDINATORS),
    # Without a checked list there is nothing to confirm.
    "coordination.confirm_import": (
        "POST",
        "/coordination/organisations/{organisation_id}/import/confirm",
        {**COORDINATORS, "coordinator": 400, "admin": 400},
    ),
    "auth.accept_invitation": ("GET", "/invitation/not-a-valid-link", dict.fromkeys(ROLES, 400)),
    # Without a mail server there is nothing to send (404) — for those allowed to ask at all.
    "coordination.send_invitations": (
        "POST",
        "/coordination/organisations/{organisation_id}/invitations",
        {**COORDINATORS, "coordinator": 404, "admin": 404},
    ),
    "coordination.show_cohort": ("GET", "/coordination/cohorts/{cohort_id}", COORDINATORS),
    "coordination.export_attendance": ("GET", "/coordination/cohorts/{cohort_id}/attendance.csv", COORDINATORS),
    "evaluation.show_report": ("GET", "/coordination/evaluation", ADMIN_ONLY),
    "evaluation.export_report": ("GET", "/coordination/evaluation.csv", ADMIN_ONLY),
    "evaluation.print_report": ("GET", "/coordination/evaluation.pdf", ADMIN_ONLY),
    "coordination.add_cohort_member": (
        "POST",
        "/coordination/cohorts/{cohort_id}/members",
        {**COORDINATORS, "coordinator": 303, "admin": 303},
    ),
    "coordination.add_session": (
        "POST",
        "/coordination/cohorts/{cohort_id}/sessions",
        {**COORDINATORS, "coordinator": 303, "admin": 303},
    ),
    "coordination.save_attendance": (
        "POST",
        "/coordination/cohorts/{cohort_id}/attendance",
        {**COORDINATORS, "coordinator": 303, "admin": 303},
    ),
    "coordination.issue_certificates": (
        "POST",
        "/coordination/cohorts/{cohort_id}/certificates",
        {**COORDINATORS, "coordinator": 303, "admin": 303},
    ),
    "coordination.print_cohort": ("GET", "/coordination/cohorts/{cohort_id}/certificates.pdf", COORDINATORS),
    "coordination.print_cohort_zip": ("GET", "/coordination/cohorts/{cohort_id}/certificates.zip", COORDINATORS),
    "static": ("GET", "/static/css/site.css", dict.fromkeys(ROLES, 200)),
}

FORM_DATA = {
    "auth.profile": {},
    "i18n.switch_language": {"lang": "en"},
    "admin.change_role": {"role": "trainer"},
    "certificate_admin.revoke_certificate": {"reason": "Test"},
    "coordination.create_organisation": {"name": "Neue MSO", "city": "Bonn"},
    "coordination.add_coordinator": {"email": "nobody@example.org"},
    "coordination.add_session": {"held_on": "2026-05-04", "units": "2"},
    "certificate_admin.reissue_certificate": {"reason": "Test"},
    "certificate_admin.save_layout": {"completion-orientation": "landscape", "completion-footer": "Test"},
}


def test_every_endpoint_has_an_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(MATRIX), f"missing: {endpoints - set(MATRIX)}, stale: {set(MATRIX) - endpoints}"


@pytest.fixture
def world(app, synced, create_user):
    """An owner with an attempt and a certificate, plus one account per role."""
    from lms.catalog.models import Course, Module
    from lms.quizzes.services import submit_attempt

    owner = create_user("learner", email="owner@example.org")
    users = {role: create_user(role, email=f"{role}@example.org") for role in ROLES[1:]}
    with app.app_context():
        course = db.session.scalar(db.select(Course))
        module = db.session.scalar(db.select(Module).where(Module.slug == "erstes-modul"))
        owner_db = db.session.get(type(owner), owner.id)
        enrol(owner_db, course)
        for user in users.values():
            enrol(db.session.get(type(user), user.id), course)
        attempt = submit_attempt(owner_db, module, "de", {"mitglieder": ["1"]}, form_token(owner_db, module))
        certificate = issue_certificate(owner_db, course)
        from lms.coordination import services as coordination

        admin_db = db.session.get(type(owner), users["admin"].id)
        organisation = coordination.create_organisation("MSO", "Köln", admin_db)
        coordination.add_member(organisation, db.session.get(type(owner), users["coordinator"].id), True, admin_db)
        cohort = coordination.create_cohort(organisation, course, "Gruppe", "event", None, None, "", None, admin_db)
        coordination.add_to_cohort(cohort, owner_db)
        session = coordination.add_session(cohort, certificate.legal_status, "Treffen", "2")
        coordination.record_attendance(cohort, {(session.id, owner.id)}, admin_db)
        coordination.issue_attendance_certificates(cohort, admin_db)
        db.session.commit()
        ids = {
            "attempt_id": attempt.id,
            "code": certificate.code,
            "owner_id": owner.id,
            "organisation_id": organisation.id,
            "cohort_id": cohort.id,
            "session_id": session.id,
        }
    # A staged upload belongs to the trainer who made it; others (even admins) get 404.
    with app.test_request_context():
        from lms.catalog.authoring import stage_upload
        from lms.catalog.upload import zip_folder
        from tests.conftest import GOOD_COURSES

        trainer = db.session.get(type(owner), users["trainer"].id)
        archive = io.BytesIO(zip_folder(GOOD_COURSES / "demo-kurs"))
        ids["token"] = stage_upload(archive, "demo-kurs.zip", trainer)
    return owner, users, ids


CASES = [(endpoint, role) for endpoint in sorted(MATRIX) for role in MATRIX[endpoint][2]]


@pytest.mark.parametrize(("endpoint", "role"), CASES)
def test_matrix(app, client, world, endpoint, role):
    method, url, expected = MATRIX[endpoint]
    owner, users, ids = world
    if role == "owner":
        client.login(owner.email)
    elif role != "anonymous":
        client.login(users[role].email)
    url = url.format(**ids)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post_form(url, FORM_DATA.get(endpoint, {}))
    response.close()  # static files are streamed
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == want, response.get_data(as_text=True)[:500]


@pytest.mark.parametrize(
    ("role", "trainer_link", "admin_link"),
    [("learner", False, False), ("trainer", True, False), ("coordinator", False, False), ("admin", True, True)],
)
def test_navigation_follows_the_permission_rule(client, create_user, role, trainer_link, admin_link):
    user = create_user(role, email=f"nav-{role}@example.org")
    client.login(user.email)
    page = client.get("/").get_data(as_text=True)
    assert ('href="/trainer/courses"' in page) is trainer_link
    assert ('href="/admin/users"' in page) is admin_link
