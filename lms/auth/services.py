"""Account operations. They flush; the caller commits."""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit.services import record
from ..extensions import db
from ..models_mixins import utcnow
from .models import ROLES, User

logger = logging.getLogger(__name__)


class DuplicateEmail(ValueError):
    """An account with this e-mail address exists already."""


def normalise_email(email):
    return email.strip().lower()


def find_user_by_email(email):
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def hash_password(password):
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def create_user(email, password, legal_name, native_name=None, locale=None, role="learner"):
    """Create an account; raise DuplicateEmail if the address is taken."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if find_user_by_email(email):
        raise DuplicateEmail(email)
    user = User(
        email=normalise_email(email),
        password_hash=hash_password(password),
        legal_name=legal_name.strip(),
        native_name=(native_name or "").strip() or None,
        locale=locale,
        role=role,
    )
    db.session.add(user)
    db.session.flush()
    logger.info("User %s created with role %s", user.id, role)
    return user


LOCKOUT_AFTER = 5  # failed sign-ins in a row before the account waits
LOCKOUT_MAX_MINUTES = 60


class AccountLocked(Exception):
    """Too many failed sign-ins: the account accepts none until `until`."""

    def __init__(self, until):
        super().__init__(until)
        self.until = until


def authenticate(email, password):
    """Return the active user with these credentials, or None; raise AccountLocked while locked.

    From the LOCKOUT_AFTER-th failure in a row, each further failure locks the account for
    twice as long (1, 2, 4 … up to 60 minutes): guessing gets slow, the owner waits minutes
    at most and can always reset the password.
    """
    user = find_user_by_email(email)
    if user is None:
        # Spend the same time as a real check, so timing does not reveal accounts.
        check_password_hash(hash_password("x" * 12), password)
        return None
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        raise AccountLocked(user.locked_until)
    if not user.is_active or not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= LOCKOUT_AFTER:
            minutes = min(2 ** (user.failed_logins - LOCKOUT_AFTER), LOCKOUT_MAX_MINUTES)
            user.locked_until = now + timedelta(minutes=minutes)
            logger.warning(
                "User %s locked for %s minutes after %s failed sign-ins", user.id, minutes, user.failed_logins
            )
        db.session.flush()
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return user


def update_profile(user, legal_name, native_name, locale):
    user.legal_name = legal_name.strip()
    user.native_name = (native_name or "").strip() or None
    user.locale = locale
    db.session.flush()


def set_role(user, role, actor):
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    logger.info("User %s changed role of user %s from %s to %s", actor.id, user.id, user.role, role)
    record(actor, "user.role", user, old=user.role, new=role)
    user.role = role
    db.session.flush()


def set_password(user, password):
    """Give user a new password; this ends every invitation and reset link and any lockout."""
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    db.session.flush()
    logger.info("User %s set a new password", user.id)
