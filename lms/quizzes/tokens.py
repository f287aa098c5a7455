"""Quiz form tokens: signed, so the draw of questions and the order of options cannot be chosen.

A token names the learner, the module, a random seed and the time the form was shown. The
seed decides which questions a pool draws and how options are shuffled; the time lets a
second tab's submission be recognised as a duplicate of an attempt made after it was shown.
"""

import secrets
import time
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer


@dataclass(frozen=True)
class FormToken:
    seed: str
    issued_at: float


def _serializer():
    return URLSafeSerializer(current_app.secret_key, salt="quiz-form")


def issue(user, module, issued_at=None):
    """Return (signed token for the form, FormToken), dated now unless issued_at (a timestamp) says otherwise."""
    token = FormToken(secrets.token_urlsafe(12), time.time() if issued_at is None else issued_at)
    signed = _serializer().dumps({"u": user.id, "m": module.id, "s": token.seed, "t": token.issued_at})
    return signed, token


def read(signed, user, module):
    """Return the FormToken of a submitted form, or None if it is forged or for someone else."""
    try:
        data = _serializer().loads(signed or "")
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.id or data.get("m") != module.id:
        return None
    return FormToken(str(data["s"]), float(data["t"]))
