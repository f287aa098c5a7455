"""Reading aids: the fallback note, side by side with the German source, the glossary, handouts."""

import re
import shutil
import subprocess

import pytest

from lms.catalog.sections import Section, pair_sections, split_sections
from lms.catalog.services import sync_courses
from lms.extensions import db
from tests.conftest import require_tool


def test_sections_split_at_second_level_headings():
    html = '<p>Intro</p>\n<h2 id="sec-a">A</h2>\n<p>a</p>\n<blockquote><h3>x</h3></blockquote><h2>B</h2><p>b</p>'
    sections = split_sections(html)
    assert [s.anchor for s in sections] == [None, "a", None]
    assert "".join(s.html for s in sections) == html


def test_sections_pair_by_anchor_then_by_place():
    source = [Section(None, "intro"), Section("a", "<h2>A"), Section("b", "<h2>B"), Section(None, "<h2>C")]
    # The translation moved B before A, lacks the intro and adds a section of its own.
    reading = [Section("b", "<h2>B'"), Section("a", "<h2>A'"), Section(None, "<h2>C'"), Section(None, "<h2>X")]
    pairs = [(r.html if r else None, s.html if s else None) for r, s in pair_sections(reading, source)]
    assert pairs == [
        (None, "intro"),
        ("<h2>B'", "<h2>B"),
        ("<h2>A'", "<h2>A"),
        ("<h2>C'", "<h2>C"),
        ("<h2>X", None),
    ]


def test_a_source_section_the_translation_lacks_follows_its_predecessor():
    source = [Section("a", "<h2>A"), Section("b", "<h2>B"), Section("c", "<h2>C")]
    reading = [Section("a", "<h2>A'"), Section("c", "<h2>C'")]
    pairs = [(r.html if r else None, s.html) for r, s in pair_sections(reading, source)]
    assert pairs == [("<h2>A'", "<h2>A"), (None, "<h2>B"), ("<h2>C'", "<h2>C")]


def test_sections_without_anchors_pair_by_place():
    source = [Section(None, "<h2>1"), Section(None, "<h2>2")]
    reading = [Section(None, "<h2>eins"), Section(None, "<h2>zwei"), Section(None, "<h2>drei")]
    assert [(r.html, s.html if s else None) for r, s in pair_sections(reading, source)] == [
        ("<h2>eins", "<h2>1"),
        ("<h2>zwei", "<h2>2"),
        ("<h2>drei", None),
    ]


@pytest.fixture
def reader(client, synced, create_user):
    def sign_in(locale):
        user = create_user(locale=locale, email=f"reader-{locale}@example.org")
        client.login(user.email)
        client.post_form("/courses/demo-kurs/enrol")
        return client

    return sign_in


def test_a_missing_translation_names_the_language_and_shows_the_source(reader):
    page = reader("en").get("/courses/demo-kurs/erstes-modul").get_data(as_text=True)
    assert "This module is not yet available in English – you are reading the German version." in page
    assert '<article class="module" lang="de" dir="ltr">' in page
    assert "side-by-side" not in page  # nothing to put beside the source


def test_side_by_side_aligns_the_sections(reader):
    client = reader("ar")
    module_page = client.get("/courses/demo-kurs/erstes-modul").get_data(as_text=True)
    assert "/courses/demo-kurs/erstes-modul/side-by-side" in module_page
    page = client.get("/courses/demo-kurs/erstes-modul/side-by-side").get_data(as_text=True)
    rows = re.findall(r'<section class="pair".*?</section>', page, re.S)
    # The Arabic text has an introduction the German lacks; the German has a section not yet translated.
    assert len(rows) == 3
    assert "مقدمة قصيرة" in rows[0] and 'class="missing"' in rows[0]
    assert 'id="sec-eintragung"' in rows[1] and 'id="source-sec-eintragung"' in rows[1]
    assert "Satzung" in rows[2] and 'class="missing"' in rows[2]
    assert 'lang="ar" dir="rtl"' in rows[1] and 'lang="de" dir="ltr"' in rows[1]
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    # Glossary terms lead to the course glossary, where every term has its anchor.
    assert 'href="/courses/demo-kurs/glossary#term-vereinsregister"' in page


