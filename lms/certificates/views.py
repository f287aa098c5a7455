"""Certificate downloads (PDF, signed credential), the public verification page, the issuer's key."""

import json

from flask import Blueprint, abort, current_app, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..audit.services import record
from ..auth.permissions import can_download_certificate
from ..exports import file_download
from ..extensions import db, limiter
from ..pagecache import public_page
from . import codes, credentials, services
from .models import Certificate
from .pdf import render_certificate_pdf

bp = Blueprint("certificates", __name__, template_folder="templates")


def _downloadable_or_abort(code):
    certificate = services.find_by_code(code)
    if certificate is None:
        abort(404)
    if not can_download_certificate(current_user, certificate):
        abort(403)
    if certificate.status != "valid":
        # A PDF or a freshly signed credential of it would look valid; its verification page tells.
        message = (
            _("This certificate has been revoked. Its verification page gives the date and the reason.")
            if certificate.status == "revoked"
            else _("This certificate has been replaced by a new one. Please download the new one.")
        )
        abort(make_response(render_template("errors/error.html", code=410, message=message), 410))
    return certificate


@bp.route("/certificates/<code>.pdf")
@login_required
def download_pdf(code):
    certificate = _downloadable_or_abort(code)
    if certificate.user_id != current_user.id:  # staff printing someone's certificate
        record(current_user, "personal_data.export", certificate, list="certificate.pdf")
        db.session.commit()
    return file_download(
        render_certificate_pdf(certificate), "application/pdf", f"zertifikat-{certificate.display_code}.pdf"
    )


@bp.route("/certificates/<code>.json")
@login_required
def download_credential(code):
    certificate = _downloadable_or_abort(code)
    credential = credentials.signed_credential(certificate)
    document = json.dumps(credential, ensure_ascii=False, indent=2)
    return file_download(document, "application/ld+json", f"zertifikat-{certificate.display_code}.json")


@bp.route("/.well-known/credential-issuer.json")
def issuer_document():
    """The public key that signs credentials, for anyone who checks one."""
    response = jsonify(credentials.issuer_document())
    response.headers["Access-Control-Allow-Origin"] = "*"  # public data, read by verifier apps
    return response


def _verify_limit():
    return current_app.config["VERIFY_RATE_LIMIT"]


def _no_code_typed():
    return not request.args.get("code", "").strip()


@bp.route("/verify", methods=["GET"])
@limiter.shared_limit(_verify_limit, scope="verify", exempt_when=_no_code_typed)
def verify_form():
    typed = request.args.get("code", "").strip()
    if typed:
        code = codes.normalise(typed)
        if code:
            return redirect(url_for("certificates.verify", code=codes.display(code)))
        return render_template("certificates/verify_form.html", typed=typed, invalid=True), 404
    return render_template("certificates/verify_form.html", typed="", invalid=False)


@bp.route("/verify/<code>")
@limiter.shared_limit(_verify_limit, scope="verify")
def verify(code):
    row = services.certificate_row(code)
    if row is None:
        return render_template("certificates/verify_form.html", typed=code, invalid=True), 404
    # The page shows the certificate's row and the code of its successor, whose row never changes;
    # the row itself is the version, and the certificate is loaded only to render the page anew.
    return public_page(
        lambda: render_template("certificates/verify.html", certificate=db.session.get(Certificate, row.id)),
        lambda: repr(tuple(services.certificate_row(code) or ())),
        version=repr(tuple(row)),
    )
