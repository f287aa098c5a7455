"""Markdown to safe HTML: the one place trainer text becomes markup.

Trainer Markdown is untrusted. It is rendered with markdown-it (CommonMark,
tables, footnotes, boxes) and then sanitised with nh3 against an allow-list, so a
script, an event handler, a javascript: link, an iframe or a remote image never
reaches a page.

Course-specific syntax:
- ``::: info`` / ``::: warning`` / ``::: example`` … ``:::`` — boxes ("Merke",
  "Achtung", "Beispiel"), labelled in the text's language;
- ``![Alt text](media/bild.png)`` — an image from the module's media/ folder;
- ``[Die Satzung](modul:satzung)`` — a link to another module of the course;
- ``[[Vereinsregister]]`` — a glossary term, German term kept visible;
- ``§ 56 BGB``, ``§ 64 Abs. 3 AO`` — linked to the public text of federal laws;
- ``## Heading {#mitglieder}`` — a stable section id (``id="sec-mitglieder"``) that quiz
  results link to; the same in every language.
"""

import html
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

BOXES = ("info", "warning", "example")
# Box labels belong to the content's language, not to the reader's interface language.
BOX_LABELS = {
    "de": {"info": "Merke", "warning": "Achtung", "example": "Beispiel"},
    "en": {"info": "Note", "warning": "Caution", "example": "Example"},
    "tr": {"info": "Not", "warning": "Dikkat", "example": "Örnek"},
    "ar": {"info": "ملاحظة", "warning": "تنبيه", "example": "مثال"},
    "uk": {"info": "Запам'ятайте", "warning": "Увага", "example": "Приклад"},
    "ru": {"info": "Запомните", "warning": "Внимание", "example": "Пример"},
    "fa": {"info": "به خاطر بسپارید", "warning": "توجه", "example": "مثال"},
}
# Federal laws on gesetze-im-internet.de; state law (LHO NRW) has no stable per-paragraph URL.
LAW_URLS = {
    "BGB": "bgb",
    "AO": "ao_1977",
    "EStG": "estg",
    "UStG": "ustg_1980",
    "HGB": "hgb",
    "GwG": "gwg_2017",
    "MiLoG": "milog",
    "BDSG": "bdsg_2018",
    "SGB IV": "sgb_4",
    "KStG": "kstg_1977",
    "GewStG": "gewstg",
}
LAW_REFERENCE = re.compile(
    r"§\s?(?P<number>\d+[a-z]?)(?P<rest>(?:\s(?:Abs\.|Satz|Nr\.)\s?\d+[a-z]?)*)\s(?P<law>"
    + "|".join(re.escape(k) for k in sorted(LAW_URLS, key=len, reverse=True))
    + r")\b"
)
GLOSSARY_REFERENCE = re.compile(r"\[\[([^\[\]\n]+)\]\]")
HEADING_ID = re.compile(r"\s*\{#([a-z0-9][a-z0-9-]{0,63})\}\s*$")
SECTION_PREFIX = "sec-"  # keeps trainer ids apart from the page's own ids

