"""The shipped interface catalogues are complete and well-formed."""

import re
from collections import defaultdict
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from lms.config import LANGUAGES as CONFIGURED

TRANSLATIONS = Path(__file__).parents[2] / "translations"
LANGUAGES = tuple(CONFIGURED)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
MARKUP = re.compile(r"</?\w+[^>]*>")


def _catalog(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def _template_ids():
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language):
    catalog = _catalog(language)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    assert _template_ids() <= ids, "run: flask translate update"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated or fuzzy: {source[0]!r}")
            continue
        wanted = sorted(set(PLACEHOLDER.findall(source[-1])))
        for text in strings:
            found = sorted(set(PLACEHOLDER.findall(text)))
            # A plural form may leave out the number (Arabic "one"/"two" forms say it in words).
            if found != wanted and not (len(source) > 1 and set(found) <= set(wanted)):
                problems.append(f"placeholders differ in {source[0]!r}: {found} != {wanted}")
            if "%" in text:  # templates %-format every translated string
                try:  # the text must survive %-formatting, as templates and gettext do it
                    text % defaultdict(int)
                except (ValueError, TypeError) as exc:
                    problems.append(f"formatting fails in {source[0]!r}: {exc}")
            if sorted(MARKUP.findall(text)) != sorted(MARKUP.findall(source[0])):
                problems.append(f"markup differs in {source[0]!r}")
    assert problems == []


def test_arabic_has_six_plural_forms():
    assert _catalog("ar").num_plurals == 6
