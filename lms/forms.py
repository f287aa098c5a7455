"""The base of every form: typed text is cleaned before any validator or service sees it.

Text may arrive with invisible characters that break pages or mislead readers: bidi
overrides that turn "ecnerefer" into "reference", control characters, a byte-order mark,
or letters in decomposed form ("e" plus a combining accent) that compare unequal to the
same letter typed at once. Names are printed on certificates, so they are stored clean.
Passwords are left exactly as typed.
"""

import re
import unicodedata

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

# Embeddings, overrides and isolates (U+202A–202E, U+2066–2069) and the BOM; the marks
# LRM/RLM and the joiners ZWJ/ZWNJ stay (Persian spelling needs ZWNJ).
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_text(value, multiline=False):
    """NFC, without bidi controls and control characters, trimmed; "" if nothing visible is left."""
    if not isinstance(value, str):
        return value
    value = _INVISIBLE.sub("", unicodedata.normalize("NFC", value))
    keep = "\n\t" if multiline else ""
    value = "".join(
        " " if char in "\r\n\t" and not multiline else char
        for char in value
        if unicodedata.category(char) != "Cc" or char in keep or char in "\r\n\t"
    )
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.strip()
    # Only marks and joiners left (nothing a reader could see): that is no text at all.
    if not any(unicodedata.category(char)[0] in "LNPS" for char in value):
        return ""
    return value


def _clean_multiline(value):
    return clean_text(value, multiline=True)


class Form(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                cleaner = _clean_multiline if issubclass(field_class, TextAreaField) else clean_text
                options["filters"] = [cleaner, *unbound_field.kwargs.get("filters", ()), *options.get("filters", ())]
            return unbound_field.bind(form=form, **options)
