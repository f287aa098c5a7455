"""Markdown to safe HTML: the one place trainer text becomes markup.

Trainer Markdown is untrusted. It is rendered with markdown-it (CommonMark,
tables, footnotes) and then sanitised with nh3 against an allow-list, so a
script, an event handler or a javascript: link never reaches a page.
"""

import html
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.footnote import footnote_plugin

_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .use(footnote_plugin)
)

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "bdi",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"style", "colspan", "rowspan"},
    "td": {"style", "colspan", "rowspan"},
    "li": {"id", "class"},
    "section": {"class"},
    "sup": {"class", "id"},
    "ol": {"class", "start"},
    "hr": {"class"},
    "span": {"class", "lang", "dir"},
    "dfn": {"lang", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_GLOSSARY_REF = re.compile(r"\[\[([^\[\]\n]+)\]\]")


def sanitise(raw_html):
    """Return HTML stripped of everything not on the allow-list."""
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )


def _slug(text):
    return re.sub(r"[^\w-]+", "-", text.strip().lower()).strip("-")[:60] or "section"


def _glossary_link(match):
    term = match.group(1).strip()
    # The German term stays visible: volunteers meet it in letters from the authorities.
    return f'<a class="term" href="#term-{html.escape(_slug(term))}" lang="de">{html.escape(term)}</a>'


def render_markdown(text, inline=False):
    """Render trainer Markdown to sanitised HTML (a Markup object)."""
    rendered = _md.renderInline(text or "") if inline else _md.render(text or "")
    rendered = _GLOSSARY_REF.sub(_glossary_link, rendered)
    return Markup(sanitise(rendered))


def term_anchor(term):
    return "term-" + _slug(term)
