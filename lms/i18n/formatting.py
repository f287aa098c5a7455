"""Locale-aware formatting for templates, memoised.

Babel parses a date pattern on every call (about 150 µs); a page shows the same few
dates and numbers again and again, so results are kept per value, format, locale and
time zone. Translations are looked up once per locale and message for the same reason.
"""

from functools import lru_cache

from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
    get_timezone,
    get_translations,
)


@lru_cache(maxsize=4096)
def _formatted(kind, value, fmt, locale, timezone):
    # locale and timezone are part of the key; the request context supplies the same values.
    if kind == "date":
        return format_date(value, fmt)
    if kind == "datetime":
        return format_datetime(value, fmt)
    if kind == "percent":
        return format_percent(value)
    return format_decimal(value)


def date_filter(value, fmt="medium"):
    return _formatted("date", value, fmt, str(get_locale()), str(get_timezone()))


def datetime_filter(value, fmt="medium"):
    return _formatted("datetime", value, fmt, str(get_locale()), str(get_timezone()))


def decimal_filter(value):
    return _formatted("decimal", value, None, str(get_locale()), None)


def percent_filter(value):
    """A share (0.25) as a percentage in the reader's locale ("25 %" in German)."""
    return _formatted("percent", value, None, str(get_locale()), None)


@lru_cache(maxsize=8192)
def _translated(locale, message):
    return get_translations().ugettext(message)


@lru_cache(maxsize=1024)
def _translated_plural(locale, singular, plural, number):
    return get_translations().ungettext(singular, plural, number)


def template_gettext(message):
    """gettext for Jinja's new-style callables, which add escaping and %-formatting themselves."""
    return _translated(str(get_locale()), message)


def template_ngettext(singular, plural, number):
    return _translated_plural(str(get_locale()), singular, plural, number)
