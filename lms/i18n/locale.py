"""Choose the locale of a request, in one fixed order.

1. the signed-in user's saved language,
2. an explicit choice stored in the ``lang`` cookie,
3. the browser's Accept-Language header,
4. the default (German).
"""

from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user

LANG_COOKIE = "lang"


def supported():
    return current_app.config["LANGUAGES"]


def select_locale():
    languages = supported()
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(list(languages)) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone():
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_locale_code():
    """The language code of this request (e.g. 'ar')."""
    locale = get_locale()
    return locale.language if locale else current_app.config["BABEL_DEFAULT_LOCALE"]


def text_direction(code):
    return supported().get(code, ("", "ltr"))[1]
