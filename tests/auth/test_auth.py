"""Sign-up, login, profile: and the bad input around them."""

import pytest
from sqlalchemy import func, select

from lms.auth.models import User
from lms.extensions import db

GOOD = {
    "email": "neu@example.org",
    "password": "ein-sicheres-passwort",
    "confirm": "ein-sicheres-passwort",
    "legal_name": "Neue Person",
    "native_name": "",
    "locale": "de",
}


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_signup_logs_in(client, app):
    response = client.post_form("/signup", GOOD)
    assert response.status_code == 302
    assert client.get("/me").status_code == 200
    assert _count(app) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "kurz", "confirm": "kurz"}, "password"),
        ({"confirm": "etwas-anderes-passwort"}, "confirm"),
        ({"email": "keine-adresse"}, "email"),
        ({"legal_name": ""}, "legal_name"),
        ({"locale": "xx"}, "locale"),
    ],
)
def test_bad_signup_is_400_with_field_error(client, app, change, field):
    response = client.post_form("/signup", {**GOOD, **change})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and 'aria-describedby="' in html
    assert _count(app) == 0


def test_duplicate_email_keeps_the_first_account(client, app, create_user):
    create_user(email="neu@example.org", legal_name="Erste Person")
    response = client.post_form("/signup", {**GOOD, "email": "NEU@example.org"})
    assert response.status_code == 400
    assert "Es gibt schon ein Konto mit dieser E-Mail-Adresse" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User)).legal_name == "Erste Person"


def test_wrong_password_is_refused(client, create_user):
    user = create_user()
    response = client.login(user.email, "falsches-passwort")
    assert response.status_code == 400
    assert client.get("/me").status_code == 302


def test_login_redirect_stays_on_site(client, create_user):
    user = create_user()
    token = client.csrf_token()
    response = client.post(
        "/login?next=https://evil.example.org/",
        data={"email": user.email, "password": "ein-langes-passwort", "csrf_token": token},
    )
    assert response.headers["Location"] == "/me"
    client.post_form("/logout")
    token = client.csrf_token()
    response = client.post(
        "/login?next=/courses/x",
        data={"email": user.email, "password": "ein-langes-passwort", "csrf_token": token},
    )
    assert response.headers["Location"] == "/courses/x"


def test_form_without_csrf_token_is_refused(client, app):
    response = client.raw.post("/signup", data=GOOD)
    assert response.status_code == 400
    assert _count(app) == 0


def test_profile_changes_language(client, app, create_user):
    user = create_user()
    client.login(user.email)
    response = client.post_form("/profile", {"legal_name": "Ayşe Yılmaz", "native_name": "", "locale": "tr"})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="tr" dir="ltr">' in page
    with app.app_context():
        assert db.session.get(User, user.id).locale == "tr"


def test_language_switch_keeps_the_page(client):
    response = client.post_form("/language", {"lang": "ar", "next": "/verify"})
    assert response.status_code == 302 and response.headers["Location"] == "/verify"
    assert '<html lang="ar" dir="rtl">' in client.get("/verify").get_data(as_text=True)
    assert client.post_form("/language", {"lang": "xx"}).status_code == 400


def test_accept_language_is_used_without_a_choice(client):
    page = client.get("/", headers={"Accept-Language": "tr-TR,tr;q=0.9"}).get_data(as_text=True)
    assert '<html lang="tr"' in page
    assert '<html lang="de"' in client.get("/", headers={"Accept-Language": "ja"}).get_data(as_text=True)
