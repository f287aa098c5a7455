"""Typed text is stored clean: no bidi overrides, no control characters, composed letters."""

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db
from lms.forms import clean_text


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Ayşe  ", "Ayşe"),
        ("\u202eAyşe\u202c", "Ayşe"),  # a right-to-left override would reverse what follows
        ("\u2067محمد\u2069", "محمد"),
        ("Jose\u0301", "José"),  # decomposed é becomes one letter
        ("A\x00B\x1bC", "ABC"),
        ("\ufeffName", "Name"),
        ("Zeile 1\nZeile 2", "Zeile 1 Zeile 2"),  # one-line fields stay on one line
        ("می\u200cتوانید", "می\u200cتوانید"),  # the Persian zero-width non-joiner stays
    ],
)
def test_clean_text(typed, stored):
    assert clean_text(typed) == stored


def test_multiline_text_keeps_its_lines():
    assert clean_text("a\r\nb\u202e\n\tc", multiline=True) == "a\nb\n\tc"


def test_signup_stores_the_cleaned_name(app, client):
    response = client.post_form(
        "/signup",
        {
            "email": "neu@example.org",
            "password": "ein-langes-passwort",
            "confirm": "ein-langes-passwort",
            "legal_name": "\u202eJose\u0301 Garci\u0301a",
            "native_name": "\u2066\u2069",
            "locale": "de",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "neu@example.org"))
        assert (user.legal_name, user.native_name) == ("José García", None)


def test_a_name_of_invisible_characters_only_is_refused(client):
    response = client.post_form(
        "/signup",
        {
            "email": "leer@example.org",
            "password": "ein-langes-passwort",
            "confirm": "ein-langes-passwort",
            "legal_name": "\u202e\u202c\u200f ",
            "locale": "de",
        },
    )
    assert response.status_code == 400
