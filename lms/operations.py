"""Running the site: what in the configuration is unsafe, and backups of database and files.

A backup is one .tar.gz: the database (SQLite's online backup, or pg_dump's custom format),
the credential signing key, the staged uploads and the courses folder (trainers publish
into it), and a manifest saying what is inside and from which schema revision.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import make_url

from .config import DEFAULT_SECRET_KEY
from .extensions import db
from .staging import replace_folder

MANIFEST = "manifest.json"


@dataclass
class Finding:
    setting: str
    problem: str


def check_config(app, workers=1):
    """List what is unsafe for production in app's configuration (workers: gunicorn processes per host)."""
    config = app.config
    findings = []
    secret = config.get("SECRET_KEY") or ""
    if secret == DEFAULT_SECRET_KEY or len(secret) < 32:
        findings.append(Finding("LMS_SECRET_KEY", "default or shorter than 32 characters; sessions can be forged"))
    if not str(config.get("PUBLIC_URL", "")).startswith("https://"):
        findings.append(Finding("LMS_PUBLIC_URL", "not https: QR codes and links on certificates point to plain http"))
    elif not config.get("SESSION_COOKIE_SECURE"):
        findings.append(
            Finding("LMS_SESSION_COOKIE_SECURE", "off on an https site: the session cookie may travel unencrypted")
        )
    if app.debug:
        findings.append(Finding("FLASK_DEBUG", "debug mode shows code and lets visitors run it"))
    if config.get("DEMO_MODE"):
        findings.append(Finding("LMS_DEMO_MODE", "on: demo accounts with published passwords may exist"))
    database = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if database.get_backend_name() == "sqlite" and workers > 1:
        findings.append(Finding("LMS_DATABASE_URL", f"SQLite with {workers} workers: writers queue up; use PostgreSQL"))
    if str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://") and workers > 1:
        findings.append(
            Finding("LMS_RATELIMIT_STORAGE_URI", "memory:// counts per worker, so limits multiply; use redis://")
        )
    if config.get("MAIL_SERVER") and not config.get("MAIL_USE_TLS"):
        findings.append(Finding("LMS_MAIL_USE_TLS", "off: reset links travel unencrypted to the mail server"))
    key_file = Path(config.get("CREDENTIAL_KEY_FILE") or Path(app.instance_path) / "credential-key.pem")
    if key_file.exists() and key_file.stat().st_mode & 0o077:
        findings.append(Finding("LMS_CREDENTIAL_KEY_FILE", f"{key_file} is readable by other users; chmod 600"))
    return findings


def _is_sqlite():
    return db.engine.dialect.name == "sqlite"


