"""One-time, expiring invitation links for accounts a coordinator created.

A link carries the account id and a fingerprint of its current password hash, signed with
the secret key. Setting a password changes the hash, so a used link stops working; after
INVITATION_DAYS it expires. Nothing is stored: any app host can check a link.
"""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from .models import User

INVITATION_DAYS = 14


def _serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt="invitation")


def _fingerprint(user):
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def invitation_token(user):
    return _serializer().dumps({"u": user.id, "p": _fingerprint(user)})


def read_invitation(token):
    """Return the invited User, or None if the link is forged, expired or used already."""
    try:
        data = _serializer().loads(token, max_age=INVITATION_DAYS * 24 * 3600)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.is_active or data.get("p") != _fingerprint(user):
        return None
    return user
