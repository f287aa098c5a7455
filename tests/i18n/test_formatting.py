"""Plurals, numbers and dates follow the page's locale."""

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
