"""Sign-in lockout with back-off, rate limits, password reset links, sessions ended by a new password."""

import re
from datetime import timedelta

from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.extensions import db
from lms.models_mixins import utcnow
from tests.conftest import PASSWORD, Client

NEW_PASSWORD = "ein neues langes Passwort"


def _wrong(client, user, times):
    return [client.login(user.email, "falsches Passwort!").status_code for _ in range(times)]


def test_five_failures_lock_the_account_and_each_further_one_doubles_the_wait(app, client, create_user):
    user = create_user(locale="en")
    client.set_cookie("lang", "en")  # the page before sign-in speaks the visitor's language
    assert _wrong(client, user, 5) == [400] * 5
    locked = client.login(user.email)  # even the right password waits
    assert locked.status_code == 429
    assert "Please wait 1 minute or reset your password." in locked.get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.failed_logins == 5
        stored.locked_until = utcnow() - timedelta(seconds=1)  # the minute has passed
        db.session.commit()
    assert _wrong(client, user, 1) == [400]
    with app.app_context():
        stored = db.session.get(User, user.id)
        wait = stored.locked_until - utcnow()
        assert timedelta(minutes=1) < wait <= timedelta(minutes=2)
        stored.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.login(user.email).status_code == 302
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert (stored.failed_logins, stored.locked_until) == (0, None)


def test_sign_in_attempts_are_rate_limited_per_address(app, client, create_user):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    user = create_user()
    assert _wrong(client, create_user(email="other@example.org"), 3) == [400] * 3
    assert client.login(user.email).status_code == 429


def test_reset_by_mail_works_once_and_ends_other_sessions(app, client, create_user, smtp_server):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1], MAIL_USE_TLS=False)
    user = create_user(locale="tr")
    elsewhere = Client(app.test_client())  # the account is open in another browser
    elsewhere.login(user.email)
    assert elsewhere.get("/me").status_code == 200
    _wrong(client, user, 6)  # and locked

    sent = client.post_form("/password/forgot", {"email": user.email.upper()})
    assert sent.status_code == 303
    unknown = client.post_form("/password/forgot", {"email": "niemand@example.org"})
    assert unknown.status_code == 303  # the same answer: no way to probe for accounts
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == user.email
    body = message.get_payload(decode=True).decode()
    assert "Merhaba" in body  # in the account's language
    link = re.search(r"https://lernen\.example\.org(/password/reset/\S+)", body).group(1)

    assert client.get(link).status_code == 200
    done = client.post_form(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert client.get("/me").status_code == 200  # signed in, lock lifted
    assert client.get(link).status_code == 400  # used
    assert elsewhere.get("/me").status_code == 302  # the other browser is signed out
    fresh = Client(app.test_client())
    assert fresh.login(user.email, NEW_PASSWORD).status_code == 302
    assert Client(app.test_client()).login(user.email, PASSWORD).status_code == 400


def test_without_mail_the_admin_hands_over_a_link(app, client, create_user):
    user = create_user(email="vergessen@example.org")
    page = client.get("/password/forgot").get_data(as_text=True)
    assert 'name="email"' not in page  # nothing to send
    admin = create_user("admin", locale="en")
    client.login(admin.email)
    response = client.post_form(f"/admin/users/{user.id}/reset-link")
    assert response.status_code == 200
    link = re.search(r"https://lernen\.example\.org(/password/reset/[^<\s]+)", response.get_data(as_text=True)).group(1)
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.reset_link"))
        assert entry.subject_id == user.id and entry.actor_id == admin.id
    learner = Client(app.test_client())
    assert learner.post_form(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert learner.post_form(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 400


def test_a_forged_or_short_reset_is_refused(app, client, create_user):
    assert client.get("/password/reset/nicht-echt").status_code == 400
    user = create_user()
    with app.test_request_context():
        from lms.auth.invitations import reset_token

        token = reset_token(db.session.get(User, user.id))
    short = client.post_form(f"/password/reset/{token}", {"password": "kurz", "confirm": "kurz"})
    assert short.status_code == 400
    assert Client(app.test_client()).login(user.email).status_code == 302  # the password is unchanged
