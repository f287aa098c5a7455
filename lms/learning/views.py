"""Enrolling, reading modules (also side by side and as handouts) and the learner dashboard."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth.permissions import has_role
from ..catalog.queries import course_or_404, module_languages, module_or_404
from ..certificates.services import certificates_of
from ..exports import file_download
from ..extensions import db
from ..i18n.locale import current_locale_code
from . import reading as reading_aids
from . import services
from .pages import render_module_page

bp = Blueprint("learning", __name__, template_folder="templates")


@bp.route("/courses/<slug>/enrol", methods=["POST"])
@login_required
def enrol(slug):
    course = course_or_404(slug)
    services.enrol(current_user, course)
    db.session.commit()
    flash(_("You are enrolled. Start with the first module whenever you like."), "success")
    first = course.modules[0] if course.modules else None
    if first is None:
        return redirect(url_for("catalog.show_course", slug=slug))
    return redirect(url_for("learning.show_module", slug=slug, module_slug=first.slug))


def _enrol_first(course):
    flash(_("Please enrol in the course first."), "info")
    return redirect(url_for("catalog.show_course", slug=course.slug))


@bp.route("/courses/<slug>/<module_slug>")
@login_required
def show_module(slug, module_slug):
    course = course_or_404(slug)
    module = module_or_404(course, module_slug)
    if services.get_enrolment(current_user, course) is None:
        return _enrol_first(course)
    page = render_module_page(course, module)
    # Commit after rendering: a commit expires the loaded objects, which the page would reload.
    db.session.commit()
    return page


@bp.route("/courses/<slug>/<module_slug>/side-by-side")
@login_required
def side_by_side(slug, module_slug):
    """The module in the reader's language beside the German source, section by section."""
    course = course_or_404(slug)
    module = module_or_404(course, module_slug)
    if services.get_enrolment(current_user, course) is None:
        return _enrol_first(course)
    available = module_languages(module)
    language = request.args.get("lang") or current_locale_code()
    translations = sorted(available - {course.source_language})
    if language not in translations:
        # Nothing to put beside the source: let the reader choose a translation.
        return render_template(
            "learning/side_by_side.html", course=course, module=module, pairs=None, translations=translations
        )
    reading, source, pairs = reading_aids.side_by_side(
        module, language, course.source_language, url_for("catalog.glossary", slug=slug)
    )
    return render_template(
        "learning/side_by_side.html",
        course=course,
        module=module,
        reading=reading,
        source=source,
        pairs=pairs,
        translations=translations,
        reading_language=language,
    )


@bp.route("/courses/<slug>/<module_slug>/handout.pdf")
@login_required
def handout(slug, module_slug):
    """A module as a PDF for in-person sessions: one language, or bilingual with the German source."""
    course = course_or_404(slug)
    module = module_or_404(course, module_slug)
    if services.get_enrolment(current_user, course) is None and not has_role(current_user, "trainer", "coordinator"):
        abort(403)
    language = request.args.get("lang") or current_locale_code()
    bilingual = request.args.get("bilingual") == "1"
    first, second = reading_aids.handout_languages(module, course, language, bilingual)
    pdf = reading_aids.handout_pdf(course, module, language, bilingual)
    name = f"{course.slug}-{module.slug}-{first}{'-' + second if second else ''}.pdf"
    return file_download(pdf, "application/pdf", name)


@bp.route("/me")
@login_required
def dashboard():
    return render_template(
        "learning/dashboard.html",
        overview=services.course_overview(current_user),
        certificates=certificates_of(current_user),
        language=current_locale_code(),
    )
