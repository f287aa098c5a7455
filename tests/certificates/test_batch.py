"""Batch printing for staff: one page per certificate in list order, a ZIP of single PDFs,
the printed text and the QR code read back with real tools, and the layouts admins choose."""

import gc
import io
import subprocess
import zipfile

from pypdf import PdfReader
from sqlalchemy import func, select

from lms.auth.models import User
from lms.catalog.models import Course
from lms.certificates.models import CertificateLayout
from lms.certificates.pdf import render_certificates_pdf
from lms.certificates.services import issue_certificate
from lms.extensions import db
from tests.conftest import require_tool

PEOPLE = [
    ("Zeynep Çelik", None, "tr"),
    ("Mohammed Al-Ahmad", "محمد الأحمد", "ar"),
    ("Olena Kovalenko", "Олена Коваленко", "uk"),
    ("İsmail Işık", None, "de"),
]


def _issue_all(app, create_user):
    users = [create_user(locale=lang, legal_name=name, native_name=native) for name, native, lang in PEOPLE]
    with app.app_context():
        course = db.session.scalar(select(Course))
        codes = [issue_certificate(db.session.get(User, u.id), course).display_code for u in users]
        db.session.commit()
    return codes


def _admin(client, create_user):
    admin = create_user(role="admin")
    client.login(admin.email)
    return admin


def test_staff_print_one_page_per_certificate_in_list_order(app, client, synced, create_user):
    codes = _issue_all(app, create_user)
    _admin(client, create_user)
    response = client.get("/admin/certificates/print.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = PdfReader(io.BytesIO(response.data)).pages
    assert len(pages) == len(PEOPLE)
    # The list shows the newest first; the printout follows the list.
    for page, code, (name, _native, _lang) in zip(pages, reversed(codes), reversed(PEOPLE), strict=True):
        assert code in page.extract_text() and name in page.extract_text()
    filtered = client.get("/admin/certificates/print.pdf", query_string={"q": "Çelik"})
    assert len(PdfReader(io.BytesIO(filtered.data)).pages) == 1
    assert client.get("/admin/certificates/print.pdf", query_string={"q": "niemand"}).status_code == 404


def test_zip_holds_one_pdf_per_certificate_named_by_code(app, client, synced, create_user):
    codes = _issue_all(app, create_user)
    _admin(client, create_user)
    response = client.get("/admin/certificates/print.zip", query_string={"status": "valid"})
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert [name.split("-", 1)[1].removesuffix(".pdf") for name in names] == list(reversed(codes))
    for name in names:
        single = PdfReader(io.BytesIO(archive.read(name)))
        assert len(single.pages) == 1 and name.split("-", 1)[1][:19] in single.pages[0].extract_text()


def test_large_batch_split_over_cores_keeps_every_page_in_order(app, synced, create_user, monkeypatch):
    from lms.certificates import pdf

    monkeypatch.setattr(pdf, "PARALLEL_MIN", 2)  # the real threshold needs dozens of certificates
    users = [create_user(legal_name=f"Person {n:02d}") for n in range(7)]
    with app.test_request_context():
        course = db.session.scalar(select(Course))
        certificates = [issue_certificate(db.session.get(User, u.id), course) for u in users]
        document = render_certificates_pdf(certificates)
    pages = PdfReader(io.BytesIO(document)).pages
    assert [p.extract_text().count(f"Person {n:02d}") >= 1 for n, p in enumerate(pages)] == [True] * 7
    # The heap is frozen only while the workers are forked: left frozen, nothing would ever be collected.
    assert gc.get_freeze_count() == 0


def test_printed_text_and_qr_code_read_back(app, synced, create_user, tmp_path):
    require_tool("pdftotext", "poppler-utils")
    require_tool("zbarimg", "zbar-tools")
    user = create_user(locale="ar", legal_name="Mohammed Al-Ahmad", native_name="محمد الأحمد")
    with app.test_request_context():
        course = db.session.scalar(select(Course))
        certificate = issue_certificate(db.session.get(User, user.id), course)
        (tmp_path / "c.pdf").write_bytes(render_certificates_pdf([certificate]))
        code = certificate.display_code
    text = subprocess.run(["pdftotext", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Mohammed Al-Ahmad" in text and code in text
    # pdftotext wraps Arabic runs in bidi marks and splits the lam-alef ligature with a space;
    # pypdf reads the name exactly, in logical order.
    squeezed = "".join(text.replace("\u202b", "").replace("\u202c", "").split())
    assert "محمدالأحمد" in squeezed
    assert "محمد الأحمد" in PdfReader(tmp_path / "c.pdf").pages[0].extract_text()
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "c.pdf"), str(tmp_path / "page")], check=True)
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "page-1.png")], capture_output=True, text=True
    ).stdout.strip()
    assert decoded == f"https://lernen.example.org/verify/{code}"


