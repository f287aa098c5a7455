"""Bulk enrolment from CSV and XLSX: every problem per row, nothing stored until a clean list is
confirmed, invitation links that work once."""

import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from lms.auth.models import User
from lms.catalog.models import Course
from lms.coordination import services
from lms.coordination.models import Cohort, CohortMember, Organisation, OrganisationMember
from lms.extensions import db


@pytest.fixture
def organisation(app, synced, create_user):
    admin = create_user(role="admin")
    coordinator = create_user(role="coordinator", locale="en", legal_name="Kemal Koordinator")
    existing = create_user(email="ayse@example.org", legal_name="Ayşe Yılmaz")
    with app.app_context():
        actor = db.session.get(User, admin.id)
        org = services.create_organisation("Kulturverein Brücke", "Köln", actor)
        other = services.create_organisation("Fremder Verein", "Bonn", actor)
        services.add_member(org, db.session.get(User, coordinator.id), is_coordinator=True, actor=actor)
        # Ayşe already belongs to a second organisation of the same coordinator.
        branch = services.create_organisation("Brücke Zweigstelle", "Köln", actor)
        services.add_member(branch, db.session.get(User, coordinator.id), is_coordinator=True, actor=actor)
        services.add_member(branch, db.session.get(User, existing.id))
        services.create_cohort(
            org, db.session.scalar(select(Course)), "Abendkurs", "group", None, None, "", None, actor
        )
        db.session.commit()
        return {"id": org.id, "other": other.id, "coordinator": coordinator, "existing": existing}


