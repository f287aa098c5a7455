"""Trainer Markdown is untrusted: one choke point sanitises it."""

import re

import pytest

from lms.catalog.markdown import render_markdown


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "[klick](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "<iframe src='https://example.org'></iframe>",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_hostile_markup_is_neutralised(hostile):
    html = str(render_markdown(hostile))
    tags = re.findall(r"<[^>]*>", html)  # text may mention the attack; no tag may carry it
    for bad in ("script", "javascript:", "onerror", "iframe", "data:"):
        assert not [t for t in tags if bad in t.lower()], html


def test_commonmark_tables_and_footnotes_survive():
    html = str(render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1]\n\n[^1]: Fußnote"))
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="footnotes"' in html and "Fußnote" in html


def test_glossary_reference_keeps_german_term():
    html = str(render_markdown("Das [[Vereinsregister]] beim Amtsgericht."))
    assert '<a class="term" href="#term-vereinsregister" lang="de"' in html
