"""Certificate download and the public verification page."""

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..auth.permissions import can_download_certificate
from . import codes, services
from .pdf import render_certificate_pdf

bp = Blueprint("certificates", __name__, template_folder="templates")


@bp.route("/certificates/<code>.pdf")
@login_required
def download_pdf(code):
    certificate = services.find_by_code(code)
    if certificate is None:
        abort(404)
    if not can_download_certificate(current_user, certificate):
        abort(403)
    pdf = render_certificate_pdf(certificate)
    filename = f"zertifikat-{certificate.display_code}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/verify", methods=["GET"])
def verify_form():
    typed = request.args.get("code", "").strip()
    if typed:
        code = codes.normalise(typed)
        if code:
            return redirect(url_for("certificates.verify", code=codes.display(code)))
        return render_template("certificates/verify_form.html", typed=typed, invalid=True), 404
    return render_template("certificates/verify_form.html", typed="", invalid=False)


@bp.route("/verify/<code>")
def verify(code):
    certificate = services.find_by_code(code)
    if certificate is None:
        return render_template("certificates/verify_form.html", typed=code, invalid=True), 404
    return render_template("certificates/verify.html", certificate=certificate)
