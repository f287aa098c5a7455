"""The anonymised evaluation report for admins: page, spreadsheet and PDF (see evaluation.py)."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _

from ..auth.permissions import role_required
from ..certificates.pdf import html_to_pdf
from ..exports import file_download, table_download
from ..models_mixins import utcnow
from . import evaluation

bp = Blueprint("evaluation", __name__, url_prefix="/coordination", template_folder="templates")


@bp.route("/evaluation")
@role_required("admin")
def show_report():
    year, quarter = _evaluation_period()
    report = _named_languages(evaluation.build(year, quarter))
    return render_template("coordination/evaluation.html", report=report, year=year, quarter=quarter)


@bp.route("/evaluation.<any(csv, xlsx):fmt>")
@role_required("admin")
def export_report(fmt):
    year, quarter = _evaluation_period()
    report = evaluation.build(year, quarter)
    header = [_("Period"), _("By"), _("Group"), _("Participants"), _("Completions"), _("Certificates"),
              _("Teaching units (UE)")]  # fmt: skip
    dimensions = [(_("Course"), report.by_course), (_("Language"), report.by_language),
                  (_("Organisation"), report.by_organisation), (_("Total"), [("", report.total)])]  # fmt: skip
    rows = [
        [report.label, dimension, key, *(_cell(figures[k]) for k in evaluation.COLUMNS)]
        for dimension, groups in dimensions
        for key, figures in groups
    ]
    return table_download(header, rows, f"auswertung-{report.label.replace(' ', '-')}", fmt)


@bp.route("/evaluation.pdf")
@role_required("admin")
def print_report():
    year, quarter = _evaluation_period()
    with force_locale("de"):  # the report goes to the funder in German
        report = _named_languages(evaluation.build(year, quarter))
        html = render_template(
            "coordination/evaluation_pdf.html", report=report, organisation=current_app.config["ORGANISATION_NAME"]
        )
    return file_download(html_to_pdf(html), "application/pdf", f"auswertung-{report.label.replace(' ', '-')}.pdf")


def _named_languages(report):
    """Language codes as names ("Türkçe") for the page; the CSV keeps the codes."""
    names = current_app.config["LANGUAGES"]
    report.by_language = [(names[code][0] if code in names else code, f) for code, f in report.by_language]
    return report


def _evaluation_period():
    try:
        year = int(request.args.get("year", utcnow().year))
        quarter = int(request.args.get("quarter") or 0) or None
    except ValueError:
        abort(400)
    if not 2000 <= year <= 2100 or quarter not in (None, 1, 2, 3, 4):
        abort(400)
    return year, quarter


def _cell(value):
    """A figure for a spreadsheet: suppressed cells as '<5', units as plain numbers."""
    if value is None:
        return f"<{evaluation.MIN_CELL}"
    return float(value) if hasattr(value, "as_tuple") else value
