"""The pure course loader: a good course, and broken ones with every problem reported."""

import shutil
import textwrap
from pathlib import Path

import pytest

from lms.catalog.loader import load_catalogue, load_course
from tests.conftest import GOOD_COURSES

GOOD = GOOD_COURSES / "demo-kurs"


def test_good_course_loads():
    course, problems = load_course(GOOD)
    assert [p for p in problems if p.severity == "error"] == []
    assert course.slug == "demo-kurs" and course.version == "2026.1" and course.pass_mark == 80
    assert [m.slug for m in course.modules] == ["erstes-modul", "zweites-modul"]
    first = course.modules[0]
    assert set(first.texts) == {"de", "ar"}
    questions = first.texts["de"].questions
    assert [q.key for q in questions] == ["mitglieder", "pflichtangaben"]
    assert questions[0].spec == {"type": "single", "options": 3, "correct": [1]}
    assert questions[1].spec == {"type": "multiple", "options": 3, "correct": [0, 1]}
    assert "::: question" not in first.texts["de"].body
    numeric = course.modules[1].texts["de"].questions[0]
    assert numeric.spec == {"type": "numeric", "value": "250", "tolerance": "0", "unit": "€"}


@pytest.fixture
def broken(tmp_path):
    """Copy the good course and let a test break one file."""
    target = tmp_path / "kurs"
    shutil.copytree(GOOD, target)

    def write(relative, text):
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return target

    return write


def _messages(folder):
    course, problems = load_course(folder)
    assert course is None
    return [p.render() for p in problems if p.severity == "error"]


def test_yaml_syntax_error_has_line(broken):
    folder = broken("course.yml", 'title: {de: "Kurs"\nversion: "1"\n')
    (message,) = _messages(folder)
    assert "course.yml:" in message and "YAML syntax error" in message


def test_typo_in_key_and_missing_title(broken):
    folder = broken(
        "course.yml",
        """
        summary: {de: "x"}
        version: "1"
        legal_status: 2026-01-01
        pass_mrak: 80
    """,
    )
    messages = _messages(folder)
    assert any("Unknown key 'pass_mrak'" in m for m in messages)
    assert any("'title' is missing" in m for m in messages)


QUESTION_HEAD = "---\ntitle: Modul\n---\n\nText.\n\n"  # the block starts on line 7


@pytest.mark.parametrize(
    ("block", "expected", "line"),
    [
        ("::: question q1\nFrage?\n\n- ( ) a\n- ( ) b\n:::\n", "no correct answer", 10),
        ("::: question q1\nFrage?\n\n- (x) a\n- (x) b\n:::\n", "exactly one (x)", 10),
        ("::: question q1\nFrage?\n\n= abc\n:::\n", "no valid value", 10),
        ("::: question q1\nFrage?\n\n- (x) a\n- [ ] b\n:::\n", "same marks", 11),
        (
            "::: question q1\nFrage?\n\n- (x) a\n- ( ) b\n:::\n::: question q1\nNoch?\n\n- (x) a\n- ( ) b\n:::\n",
            "used twice",
            13,
        ),
        ("::: question q1\nFrage?\n\n- (x) a\n- ( ) b\n", "not closed", 7),
        ("::: question\nFrage?\n\n- (x) a\n- ( ) b\n:::\n", "needs an id", 7),
        ("Siehe [[Unbekannt]].\n", "glossary term 'Unbekannt'", 7),
    ],
)
def test_question_errors_name_file_and_line(broken, block, expected, line):
    folder = broken("01-erstes-modul/de.md", QUESTION_HEAD + block)
    messages = _messages(folder)
    assert any(expected in m and f"de.md:{line}:" in m for m in messages), messages


def test_translation_must_keep_ids_and_marks(broken):
    folder = broken(
        "01-erstes-modul/tr.md",
        """
        ---
        title: Dernek kurmak
        ---

        ::: question mitglieder
        Kaç üye?

        - (x) üç
        - ( ) yedi
        - ( ) on
        :::
    """,
    )
    messages = _messages(folder)
    assert any("tr.md" in m and "question ids differ" in m for m in messages)
    folder = broken(
        "01-erstes-modul/tr.md",
        """
        ---
        title: Dernek kurmak
        ---

        ::: question mitglieder
        Kaç üye?

        - (x) üç
        - ( ) yedi
        - ( ) on
        :::

        ::: question pflichtangaben
        Tüzük?

        - [x] Amaç
        - [x] Ad
        - [ ] Liste
        :::
    """,
    )
    messages = _messages(folder)
    assert any("tr.md:5:" in m and "'mitglieder' has other options or answer marks" in m for m in messages)