def test_side_by_side_lets_a_german_reader_choose_a_translation(reader):
    page = reader("de").get("/courses/demo-kurs/erstes-modul/side-by-side").get_data(as_text=True)
    assert 'href="/courses/demo-kurs/erstes-modul/side-by-side?lang=ar"' in page
    assert 'class="pair"' not in page


def test_glossary_shows_the_german_term_with_the_readers_definition(client, synced):
    page = client.get("/courses/demo-kurs/glossary", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<dt id="term-vereinsregister" lang="de" dir="ltr">Vereinsregister</dt>' in page
    assert "سجل عام للجمعيات" in page
    assert "Öffentliches Verzeichnis" in page  # the German definition beside it
    found = client.get("/courses/demo-kurs/glossary?q=amtsgericht").get_data(as_text=True)
    assert "Vereinsregister" in found
    missing = client.get("/courses/demo-kurs/glossary?q=zzz").get_data(as_text=True)
    assert "Vereinsregister" not in missing


def _pdf_text(data, tmp_path):
    require_tool("pdftotext", "poppler-utils")
    path = tmp_path / "handout.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_handout_in_one_language_and_bilingual(reader, tmp_path):
    client = reader("ar")
    single = client.get("/courses/demo-kurs/erstes-modul/handout.pdf?lang=ar")
    assert single.status_code == 200 and single.mimetype == "application/pdf"
    assert 'filename="demo-kurs-erstes-modul-ar.pdf"' in single.headers["Content-Disposition"]
    text = _pdf_text(single.data, tmp_path)
    assert "Satzung" not in text and "Vereinsregister" in text  # the German term stays visible
    both = client.get("/courses/demo-kurs/erstes-modul/handout.pdf?lang=ar&bilingual=1")
    text = _pdf_text(both.data, tmp_path)
    assert "Die Satzung ist die Verfassung des Vereins." in text and "Einen Verein gründen" in text
    require_tool("pdfimages", "poppler-utils")
    (tmp_path / "both.pdf").write_bytes(both.data)
    images = subprocess.run(["pdfimages", "-list", str(tmp_path / "both.pdf")], capture_output=True, text=True)
    assert len(images.stdout.splitlines()) > 2  # the module's image is printed (header lines + rows)


def test_handout_needs_an_enrolment_or_a_staff_role(client, synced, create_user):
    learner = create_user(email="not-enrolled@example.org")
    client.login(learner.email)
    assert client.get("/courses/demo-kurs/erstes-modul/handout.pdf").status_code == 403


def test_trainers_see_which_translations_are_out_of_date(app, client, create_user, tmp_path):
    courses = tmp_path / "source-courses"
    shutil.copytree(app.config["COURSES_DIR"], courses)
    with app.app_context():
        sync_courses(courses)
        db.session.commit()
    trainer = create_user("trainer", locale="en")
    client.login(trainer.email)

    def states():
        page = client.get("/trainer/courses/demo-kurs/languages").get_data(as_text=True)
        first_row = re.search(r"<tbody>.*?</tr>", page, re.S).group(0)
        return re.findall(r'class="state-(\w+)"', first_row)

    # Columns: source (de), then en, tr, ar, uk, ru, fa as configured.
    assert states() == ["source", "missing", "missing", "current", "missing", "missing", "missing"]
    source = courses / "demo-kurs" / "01-erstes-modul" / "de.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nNeu.\n", encoding="utf-8")
    with app.app_context():
        sync_courses(courses)
        db.session.commit()
    assert states() == ["source", "missing", "missing", "outdated", "missing", "missing", "missing"]
