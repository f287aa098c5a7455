"""User accounts."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_mixins import UTCDateTime, utcnow

ROLES = ("learner", "trainer", "coordinator", "admin")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # The name exactly as it shall be printed on certificates (Latin script).
    legal_name: Mapped[str] = mapped_column(String(200))
    # Optional: the same name in its own script (Arabic, Cyrillic, ...).
    native_name: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(10))
    role: Mapped[str] = mapped_column(String(20), default="learner")
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self):
        return f"<User {self.id} {self.role}>"

    @property
    def is_active(self):
        return self.is_active_account


def load_user(user_id):
    """Return the user for a session id, or None (never raise)."""
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
