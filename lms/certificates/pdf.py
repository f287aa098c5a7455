"""Certificate PDFs. The only module that imports the PDF library.

WeasyPrint is imported lazily: it is heavy, and only certificate requests
need it. Resources are fetched only from data: URIs and from static/ (fonts,
logo), never from the network or elsewhere on disk.
"""

import gc
import io
import multiprocessing
import os
import zipfile
from decimal import Decimal
from pathlib import Path

import segno
from flask import current_app, render_template, url_for
from flask_babel import force_locale, format_date, format_decimal
from flask_babel import gettext as _

from ..i18n.locale import text_direction
from ..urls import public_url
from .layouts import current_layouts


def _static_root():
    return Path(current_app.static_folder).resolve()


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Refuse everything but data: URIs and files under static/ (and a page's media folder)."""

        def __init__(self, roots):
            super().__init__(allowed_protocols={"data", "file"})
            self.roots = roots

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                from urllib.parse import unquote, urlsplit

                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in self.roots):
                    raise ValueError(f"refused to read {url}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher


def verification_url(certificate):
    return public_url(url_for("certificates.verify", code=certificate.display_code))


def _labels(language, kind):
    with force_locale(language):
        return {
            "kind": _("Certificate") if kind == "completion" else _("Certificate of attendance"),
            "confirms": _("This is to certify that"),
            "completed": _("has successfully completed the course")
            if kind == "completion"
            else _("has taken part in the course"),
            "hours": _("Scope"),
            "units": _("teaching units (UE, 45 minutes each)"),
            "contents": _("Contents"),
            "period": _("Period"),
            "version": _("Course version"),
            "legal_status": _("Legal status as of"),
            "code": _("Certificate code"),
            "verify": _("Check this certificate at"),
        }


def _qr_png(url):
    # A fixed mask: choosing the best of eight costs more than the rest of the page's data; every
    # mask is valid, and the tests decode the printed code with a real reader.
    return segno.make(url, error="m", micro=False, mask=2, boost_error=False).png_data_uri(scale=1, border=0)


def _sheet(certificate, layouts):
    """Everything one certificate page shows, German first and the learner's language beside it."""
    second = certificate.language if certificate.language != "de" else None
    with force_locale("de"):
        dates = {
            "place_date": ", ".join(
                part for part in (certificate.place, format_date(certificate.issued_at, "long")) if part
            ),
            "status_de": format_date(certificate.legal_status, "long"),
            "hours_text": format_decimal(certificate.hours),
            "period": _period(certificate),
            "modules": [
                (m["title"], format_decimal(Decimal(m["units"])) if m.get("units") else None)
                for m in certificate.modules or []
            ],
        }
    return {
        "certificate": certificate,
        "layout": layouts[certificate.kind],
        "de": _labels("de", certificate.kind),
        "local": _labels(second, certificate.kind) if second else None,
        "second": second,
        "second_dir": text_direction(second) if second else "ltr",
        "qr_data_uri": _qr_png(verification_url(certificate)),
        "verify_url": verification_url(certificate),
        "organisation": certificate.organisation_name or current_app.config["ORGANISATION_NAME"],
        **dates,
    }


def _period(certificate):
    if not certificate.event_start:
        return None
    start = format_date(certificate.event_start, "medium")
    if not certificate.event_end or certificate.event_end == certificate.event_start:
        return start
    return f"{start} – {format_date(certificate.event_end, 'medium')}"


def render_certificates_html(certificates, layouts=None):
    """Return one HTML document with one A4 page per certificate, in the given order."""
    layouts = layouts or current_layouts()
    return render_template("certificates/pdf/certificate.html", sheets=[_sheet(c, layouts) for c in certificates])


PARALLEL_MIN = 24  # certificates; below this one process is quicker than starting several


def render_certificates_pdf(certificates, layouts=None):
    """Return the certificates as one PDF, one page each, in the given order.

    Large batches are split over the machine's cores (WeasyPrint is single-threaded) and the
    parts joined; the HTML is built here, so the workers never touch the database.
    """
    static_root = _static_root()
    if len(certificates) < PARALLEL_MIN or (os.cpu_count() or 1) < 2:
        return _write_pdf((render_certificates_html(certificates, layouts), static_root))
    layouts = layouts or current_layouts()
    parts = min(os.cpu_count() or 1, 4)
    size = -(-len(certificates) // parts)
    chunks = [certificates[i : i + size] for i in range(0, len(certificates), size)]
    # Frozen, the objects the workers inherit are left alone by the workers' garbage collector;
    # otherwise each collection walks them all and copies their memory pages, which cost about a
    # tenth of a 200-certificate batch (docs/certificates.md). The pool forks its workers here.
    gc.freeze()
    try:
        pool = multiprocessing.get_context("fork").Pool(len(chunks))
    finally:
        gc.unfreeze()
    with pool:
        # Each part goes to a worker as soon as its HTML is ready, while the next is rendered.
        pending = [
            pool.apply_async(_write_pdf, ((render_certificates_html(chunk, layouts), static_root),)) for chunk in chunks
        ]
        pdfs = [result.get() for result in pending]
    return _join_pdfs(pdfs)


def html_to_pdf(html, media_root=None):
    """Any printable page of the site (e.g. the evaluation report) as PDF; same fonts, same fetcher.

    media_root: a further folder whose files the page may show (a course's images).
    """
    return _write_pdf((html, _static_root(), media_root))


def _write_pdf(job):
    from weasyprint import HTML

    html, static_root, *media_root = job
    roots = [static_root, *(Path(root).resolve() for root in media_root if root)]
    fetcher = _fetcher_class()(roots)
    return HTML(string=html, base_url=static_root.as_uri() + os.sep, url_fetcher=fetcher).write_pdf()


def _join_pdfs(pdfs):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(io.BytesIO(pdf))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_certificate_pdf(certificate):
    """Return one certificate as A4 PDF bytes."""
    return render_certificates_pdf([certificate])


def render_certificates_zip(certificates):
    """Return a ZIP with one PDF per certificate, named by code, in the given order."""
    document = render_certificates_pdf(certificates)
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(document))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (certificate, page) in enumerate(zip(certificates, reader.pages, strict=True), start=1):
            writer = PdfWriter()
            writer.add_page(page)
            single = io.BytesIO()
            writer.write(single)
            archive.writestr(f"{number:03d}-{certificate.display_code}.pdf", single.getvalue())
    return out.getvalue()
