"""Certificate PDFs: one page per certificate, in order, Arabic names kept."""

import io

from pypdf import PdfReader
from sqlalchemy import select

from lms.auth.models import User
from lms.catalog.models import Course
from lms.certificates.pdf import render_certificates_pdf
from lms.certificates.services import issue_certificate
from lms.extensions import db

NAMES = [("Zeynep Çelik", None, "tr"), ("Mohammed Al-Ahmad", "محمد الأحمد", "ar"), ("Olena Kovalenko", None, "de")]


def test_batch_has_one_page_per_certificate_in_order(app, synced, create_user):
    users = [create_user(locale=lang, legal_name=name, native_name=native) for name, native, lang in NAMES]
    with app.test_request_context():
        course = db.session.scalar(select(Course))
        certificates = [issue_certificate(db.session.get(User, u.id), course) for u in users]
        pdf = render_certificates_pdf(certificates)
        codes = [c.display_code for c in certificates]
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    for page, (name, native, _lang), code in zip(reader.pages, NAMES, codes, strict=True):
        text = page.extract_text()
        assert name in text and code in text
        if native:
            assert native in text
    assert "Deneme kursu" in reader.pages[0].extract_text()  # Turkish title beside the German one
