"""Certificates for staff: the list with filters, revocation, reissue, batch printing, layouts."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..audit.services import record_export
from ..auth.permissions import role_required
from ..catalog.models import Course
from ..exports import file_download, id_argument, page_number, search_argument, table_download
from ..extensions import db
from ..i18n.locale import current_locale_code
from . import layouts, services
from .forms import LayoutForm, ReissueForm, RevokeForm
from .models import Certificate
from .pdf import render_certificates_pdf, render_certificates_zip
from .services import sample_certificate

bp = Blueprint("certificate_admin", __name__, url_prefix="/admin/certificates", template_folder="templates")

BATCH_LIMIT = 500  # certificates per printed batch; a bigger one would outlast a worker's timeout


def _filters():
    """The list's filters from the query string, as plain values."""
    status = request.args.get("status", "")
    kind = request.args.get("kind", "")
    return {
        "search": search_argument(),
        "course_id": id_argument("course"),
        "status": status if status in services.STATUSES else None,
        "kind": kind if kind in layouts.KINDS else None,
    }


def _filter_args(filters):
    """The filters as query-string arguments (for links that keep them)."""
    args = {
        "q": filters["search"],
        "course": filters["course_id"],
        "status": filters["status"],
        "kind": filters["kind"],
    }
    return {k: v for k, v in args.items() if v}


@bp.route("")
@role_required("admin")
def list_certificates():
    filters = _filters()
    stmt = services.certificate_query(**filters)
    certificates = db.paginate(stmt, page=page_number(), per_page=25, error_out=False)
    courses = db.session.scalars(select(Course).order_by(Course.slug)).all()
    return render_template(
        "certificates/staff_list.html",
        certificates=certificates,
        filters=filters,
        filter_args=_filter_args(filters),
        courses=courses,
        language=current_locale_code(),
        revoke_form=RevokeForm(),
        reissue_form=ReissueForm(),
        batch_limit=BATCH_LIMIT,
    )


def _back(filters=None):
    return redirect(url_for("certificate_admin.list_certificates", **(filters or {})), 303)


@bp.route("/list.<any(csv, xlsx):fmt>")
@role_required("admin")
def export_certificates(fmt):
    """The filtered list as a spreadsheet (no row limit: a list, not PDFs)."""
    certificates = db.session.scalars(services.certificate_query(**_filters())).all()
    header = [_("Code"), _("Name"), _("Name in own script"), _("Course"), _("Kind"), _("Teaching units (UE)"),
              _("Issued on"), _("Status")]  # fmt: skip
    rows = [
        [
            c.display_code,
            c.printed_name,
            c.native_name or "",
            c.course_title_de,
            c.kind,
            float(c.hours),
            c.issued_at.date().isoformat(),
            c.status,
        ]  # fmt: skip
        for c in certificates
    ]
    record_export(current_user, "certificates", len(rows))
    db.session.commit()
    return table_download(header, rows, "zertifikate", fmt)


@bp.route("/<code>/revoke", methods=["POST"])
@role_required("admin")
def revoke_certificate(code):
    certificate = services.find_by_code(code) or abort(404)
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(_("Please give a reason for the revocation."), "error")
        return _back()
    services.revoke(certificate, form.reason.data, current_user)
    db.session.commit()
    flash(_("The certificate has been revoked."), "success")
    return _back()


@bp.route("/<code>/reissue", methods=["POST"])
@role_required("admin")
def reissue_certificate(code):
    certificate = services.find_by_code(code) or abort(404)
    form = ReissueForm()
    if not form.validate_on_submit():
        flash(_("Please give a reason for the new certificate."), "error")
        return _back()
    if certificate.status != "valid":
        flash(_("Only a valid certificate can be replaced."), "error")
        return _back()
    if certificate.user.deleted_at is not None:
        # The account was deleted: a replacement would print its placeholder instead of the name.
        flash(_("The holder has deleted their account, so there is no current name to print. "
                "This certificate can only be revoked."), "error")
        return _back()
    replacement = services.reissue(certificate, current_user, form.reason.data)
    db.session.commit()
    flash(
        _(
            "New certificate %(new)s issued with the current name. %(old)s now shows as replaced.",
            new=replacement.display_code,
            old=certificate.display_code,
        ),
        "success",
    )
    return _back()


