"""Coordination: scope by organisation (also by URL tampering), cohorts, attendance, attendance
certificates and cohort printing, exports, dashboard figures on known data."""

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from lms.auth.models import User
from lms.catalog.models import Course
from lms.certificates.models import Certificate
from lms.coordination import reports, services
from lms.coordination.models import Cohort, CohortSession, Organisation
from lms.extensions import db
from lms.learning.models import Enrolment, ModuleProgress
from lms.models_mixins import utcnow
from lms.quizzes.models import QuizAttempt


@pytest.fixture
def two_organisations(app, synced, create_user):
    """Organisation A (coordinator ca, learners) and B (coordinator cb, one learner), a cohort in A."""
    admin = create_user(role="admin")
    ca = create_user(role="coordinator", legal_name="Coordinator A")
    cb = create_user(role="coordinator", legal_name="Coordinator B")
    learners = [
        create_user(legal_name=name, native_name=native, locale=lang)
        for name, native, lang in [
            ("Zeynep Çelik", None, "tr"),
            ("Mohammed Al-Ahmad", "محمد الأحمد", "ar"),
            ("Ömer Aydın", None, "de"),
        ]  # fmt: skip
    ]
    outsider = create_user(legal_name="Olena Kovalenko")
    with app.app_context():
        actor = db.session.get(User, admin.id)
        org_a = services.create_organisation("Kulturverein Brücke", "Köln", actor)
        org_b = services.create_organisation("Elternnetzwerk Wuppertal", "Wuppertal", actor)
        services.add_member(org_a, db.session.get(User, ca.id), is_coordinator=True, actor=actor)
        services.add_member(org_b, db.session.get(User, cb.id), is_coordinator=True, actor=actor)
        services.add_member(org_b, db.session.get(User, outsider.id))
        course = db.session.scalar(select(Course))
        cohort = services.create_cohort(
            org_a, course, "Abendkurs März", "event", date(2026, 3, 2), date(2026, 3, 9), "Köln-Ehrenfeld", None, actor
        )
        for learner in learners:
            services.add_to_cohort(cohort, db.session.get(User, learner.id))
        first = services.add_session(cohort, date(2026, 3, 2), "Gründung", "3")
        second = services.add_session(cohort, date(2026, 3, 9), "Satzung", "3")
        db.session.commit()
        ids = {"org_a": org_a.id, "org_b": org_b.id, "cohort": cohort.id, "sessions": (first.id, second.id)}
    return {"admin": admin, "ca": ca, "cb": cb, "learners": learners, "outsider": outsider, **ids}


def test_coordinator_sees_only_own_organisation(client, two_organisations):
    world = two_organisations
    client.login(world["ca"].email)
    own = client.get(f"/coordination/organisations/{world['org_a']}")
    assert own.status_code == 200
    page = own.get_data(as_text=True)
    assert "Zeynep Çelik" in page and "Olena Kovalenko" not in page
    overview = client.get("/coordination").get_data(as_text=True)
    assert "Kulturverein Brücke" in overview and "Elternnetzwerk Wuppertal" not in overview
    # URL tampering: B's pages, exports and the cohort of A seen by B.
    for url in (
        f"/coordination/organisations/{world['org_b']}",
        f"/coordination/organisations/{world['org_b']}/people.csv",
        "/coordination/organisations/99999",
    ):
        assert client.get(url).status_code == 404
    client.post_form("/logout")
    client.login(world["cb"].email)
    for url in (
        f"/coordination/cohorts/{world['cohort']}",
        f"/coordination/cohorts/{world['cohort']}/certificates.pdf",
        f"/coordination/organisations/{world['org_a']}/people.csv",
    ):
        assert client.get(url).status_code == 404
    tampered = client.post_form(f"/coordination/cohorts/{world['cohort']}/attendance", {"present": "1:1"})
    assert tampered.status_code == 404


