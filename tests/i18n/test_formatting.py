"""Plurals, numbers and dates follow the page's locale."""

import re

import pytest


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", ["2 Module", "4,5 Stunden", "01.01.2026"]),
        ("ar", ["وحدتان", "4.5", "ساعات"]),  # Arabic dual form for two modules
        ("tr", ["2 modül", "4,5 saat"]),
        ("en", ["2 modules", "4.5 hours"]),
    ],
)
def test_catalogue_formats_per_locale(client, synced, language, expected):
    page = client.get("/", headers={"Accept-Language": language}).get_data(as_text=True)
    for text in expected:
        assert text in page


def test_cached_formatting_does_not_leak_between_locales(client, synced):
    assert "01.01.2026" in client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "01.01.2026" not in english and "Jan 1, 2026" in english


@pytest.mark.parametrize(
    ("language", "money", "number"),
    [
        ("de", "1.234,50\xa0€", "1.234,5 kg"),
        ("en", "€1,234.50", "1,234.5 kg"),
        ("tr", "€1.234,50", "1.234,5 kg"),
        ("uk", "1\xa0234,50\xa0EUR", "1\xa0234,5 kg"),
        ("ru", "1\xa0234,50\xa0€", "1\xa0234,5 kg"),
        ("ar", "\u200f1,234.50\xa0€", "1,234.5 kg"),
        ("fa", "\u200e€\xa01,234.50", "1,234.5 kg"),
    ],
)
def test_amounts_follow_the_locale(app, language, money, number):
    from flask_babel import force_locale

    from lms.i18n.formatting import amount_filter

    with app.test_request_context(), force_locale(language):
        assert amount_filter("1234.5", "€") == money
        assert amount_filter("1234.5", "Euro") == money
        assert amount_filter("1234.5", "kg") == number


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_arabic_and_persian_pages_use_western_digits(client, synced, language):
    """Decided in docs/languages.md: amounts, dates, § numbers and codes as on German documents."""
    page = client.get("/", headers={"Accept-Language": language}).get_data(as_text=True)
    assert "2026" in page
    assert not any("\u0660" <= char <= "\u0669" or "\u06f0" <= char <= "\u06f9" for char in page)


def test_stylesheet_uses_only_logical_directions():
    """Right-to-left pages mirror by themselves only when no rule names left or right."""
    from pathlib import Path

    css = (Path(__file__).parents[2] / "static" / "css" / "site.css").read_text(encoding="utf-8")
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)|(?<![-\w])(?:left|right)\s*:|(?:text-align|float|clear)\s*:\s*(?:left|right)",
        css,
    )
    assert physical == []
