"""The trainer area: upload, preview, publish, round trip, hostile archives, visibility."""

import io
import stat
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.catalog.models import Course, CourseChange, Module
from lms.extensions import db
from lms.learning.models import Enrolment


@pytest.fixture
def trainer_client(client, create_user, synced):
    trainer = create_user("trainer", email="trainer@example.org")
    client.login(trainer.email)
    return client


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _upload(client, data, filename="kurs.zip", **fields):
    return client.post_form(
        "/trainer/courses", {"file": (io.BytesIO(data), filename), **fields}, content_type="multipart/form-data"
    )


def _download(client):
    response = client.get("/trainer/courses/demo-kurs.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return response.data


def _changes(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CourseChange))


def test_download_then_upload_unchanged_creates_no_version(app, trainer_client):
    archive = _download(trainer_client)
    assert "demo-kurs/course.yml" in zipfile.ZipFile(io.BytesIO(archive)).namelist()
    before = _changes(app)
    response = _upload(trainer_client, archive)
    assert response.status_code == 303
    preview = trainer_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Keine Fehler gefunden" in preview
    publish = trainer_client.post_form(response.headers["Location"] + "/publish")
    assert publish.status_code == 303
    page = trainer_client.get(publish.headers["Location"]).get_data(as_text=True)
    assert "Es hat sich nichts geändert" in page
    assert _changes(app) == before
    with app.app_context():
        assert {m.version for m in db.session.scalars(select(Module))} == {1}


def test_changed_upload_shows_languages_side_by_side_and_publishes_a_version(app, trainer_client):
    files = {
        n: zipfile.ZipFile(io.BytesIO(_download(trainer_client))).read(n)
        for n in zipfile.ZipFile(io.BytesIO(_download(trainer_client))).namelist()
    }
    files["demo-kurs/01-erstes-modul/de.md"] = files["demo-kurs/01-erstes-modul/de.md"].replace(
        b"eingetragen.", b"eingetragen. Das ist neu."
    )
    response = _upload(trainer_client, _zip(files))
    preview = trainer_client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'lang="de" dir="ltr"' in preview and 'lang="ar" dir="rtl"' in preview
    assert "Das ist neu." in preview and "تأسيس جمعية" in preview
    assert "<script" not in preview
    trainer_client.post_form(response.headers["Location"] + "/publish")
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == "erstes-modul"))
        assert module.version == 2
        change = db.session.scalar(select(CourseChange).order_by(CourseChange.id.desc()))
        assert change.user_id is not None
        assert change.modules == [{"module": "erstes-modul", "languages": ["de"], "status": "changed"}]
    log = trainer_client.get("/trainer/courses/demo-kurs/changes").get_data(as_text=True)
    assert "erstes-modul" in log and "geändert" in log


def test_broken_upload_lists_every_error_and_cannot_be_published(app, trainer_client):
    files = {
        "demo-kurs/course.yml": "title: {de: Kurs}\nversion: '2'\nlegal_status: 2026-01-01\npass_mrak: 80\n",
        "demo-kurs/01-erstes-modul/de.md": (
            "---\ntitle: Modul\n---\n\n::: question q1\nFrage?\n\n- ( ) a\n- ( ) b\n:::\n"
        ),
    }
    response = _upload(trainer_client, _zip(files))
    preview = trainer_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "demo-kurs/course.yml: error: Unbekannter Schlüssel &#39;pass_mrak&#39;" in preview
    assert "demo-kurs/01-erstes-modul/de.md:8: error:" in preview
    assert "/publish" not in preview
    publish = trainer_client.post_form(response.headers["Location"] + "/publish")
    assert publish.status_code == 303 and "/uploads/" in publish.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(Course)).version == "2026.1"


def test_single_module_file_upload(app, trainer_client):
    text = "---\ntitle: Neues Modul\n---\n\nEin kurzer Text.\n"
    response = _upload(trainer_client, text.encode(), "de.md", course="demo-kurs", module_folder="03-neu")
    assert response.status_code == 303
    trainer_client.post_form(response.headers["Location"] + "/publish")
    with app.app_context():
        assert "neu" in {m.slug for m in db.session.scalar(select(Course)).modules}


def _symlink_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("demo-kurs/link.md")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (_zip({"../../etc/evil.md": "x"}), "kurs.zip", "verlässt"),
        (_zip({"/etc/evil.md": "x"}), "kurs.zip", "absoluten Pfad"),
        (_symlink_zip(), "kurs.zip", "symbolischen Link"),
        (_zip({"demo-kurs/bombe.md": "0" * 3_000_000}), "kurs.zip", "größer als"),
        (_zip({"demo-kurs/a.md": "a" * 500_000}), "kurs.zip", "verdächtig"),
        (_zip({f"demo-kurs/{n}.md": "x" for n in range(2001)}), "kurs.zip", "mehr als 2000"),
        (_zip({"demo-kurs/run.exe": "MZ"}), "kurs.zip", "nicht Teil eines Kurses"),
        # Only the folder's contents: the course would be named after the staging folder.
        (_zip({"course.yml": "title: {de: K}", "01-a/de.md": "# A"}), "kurs.zip", "den Kursordner selbst"),
        (b"PK\x03\x04 kaputt", "kurs.zip", "kein gültiges"),
        (b"hallo", "kurs.pdf", ".zip"),
    ],
)
def test_hostile_uploads_are_refused_with_a_message(app, trainer_client, data, filename, message):
    response = _upload(trainer_client, data, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert [f for f in Path(app.config["UPLOAD_DIR"]).rglob("*") if f.is_file()] == []  # nothing staged


def test_hidden_course_keeps_enrolments(app, trainer_client, create_user):
    learner = create_user(email="lerner@example.org")
    with app.app_context():
        db.session.add(Enrolment(user_id=learner.id, course_id=db.session.scalar(select(Course.id))))
        db.session.commit()
    trainer_client.post_form("/trainer/courses/demo-kurs/visibility")
    assert "/courses/demo-kurs" not in trainer_client.get("/").get_data(as_text=True)
    assert trainer_client.get("/courses/demo-kurs").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 1
    trainer_client.post_form("/trainer/courses/demo-kurs/visibility")
    assert trainer_client.get("/courses/demo-kurs").status_code == 200


def test_an_archive_that_unpacks_beyond_the_total_limit_is_refused(tmp_path):
    """Each file is small and compresses plausibly, but together they fill the disk."""
    import random

    from lms.catalog.upload import Limits, UploadRefused, unpack_zip

    words = random.Random(1).choices(["Verein", "Satzung", "Kasse", "Beleg", "Vorstand", "Mitglied"], k=20_000)
    text = " ".join(words)  # about 150 KB that compresses to roughly a fifth, far below the ratio limit
    archive = _zip({"demo-kurs/course.yml": "title: {de: K}", **{f"demo-kurs/0{n}-m/de.md": text for n in range(5)}})
    limits = Limits(max_unpacked_bytes=500_000)
    with pytest.raises(UploadRefused, match="unpacks to more than"):
        unpack_zip(io.BytesIO(archive), tmp_path / "files", limits)
    assert unpack_zip(io.BytesIO(archive), tmp_path / "ok", Limits()).name == "demo-kurs"
