"""`flask lms check-config`, and backups that come back table for table and file for file."""

import os
import shutil
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from lms.certificates.services import issue_certificate
from lms.extensions import db
from lms.learning.services import enrol
from lms.operations import backup, check_config, restore


def test_check_config_names_what_is_unsafe(app):
    app.config.update(SECRET_KEY="dev-only-not-secret", PUBLIC_URL="http://lernen.example.org", DEMO_MODE=True)
    found = {f.setting for f in check_config(app, workers=4)}
    assert {"LMS_SECRET_KEY", "LMS_PUBLIC_URL", "LMS_DEMO_MODE", "LMS_RATELIMIT_STORAGE_URI"} <= found
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert "LMS_DATABASE_URL" in found
    app.config.update(
        SECRET_KEY="k" * 64,
        PUBLIC_URL="https://lernen.example.org",
        SESSION_COOKIE_SECURE=True,
        DEMO_MODE=False,
        RATELIMIT_STORAGE_URI="redis://cache:6379",
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://lms@db/lms",
    )
    assert check_config(app, workers=4) == []


def test_check_config_command_exits_1_when_unsafe(app):
    app.config["SECRET_KEY"] = "dev-only-not-secret"
    result = app.test_cli_runner().invoke(args=["lms", "check-config", "--workers", "1"])
    assert result.exit_code == 1 and "UNSAFE  LMS_SECRET_KEY" in result.output


def _snapshot():
    """Every row of every table, in a stable order."""
    tables = {}
    for name in sorted(inspect(db.engine).get_table_names()):
        if name == "alembic_version":
            continue
        rows = db.session.execute(text(f'SELECT * FROM "{name}"')).all()  # noqa: S608 - names from the schema
        tables[name] = sorted(tuple(str(v) for v in row) for row in rows)
    return tables


@pytest.fixture
def world(app, synced, create_user):
    """A learner with a certificate, an upload on disk, and the signing key."""
    from lms.auth.models import User
    from lms.catalog.models import Course
    from lms.certificates.credentials import signing_key

    learner = create_user(native_name="آية")
    with app.app_context():
        user = db.session.get(User, learner.id)
        course = db.session.scalar(select(Course))
        enrol(user, course)
        issue_certificate(user, course)
        signing_key()  # created on first use
        db.session.commit()
    uploads = app.config["UPLOAD_DIR"]
    os.makedirs(f"{uploads}/courses/abc", exist_ok=True)
    (Path(uploads) / "courses" / "abc" / "de.md").write_text("# staged\n", encoding="utf-8")
    return app


def test_backup_and_restore_round_trip(world, tmp_path):
    app = world
    archive = tmp_path / "backup.tar.gz"
    key_file = app.config["CREDENTIAL_KEY_FILE"]
    with app.app_context():
        before = _snapshot()
        backup(app, archive)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and "credential-key.pem" in names
    assert "uploads/courses/abc/de.md" in names and "courses/demo-kurs/course.yml" in names

    # Lose everything: the database, the key and the files.
    with app.app_context():
        db.drop_all()
        db.create_all()
        assert _snapshot()["users"] == []
    os.remove(key_file)
    shutil.rmtree(app.config["UPLOAD_DIR"])
    with app.app_context():
        restore(app, archive)
    with app.app_context():
        after = _snapshot()
    assert after == before
    staged = Path(app.config["UPLOAD_DIR"]) / "courses" / "abc" / "de.md"
    assert staged.read_text(encoding="utf-8") == "# staged\n"
    assert os.stat(key_file).st_mode & 0o777 == 0o600


def test_restore_refuses_a_hostile_archive(app, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    payload = tmp_path / "payload"
    payload.write_text("x")
    with tarfile.open(evil, "w:gz") as tar:
        tar.add(payload, arcname="../../escaped")
    with app.app_context(), pytest.raises(tarfile.FilterError):
        restore(app, evil)
    assert not (tmp_path.parent.parent / "escaped").exists()


def _rewrite(archive, target, drop=(), manifest_changes=None, replace=None):
    """A copy of a backup archive without some members, with an edited manifest or replaced files."""
    import io
    import json

    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            if any(member.name == d or member.name.startswith(d + "/") for d in drop):
                continue
            data = source.extractfile(member).read() if member.isfile() else None
            if member.name == "manifest.json" and manifest_changes:
                data = json.dumps({**json.loads(data), **manifest_changes}).encode()
            if replace and member.name in replace:
                data = replace[member.name]
            if data is not None:
                member.size = len(data)
                out.addfile(member, io.BytesIO(data))
            else:
                out.addfile(member)
    return target


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"drop": ["courses"]}, "lacks the folder courses/"),
        ({"drop": ["manifest.json"]}, "no readable manifest.json"),
        ({"manifest_changes": {"database": "../../etc/passwd"}}, "names no database"),
        ({"manifest_changes": {"folders": ["courses", "instance"]}}, "folders this site does not keep"),
        ({"drop": ["credential-key.pem"]}, "lacks credential-key.pem"),
    ],
)
def test_an_incomplete_or_edited_archive_changes_nothing(world, tmp_path, edit, message):
    app = world
    archive = tmp_path / "backup.tar.gz"
    with app.app_context():
        backup(app, archive)
        courses = app.config["COURSES_DIR"]
        before = _snapshot()
    courses_before = sorted(p.relative_to(courses).as_posix() for p in Path(courses).rglob("*"))
    broken = _rewrite(archive, tmp_path / "broken.tar.gz", **edit)
    result = app.test_cli_runner().invoke(args=["lms", "restore", "--yes", str(broken)])
    assert result.exit_code == 1 and "Nothing was changed" in result.output and message in result.output
    with app.app_context():
        assert _snapshot() == before
    assert sorted(p.relative_to(courses).as_posix() for p in Path(courses).rglob("*")) == courses_before


def test_a_damaged_sqlite_database_in_the_archive_is_refused(world, tmp_path):
    app = world
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the archive of a PostgreSQL site holds a pg_dump file")
    archive = tmp_path / "backup.tar.gz"
    with app.app_context():
        backup(app, archive)
    broken = _rewrite(archive, tmp_path / "broken.tar.gz", replace={"database.sqlite": b"not a database" * 100})
    with app.app_context(), pytest.raises(ValueError, match="not an SQLite database"):
        restore(app, broken)
