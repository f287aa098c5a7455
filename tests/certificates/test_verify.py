"""Verification: valid, unknown and revoked codes; the PDF fetcher stays in static/."""

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.catalog.models import Course
from lms.certificates import codes
from lms.certificates.models import Certificate
from lms.certificates.services import issue_certificate, revoke
from lms.extensions import db


@pytest.fixture
def certificate_code(app, synced, create_user):
    user = create_user(locale="ar", legal_name="Mohammed Al-Ahmad", native_name="محمد الأحمد")
    with app.app_context():
        course = db.session.scalar(select(Course))
        certificate = issue_certificate(db.session.get(User, user.id), course)
        db.session.commit()
        return certificate.code


def test_valid_code_shows_every_printed_field(client, certificate_code):
    page = client.get("/verify/" + codes.display(certificate_code)).get_data(as_text=True)
    for field in (
        "Mohammed Al-Ahmad",
        "محمد الأحمد",
        "Testkurs Vereinsrecht",
        "دورة تجريبية",
        "2026.1",
        codes.display(certificate_code),
        "result-ok",
    ):
        assert field in page
    assert "<bdi>محمد الأحمد</bdi>" in page


def test_typed_code_redirects_to_canonical_page(client, certificate_code):
    response = client.get("/verify", query_string={"code": certificate_code.lower()})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/verify/" + codes.display(certificate_code))


@pytest.mark.parametrize("code", ["AAAA-BBBB-CCCC-DDDD", "nonsense", codes.display("0" * 15 + "0")])
def test_unknown_code_is_404_with_message(client, code):
    response = client.get("/verify/" + code)
    assert response.status_code == 404
    assert "Es gibt kein Zertifikat mit dem Code" in response.get_data(as_text=True)


def test_revoked_code_says_so_with_reason_and_date(app, client, certificate_code, create_user):
    admin = create_user("admin", email="admin@example.org")
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
        revoke(certificate, "Falscher Name gedruckt", db.session.get(User, admin.id))
        db.session.commit()
    page = client.get("/verify/" + certificate_code).get_data(as_text=True)
    assert "result-bad" in page and "Falscher Name gedruckt" in page
    assert "result-ok" not in page


def test_admin_revokes_through_the_form(app, client, certificate_code, create_user):
    admin = create_user("admin", email="admin@example.org")
    client.login(admin.email)
    missing_reason = client.post_form(f"/admin/certificates/{certificate_code}/revoke", {"reason": ""})
    assert missing_reason.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Certificate)).revoked_at is None
    client.post_form(f"/admin/certificates/{certificate_code}/revoke", {"reason": "Doppelt ausgestellt"})
    with app.app_context():
        assert db.session.scalar(select(Certificate)).revoke_reason == "Doppelt ausgestellt"


def test_pdf_fetcher_refuses_files_outside_static(app):
    from lms.certificates.pdf import _fetcher_class

    with app.app_context():
        from pathlib import Path

        fetcher = _fetcher_class()([Path(app.static_folder).resolve()])
        with pytest.raises(ValueError):
            fetcher.fetch("file:///etc/passwd")
        with pytest.raises(ValueError):
            fetcher.fetch("https://example.org/logo.png")
        response = fetcher.fetch((Path(app.static_folder) / "css" / "site.css").resolve().as_uri())
        response.close()


def test_code_lookups_are_rate_limited_with_a_clear_message(app, client, certificate_code):
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    client.set_cookie("lang", "tr")
    for _ in range(3):
        assert client.get("/verify/" + codes.display(certificate_code)).status_code == 200
    refused = client.get("/verify/" + codes.display(certificate_code))
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert 'lang="tr"' in refused.get_data(as_text=True)
    assert client.get("/verify", query_string={"code": "AAAA"}).status_code == 429
    assert client.get("/verify").status_code == 200  # the empty form is never limited


def test_revoked_and_replaced_certificates_are_not_handed_out_as_valid(app, client, certificate_code, create_user):
    """No PDF, no freshly signed credential, no batch page of a revoked or replaced certificate."""
    from lms.certificates.services import reissue

    admin = create_user("admin", email="admin@example.org")
    with app.app_context():
        holder = db.session.scalar(select(User).where(User.legal_name == "Mohammed Al-Ahmad"))
        certificate = db.session.scalar(select(Certificate))
        replacement = reissue(certificate, db.session.get(User, admin.id), "Schreibweise")
        db.session.commit()
        old_code, new_code, holder_email = certificate.display_code, replacement.display_code, holder.email
    client.login(holder_email)
    assert client.get(f"/certificates/{new_code}.pdf").status_code == 200
    for suffix in (".pdf", ".json"):
        response = client.get(f"/certificates/{old_code}{suffix}")
        assert response.status_code == 410
        assert "استُبدلت هذه الشهادة بشهادة جديدة" in response.get_data(as_text=True)  # the holder reads Arabic
    with app.app_context():
        revoke(db.session.get(Certificate, replacement.id), "Betrug", db.session.get(User, admin.id))
        db.session.commit()
    assert client.get(f"/certificates/{new_code}.json").status_code == 410
    client.post_form("/logout")
    client.login(admin.email)
    assert client.get("/admin/certificates/print.pdf", query_string={"status": "revoked"}).status_code == 404
