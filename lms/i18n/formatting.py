"""Locale-aware formatting for templates, memoised.

Babel parses a date pattern on every call (about 150 µs); a page shows the same few
dates and numbers again and again, so results are kept per value, format, locale and
time zone. Translations are looked up once per locale and message for the same reason.
"""

from decimal import Decimal
from functools import lru_cache

from babel import Locale
from flask_babel import (
    format_currency,
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
    if kind == "currency":
        return format_currency(value, fmt)
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


EURO_UNITS = {"€", "eur", "euro", "يورو", "یورو", "євро", "евро", "avro"}


def amount_filter(value, unit=""):
    """A number with its unit in the reader's locale; euros as money ("1.234,50 €" in German)."""
    number = Decimal(str(value))
    if unit.strip().casefold() in EURO_UNITS:
        return _formatted("currency", number, "EUR", str(get_locale()), None)
    text = _formatted("decimal", number, None, str(get_locale()), None)
    return f"{text} {unit}".strip()


@lru_cache(maxsize=256)
def _language_name(code, locale):
    return Locale.parse(code).get_language_name(locale) or code


def language_name(code):
    """The name of language code in the reader's language ("Türkisch" for a German reader)."""
    return _language_name(code, str(get_locale()))


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
