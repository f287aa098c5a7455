"""One-time, expiring links: invitations for accounts a coordinator created, and password resets.

A link carries the account id and a fingerprint of its current password hash, signed with
the secret key. Setting a password changes the hash, so a used link stops working; after
its lifetime it expires. Nothing is stored: any app host can check a link.
"""

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from ..urls import public_url
from .models import User

INVITATION_DAYS = 14
RESET_HOURS = 2

_LIFETIME = {"invitation": INVITATION_DAYS * 24 * 3600, "password-reset": RESET_HOURS * 3600}


def _serializer(purpose):
    return URLSafeTimedSerializer(current_app.secret_key, salt=purpose)


def _token(user, purpose):
    return _serializer(purpose).dumps({"u": user.id, "p": user.password_fingerprint()})


def _read(token, purpose):
    try:
        data = _serializer(purpose).loads(token, max_age=_LIFETIME[purpose])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.is_active or data.get("p") != user.password_fingerprint():
        return None
    return user


def invitation_token(user):
    return _token(user, "invitation")


def read_invitation(token):
    """Return the invited User, or None if the link is forged, expired or used already."""
    return _read(token, "invitation")


def reset_token(user):
    return _token(user, "password-reset")


def read_reset_token(token):
    """Return the User whose password the link resets, or None if forged, expired or used."""
    return _read(token, "password-reset")


def invitation_link(user):
    return public_url(url_for("auth.accept_invitation", token=invitation_token(user)))


def reset_link(user):
    return public_url(url_for("auth.reset_password", token=reset_token(user)))


def reset_mail(user):
    """(to, subject, body) of a reset mail, in the account's language."""
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("Your new password")
        body = render_template("auth/reset_mail.txt", user=user, link=reset_link(user), hours=RESET_HOURS)
    return user.email, subject, body