def test_every_problem_reported_at_once(broken):
    broken(
        "01-erstes-modul/de.md",
        QUESTION_HEAD + "::: question q1\nFrage?\n\n- ( ) a\n- ( ) b\n:::\n[[Fehlt]]\n",
    )
    folder = broken("course.yml", "title: {de: Kurs}\nversion: '1'\nlegal_status: 2026-01-01\nfoo: 1\n")
    assert len(_messages(folder)) >= 3


def test_missing_front_matter_and_not_utf8(broken):
    folder = broken("01-erstes-modul/de.md", "Kein Vorspann\n")
    assert any("front matter" in m for m in _messages(folder))
    (folder / "01-erstes-modul" / "de.md").write_bytes("---\ntitle: Gr\xfc\xdfe\n---\n".encode("latin-1"))
    assert any("not UTF-8" in m for m in _messages(folder))


def test_catalogue_skips_template_folders(tmp_path):
    shutil.copytree(GOOD, tmp_path / "demo-kurs")
    shutil.copytree(GOOD, tmp_path / "_vorlage")
    courses, problems = load_catalogue(tmp_path)
    assert [c.slug for c in courses] == ["demo-kurs"]
    assert not [p for p in problems if p.severity == "error"]


def test_shipped_curriculum_is_valid():
    courses, problems = load_catalogue(Path(__file__).parents[2] / "courses")
    assert [p.render() for p in problems if p.severity == "error"] == []
    assert "vereinsrecht" in [c.slug for c in courses]


@pytest.mark.parametrize(
    ("body", "expected", "line"),
    [
        ("![Schema](media/fehlt.png)\n", "The image media/fehlt.png is missing", 7),
        ("![Logo](https://example.org/logo.png)\n", "Images must come from the module's media/ folder", 7),
        ("Siehe [Satzung](modul:gibt-es-nicht).\n", "The link modul:gibt-es-nicht leads to no module", 7),
    ],
)
def test_media_and_module_links_are_checked(broken, body, expected, line):
    folder = broken("01-erstes-modul/de.md", QUESTION_HEAD + body)
    messages = _messages(folder)
    assert any(expected in m and f"de.md:{line}:" in m for m in messages), messages


def test_warnings_do_not_block_loading(broken):
    folder = broken("01-erstes-modul/de.md", QUESTION_HEAD + "![](media/schema.png)\n" + "Wort " * 4100 + "\n")
    (folder / "01-erstes-modul" / "ar.md").unlink()  # its questions would no longer match
    course, problems = load_course(folder)
    assert course is not None
    warnings = [p.render() for p in problems if p.severity == "warning"]
    assert any("has no alt text" in w for w in warnings)
    assert any("very long" in w for w in warnings)
    assert any("01-erstes-modul: warning: No translation yet for: ar, en, tr" in w for w in warnings)
    assert any("'Vereinsregister' has no definition in: tr" in w for w in warnings)


def test_not_utf8_names_the_line_and_bom_crlf_are_fine(broken):
    folder = broken("01-erstes-modul/de.md", "x")
    path = folder / "01-erstes-modul" / "de.md"
    path.write_bytes(b"---\r\ntitle: Gr\xfc\xdfe\r\n---\r\n")
    assert any("de.md:2: error: The file is not UTF-8" in m for m in _messages(folder))
    good = (GOOD / "01-erstes-modul" / "de.md").read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + good.replace("\n", "\r\n").encode("utf-8"))
    course, problems = load_course(folder)
    assert course is not None, [p.render() for p in problems]
    assert course.modules[0].texts["de"].title == "Einen Verein gründen"


@pytest.mark.parametrize("name", ["Mein Kurs", "files?#x", "Vereinsrecht", "-kurs"])
def test_a_course_folder_name_that_cannot_be_an_id_is_an_error(tmp_path, name):
    folder = tmp_path / name
    shutil.copytree(GOOD, folder)
    assert any("cannot be a course id" in message for message in _messages(folder))
