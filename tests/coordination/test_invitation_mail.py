"""Invitations by e-mail: sent through a real SMTP conversation with a server on the loopback
address (nothing leaves the machine), in each person's language; off without a server."""

import email.header
import re

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.coordination import services
from lms.extensions import db


@pytest.fixture
def imported(app, client, synced, create_user):
    """A coordinator who just imported two new people (Turkish and German) and one existing one."""
    admin = create_user(role="admin")
    coordinator = create_user(role="coordinator", locale="en")
    with app.app_context():
        actor = db.session.get(User, admin.id)
        organisation = services.create_organisation("Kulturverein Brücke", "Köln", actor)
        services.add_member(organisation, db.session.get(User, coordinator.id), is_coordinator=True, actor=actor)
        db.session.commit()
        organisation_id = organisation.id
    client.login(coordinator.email)
    content = "Name;E-Mail;Sprache\nŞükrü Öztürk;sukru@example.org;tr\nJana Neu;jana@example.org;de\n"
    page = client.post_form(
        f"/coordination/organisations/{organisation_id}/import",
        {"file": (__import__("io").BytesIO(content.encode()), "liste.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    done = client.post_form(f"/coordination/organisations/{organisation_id}/import/confirm", {"token": token})
    return organisation_id, done.get_data(as_text=True)


def test_without_a_mail_server_the_links_are_only_printed(app, client, imported):
    organisation_id, page = imported
    assert "/invitation/" in page and "Send these invitations by e-mail" not in page
    response = client.post_form(f"/coordination/organisations/{organisation_id}/invitations", {"user": "1"})
    assert response.status_code == 404


def test_invitations_go_out_in_each_persons_language(app, client, imported, smtp_server):
    organisation_id, _page = imported
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1], MAIL_USE_TLS=False)
    with app.app_context():
        new = select(User.id).where(User.email.in_(["sukru@example.org", "jana@example.org"]))
        ids = [str(i) for i in db.session.scalars(new)]
    response = client.post_form(f"/coordination/organisations/{organisation_id}/invitations", {"user": ids})
    assert response.status_code == 303
    by_recipient = {message["To"]: message for message in smtp_server.messages}
    assert set(by_recipient) == {"sukru@example.org", "jana@example.org"}
    german = by_recipient["jana@example.org"].get_payload(decode=True).decode()
    assert "Hallo Jana Neu" in german and "https://lernen.example.org/invitation/" in german
    turkish = by_recipient["sukru@example.org"]
    assert "Kulturverein Brücke" in str(email.header.make_header(email.header.decode_header(turkish["Subject"])))
    assert "Merhaba" in turkish.get_payload(decode=True).decode()
    # The link in the mail works.
    link = re.search(r"https://lernen\.example\.org(/invitation/\S+)", german).group(1)
    client.post_form("/logout")
    assert client.get(link).status_code == 200


def test_people_of_other_organisations_are_refused(app, client, imported, smtp_server, create_user):
    organisation_id, _page = imported
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1], MAIL_USE_TLS=False)
    stranger = create_user(email="fremd@example.org")
    response = client.post_form(
        f"/coordination/organisations/{organisation_id}/invitations", {"user": str(stranger.id)}
    )
    assert response.status_code == 400 and smtp_server.messages == []


def test_an_unreachable_server_is_reported_not_crashed(app, client, imported):
    organisation_id, _page = imported
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_USE_TLS=False)  # nothing listens there
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "jana@example.org"))
    response = client.post_form(f"/coordination/organisations/{organisation_id}/invitations", {"user": str(user_id)})
    assert response.status_code == 303
    assert "could not be sent" in client.get(response.headers["Location"]).get_data(as_text=True)