def _pg_tool(name):
    """pg_dump/pg_restore: on PATH, else the newest server installation's."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if not candidates:
        raise RuntimeError(f"{name} not found; install the PostgreSQL client tools")
    return str(candidates[-1])


def _pg_args(url):
    """Connection options for the PostgreSQL tools; the password goes in the environment."""
    args = ["--no-password", "-h", url.host or "localhost", "-p", str(url.port or 5432), "-U", url.username or ""]
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    return [*args, "-d", url.database], env


def _folders(app):
    """The folders a backup carries: name in the archive -> path on this host."""
    return {
        "courses": Path(app.config["COURSES_DIR"]),
        "uploads": Path(app.config.get("UPLOAD_DIR") or Path(app.instance_path) / "uploads"),
    }


def _key_file(app):
    return Path(app.config.get("CREDENTIAL_KEY_FILE") or Path(app.instance_path) / "credential-key.pem")


def _revision():
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - a database made by create_all has no revision table
        db.session.rollback()
        return None


def backup(app, destination):
    """Write a backup archive to destination (a .tar.gz path); return its path."""
    destination = Path(destination)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if _is_sqlite():
            database = "database.sqlite"
            target = sqlite3.connect(work / database)
            raw = db.engine.raw_connection()
            try:
                raw.driver_connection.backup(target)  # consistent while the site keeps writing
            finally:
                raw.close()
                target.close()
        else:
            database = "database.pgdump"
            url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
            args, env = _pg_args(url)
            subprocess.run(
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "-f", str(work / database), *args],
                check=True,
                env=env,
            )
        manifest = {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": database,
            "schema_revision": _revision(),
            "folders": [],
            "credential_key": False,
        }
        destination.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(destination, "w:gz") as archive:
            archive.add(work / database, arcname=database)
            for name, folder in _folders(app).items():
                if folder.is_dir():
                    archive.add(folder, arcname=name)
                    manifest["folders"].append(name)
            key = _key_file(app)
            if key.exists():
                archive.add(key, arcname="credential-key.pem")
                manifest["credential_key"] = True
            (work / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            archive.add(work / MANIFEST, arcname=MANIFEST)
    return destination


class RestoreRefused(ValueError):
    """The archive is not a complete backup of this site; nothing was changed."""


def _checked_manifest(app, work):
    """The archive's manifest, once everything it lists is present and usable; else RestoreRefused."""
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RestoreRefused(f"the archive has no readable {MANIFEST}: not a backup of `flask lms backup`") from exc
    if not isinstance(manifest, dict):
        raise RestoreRefused(f"{MANIFEST} is not a backup manifest")
    database = manifest.get("database")
    if database not in ("database.sqlite", "database.pgdump"):
        raise RestoreRefused(f"{MANIFEST} names no database this site writes ({database!r})")
    if not (work / database).is_file():
        raise RestoreRefused(f"the archive lacks {database}, which its manifest lists")
    if (database == "database.sqlite") != _is_sqlite():
        raise RestoreRefused(
            f"this backup holds {'an SQLite' if database.endswith('.sqlite') else 'a PostgreSQL'} database; "
            f"the site is configured for {'SQLite' if _is_sqlite() else 'PostgreSQL'}"
        )
    if database == "database.sqlite":
        try:
            with closing(sqlite3.connect(f"file:{work / database}?mode=ro", uri=True)) as check:
                if check.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise RestoreRefused(f"{database} in the archive is damaged")
        except sqlite3.DatabaseError as exc:
            raise RestoreRefused(f"{database} in the archive is not an SQLite database") from exc
    folders = manifest.get("folders")
    if not isinstance(folders, list) or not set(folders) <= set(_folders(app)):
        raise RestoreRefused(f"{MANIFEST} lists folders this site does not keep: {folders!r}")
    for name in folders:
        if not (work / name).is_dir():
            raise RestoreRefused(f"the archive lacks the folder {name}/, which its manifest lists")
    if manifest.get("credential_key") and not (work / "credential-key.pem").is_file():
        raise RestoreRefused("the archive lacks credential-key.pem, which its manifest lists")
    return manifest


def restore(app, source):
    """Replace database and files with those of a backup archive made by backup().

    The whole archive is unpacked and checked first (RestoreRefused, nothing changed); the
    database is then replaced, and each folder only once its copy is complete.
    """
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(work, filter="data")  # refuses absolute paths, links out, devices
        manifest = _checked_manifest(app, work)
        database = work / manifest["database"]
        db.session.remove()
        if _is_sqlite():
            source_db = sqlite3.connect(database)
            raw = db.engine.raw_connection()
            try:
                source_db.backup(raw.driver_connection)
            finally:
                raw.close()
                source_db.close()
        else:
            db.engine.dispose()  # pg_restore --clean drops tables our pooled connections may lock
            url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
            args, env = _pg_args(url)
            subprocess.run(
                [
                    _pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *args,
                    str(database),
                ],
                check=True,
                env=env,
            )
        db.engine.dispose()
        for name, folder in _folders(app).items():
            if name in manifest["folders"]:
                folder.parent.mkdir(parents=True, exist_ok=True)
                replace_folder(folder, work / name)
        if manifest["credential_key"]:
            key = _key_file(app)
            key.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(work / "credential-key.pem", key)
            key.chmod(0o600)
    current_app.logger.info("Restored the backup of %s", manifest["created_at"])
    return manifest
