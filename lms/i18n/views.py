"""The language switcher and the helpers every template gets."""

from flask import Blueprint, abort, current_app, redirect, request
from flask_login import current_user

from ..auth.permissions import has_role
from ..extensions import csrf, db
from ..safe_redirect import safe_next
from .formatting import (
    amount_filter,
    date_filter,
    datetime_filter,
    decimal_filter,
    language_name,
    percent_filter,
    template_gettext,
    template_ngettext,
)
from .locale import LANG_COOKIE, current_locale_code, text_direction

bp = Blueprint("i18n", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.route("/language", methods=["POST"])
@csrf.exempt
def switch_language():
    """Remember the chosen language and return to the same page.

    For visitors who are not signed in, the switch only sets the `lang` cookie; a forged
    request could at worst show the site in another language. So their form carries no
    CSRF token, and pages that have no other form start no session and set no cookie
    (the privacy notice promises a session cookie only to people who sign in). For
    signed-in people the switch changes the account, and the token is checked as on
    every other form.
    """
    if current_user.is_authenticated:
        csrf.protect()
    code = request.form.get("lang", "")
    if code not in current_app.config["LANGUAGES"]:
        abort(400)
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    response = redirect(safe_next(request.form.get("next"), "catalog.index"))
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=ONE_YEAR,
        samesite="Lax",
        httponly=True,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
    return response


def register_template_helpers(app):
    @app.context_processor
    def inject_locale():
        code = current_locale_code()
        return {
            "lang_code": code,
            "text_dir": text_direction(code),
            "languages": app.config["LANGUAGES"],
        }

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["date"] = date_filter
    app.jinja_env.filters["datetime"] = datetime_filter
    app.jinja_env.filters["decimal"] = decimal_filter
    app.jinja_env.filters["percent"] = percent_filter
    app.jinja_env.filters["amount"] = amount_filter
    app.jinja_env.install_gettext_callables(template_gettext, template_ngettext, newstyle=True)
    app.jinja_env.globals["text_direction"] = text_direction
    app.jinja_env.globals["language_name"] = language_name
    app.jinja_env.globals["has_role"] = has_role  # navigation follows the one permission rule
