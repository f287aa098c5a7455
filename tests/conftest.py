"""Shared fixtures: an app with a fresh database per test, clients, users."""

import email
import os
import re
import shutil
import socketserver
import threading
from contextlib import nullcontext
from pathlib import Path

import pytest
from flask import has_app_context
from sqlalchemy import text

from lms import create_app
from lms.auth import services as auth_services
from lms.extensions import db

FIXTURES = Path(__file__).parent / "fixtures"
GOOD_COURSES = FIXTURES / "courses" / "good"
PASSWORD = "ein-langes-passwort"


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile the interface catalogues, as `make` does, so tests see real translations."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (Path(__file__).parents[1] / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)


@pytest.fixture
def app(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite'}"
    courses = tmp_path / "courses"  # a copy: publishing in the trainer area writes to it
    shutil.copytree(GOOD_COURSES, courses)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "COURSES_DIR": str(courses),
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "CREDENTIAL_KEY_FILE": str(tmp_path / "credential-key.pem"),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast hashing in tests only
            "PUBLIC_URL": "https://lernen.example.org",
        }
    )
    with app.app_context():
        db.create_all()
    # No app context stays pushed: each client request gets its own, as in production
    # (a shared context would carry flask.g, the CSRF token and the login across requests).
    yield app
    with app.app_context():
        db.session.remove()
        _empty_database()
        db.engine.dispose()


def _empty_database():
    """Leave an empty database: on PostgreSQL the tables stay and are emptied (much faster than
    dropping and creating them for every test); SQLite files are per test anyway."""
    if db.engine.dialect.name == "postgresql":
        tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    else:
        db.drop_all()


@pytest.fixture
def ctx(app):
    """An application context for tests that call services directly."""
    with app.app_context():
        yield


class Client:
    """A test client that speaks forms like a browser: it sends the CSRF token."""

    def __init__(self, client):
        self.raw = client

    def __getattr__(self, name):
        return getattr(self.raw, name)

    def csrf_token(self):
        # Signed in, every page's sign-out form has one; a visitor gets one with the sign-in form.
        for path in ("/verify", "/login"):
            match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.raw.get(path).get_data(as_text=True))
            if match:
                return match.group(1)
        raise AssertionError("no page offered a CSRF token")

    def post_form(self, url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.raw.post(url, data=data, **kwargs)

    def login(self, email, password=PASSWORD):
        return self.post_form("/login", {"email": email, "password": password})


@pytest.fixture
def client(app):
    return Client(app.test_client())


@pytest.fixture
def create_user(app):
    """Factory: create_user(role='learner', email=..., locale='de') -> User."""
    counter = iter(range(1, 10_000))

    def make(role="learner", email=None, locale="de", legal_name="Ayşe Yılmaz", native_name=None):
        # Inside a test's own app context (the ctx fixture) use its session.
        context = nullcontext() if has_app_context() else app.app_context()
        with context:
            user = auth_services.create_user(
                email or f"user{next(counter)}@example.org", PASSWORD, legal_name, native_name, locale, role
            )
            db.session.commit()
            db.session.refresh(user)  # loaded attributes stay readable after the context
            return user

    return make


@pytest.fixture
def synced(app):
    """The fixture courses loaded into the database."""
    from lms.catalog.services import sync_courses

    with app.app_context():
        report = sync_courses(app.config["COURSES_DIR"])
        db.session.commit()
    assert not report.has_errors, [p.render() for p in report.problems]
    return report


@pytest.fixture
def learner_client(client, create_user):
    user = create_user()
    client.login(user.email)
    client.user = user
    return client


def form_token(user, module):
    """A signed quiz-form token, as the module page would hand out (needs an app context)."""
    from lms.quizzes.tokens import issue

    return issue(user, module)[0]


def require_tool(name, package):
    """Skip when a command-line tool is missing, with the package to install; CI=true must have it."""
    if shutil.which(name):
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI requires {name} (Debian package {package}), but it is not installed.")
    pytest.skip(f"{name} not installed (apt-get install {package})")


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept messages: EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self):
        self.wfile.write(b"220 test SMTP\r\n")
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 test\r\n")
            elif command == "DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.messages.append(email.message_from_bytes(data))
                self.wfile.write(b"250 stored\r\n")
            elif command == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()
