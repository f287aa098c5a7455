"""User accounts."""

import hashlib
import hmac
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
    # Failed sign-ins since the last success; from LOCKOUT_AFTER on, sign-in waits until locked_until.
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the account was deleted (anonymised); its rows stay for the figures, without a name.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self):
        return f"<User {self.id} {self.role}>"

    @property
    def is_active(self):
        return self.is_active_account

    def password_fingerprint(self):
        """Changes whenever the password does: ends sessions and one-time links made before."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def get_id(self):
        # The session remembers the password it was opened with: a new password signs out
        # every other browser (a stolen session or remember-me cookie dies with the old password).
        return f"{self.id}.{self.password_fingerprint()}"


def load_user(session_id):
    """Return the user of a session id ("<id>.<password fingerprint>"), or None (never raise)."""
    user_id, _, fingerprint = str(session_id).partition(".")
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or not hmac.compare_digest(fingerprint, user.password_fingerprint()):
        return None
    return user
