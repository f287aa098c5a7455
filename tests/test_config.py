"""Configuration: the default secret key is refused for serving, not for command-line tasks."""

import subprocess
import sys
from pathlib import Path

import pytest

from lms import create_app
from lms.config import require_secret_key

ROOT = Path(__file__).parents[1]


def test_serving_with_the_default_secret_key_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("LMS_SECRET_KEY", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"})
    with pytest.raises(RuntimeError, match="LMS_SECRET_KEY"):
        require_secret_key(app)
    assert app.test_client().get("/").status_code == 500  # every request refused, logged


def test_wsgi_entry_point_fails_at_start_up_without_a_key(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "LMS_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}"}
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "LMS_SECRET_KEY is not set" in result.stderr


def test_validate_needs_no_secret_key(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "LMS_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}"}
    flask = Path(sys.executable).parent / "flask"
    result = subprocess.run(
        [str(flask), "--app", "lms", "courses", "validate", "courses"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "0 error(s)" in result.stdout


def test_environment_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("LMS_SECRET_KEY", "from-env")
    monkeypatch.setenv("LMS_UPLOAD_MAX_ENTRIES", "12")
    monkeypatch.setenv("LMS_SESSION_COOKIE_SECURE", "1")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"})
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["UPLOAD_MAX_ENTRIES"] == 12
    assert app.config["SESSION_COOKIE_SECURE"] is True