def test_attendance_certificates_for_those_present(app, client, two_organisations):
    world = two_organisations
    first, second = world["sessions"]
    zeynep, mohammed, omer = world["learners"]
    client.login(world["ca"].email)
    response = client.post_form(
        f"/coordination/cohorts/{world['cohort']}/attendance",
        {"present": [f"{first}:{zeynep.id}", f"{second}:{zeynep.id}", f"{second}:{mohammed.id}"]},
    )
    assert response.status_code == 303
    issued = client.post_form(f"/coordination/cohorts/{world['cohort']}/certificates")
    assert issued.status_code == 303
    client.post_form(f"/coordination/cohorts/{world['cohort']}/certificates")  # twice: still one each
    with app.app_context():
        certificates = db.session.scalars(select(Certificate).where(Certificate.kind == "attendance")).all()
        by_user = {c.user_id: c for c in certificates}
        assert set(by_user) == {zeynep.id, mohammed.id}  # Ömer was never present
        assert by_user[zeynep.id].hours == 6 and by_user[mohammed.id].hours == 3
        assert by_user[mohammed.id].event_start == by_user[mohammed.id].event_end == date(2026, 3, 9)
        assert by_user[zeynep.id].place == "Köln-Ehrenfeld"
    pdf = client.get(f"/coordination/cohorts/{world['cohort']}/certificates.pdf")
    pages = PdfReader(io.BytesIO(pdf.data)).pages
    assert len(pages) == 2  # one page per eligible learner, in the order of the list (by name)
    assert "Mohammed Al-Ahmad" in pages[0].extract_text() and "محمد الأحمد" in pages[0].extract_text()
    assert "Teilnahmebescheinigung" in pages[0].extract_text() and "Zeynep Çelik" in pages[1].extract_text()
    # The coordinator may download the learner's single certificate too; another coordinator may not.
    code = by_user[zeynep.id].code
    assert client.get(f"/certificates/{code}.pdf").status_code == 200
    client.post_form("/logout")
    client.login(world["cb"].email)
    assert client.get(f"/certificates/{code}.pdf").status_code == 403


def test_attendance_form_refuses_sessions_or_people_outside_the_cohort(app, client, two_organisations):
    world = two_organisations
    client.login(world["ca"].email)
    first, _second = world["sessions"]
    for value in (f"{first}:{world['outsider'].id}", f"99999:{world['learners'][0].id}", "x:y"):
        response = client.post_form(f"/coordination/cohorts/{world['cohort']}/attendance", {"present": value})
        assert response.status_code == 400
    with app.app_context():
        assert services.attendance_of(db.session.get(Cohort, world["cohort"])) == set()


def test_people_export_is_excel_ready_and_scoped(client, two_organisations):
    world = two_organisations
    client.login(world["ca"].email)
    response = client.get(f"/coordination/organisations/{world['org_a']}/people.csv")
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff") and ";" in text.splitlines()[0]
    assert "Zeynep Çelik" in text and "محمد الأحمد" in text and "Olena Kovalenko" not in text


def test_names_sort_as_german_and_turkish_readers_expect(app, two_organisations):
    with app.app_context():
        names = [user.legal_name for user in db.session.scalars(services.people_query(two_organisations["org_a"]))]
    # Ç between C and D, Ö between O and P (not after Z as in code point order).
    assert names.index("Coordinator A") < names.index("Zeynep Çelik") or names == sorted(names)
    assert names.index("Mohammed Al-Ahmad") < names.index("Ömer Aydın") < names.index("Zeynep Çelik")


def test_dashboard_figures_on_known_data(app, two_organisations):
    world = two_organisations
    with app.app_context():
        zeynep = db.session.get(User, world["learners"][0].id)
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == zeynep.id))
        enrolment.enrolled_at = utcnow() - timedelta(days=10)
        enrolment.completed_at = utcnow()
        db.session.commit()
        course = db.session.get(Course, enrolment.course_id)
        first, second = course.modules[:2]
        mohammed, outsider = world["learners"][1], world["outsider"]
        # Zeynep passed one module; Mohammed opened one; the outsider (organisation B) passed one.
        db.session.add_all(
            [
                ModuleProgress(user_id=zeynep.id, module_id=first.id, passed_at=utcnow()),
                ModuleProgress(user_id=zeynep.id, module_id=second.id),
                ModuleProgress(user_id=mohammed.id, module_id=first.id),
                ModuleProgress(user_id=outsider.id, module_id=first.id, passed_at=utcnow()),
            ]
        )
        # Three attempts in A, one passed; Mohammed's only attempt is older than the 30 active days.
        for user_id, number, passed, days_ago in [
            (zeynep.id, 1, False, 2),
            (zeynep.id, 2, True, 1),
            (mohammed.id, 1, False, 40),
            (outsider.id, 1, True, 1),
        ]:
            db.session.add(
                QuizAttempt(
                    user_id=user_id, module_id=first.id, module_version=1, number=number, language="de",
                    token=f"t{user_id}-{number}", answers={}, points={}, score=100.0 if passed else 0.0,
                    passed=passed, submitted_at=utcnow() - timedelta(days=days_ago),
                )
            )  # fmt: skip
        db.session.commit()
        (figures,) = reports.course_figures(world["org_a"])
        assert (figures.enrolled, figures.completed, figures.median_days) == (3, 1, 10)
        assert (figures.started, figures.passed_one, figures.active) == (2, 1, 1)
        assert (figures.attempts, figures.passed_attempts, figures.pass_rate) == (3, 1, 1 / 3)
        months = reports.completions_per_month(world["org_a"])
        assert len(months) == 12 and months[-1][1] == 1
        assert reports.course_figures(world["org_b"]) == []


