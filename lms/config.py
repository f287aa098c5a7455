"""Configuration: defaults, overridden by LMS_* environment variables."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused outside debug/testing

LANGUAGES = {
    # code: (name in its own language, text direction)
    "de": ("Deutsch", "ltr"),
    "en": ("English", "ltr"),
    "tr": ("Türkçe", "ltr"),
    "ar": ("العربية", "rtl"),
    "uk": ("Українська", "ltr"),
    "ru": ("Русский", "ltr"),
    "fa": ("فارسی", "rtl"),
}


class Config:
    SECRET_KEY = DEFAULT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = None  # set in load_config: needs the instance path
    SQLALCHEMY_ENGINE_OPTIONS = {}  # load_config adds pool_pre_ping for server databases
    COURSES_DIR = str(ROOT / "courses")
    PUBLIC_URL = "http://127.0.0.1:5000"
    ORGANISATION_NAME = "Fachberatung MigrantInnen-Selbsthilfe NRW"
    CREDENTIAL_KEY_FILE = ""  # Ed25519 key signing credentials; default instance/credential-key.pem
    ORGANISATION_PLACE = ""  # printed before the date of completion certificates ("Wuppertal, …")
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    LANGUAGES = LANGUAGES
    DEMO_MODE = False
    MAX_CONTENT_LENGTH = 21 * 1024 * 1024  # a 20 MB course archive plus the form
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a volunteer may read a module for hours before submitting
    PASSWORD_MIN_LENGTH = 10
    PAGE_SIZE = 25
    # Rendered public pages kept per worker (lms/pagecache.py), in bytes of UTF-8; 0 turns the cache off.
    PAGE_CACHE_MAX_BYTES = 8 * 1024 * 1024
    INACTIVE_ACCOUNT_YEARS = 3  # `flask lms purge-inactive` deletes learner accounts unused this long
    PRIVACY_CONTACT = ""  # shown on the privacy page: the data protection contact (e-mail or address)
    UPLOAD_DIR = None  # staging of trainer uploads; default: <instance>/uploads
    UPLOAD_MAX_ZIP_BYTES = 20 * 1024 * 1024
    UPLOAD_MAX_FILE_BYTES = 2 * 1024 * 1024
    UPLOAD_MAX_ENTRIES = 2000
    UPLOAD_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
    # Rate limits (Flask-Limiter syntax); several app hosts need a shared storage such as redis://.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    VERIFY_RATE_LIMIT = "30 per minute"  # code lookups per client address
    LOGIN_RATE_LIMIT = "20 per minute"  # sign-in attempts per client address (accounts also lock)
    PASSWORD_RESET_RATE_LIMIT = "5 per 10 minutes"  # reset requests and new passwords per address
    # E-mail (invitation links); no server: off, links are printed for the coordinator instead.
    MAIL_SERVER = ""
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_SENDER = "noreply@localhost"


# Environment variables read by load_config, with their types.
ENV_KEYS = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "COURSES_DIR": str,
    "PUBLIC_URL": str,
    "ORGANISATION_NAME": str,
    "ORGANISATION_PLACE": str,
    "CREDENTIAL_KEY_FILE": str,
    "DEMO_MODE": bool,
    "INACTIVE_ACCOUNT_YEARS": int,
    "PRIVACY_CONTACT": str,
    "SESSION_COOKIE_SECURE": bool,
    "UPLOAD_DIR": str,
    "UPLOAD_MAX_ZIP_BYTES": int,
    "UPLOAD_MAX_FILE_BYTES": int,
    "UPLOAD_MAX_ENTRIES": int,
    "UPLOAD_MAX_UNPACKED_BYTES": int,
    "PAGE_CACHE_MAX_BYTES": int,
    "RATELIMIT_STORAGE_URI": str,
    "VERIFY_RATE_LIMIT": str,
    "LOGIN_RATE_LIMIT": str,
    "PASSWORD_RESET_RATE_LIMIT": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": bool,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_SENDER": str,
}


def _parse_bool(value):
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(app, overrides=None):
    """Fill app.config from defaults, LMS_* environment variables and overrides."""
    app.config.from_object(Config)
    for key, kind in ENV_KEYS.items():
        raw = os.environ.get(f"LMS_{key}")
        if key == "DATABASE_URL":
            raw = raw or os.environ.get("DATABASE_URL")
        if raw is None:
            continue
        value = _parse_bool(raw) if kind is bool else kind(raw)
        app.config["SQLALCHEMY_DATABASE_URI" if key == "DATABASE_URL" else key] = value
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "lms.sqlite")
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A server may drop idle connections; a ping per checkout is pointless for a local file.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}


def require_secret_key(app):
    """Refuse to serve with the default SECRET_KEY outside debug and tests.

    Called when the app serves requests (wsgi.py at import, and before every request), not
    for command-line tasks such as `flask courses validate`, which sign nothing.
    """
    if app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY and not (app.debug or app.testing):
        raise RuntimeError(
            "LMS_SECRET_KEY is not set. Set it to a long random value "
            '(python -c "import secrets; print(secrets.token_hex(32))").'
        )
