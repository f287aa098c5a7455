"""The whole journey through the test client: sign up → certificate → verification."""

import io
import re

import pytest
from pypdf import PdfReader

from lms.certificates.models import Certificate
from lms.extensions import db


def _sign_up(client, email, language, name, native=None):
    client.raw.set_cookie("lang", language)
    response = client.post_form(
        "/signup",
        {
            "email": email,
            "password": "ein-sicheres-passwort",
            "confirm": "ein-sicheres-passwort",
            "legal_name": name,
            "native_name": native or "",
            "locale": language,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def _take_quiz(client, module_path, answers):
    page = client.get(module_path).get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    data = {"token": token, **answers}
    response = client.post_form(module_path + "/quiz", data)
    assert response.status_code == 303
    return client.get(response.headers["Location"])


@pytest.mark.parametrize(
    ("language", "name", "native", "expect_title", "expect_dir"),
    [
        ("de", "Ayşe Yılmaz", None, "Einen Verein gründen", "ltr"),
        ("ar", "Mohammed Al-Ahmad", "محمد الأحمد", "تأسيس جمعية", "rtl"),
    ],
)
def test_whole_journey(app, client, synced, language, name, native, expect_title, expect_dir):
    _sign_up(client, f"{language}@example.org", language, name, native)

    catalogue = client.get("/").get_data(as_text=True)
    assert f'lang="{language}" dir="{expect_dir}"' in catalogue
    assert "/courses/demo-kurs" in catalogue

    assert client.post_form("/courses/demo-kurs/enrol").status_code == 302
    module = client.get("/courses/demo-kurs/erstes-modul")
    html = module.get_data(as_text=True)
    assert expect_title in html
    assert "<script>alert" not in html  # trainer Markdown is sanitised
    assert 'lang="de"' in html and "Vereinsregister" in html  # German term kept in view

    # A wrong answer first: below the pass mark, with explanations; retake allowed.
    result = _take_quiz(
        client, "/courses/demo-kurs/erstes-modul", {"q-mitglieder": "0", "q-pflichtangaben": ["0", "1"]}
    )
    text = result.get_data(as_text=True)
    assert "50 %" in text and "§ 56 BGB" in text or "56" in text
    assert 'name="token"' in client.get("/courses/demo-kurs/erstes-modul").get_data(as_text=True)

    _take_quiz(client, "/courses/demo-kurs/erstes-modul", {"q-mitglieder": "1", "q-pflichtangaben": ["0", "1"]})
    # Module 2 has no Arabic text: German fallback with a visible note.
    second = client.get("/courses/demo-kurs/zweites-modul").get_data(as_text=True)
    assert "Kasse und Überschuss" in second
    assert ('class="note"' in second) is (language != "de")
    _take_quiz(client, "/courses/demo-kurs/zweites-modul", {"q-ueberschuss": "250,00"})

    dashboard = client.get("/me").get_data(as_text=True)
    code = re.search(r"/certificates/([0-9A-Z]{16})\.pdf", dashboard).group(1)
    pdf = client.get(f"/certificates/{code}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 1
    pdf_text = reader.pages[0].extract_text()
    display = "-".join(code[i : i + 4] for i in range(0, 16, 4))
    assert name in pdf_text and display in pdf_text
    assert "Testkurs Vereinsrecht" in pdf_text
    assert "4,5" in pdf_text and "2026.1" in pdf_text
    if native:
        assert native in pdf_text
        # Shaped Arabic glyphs may map back to other letters in a PDF's text layer (the
        # page itself is right), so the test checks that Arabic text follows the German title.
        assert re.search("[\u0600-\u06ff]{3}", pdf_text.split(name)[1].split("Testkurs")[1])

    client.post_form("/logout")
    verify = client.get(f"/verify/{display.lower()}")
    assert verify.status_code == 200
    page = verify.get_data(as_text=True)
    assert name in page and "Testkurs Vereinsrecht" in page and display in page


def test_certificate_snapshot_survives_profile_change(app, learner_client, synced):
    client = learner_client
    client.post_form("/courses/demo-kurs/enrol")
    _take_quiz(client, "/courses/demo-kurs/erstes-modul", {"q-mitglieder": "1", "q-pflichtangaben": ["0", "1"]})
    _take_quiz(client, "/courses/demo-kurs/zweites-modul", {"q-ueberschuss": "250"})
    client.post_form("/profile", {"legal_name": "Neuer Name", "native_name": "", "locale": "de"})
    with app.app_context():
        certificate = db.session.scalars(db.select(Certificate)).one()
        assert certificate.printed_name == "Ayşe Yılmaz"
