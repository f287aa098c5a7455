"""Certificate PDFs. The only module that imports the PDF library.

WeasyPrint is imported lazily: it is heavy, and only certificate requests
need it. Resources are fetched only from data: URIs and from static/ (fonts,
logo), never from the network or elsewhere on disk.
"""

import os
from pathlib import Path

import segno
from flask import current_app, render_template, url_for
from flask_babel import force_locale, format_date, format_decimal
from flask_babel import gettext as _

from ..i18n.locale import text_direction


def _static_root():
    return Path(current_app.static_folder).resolve()


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Refuse everything but data: URIs and files under static/."""

        def __init__(self, static_root):
            super().__init__(allowed_protocols={"data", "file"})
            self.static_root = static_root

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                from urllib.parse import unquote, urlsplit

                path = Path(unquote(urlsplit(url).path)).resolve()
                if not path.is_relative_to(self.static_root):
                    raise ValueError(f"refused to read {url}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher


def verification_url(certificate):
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return base + url_for("certificates.verify", code=certificate.display_code)


def _labels(language):
    with force_locale(language):
        return {
            "kind": _("Certificate"),
            "confirms": _("This is to certify that"),
            "completed": _("has successfully completed the course"),
            "hours": _("Scope"),
            "hours_unit": _("hours"),
            "version": _("Course version"),
            "legal_status": _("Legal status as of"),
            "issued": _("Issued on"),
            "code": _("Certificate code"),
            "verify": _("Check this certificate at"),
        }


def _sheet(certificate):
    """Everything one certificate page shows, German first and the learner's language beside it."""
    second = certificate.language if certificate.language != "de" else None
    qr = segno.make(verification_url(certificate), error="m")
    with force_locale("de"):
        dates = {
            "issued_de": format_date(certificate.issued_at, "long"),
            "status_de": format_date(certificate.legal_status, "long"),
            "hours_text": format_decimal(certificate.hours),
        }
    return {
        "certificate": certificate,
        "de": _labels("de"),
        "local": _labels(second) if second else None,
        "second": second,
        "second_dir": text_direction(second) if second else "ltr",
        # A PNG draws much faster in the PDF than an SVG path of the same code.
        "qr_data_uri": qr.png_data_uri(scale=6, border=0),
        "verify_url": verification_url(certificate),
        **dates,
    }


def render_certificates_html(certificates):
    """Return one HTML document with one A4 page per certificate, in the given order."""
    return render_template(
        "certificates/pdf/completion.html",
        sheets=[_sheet(c) for c in certificates],
        organisation=current_app.config["ORGANISATION_NAME"],
    )


def render_certificates_pdf(certificates):
    """Return the certificates as one PDF, one page each (fonts are loaded once)."""
    from weasyprint import HTML

    static_root = _static_root()
    html = render_certificates_html(certificates)
    fetcher = _fetcher_class()(static_root)
    return HTML(string=html, base_url=static_root.as_uri() + os.sep, url_fetcher=fetcher).write_pdf()


def render_certificate_pdf(certificate):
    """Return one certificate as A4 PDF bytes."""
    return render_certificates_pdf([certificate])