def _batch():
    """The filtered valid certificates for printing, in the list's order; None if there are too many.

    Revoked and replaced ones are left out: printed, they would look valid."""
    filters = _filters()
    current = (Certificate.revoked_at.is_(None), Certificate.superseded_at.is_(None))
    stmt = services.certificate_query(**filters).where(*current)
    count = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    if count > BATCH_LIMIT:
        return filters, None
    return filters, db.session.scalars(stmt).all()


def _too_many(filters):
    flash(_("At most %(limit)s certificates can be printed at once. Narrow the filter.", limit=BATCH_LIMIT), "error")
    return _back(_filter_args(filters))


@bp.route("/print.pdf")
@role_required("admin")
def print_pdf():
    filters, certificates = _batch()
    if certificates is None:
        return _too_many(filters)
    if not certificates:
        abort(404)
    record_export(current_user, "certificates.pdf", len(certificates))
    db.session.commit()
    return file_download(render_certificates_pdf(certificates), "application/pdf", "zertifikate.pdf")


@bp.route("/print.zip")
@role_required("admin")
def print_zip():
    filters, certificates = _batch()
    if certificates is None:
        return _too_many(filters)
    if not certificates:
        abort(404)
    record_export(current_user, "certificates.zip", len(certificates))
    db.session.commit()
    return file_download(render_certificates_zip(certificates), "application/zip", "zertifikate.zip")


@bp.route("/layouts", methods=["GET"])
@role_required("admin")
def edit_layouts():
    return _layouts_page({})


def _layouts_page(bound, status=200):
    """The layouts page; bound holds a submitted form (with its errors) by kind."""
    forms = {
        kind: bound.get(kind) or LayoutForm(formdata=None, obj=layouts.layout_row(kind, create=False), prefix=kind)
        for kind in layouts.KINDS
    }
    return render_template("certificates/layouts.html", forms=forms, current=layouts.current_layouts()), status


@bp.route("/layouts/<kind>", methods=["POST"])
@role_required("admin")
def save_layout(kind):
    if kind not in layouts.KINDS:
        abort(404)
    row = layouts.layout_row(kind)
    form = LayoutForm(obj=row, prefix=kind)
    if not form.validate_on_submit():
        db.session.rollback()
        return _layouts_page({kind: form}, 400)
    logo = _read_upload(form.logo.data, layouts.LOGO_MAX_BYTES + 1)
    try:
        layouts.save_layout(
            row,
            current_user,
            form.orientation.data,
            [
                (form.signatory_1_name.data.strip(), form.signatory_1_role.data.strip()),
                (form.signatory_2_name.data.strip(), form.signatory_2_role.data.strip()),
            ],
            form.footer.data.strip(),
            logo=logo,
            remove_logo=form.remove_logo.data,
        )
    except layouts.LogoRejected as rejected:
        db.session.rollback()
        form.logo.errors = [_logo_message(rejected)]
        return _layouts_page({kind: form}, 400)
    db.session.commit()
    flash(_("The layout has been saved. Check it with the sample PDF."), "success")
    return redirect(url_for("certificate_admin.edit_layouts") + f"#layout-{kind}", 303)


def _read_upload(upload, limit):
    """Up to limit bytes of an uploaded file (None without one); the spooled file is closed."""
    if not upload or not upload.filename:
        return None
    try:
        return upload.read(limit)
    finally:
        upload.close()


def _logo_message(rejected):
    reason = str(rejected)
    if reason == "too-large":
        return _("The logo is larger than 512 KB. Please make it smaller.")
    if reason == "too-many-pixels":
        return _("The logo has too many pixels. Please scale it down (at most 4000 × 4000).")
    return _("The logo must be a PNG or JPEG image.")


@bp.route("/layouts/<kind>/sample.pdf")
@role_required("admin")
def sample_pdf(kind):
    if kind not in layouts.KINDS:
        abort(404)
    return file_download(render_certificates_pdf([sample_certificate(kind)]), "application/pdf", f"muster-{kind}.pdf")
