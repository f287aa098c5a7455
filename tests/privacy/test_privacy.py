"""DSGVO: the privacy notice, one's own data as a file, deleting an account, retention, staff access."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.catalog.models import Course
from lms.certificates.models import Certificate
from lms.certificates.services import issue_certificate
from lms.extensions import db
from lms.learning.models import Enrolment
from lms.learning.services import enrol
from lms.models_mixins import utcnow
from lms.privacy.services import inactive_accounts, purge_inactive
from tests.conftest import PASSWORD, Client


@pytest.fixture
def certified(app, client, synced, create_user):
    """A signed-in learner with an enrolment and a completion certificate."""
    user = create_user(locale="en", legal_name="Ayşe Yılmaz", native_name="آيشة")
    with app.app_context():
        stored = db.session.get(User, user.id)
        course = db.session.scalar(select(Course))
        enrol(stored, course)
        code = issue_certificate(stored, course).code
        db.session.commit()
    client.login(user.email)
    return user, code


def test_privacy_notice_names_controller_retention_and_rights(client):
    page = client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Fachberatung MigrantInnen-Selbsthilfe NRW" in page
    assert "nobody has used for 3 years" in page
    assert 'href="/me/data.zip"' in page and 'href="/me/delete"' in page
    assert 'lang="de">(Datenschutzerklärung)' in page


def test_a_learner_downloads_all_own_data(app, client, certified):
    user, code = certified
    response = client.get("/me/data.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("my-data.json"))
    assert data["account"]["email"] == user.email and data["account"]["native_name"] == "آيشة"
    assert [e["course"] for e in data["enrolments"]] == ["demo-kurs"]
    assert [c["status"] for c in data["certificates"]] == ["valid"]
    pdf_names = [n for n in archive.namelist() if n.startswith("certificates/")]
    assert len(pdf_names) == 1 and archive.read(pdf_names[0]).startswith(b"%PDF")


def _delete(client, choice, password=PASSWORD):
    return client.post_form("/me/delete", {"certificates": choice, "password": password})


def test_deleting_needs_the_password_and_a_choice(app, client, certified):
    user, _code = certified
    assert _delete(client, "keep", "falsch falsch falsch").status_code == 400
    assert _delete(client, "", PASSWORD).status_code == 400
    with app.app_context():
        assert db.session.get(User, user.id).deleted_at is None


def test_deleting_keeps_figures_and_revokes_unnamed_certificates(app, client, certified):
    user, code = certified
    response = _delete(client, "revoke")
    assert response.status_code == 303
    assert client.get("/me").status_code == 302  # signed out
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.email.endswith("@deleted.invalid") and stored.legal_name == "—" and stored.native_name is None
        assert stored.deleted_at is not None and not stored.is_active
        assert db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.user_id == user.id)) == 1
        certificate = db.session.scalar(select(Certificate).where(Certificate.code == code))
        assert certificate.revoked_at is not None and certificate.printed_name == "—"
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.delete"))
        assert entry.details == {"certificates_kept": False}
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Ayşe" not in page and "آيشة" not in page
    assert Client(app.test_client()).login(user.email).status_code == 400  # the address is gone


def test_deleting_can_keep_certificates_verifiable(app, client, certified):
    user, code = certified
    assert _delete(client, "keep").status_code == 303
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Ayşe Yılmaz" in page
    with app.app_context():
        assert db.session.scalar(select(Certificate).where(Certificate.code == code)).revoked_at is None


def test_a_kept_certificate_of_a_deleted_account_is_not_reissued_nameless(app, client, certified, create_user):
    user, code = certified
    assert _delete(client, "keep").status_code == 303
    admin = create_user(role="admin", email="chefin@example.org", locale="en")
    staff = Client(app.test_client())
    staff.login(admin.email)
    with app.app_context():
        display = db.session.scalar(select(Certificate).where(Certificate.code == code)).display_code
    refused = staff.post_form(f"/admin/certificates/{display}/reissue", {"reason": "Name"})
    assert refused.status_code == 303
    assert "can only be revoked" in staff.get(refused.headers["Location"]).get_data(as_text=True)
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Ayşe Yılmaz" in page and "result-ok" in page  # still valid, with the name it was issued to
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_inactive_learner_accounts_are_purged_after_the_retention_period(app, create_user):
    old = create_user(email="alt@example.org")
    recent = create_user(email="neu@example.org")
    trainer = create_user("trainer", email="trainerin@example.org")
    with app.app_context():
        for user_id in (old.id, trainer.id):
            db.session.get(User, user_id).created_at = utcnow() - timedelta(days=4 * 365)
        db.session.get(User, recent.id).last_login_at = utcnow() - timedelta(days=30)
        db.session.commit()
        assert [u.id for u in inactive_accounts(3)] == [old.id]  # staff accounts are not purged
    result = app.test_cli_runner().invoke(args=["lms", "purge-inactive", "--years", "3"])
    assert result.exit_code == 0 and "Deleted 1 accounts" in result.output
    with app.app_context():
        assert db.session.get(User, old.id).deleted_at is not None
        assert db.session.get(User, recent.id).deleted_at is None
        assert purge_inactive(3) == 0


def test_staff_exports_of_personal_data_are_logged(app, client, certified, create_user):
    _user, code = certified
    admin = create_user("admin", email="admin@example.org", locale="en")
    client.post_form("/logout")
    client.login(admin.email)
    assert client.get(f"/certificates/{code}.pdf").status_code == 200
    assert client.get("/admin/certificates/list.csv").status_code == 200
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "personal_data.export").order_by(AuditEntry.id)
        ).all()
        assert [(e.actor_id, e.details.get("list")) for e in entries] == [
            (admin.id, "certificate.pdf"),
            (admin.id, "certificates"),
        ]
    page = client.get("/admin/audit?action=personal_data.export").get_data(as_text=True)
    assert page.count("personal_data.export") >= 3  # two rows and the filter's option
