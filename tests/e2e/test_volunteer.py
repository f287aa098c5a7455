"""The volunteer's journey in a real browser, in German and in Arabic."""

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import screenshot

CASES = {
    "de": {"name": "Ayşe Yılmaz", "native": "", "dir": "ltr", "enrol": "Einschreiben|einschreiben"},
    "ar": {"name": "Mohammed Al-Ahmad", "native": "محمد الأحمد", "dir": "rtl", "enrol": None},
}


@pytest.mark.parametrize("language", ["de", "ar"])
def test_sign_up_to_verified_certificate(page, base_url, language):
    case = CASES[language]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + "/")
    page.locator(f"button[name=lang][value={language}]").click()
    expect(page.locator("html")).to_have_attribute("dir", case["dir"])
    screenshot(page, f"catalogue-{language}")

    page.goto(base_url + "/signup")
    page.fill("#email", f"journey-{language}@example.org")
    page.fill("#password", "ein-sicheres-passwort")
    page.fill("#confirm", "ein-sicheres-passwort")
    page.fill("#legal_name", case["name"])
    page.fill("#native_name", case["native"])
    expect(page.locator("#locale")).to_have_value(language)
    page.locator("main form button[type=submit]").click()

    page.goto(base_url + "/courses/demo-kurs")
    screenshot(page, f"course-{language}")
    page.locator("form[action$='/enrol'] button").click()
    expect(page).to_have_url(re.compile(r"/courses/demo-kurs/erstes-modul$"))
    expect(page.locator("a.term[lang=de]").first).to_have_text("Vereinsregister")
    screenshot(page, f"module-{language}")

    # First attempt wrong, then right.
    page.locator("input[name=q-mitglieder][value='0']").check()
    page.locator("form[action$='/quiz'] button[type=submit]").click()
    expect(page.locator(".result-bad")).to_be_visible()
    expect(page.locator(".explanation").first).to_be_visible()
    screenshot(page, f"quiz-result-{language}")
    page.locator(".read-again a").click()  # back to the section that teaches the question
    expect(page).to_have_url(re.compile(r"/courses/demo-kurs/erstes-modul#sec-eintragung$"))
    expect(page.locator("#sec-eintragung")).to_be_in_viewport()
    page.go_back()
    page.locator("a.button[href*='#quiz-title']").click()
    page.locator("input[name=q-mitglieder][value='1']").check()
    page.locator("input[name=q-pflichtangaben][value='0']").check()
    page.locator("input[name=q-pflichtangaben][value='1']").check()
    page.locator("form[action$='/quiz'] button[type=submit]").click()
    expect(page.locator(".result-ok")).to_be_visible()

    page.goto(base_url + "/courses/demo-kurs/zweites-modul")
    if language == "ar":
        expect(page.locator("p.note")).to_be_visible()  # German fallback, said in Arabic
    page.fill("input[name=q-ueberschuss]", "12,3,4")  # a typo: asked again, nothing scored
    page.locator("form[action$='/quiz'] button[type=submit]").click()
    expect(page.locator(".error-summary[role=alert]")).to_be_visible()
    field = page.locator("input[name=q-ueberschuss]")
    expect(field).to_have_value("12,3,4")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#" + field.get_attribute("aria-describedby"))).to_contain_text("12,3,4")
    field.fill("250,00")
    page.locator("form[action$='/quiz'] button[type=submit]").click()
    expect(page.locator(".result-ok")).to_be_visible()

    page.goto(base_url + "/me")
    screenshot(page, f"dashboard-{language}")
    with page.expect_download() as download_info:
        page.locator("a[href$='.pdf']").click()
    pdf_bytes = Path(download_info.value.path()).read_bytes()
    text = PdfReader(io.BytesIO(pdf_bytes)).pages[0].extract_text()
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", text).group(0)
    assert case["name"] in text
    if case["native"]:
        assert case["native"] in text

    page.locator("header form[action$='/logout'] button").click()
    page.goto(base_url + "/verify")
    page.fill("#code", code.lower().replace("-", " "))
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".result-ok")).to_be_visible()
    expect(page.locator("main")).to_contain_text(case["name"])
    expect(page.locator("main")).to_contain_text(code)
    screenshot(page, f"verify-{language}")
