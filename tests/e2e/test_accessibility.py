"""Accessibility (WCAG 2.1 AA via axe-core), phones at 360 px, page weight, keyboard use."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from lms.catalog.models import Course, Module
from lms.extensions import db
from lms.learning.services import enrol
from lms.quizzes.services import submit_attempt
from tests.conftest import PASSWORD, form_token

from .conftest import screenshot, sign_in

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PAGE_BUDGET = 60 * 1024  # HTML + CSS + JS of one page, fonts excluded
FONT_BUDGET = 300 * 1024  # all fonts of a first visit


@pytest.fixture(scope="session")
def world(live_app):
    """Per language: a learner with attempts and a certificate, and an admin."""
    from lms.auth.services import create_user

    people = {}
    with live_app.app_context():
        demo = db.session.scalar(select(Course).where(Course.slug == "demo-kurs"))
        curriculum = db.session.scalar(select(Course).where(Course.slug == "vereinsrecht"))
        first, second = db.session.scalars(
            select(Module).where(Module.course_id == demo.id).order_by(Module.position)
        ).all()
        for language in ("de", "ar"):
            learner = create_user(
                f"a11y-{language}@example.org", PASSWORD, "Mohammed Al-Ahmad", "محمد الأحمد", language
            )
            admin = create_user(f"a11y-admin-{language}@example.org", PASSWORD, "Admin", None, language, "admin")
            trainer = create_user(
                f"a11y-trainer-{language}@example.org", PASSWORD, "Trainer", None, language, "trainer"
            )
            enrol(learner, demo)
            enrol(learner, curriculum)
            failed = submit_attempt(learner, first, language, {"mitglieder": ["0"]}, form_token(learner, first))
            submit_attempt(
                learner,
                first,
                language,
                {"mitglieder": ["1"], "pflichtangaben": ["0", "1"]},
                form_token(learner, first),
            )
            submit_attempt(learner, second, language, {"ueberschuss": ["250"]}, form_token(learner, second))
            db.session.flush()
            from lms.certificates.services import valid_certificate

            code = valid_certificate(learner, demo).display_code
            people[language] = {
                "learner": learner.email,
                "admin": admin.email,
                "trainer": trainer.email,
                "attempt": failed.id,
                "code": code,
            }
        db.session.commit()
    return people


def pages(people):
    """(page type, who, path) for every kind of page the site has."""
    return [
        ("catalogue", None, "/"),
        ("course", None, "/courses/vereinsrecht"),
        ("login", None, "/login"),
        ("signup", None, "/signup"),
        ("verify-form", None, "/verify"),
        ("verify-unknown", None, "/verify/AAAA-BBBB-CCCC-DDDD"),
        ("verify-valid", None, f"/verify/{people['code']}"),
        ("not-found", None, "/gibt-es-nicht"),
        ("module", "learner", "/courses/vereinsrecht/verein-gruenden"),
        ("module-fallback", "learner", "/courses/demo-kurs/zweites-modul"),
        ("quiz-result", "learner", f"/attempts/{people['attempt']}"),
        ("dashboard", "learner", "/me"),
        ("profile", "learner", "/profile"),
        ("admin-users", "admin", "/admin/users"),
        ("admin-certificates", "admin", "/admin/certificates"),
        ("certificate-layouts", "admin", "/admin/certificates/layouts"),
        ("trainer-courses", "trainer", "/trainer/courses"),
        ("trainer-changelog", "trainer", "/trainer/courses/demo-kurs/changes"),
        ("item-analysis", "trainer", "/trainer/courses/demo-kurs/item-analysis"),
        ("trainer-translations", "trainer", "/trainer/courses/vereinsrecht/languages"),
        ("glossary", None, "/courses/vereinsrecht/glossary"),
        ("glossary-search", None, "/courses/vereinsrecht/glossary?q=verein"),
        ("side-by-side", "learner", "/courses/vereinsrecht/verein-gruenden/side-by-side?lang=ar"),
        ("side-by-side-choice", "learner", "/courses/demo-kurs/zweites-modul/side-by-side"),
        ("forgotten-password", None, "/password/forgot"),
        ("privacy", None, "/privacy"),
        ("delete-account", "learner", "/me/delete"),
        ("audit-log", "admin", "/admin/audit"),
    ]


def _open(page, base_url, people, who, path, language):
    if who:
        sign_in(page, base_url, people[who])
    else:
        page.context.add_cookies([{"name": "lang", "value": language, "url": base_url}])
    page.goto(base_url + path)


@pytest.mark.parametrize("language", ["de", "ar"])
@pytest.mark.parametrize("width", [360, 1280])
def test_every_page_type_is_accessible_and_fits(browser, base_url, world, language, width):
    people = world[language]
    failures = []
    for name, who, path in pages(people):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        _open(page, base_url, people, who, path, language)
        assert page.locator("html").get_attribute("lang") == language, name
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        if width == 1280:
            results = Axe().run(page, options=WCAG_AA)
            if results.violations_count:
                failures.append(f"{name} ({language}): {results.generate_report()}")
        else:
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                failures.append(f"{name} ({language}) scrolls sideways by {overflow}px at 360px")
        screenshot(page, f"{name}-{language}")
        context.close()
    assert failures == []


def test_form_errors_are_tied_to_fields_and_announced(page, base_url):
    page.goto(base_url + "/signup")
    page.fill("#email", "keine-adresse")
    page.fill("#password", "kurz")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary[role=alert]")).to_be_visible()
    for field in ("email", "password"):
        described = page.locator(f"#{field}").get_attribute("aria-describedby")
        assert f"{field}-error" in described.split()
        expect(page.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#{field}-error")).to_be_visible()
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_keyboard_only_sign_in_with_visible_focus(page, base_url, world):
    page.goto(base_url + "/login")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    for _ in range(40):  # walk on until the e-mail field has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "email":
            break
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.type(world["de"]["learner"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/me(#main)?$"))


def test_page_weight_and_fonts_within_budget(browser, base_url, world):
    for language in ("de", "ar"):
        people = world[language]
        context = browser.new_context()
        page = context.new_page()
        fonts, others = {}, {}

        def record(response, fonts=fonts, others=others):
            kind = response.request.resource_type
            if kind == "font":
                fonts[response.url] = len(response.body())
            elif kind in ("document", "stylesheet", "script"):
                others[response.url] = len(response.body())

        page.on("response", record)
        sign_in(page, base_url, people["learner"])
        for _name, who, path in pages(people):
            if who in ("admin", "trainer"):
                continue
            others.clear()
            page.goto(base_url + path)
            page.wait_for_load_state("networkidle")
            weight = sum(size for url, size in others.items() if url.startswith(base_url))
            assert weight <= PAGE_BUDGET, f"{path} ({language}) weighs {weight} bytes"
        assert 0 < sum(fonts.values()) <= FONT_BUDGET, fonts
        context.close()


def test_module_page_has_a_print_stylesheet(page, base_url, world):
    sign_in(page, base_url, world["de"]["learner"])
    page.goto(base_url + "/courses/vereinsrecht/verein-gruenden")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".quiz")).to_be_hidden()
    expect(page.locator("article.module")).to_be_visible()
