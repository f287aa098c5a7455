"""SQL statements per page stay constant as the data grows (no query per row)."""

import datetime
import uuid
from contextlib import contextmanager
from decimal import Decimal

import pytest
from sqlalchemy import event

from lms.auth.models import User
from lms.catalog.models import Course, Module, ModuleText, Question
from lms.certificates.services import issue_certificate
from lms.extensions import db
from lms.learning.services import enrol, record_quiz_result


@contextmanager
def count_queries(app):
    statements = []
    with app.app_context():
        engine = db.engine

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _course(slug, modules):
    course = Course(
        slug=slug,
        source_language="de",
        version="1",
        legal_status=datetime.date(2026, 1, 1),
        pass_mark=80,
        certificate_kind="completion",
        certificate_hours=Decimal(2),
        titles={"de": slug},
        summaries={},
        glossary={},
        content_hash=uuid.uuid4().hex,
    )
    db.session.add(course)
    db.session.flush()
    for position in range(modules):
        module = Module(course_id=course.id, slug=f"m{position}", position=position, content_hash=uuid.uuid4().hex)
        module.texts.append(
            ModuleText(
                language="de",
                title=f"Modul {position}",
                body_html="<p>x</p>",
                questions={"q": {"prompt_html": "<p>?</p>", "options_html": ["a", "b"], "explanation_html": ""}},
                content_hash=uuid.uuid4().hex,
            )
        )
        module.questions.append(Question(key="q", position=0, spec={"type": "single", "options": 2, "correct": [0]}))
        db.session.add(module)
    db.session.flush()
    return course


def _enrol_and_pass(app, user_id, slugs, modules):
    """Enrol the user in new courses of `modules` modules each, all passed, with certificates."""
    with app.app_context():
        user = db.session.get(User, user_id)
        for slug in slugs:
            course = _course(slug, modules)
            enrol(user, course)
            for module in course.modules:
                record_quiz_result(user, module, 100.0, True)
            issue_certificate(user, course)
        db.session.commit()


def _count(app, client, path):
    client.get(path)  # warm the per-worker caches of module texts and titles
    with count_queries(app) as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


@pytest.fixture
def admin_client(client, create_user):
    admin = create_user("admin", email="admin@example.org")
    client.login(admin.email)
    client.user = admin
    return client


PAGES = ["/", "/courses/kurs-0", "/courses/kurs-0/m0", "/me", "/admin/certificates", "/admin/users"]


def test_statements_do_not_grow_with_enrolments(app, admin_client):
    _enrol_and_pass(app, admin_client.user.id, ["kurs-0"], 1)
    one = {path: _count(app, admin_client, path) for path in PAGES}
    _enrol_and_pass(app, admin_client.user.id, [f"kurs-{n}" for n in range(1, 100)], 1)
    hundred = {path: _count(app, admin_client, path) for path in PAGES}
    assert one == hundred


def test_public_pages_read_one_version_once_cached(app, admin_client):
    _enrol_and_pass(app, admin_client.user.id, [f"kurs-{n}" for n in range(100)], 1)
    visitor = app.test_client()
    assert _count(app, visitor, "/") == 1
    assert _count(app, visitor, "/courses/kurs-0") == 1


def test_statements_do_not_grow_with_modules(app, admin_client):
    _enrol_and_pass(app, admin_client.user.id, ["klein"], 1)
    _enrol_and_pass(app, admin_client.user.id, ["gross"], 50)
    for template in ("/courses/{}", "/courses/{}/m0"):
        assert _count(app, admin_client, template.format("klein")) == _count(
            app, admin_client, template.format("gross")
        )


def test_verification_page_is_one_query(app, admin_client):
    from lms.certificates.models import Certificate

    _enrol_and_pass(app, admin_client.user.id, ["kurs-0"], 1)
    with app.app_context():
        code = db.session.scalar(db.select(Certificate.code))
    # Signed in: the user (session), the certificate's row as the page's version, the certificate.
    assert _count(app, admin_client, f"/verify/{code}") <= 3
    # Anonymous, as funders check: the row, and nothing more once the page is cached.
    assert _count(app, app.test_client(), f"/verify/{code}") == 1


def test_coordination_pages_do_not_grow_with_people_or_courses(app, admin_client, create_user):
    from lms.coordination import services as coordination

    with app.app_context():
        admin = db.session.get(User, admin_client.user.id)
        organisation = coordination.create_organisation("MSO Köln", "Köln", admin)
        coordination.add_member(organisation, admin, is_coordinator=True, actor=admin)
        db.session.commit()
        organisation_id = organisation.id
    year = datetime.date.today().year  # the evaluation report counts this year's enrolments
    pages = [f"/coordination/organisations/{organisation_id}", "/coordination", f"/coordination/evaluation?year={year}"]

    def add_people(count, courses):
        people = [create_user(email=f"p{uuid.uuid4().hex[:8]}@example.org") for _ in range(count)]
        for person in people:
            _enrol_and_pass(app, person.id, [f"k-{uuid.uuid4().hex[:6]}" for _ in range(courses)], 1)
        with app.app_context():
            org = db.session.get(type(organisation), organisation_id)
            for person in people:
                coordination.add_member(org, db.session.get(User, person.id))
            db.session.commit()

    add_people(1, 1)
    one = {path: _count(app, admin_client, path) for path in pages}
    add_people(30, 2)
    many = {path: _count(app, admin_client, path) for path in pages}
    assert one == many
