"""The trainer's journey in a real browser: upload, preview side by side, publish, changelog."""

import io
import zipfile

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from lms.catalog.upload import zip_folder

from .conftest import screenshot, sign_in
from .test_accessibility import WCAG_AA


def test_upload_preview_publish(page, base_url, live_app, account):
    email = account("trainer")
    sign_in(page, base_url, email)
    page.goto(base_url + "/trainer/courses")
    archive = zipfile.ZipFile(
        io.BytesIO(zip_folder(__import__("pathlib").Path(live_app.config["COURSES_DIR"]) / "demo-kurs"))
    )
    files = {name: archive.read(name) for name in archive.namelist()}
    files["demo-kurs/02-zweites-modul/de.md"] = files["demo-kurs/02-zweites-modul/de.md"].replace(
        b"ergibt den", b"ergibt im Browser den"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as changed:
        for name, content in files.items():
            changed.writestr(name, content)
    page.set_input_files(
        "#file", files=[{"name": "demo-kurs.zip", "mimeType": "application/zip", "buffer": buffer.getvalue()}]
    )
    page.locator("main form[enctype] button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("demo-kurs")
    expect(page.locator(".preview-text[lang=ar]").first).to_be_visible()
    expect(page.locator(".preview-text[lang=de]").first).to_be_visible()
    screenshot(page, "trainer-preview")
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
    page.locator("form[action$='/publish'] button").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("main table")).to_contain_text("zweites-modul")
    screenshot(page, "trainer-changelog")
