"""Who may do what: the one place that answers it.

Each account has one role. An admin may do everything staff may do; the
other roles are separate (a coordinator is not automatically a trainer).
A learner's own data — attempts, certificates — is visible to that learner.
"""

from functools import wraps

from flask import abort, current_app
from flask_login import current_user


def has_role(user, *roles):
    """Tell whether user is signed in and holds one of roles (admin holds all)."""
    if not user or not user.is_authenticated:
        return False
    return user.role == "admin" or user.role in roles


def can_view_attempt(user, attempt):
    return user.is_authenticated and (attempt.user_id == user.id or has_role(user, "admin"))


def can_download_certificate(user, certificate):
    """The learner, an admin, or a coordinator of an organisation the learner belongs to."""
    if not user.is_authenticated:
        return False
    if certificate.user_id == user.id or has_role(user, "admin"):
        return True
    if user.role != "coordinator" or certificate.user_id is None:
        return False
    from ..coordination.services import coordinates_person  # scope lives with the organisations

    return coordinates_person(user, certificate.user_id)


def role_required(*roles):
    """Decorate a view: send anonymous users to login, answer 403 to other roles."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not has_role(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
