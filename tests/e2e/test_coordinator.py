"""The coordinator's journey in a real browser: cohort, people, session, attendance, batch print."""

import io
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from lms.auth.models import User
from lms.catalog.models import Course
from lms.coordination import services as coordination
from lms.extensions import db

from .conftest import screenshot, sign_in
from .test_accessibility import WCAG_AA


@pytest.mark.parametrize("language", ["de", "ar"])
def test_cohort_attendance_to_printed_certificates(page, base_url, live_app, account, language):
    coordinator = account("coordinator", language, "Kemal Koordinator")
    learner = account("learner", "ar", "Mohammed Al-Ahmad", "محمد الأحمد")
    with live_app.app_context():
        admin = db.session.scalar(select(User).where(User.role == "admin")) or db.session.scalar(select(User))
        organisation = coordination.create_organisation(f"Kulturverein Brücke {language}", "Köln", admin)
        coordination.add_member(
            organisation, db.session.scalar(select(User).where(User.email == coordinator)), True, admin
        )
        # The learner signed up on their own and belongs to the association: a coordinator only
        # takes into cohorts people of the organisations they coordinate.
        coordination.add_member(organisation, db.session.scalar(select(User).where(User.email == learner)))
        db.session.commit()
        organisation_id = organisation.id
        course_id = db.session.scalar(select(Course.id).where(Course.slug == "vereinsrecht"))

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base_url, coordinator)
    page.goto(f"{base_url}/coordination/organisations/{organisation_id}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    page.locator("details summary").first.click()
    page.fill("#name", "Abendkurs März")
    page.select_option("#course", str(course_id))
    page.select_option("#kind", "event")
    page.fill("#starts_on", "2026-03-02")
    page.fill("#ends_on", "2026-03-09")
    page.fill("#place", "Köln-Ehrenfeld")
    page.locator("form[action$='/cohorts'] button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Abendkurs März")

    page.fill("#email", learner)
    page.locator("form[action$='/members'] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text("Mohammed Al-Ahmad")
    page.locator("details summary").first.click()
    page.fill("#held_on", "2026-03-02")
    page.fill("#title", "Gründung")
    page.fill("#units", "3")
    page.locator("form[action$='/sessions'] button[type=submit]").click()
    page.locator("table.attendance input[type=checkbox]").first.check()
    page.locator("form[action$='/attendance'] button[type=submit]").click()
    expect(page.locator("table.attendance input[type=checkbox]").first).to_be_checked()
    screenshot(page, f"cohort-{language}")
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()

    page.locator("form[action$='/certificates'] button[type=submit]").click()
    with page.expect_download() as download_info:
        page.locator("a[href$='/certificates.pdf']").first.click()
    pages = PdfReader(io.BytesIO(Path(download_info.value.path()).read_bytes())).pages
    assert len(pages) == 1
    text = pages[0].extract_text()
    assert "Teilnahmebescheinigung" in text and "محمد الأحمد" in text and "Köln-Ehrenfeld" in text

    page.goto(f"{base_url}/coordination/organisations/{organisation_id}")
    expect(page.locator("main")).to_contain_text("Mohammed Al-Ahmad")
    expect(page.locator("figure.chart svg").first).to_be_visible()
    screenshot(page, f"organisation-{language}")
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
