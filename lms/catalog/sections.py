"""Split a rendered module text into its sections and pair two languages section by section.

Pure functions on the sanitised HTML that sync stored: a section starts at each
second-level heading; the text before the first heading is a section of its own.
"""

import re
from dataclasses import dataclass

# Rendered, sanitised module HTML has its <h2> at the top level; headings inside
# blockquotes or lists are not sections.
_HEADING = re.compile(r"<h2(?:\s[^>]*)?>", re.IGNORECASE)
_ANCHOR = re.compile(r'\bid="sec-([^"]+)"')


@dataclass(frozen=True)
class Section:
    anchor: str | None  # the author's {#id}, the same in every language; None if not given
    html: str

    @property
    def is_heading(self):
        """False for the introduction before the first heading."""
        return self.html.lstrip()[:3].lower() == "<h2"


def split_sections(html):
    """The sections of a module text, in order; empty leading text is dropped."""
    starts = [m.start() for m in _HEADING.finditer(html)]
    bounds = [0, *starts, len(html)]
    sections = []
    for begin, end in zip(bounds, bounds[1:], strict=False):
        part = html[begin:end]
        if not part.strip():
            continue
        anchor = _ANCHOR.search(part[: part.find(">") + 1]) if part.lstrip().startswith("<h2") else None
        sections.append(Section(anchor.group(1) if anchor else None, part))
    return sections


def _keys(sections):
    """A section's key: its anchor; the introduction; or its place among the unanchored headings."""
    keys, unnamed = [], 0
    for section in sections:
        if section.anchor:
            keys.append(("anchor", section.anchor))
        elif not section.is_heading:
            keys.append(("intro", 0))
        else:
            keys.append(("place", unnamed))
            unnamed += 1
    return keys


def pair_sections(reading, source):
    """Pair the sections of a translation with those of its source, in the translation's order.

    Sections with the same anchor belong together wherever they stand; the introductions
    pair, and headings without anchor pair by their place. A section without partner is
    paired with None, so nothing of either text is left out: a source section the
    translation lacks follows the section it follows in the source.
    """
    partner_of = dict(zip(_keys(source), source, strict=True))
    pairs = [(section, partner_of.get(key)) for key, section in zip(_keys(reading), reading, strict=True)]
    paired = {id(partner) for _, partner in pairs if partner is not None}
    for index, section in enumerate(source):
        if id(section) in paired:
            continue
        before = source[index - 1] if index else None
        at = next((i + 1 for i, (_, partner) in enumerate(pairs) if partner is before), 0) if before else 0
        pairs.insert(at, (None, section))
        paired.add(id(section))
    return pairs