def test_admin_creates_organisations_and_names_coordinators(app, client, synced, create_user):
    admin = create_user(role="admin")
    future = create_user(legal_name="Fatma Koordination")
    client.login(admin.email)
    client.post_form("/coordination/organisations", {"name": "Frauenverein Bochum", "city": "Bochum"})
    duplicate = client.post_form("/coordination/organisations", {"name": "frauenverein  bochum", "city": ""})
    assert duplicate.status_code == 303
    with app.app_context():
        organisation = db.session.scalar(select(Organisation))
        assert db.session.scalar(select(db.func.count()).select_from(Organisation)) == 1
        organisation_id = organisation.id
    client.post_form(f"/coordination/organisations/{organisation_id}/coordinators", {"email": future.email})
    with app.app_context():
        assert db.session.get(User, future.id).role == "coordinator"
    client.post_form("/logout")
    client.login(future.email)
    assert client.get(f"/coordination/organisations/{organisation_id}").status_code == 200


def test_session_form_checks_its_values(client, two_organisations):
    world = two_organisations
    client.login(world["ca"].email)
    bad = client.post_form(f"/coordination/cohorts/{world['cohort']}/sessions", {"held_on": "", "units": "100"})
    assert bad.status_code == 303
    good = client.post_form(
        f"/coordination/cohorts/{world['cohort']}/sessions", {"held_on": "2026-03-16", "units": "2.5", "title": "Kasse"}
    )
    assert good.status_code == 303
    from flask import current_app

    with current_app.app_context() if False else client.application.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(CohortSession)) == 3


def test_people_export_as_excel_workbook_keeps_formulas_as_text(app, client, two_organisations, create_user):
    from openpyxl import load_workbook

    world = two_organisations
    sly = create_user(legal_name='=HYPERLINK("http://example.org")')
    with app.app_context():
        services.add_member(db.session.get(Organisation, world["org_a"]), db.session.get(User, sly.id))
        db.session.commit()
    client.login(world["ca"].email)
    response = client.get(f"/coordination/organisations/{world['org_a']}/people.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Zeynep Çelik" in names and "محمد الأحمد" in [r[1] for r in sheet.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://example.org")' in names  # text, not a formula
    csv_text = client.get(f"/coordination/organisations/{world['org_a']}/people.csv").data.decode("utf-8")
    assert "'=HYPERLINK" in csv_text


def test_attendance_list_exports_one_column_per_session(app, client, two_organisations):
    world = two_organisations
    first, second = world["sessions"]
    zeynep = world["learners"][0]
    client.login(world["ca"].email)
    client.post_form(f"/coordination/cohorts/{world['cohort']}/attendance", {"present": [f"{second}:{zeynep.id}"]})
    text = client.get(f"/coordination/cohorts/{world['cohort']}/attendance.csv").data.decode("utf-8")
    header, *rows = text.lstrip("\ufeff").splitlines()
    assert header.endswith("2026-03-02 Gründung;2026-03-09 Satzung")
    row = next(r for r in rows if r.startswith("Zeynep Çelik"))
    assert row.endswith(";;anwesend")  # absent on the 2nd, present on the 9th
    client.post_form("/logout")
    client.login(world["cb"].email)
    assert client.get(f"/coordination/cohorts/{world['cohort']}/attendance.csv").status_code == 404


def test_unticking_removes_only_the_unticked_attendance(app, client, two_organisations):
    world = two_organisations
    first, second = world["sessions"]
    zeynep, mohammed, _omer = world["learners"]
    client.login(world["ca"].email)
    url = f"/coordination/cohorts/{world['cohort']}/attendance"
    everyone = [f"{first}:{zeynep.id}", f"{second}:{zeynep.id}", f"{first}:{mohammed.id}"]
    client.post_form(url, {"present": everyone})
    client.post_form(url, {"present": [f"{second}:{zeynep.id}"]})
    with app.app_context():
        assert services.attendance_of(db.session.get(Cohort, world["cohort"])) == {(second, zeynep.id)}
