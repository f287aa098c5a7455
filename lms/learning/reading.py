"""Reading aids beside the module page: the text side by side with its source, and handouts."""

import re
from dataclasses import replace
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from ..catalog.queries import course_glossary, module_languages, module_text
from ..catalog.sections import pair_sections, split_sections
from ..certificates.pdf import html_to_pdf

_TERM_LINK = re.compile(r'href="#(term-[^"]*)"')
_ID = re.compile(r'\bid="')
_FRAGMENT = re.compile(r'href="#(?!term-)')


def side_by_side(module, language, source_language, glossary_url=""):
    """(text, source text, [(section in language or None, section in the source or None)]).

    Both columns share one page: the source column's ids get a prefix so no id appears twice,
    and glossary links lead to glossary_url (the module page's own glossary is not there).
    """
    reading, _ = module_text(module, language, source_language)
    source, _ = module_text(module, source_language, source_language)

    def relinked(html, id_prefix=""):
        html = _TERM_LINK.sub(rf'href="{glossary_url}#\1"', html)
        if id_prefix:
            html = _FRAGMENT.sub(f'href="#{id_prefix}', _ID.sub(f'id="{id_prefix}', html))
        return html

    left = [replace(s, html=relinked(s.html)) for s in split_sections(reading.body_html)]
    right = [replace(s, html=relinked(s.html, "source-")) for s in split_sections(source.body_html)]
    return reading, source, pair_sections(left, right)


def handout_languages(module, course, language, bilingual):
    """The languages a handout prints: the chosen one, and German beside it if asked for."""
    available = module_languages(module)
    chosen = language if language in available else course.source_language
    if bilingual and chosen != course.source_language:
        return chosen, course.source_language
    return chosen, None


def _media_folder(course, module):
    return Path(current_app.config["COURSES_DIR"]) / course.slug / _module_folder(module) / "media"


def _module_folder(module):
    return f"{module.position:02d}-{module.slug}"


_TERM_ANCHOR = re.compile(r'<a class="term" href="[^"]*"([^>]*)>([^<]*)</a>')


def _for_print(html, course, module, folder):
    """Point the module's image URLs at its media folder, which the PDF renderer may read;
    glossary terms stay marked but link nowhere (the handout lists them at the end)."""
    prefix = re.escape(f'src="/media/{course.slug}/{_module_folder(module)}/')
    html = re.sub(prefix, f'src="{folder.resolve().as_uri()}/', html)
    return _TERM_ANCHOR.sub(r'<span class="term"\1>\2</span>', html)


def handout_pdf(course, module, language, bilingual):
    """A module as a printable PDF: in language, or paired section by section with the source.

    Headings and labels are in the handout's language: it is printed for its readers.
    """
    first, second = handout_languages(module, course, language, bilingual)
    reading, source, pairs = side_by_side(module, first, course.source_language)
    folder = _media_folder(course, module)
    pairs = [
        (
            _for_print(left.html, course, module, folder) if left else None,
            _for_print(right.html, course, module, folder) if right else None,
        )
        for left, right in pairs
    ]
    glossary = course_glossary(course)
    terms = sorted(set(reading.glossary_terms) | (set(source.glossary_terms) if second else set()))
    with force_locale(first):
        html = render_template(
            "learning/handout.html",
            course=course,
            module=module,
            reading=reading,
            source=source if second else None,
            first=first,
            second=second,
            pairs=pairs,
            terms=[(term, glossary.get(term, {})) for term in terms],
        )
    return html_to_pdf(html, media_root=folder if folder.is_dir() else None)