ALLOWED_TAGS = {
    "a",
    "abbr",
    "aside",
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
    "a": {"href", "title", "id", "class", "lang"},
    "aside": {"class"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"style", "colspan", "rowspan"},
    "td": {"style", "colspan", "rowspan"},
    "li": {"id", "class"},
    "section": {"class"},
    "sup": {"class", "id"},
    "ol": {"class", "start"},
    "hr": {"class"},
    "p": {"class"},
    "span": {"class", "lang", "dir"},
    "dfn": {"lang", "title"},
    "h1": {"id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _make_parser():
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable("table").use(footnote_plugin)
    # One container rule for all boxes: each rule is tried on every line of every text.
    parser.use(container_plugin, name="box", validate=_is_box, render=_render_box)
    parser.core.ruler.push("heading_ids", _heading_ids)
    return parser


def _heading_ids(state):
    """Turn a trailing '{#id}' of a heading into its id attribute."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        match = HEADING_ID.search(inline.content)
        if not match or not inline.children or inline.children[-1].type != "text":
            continue
        last = inline.children[-1]
        last.content = HEADING_ID.sub("", last.content)
        inline.content = HEADING_ID.sub("", inline.content)
        token.attrs["id"] = SECTION_PREFIX + match.group(1)


def section_anchor(section):
    """The fragment of a section id: '#sec-<id>'."""
    return "#" + SECTION_PREFIX + section


def _is_box(params, *_args):
    return params.strip() in BOXES


def _render_box(self, tokens, index, options, env):
    if tokens[index].nesting == 1:
        name = tokens[index].info.strip()
        label = BOX_LABELS.get(env.get("language"), BOX_LABELS["de"])[name]
        return f'<aside class="box box-{name}"><p class="box-label">{html.escape(label)}</p>\n'
    return "</aside>\n"


_md = _make_parser()


def _keep_attribute(element, attribute, value):
    """Images only from the course's own media; everything else as the allow-list says."""
    if element == "img" and attribute == "src":
        return value if value.startswith("/media/") else None
    return value


# Built once: nh3.clean() builds the allow-list anew on every call (about 50 µs), and a sync
# sanitises a few dozen fragments per module text (render_many checks each part).
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_keep_attribute,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    filter_style_properties={"text-align"},
)


def sanitise(raw_html):
    """Return HTML stripped of everything not on the allow-list."""
    return _CLEANER.clean(raw_html)


def _slug(text):
    return re.sub(r"[^\w-]+", "-", text.strip().lower()).strip("-")[:60] or "section"


def _glossary_link(match):
    term = match.group(1).strip()
    # The German term stays visible: volunteers meet it in letters from the authorities.
    return f'<a class="term" href="#term-{html.escape(_slug(term))}" lang="de">{html.escape(term)}</a>'


def _law_link(match):
    law = match.group("law")
    url = f"https://www.gesetze-im-internet.de/{LAW_URLS[law]}/__{match.group('number')}.html"
    return f'<a class="law" href="{url}" lang="de">{match.group(0)}</a>'


def _link_laws(rendered):
    """Link § references in text, never inside tags or existing links."""
    parts = re.split(r"(<[^>]+>)", rendered)
    inside_link = 0
    for index, part in enumerate(parts):
        if part.startswith("<"):
            if re.match(r"<a[\s>]", part):
                inside_link += 1
            elif part.startswith("</a"):
                inside_link = max(0, inside_link - 1)
        elif not inside_link and "§" in part:
            parts[index] = LAW_REFERENCE.sub(_law_link, part)
    return "".join(parts)


def _resolve_urls(tokens, media_base, module_base):
    for token in tokens:
        for child in token.children or []:
            if child.type == "image" and media_base:
                src = child.attrs.get("src", "")
                if src.startswith("media/"):
                    child.attrs["src"] = media_base + src[len("media/") :]
            elif child.type == "link_open":
                href = child.attrs.get("href", "")
                if href.startswith("modul:") and module_base:
                    child.attrs["href"] = module_base + href[len("modul:") :]


def render_markdown(text, inline=False, language="de", media_base=None, module_base=None):
    """Render trainer Markdown to sanitised HTML (a Markup object)."""
    env = {"language": language}
    if inline:
        tokens = _md.parseInline(text or "", env)
    else:
        tokens = _md.parse(text or "", env)
    _resolve_urls(tokens, media_base, module_base)
    rendered = _md.renderer.render(tokens, _md.options, env)
    rendered = GLOSSARY_REFERENCE.sub(_glossary_link, rendered)
    rendered = _link_laws(rendered)
    return Markup(sanitise(rendered))


SEPARATOR = "\u241e"  # SYMBOL FOR RECORD SEPARATOR: never part of course text


def render_many(texts, inline=False, **options):
    """Render several fragments in one pass (much faster than one call each); same results.

    Block fragments are joined by a separator paragraph, inline ones by the separator
    character. Fragments with footnotes are rendered alone: footnotes are numbered per document.
    """
    texts = list(texts)
    if not texts:
        return []
    if any(SEPARATOR in t for t in texts) or (not inline and any("[^" in t for t in texts)):
        return [render_markdown(t, inline=inline, **options) for t in texts]
    if inline:
        joined = f" {SEPARATOR} ".join(t.strip() for t in texts)
        parts = str(render_markdown(joined, inline=True, **options)).split(f" {SEPARATOR} ")
    else:
        joined = f"\n\n{SEPARATOR}\n\n".join(texts)
        parts = str(render_markdown(joined, **options)).split(f"<p>{SEPARATOR}</p>\n")
    # A fragment's syntax may swallow a separator: into an attribute (![a ␞ b](x.png)) or across an
    # element (**a ␞ b**). Then a part is not a whole fragment, and sanitising it again would change
    # it (close or drop a tag): render one by one instead.
    if len(parts) != len(texts) or any(sanitise(part) != part for part in parts):
        return [render_markdown(t, inline=inline, **options) for t in texts]
    return [Markup(part) for part in parts]


def term_anchor(term):
    return "term-" + _slug(term)
