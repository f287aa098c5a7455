"""Flask extensions, created unbound; create_app() binds them."""

import functools
import unicodedata

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Constraint names identical on SQLite and PostgreSQL, so migrations match.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
# Per client address; storage from RATELIMIT_STORAGE_URI (memory:// on one host, redis://… for several).
limiter = Limiter(key_func=get_remote_address)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


NAME_COLLATION = "names"  # SQLite; PostgreSQL sorts names with its ICU collation "und-x-icu"


@functools.lru_cache(maxsize=65536)  # SQLite calls the collation per comparison: n·log n keys per sort
def name_sort_key(name):
    """Sort names as German and Turkish readers do: Ç with C, Ö with O, İ and ı with I (DIN 5007-1)."""
    base = unicodedata.normalize("NFKD", name.replace("ı", "i")).casefold()
    return "".join(char for char in base if not unicodedata.combining(char)), name


def _compare_names(left, right):
    a, b = name_sort_key(left), name_sort_key(right)
    return (a > b) - (a < b)


def configure_sqlite(engine):
    """Make SQLite behave for a web app: foreign keys on, WAL so readers never wait for a writer."""
    from sqlalchemy import event

    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; safe with WAL
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
        # SQLite's lower() knows only ASCII; searches for "Çelik" or "Özdemir" need all of Unicode,
        # as PostgreSQL's lower() has it.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
        dbapi_connection.create_collation(NAME_COLLATION, _compare_names)