def _upload(client, org_id, content, filename="liste.csv"):
    return client.post_form(
        f"/coordination/organisations/{org_id}/import",
        {"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def _counts(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(User)),
            db.session.scalar(select(func.count()).select_from(OrganisationMember)),
            db.session.scalar(select(func.count()).select_from(CohortMember)),
        )


GERMAN_EXCEL = (
    "Name;E-Mail;Sprache;Gruppe\r\n"
    "Müller, Jürgen;juergen@example.org;Deutsch;Abendkurs\r\n"
    "Şükrü Öztürk;sukru@example.org;tr;\r\n"
    "Ayşe Yılmaz;AYSE@example.org;;Abendkurs\r\n"
).encode("cp1252", errors="replace")


def test_a_clean_list_is_previewed_then_imported_with_invitations(app, client, organisation):
    client.login(organisation["coordinator"].email)
    before = _counts(app)
    content = "\ufeffName;E-Mail;Sprache;Gruppe\nJürgen Müller;juergen@example.org;Deutsch;Abendkurs\n"
    content += "Şükrü Öztürk;sukru@example.org;tr;\nAyşe Yılmaz;AYSE@example.org;;Abendkurs\n"
    preview = _upload(client, organisation["id"], content.encode("utf-8"))
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "Şükrü Öztürk" in page and "Account exists: will be added" in page
    assert _counts(app) == before  # nothing stored by the preview
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    done = client.post_form(f"/coordination/organisations/{organisation['id']}/import/confirm", {"token": token})
    assert done.status_code == 200
    links = re.findall(r"https://lernen\.example\.org/invitation/[\w.-]+", done.get_data(as_text=True))
    assert len(links) == 2  # two new accounts; Ayşe had one
    users, members, cohort_members = _counts(app)
    assert (users, members, cohort_members) == (before[0] + 2, before[1] + 3, before[2] + 2)
    with app.app_context():
        sukru = db.session.scalar(select(User).where(User.email == "sukru@example.org"))
        assert sukru.locale == "tr" and sukru.legal_name == "Şükrü Öztürk"
    # The same confirmation twice changes nothing more.
    again = client.post_form(f"/coordination/organisations/{organisation['id']}/import/confirm", {"token": token})
    assert again.status_code == 400 and _counts(app) == (users, members, cohort_members)

    # The invitation works once: choose a password, signed in, then the link is spent.
    client.post_form("/logout")
    path = links[0].removeprefix("https://lernen.example.org")
    assert client.get(path).status_code == 200
    short = client.post_form(path, {"password": "kurz", "confirm": "kurz"})
    assert short.status_code == 400
    accepted = client.post_form(path, {"password": "ein-langes-passwort-2026", "confirm": "ein-langes-passwort-2026"})
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith("/me")
    client.post_form("/logout")
    assert client.get(path).status_code == 400


def test_german_excel_csv_in_windows_1252_is_read(app, client, organisation):
    client.login(organisation["coordinator"].email)
    page = _upload(client, organisation["id"], GERMAN_EXCEL).get_data(as_text=True)
    assert "Müller, Jürgen" in page  # the comma inside a semicolon list stays in the name


def test_every_problem_is_reported_per_line_and_nothing_is_stored(app, client, organisation):
    client.login(organisation["coordinator"].email)
    before = _counts(app)
    content = (
        "Name,E-Mail,Sprache,Organisation,Gruppe\n"
        "Jürgen Müller,juergen@example.org,de,,\n"
        ",leer@example.org,de,,\n"  # line 3: no name
        "Olena,kein-at-zeichen,de,,\n"  # line 4: bad e-mail
        "Jürgen M.,JUERGEN@example.org,de,,\n"  # line 5: duplicate
        "Amina,amina@example.org,klingonisch,,\n"  # line 6: language
        "Nour,nour@example.org,ar,Fremder Verein,\n"  # line 7: another organisation's
        "Sami,sami@example.org,ar,,Morgenkurs\n"  # line 8: unknown cohort
    )
    response = _upload(client, organisation["id"], content.encode("utf-8"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for message in (
        "The name is missing.",
        "is not a valid e-mail address",
        "in the list twice (first in line 2)",
        "The language 'klingonisch' is not offered.",
        "The organisation 'Fremder Verein' is unknown or not one you coordinate.",
        "The organisation has no cohort 'Morgenkurs'.",
    ):
        assert message in page, message
    assert "6 lines have problems" in page and 'name="token"' not in page
    assert _counts(app) == before


def test_an_excel_workbook_is_read(app, client, organisation):
    client.login(organisation["coordinator"].email)
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "E-Mail", "Sprache"])
    sheet.append(["Mohammed Al-Ahmad", "mohammed@example.org", "العربية"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _upload(client, organisation["id"], buffer.getvalue(), "liste.xlsx")
    assert response.status_code == 200 and "Mohammed Al-Ahmad" in response.get_data(as_text=True)


def _zip_bomb():
    """A small .xlsx-looking archive whose sheet unpacks to 60 MB."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (60 * 1024 * 1024) + b">")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"Vorname;Wohnort\nA;B\n", "liste.csv", "at least"),
        (b"", "liste.csv", "The list is empty."),
        (b"not a zip", "liste.xlsx", "not a readable Excel workbook"),
        (b"Name;E-Mail\n", "liste.pdf", "as .csv or .xlsx"),
        (_zip_bomb(), "liste.xlsx", "too large when unpacked"),
    ],
)
def test_unreadable_files_are_refused_with_a_message(app, client, organisation, content, filename, message):
    client.login(organisation["coordinator"].email)
    response = _upload(client, organisation["id"], content, filename)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_another_coordinators_list_cannot_be_confirmed(app, client, organisation, create_user):
    client.login(organisation["coordinator"].email)
    page = _upload(client, organisation["id"], b"Name;E-Mail\nNeu;neu@example.org\n").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    client.post_form("/logout")
    admin = create_user(role="admin")
    client.login(admin.email)
    response = client.post_form(f"/coordination/organisations/{organisation['id']}/import/confirm", {"token": token})
    assert response.status_code == 400
    assert _counts(app)[0] == 4  # admin, coordinator, Ayşe, the new admin: nobody imported


def test_an_account_outside_the_coordinators_organisations_is_not_taken_in(app, client, organisation, create_user):
    """Adding it to the organisation would open its data (certificates, progress) to the coordinator."""
    outsider = create_user(email="outsider@example.org", legal_name="Außen Stehende")
    with app.app_context():
        services.add_member(db.session.get(Organisation, organisation["other"]), db.session.get(User, outsider.id))
        cohort_id = db.session.scalar(select(Cohort.id).where(Cohort.name == "Abendkurs"))
        db.session.commit()
    client.login(organisation["coordinator"].email)
    before = _counts(app)
    response = _upload(client, organisation["id"], b"Name;E-Mail\nAu\xc3\x9fen;outsider@example.org\n")
    assert response.status_code == 422
    assert "exists but belongs to none of your organisations" in response.get_data(as_text=True)
    refused = client.post_form(f"/coordination/cohorts/{cohort_id}/members", {"email": "outsider@example.org"})
    assert refused.status_code == 303
    assert "belongs to none of your organisations" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert _counts(app) == before
    people = client.get(f"/coordination/organisations/{organisation['id']}/people.csv")
    assert people.status_code == 200 and "outsider@example.org" not in people.get_data(as_text=True)

    # An administrator may take the same account in.
    client.post_form("/logout")
    admin = create_user(role="admin", email="chefin@example.org")
    client.login(admin.email)
    added = client.post_form(f"/coordination/cohorts/{cohort_id}/members", {"email": "outsider@example.org"})
    assert added.status_code == 303 and _counts(app)[2] == before[2] + 1
