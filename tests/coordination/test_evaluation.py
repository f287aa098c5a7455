"""The anonymised evaluation report: figures on a fixture with known counts, small cells hidden."""

import io
from datetime import UTC, datetime
from decimal import Decimal

from pypdf import PdfReader
from sqlalchemy import select

from lms.auth.models import User
from lms.catalog.models import Course
from lms.certificates.services import issue_certificate, revoke
from lms.coordination import evaluation, services
from lms.extensions import db
from lms.learning.models import Enrolment
from lms.learning.services import enrol

IN_2026 = datetime(2026, 5, 4, 10, tzinfo=UTC)
IN_2025 = datetime(2025, 11, 3, 10, tzinfo=UTC)


def _world(app, create_user):
    """Seven people of a big organisation (Turkish and German), two of a small one, in 2026."""
    admin = create_user(role="admin")
    big = [create_user(legal_name=f"Person {n}", locale="tr" if n < 5 else "de") for n in range(7)]
    small = [create_user(legal_name=f"Klein {n}", locale="ar") for n in range(2)]
    late = create_user(legal_name="Vorjahr", locale="de")
    with app.app_context():
        actor = db.session.get(User, admin.id)
        course = db.session.scalar(select(Course))
        org_big = services.create_organisation("Großer Verein", "Köln", actor)
        org_small = services.create_organisation("Kleiner Verein", "Bonn", actor)
        for people, org in ((big, org_big), (small, org_small)):
            for person in people:
                user = db.session.get(User, person.id)
                services.add_member(org, user)
                enrolment = enrol(user, course)
                enrolment.enrolled_at = IN_2026
        for person in big[:6]:  # six complete and get certificates (one later revoked)
            user = db.session.get(User, person.id)
            enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))
            enrolment.completed_at = IN_2026
            certificate = issue_certificate(user, course)
            certificate.issued_at = IN_2026
        revoke(certificate, "Test", actor)
        old = enrol(db.session.get(User, late.id), course)
        old.enrolled_at = IN_2025
        db.session.commit()
    return admin


def test_figures_and_suppression_on_known_counts(app, synced, create_user):
    _world(app, create_user)
    with app.app_context():
        report = evaluation.build(2026)
        course = db.session.scalar(select(Course))
        units = (course.certificate_hours * 5).normalize()  # five certificates not revoked
        assert report.by_course == [
            (course.title_in("de"), {"participants": 9, "completions": 6, "certificates": 5, "units": units})
        ]
        assert dict(report.by_language) == {
            "ar": {"participants": None, "completions": 0, "certificates": 0, "units": Decimal(0)},
            "de": {"participants": None, "completions": None, "certificates": 0, "units": Decimal(0)},  # revoked
            "tr": {"participants": 5, "completions": 5, "certificates": 5, "units": units},
        }
        assert dict(report.by_organisation)["Kleiner Verein"]["participants"] is None  # two people: hidden
        assert dict(report.by_organisation)["Großer Verein"]["participants"] == 7
        assert report.total["participants"] == 9
        assert evaluation.build(2025).total["participants"] is None  # the one person of 2025
        q2 = evaluation.build(2026, 2)
        assert q2.total["participants"] == 9 and evaluation.build(2026, 1).total["participants"] == 0


def test_csv_and_pdf_carry_no_names(app, client, synced, create_user):
    admin = _world(app, create_user)
    client.login(admin.email)
    page = client.get("/coordination/evaluation", query_string={"year": 2026})
    assert page.status_code == 200 and "Person 1" not in page.get_data(as_text=True)
    csv_text = client.get("/coordination/evaluation.csv", query_string={"year": 2026}).data.decode("utf-8")
    assert csv_text.startswith("\ufeff") and "Kleiner Verein;<5" in csv_text and "Person" not in csv_text
    pdf = client.get("/coordination/evaluation.pdf", query_string={"year": 2026, "quarter": 2})
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Auswertung" in text or "2026 Q2" in text
    assert "Person 1" not in text and "< 5" in text
    assert client.get("/coordination/evaluation", query_string={"year": "abc"}).status_code == 400
    assert client.get("/coordination/evaluation", query_string={"quarter": 5}).status_code == 400


def test_a_quiz_in_the_period_counts_as_participation(app, synced, create_user):
    """Enrolled in 2025, took quizzes in 2026 (twice, in two modules): one participant of 2026."""
    from lms.catalog.models import Module
    from lms.quizzes.services import submit_attempt
    from tests.conftest import form_token

    people = [create_user(email=f"quiz{n}@example.org") for n in range(6)]
    with app.app_context():
        course = db.session.scalar(select(Course))
        modules = db.session.scalars(select(Module).where(Module.course_id == course.id)).all()
        for n, person in enumerate(people):
            user = db.session.get(User, person.id)
            enrol(user, course).enrolled_at = IN_2025
            if n == 5:
                continue  # enrolled in 2025, nothing in 2026
            for module in modules[:2]:
                attempt = submit_attempt(user, module, "de", {}, form_token(user, module))
                attempt.submitted_at = IN_2026
        db.session.commit()
        assert evaluation.build(2026).total["participants"] == 5
        assert evaluation.build(2026, 2).by_course[0][1]["participants"] == 5
        assert evaluation.build(2026, 3).total["participants"] == 0
        assert evaluation.build(2025).total["participants"] == 6


def test_a_person_in_two_courses_counts_once_except_per_course(app, synced, create_user):
    """Six people in both courses, of one organisation: 6 in total, per language and organisation;
    6 in each course."""
    import uuid

    admin = create_user(role="admin")
    people = [create_user(email=f"both{n}@example.org", locale="tr") for n in range(6)]
    with app.app_context():
        first = db.session.scalar(select(Course))
        second = Course(slug="zweiter-kurs", source_language="de", version="1", legal_status=IN_2026.date(),
                        pass_mark=80, certificate_kind="completion", certificate_hours=Decimal(2),
                        titles={"de": "Zweiter Kurs"}, summaries={}, glossary={}, content_hash=uuid.uuid4().hex)
        db.session.add(second)
        organisation = services.create_organisation("Verein", "Köln", db.session.get(User, admin.id))
        for person in people:
            user = db.session.get(User, person.id)
            services.add_member(organisation, user)
            for course in (first, second):
                enrol(user, course).enrolled_at = IN_2026
        db.session.commit()
        report = evaluation.build(2026)
        assert [(name, figures["participants"]) for name, figures in report.by_course] == [
            (first.title_in("de"), 6), ("Zweiter Kurs", 6)]
        assert dict(report.by_language)["tr"]["participants"] == 6
        assert dict(report.by_organisation)["Verein"]["participants"] == 6
        assert report.total["participants"] == 6
