"""Browser tests: the app served on a real port, driven by Debian's Chromium.

`make test` runs them when /usr/bin/chromium exists and says clearly when it
skips them; with CI=true a missing Chromium is an error, not a skip.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from lms import create_app
from lms.auth import services as auth_services
from lms.catalog.services import sync_courses
from lms.extensions import db
from tests.conftest import GOOD_COURSES, PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
SCREENSHOTS = Path(__file__).parent / "screenshots"
ROOT = Path(__file__).parents[2]


def pytest_collection_modifyitems(config, items):
    if HAVE_CHROMIUM:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("CI requires the browser tests, but Chromium is not installed.")
    skip = pytest.mark.skip(reason="browser tests skipped: Chromium not installed (apt-get install chromium)")
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """One app and database for the browser session: the test course and the real curriculum."""
    base = tmp_path_factory.mktemp("live")
    courses = base / "courses"
    shutil.copytree(GOOD_COURSES / "demo-kurs", courses / "demo-kurs")
    shutil.copytree(ROOT / "courses" / "vereinsrecht", courses / "vereinsrecht")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'live.sqlite'}",
            "COURSES_DIR": str(courses),
            "UPLOAD_DIR": str(base / "uploads"),
            "CREDENTIAL_KEY_FILE": str(base / "credential-key.pem"),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            # One browser signs in as several people dozens of times a minute, all from 127.0.0.1;
            # the limit itself is tested in tests/auth.
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
    )
    with app.app_context():
        db.create_all()
        sync_courses(courses)
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def base_url(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def account(live_app):
    """Factory: account(role='learner', locale='de') -> email of a new account."""
    counter = iter(range(1, 10_000))

    def make(role="learner", locale="de", legal_name="Ayşe Yılmaz", native_name=None):
        email = f"{role}-{locale}-{os.getpid()}-{next(counter)}-{id(make)}@example.org"
        with live_app.app_context():
            auth_services.create_user(email, PASSWORD, legal_name, native_name, locale, role)
            db.session.commit()
        return email

    return make


def sign_in(page, base_url, email):
    page.goto(base_url + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/me")


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