def _png(width=120, height=40):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (31, 111, 120)).save(buffer, "PNG")
    return buffer.getvalue()


def _layout_form(**overrides):
    data = {
        "completion-orientation": "landscape",
        "completion-signatory_1_name": "Dr. Ayşe Demir",
        "completion-signatory_1_role": "Geschäftsführerin",
        "completion-signatory_2_name": "",
        "completion-signatory_2_role": "",
        "completion-footer": "Gefördert vom Land Nordrhein-Westfalen",
    }
    data.update(overrides)
    return data


def test_admin_adjusts_a_layout_without_code(app, client, synced, create_user):
    _admin(client, create_user)
    form = _layout_form(**{"completion-logo": (io.BytesIO(_png()), "logo.png")})
    response = client.post_form("/admin/certificates/layouts/completion", form, content_type="multipart/form-data")
    assert response.status_code == 303
    sample = client.get("/admin/certificates/layouts/completion/sample.pdf")
    page = PdfReader(io.BytesIO(sample.data)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = page.extract_text()
    assert "Dr. Ayşe Demir" in text and "Gefördert vom Land Nordrhein-Westfalen" in text
    assert "/Image" in str(page["/Resources"]["/XObject"].values()) or len(page["/Resources"]["/XObject"]) >= 2
    # The other kind keeps its default (portrait) until someone changes it.
    other = PdfReader(io.BytesIO(client.get("/admin/certificates/layouts/attendance/sample.pdf").data)).pages[0]
    assert other.mediabox.width > other.mediabox.height  # attendance defaults to landscape
    portrait = client.post_form(
        "/admin/certificates/layouts/attendance",
        {
            k.replace("completion", "attendance"): v
            for k, v in _layout_form(**{"completion-orientation": "portrait"}).items()
        },
    )
    assert portrait.status_code == 303
    other = PdfReader(io.BytesIO(client.get("/admin/certificates/layouts/attendance/sample.pdf").data)).pages[0]
    assert other.mediabox.width < other.mediabox.height


def test_hostile_logo_is_refused_and_nothing_changes(app, client, synced, create_user, monkeypatch):
    from lms.certificates import layouts

    # A smaller limit keeps the oversized upload in memory: the test client leaves a spooled
    # request body of more than 500 KB unclosed.
    monkeypatch.setattr(layouts, "LOGO_MAX_BYTES", 100 * 1024)
    client.login(create_user(role="admin", locale="en").email)  # the messages below in English
    client.post_form(
        "/admin/certificates/layouts/completion",
        _layout_form(**{"completion-logo": (io.BytesIO(_png()), "logo.png")}),
        content_type="multipart/form-data",
    )
    cases = [
        (b"<svg onload=alert(1)></svg>", "must be a PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 150 * 1024, "The logo is larger than"),
        (_fake_png_header(60000, 60000), "too many pixels"),
    ]
    for data, message in cases:
        response = client.post_form(
            "/admin/certificates/layouts/completion",
            _layout_form(**{"completion-footer": "geändert", "completion-logo": (io.BytesIO(data), "logo.png")}),
            content_type="multipart/form-data",
        )
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(select(CertificateLayout).where(CertificateLayout.kind == "completion"))
        assert row.footer == "Gefördert vom Land Nordrhein-Westfalen" and row.logo == _png()
        assert db.session.scalar(select(func.count()).select_from(CertificateLayout)) == 1


def _fake_png_header(width, height):
    import struct
    import zlib

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
