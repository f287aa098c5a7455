"""Enrolling, reading modules and the learner dashboard."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..catalog.models import Course
from ..catalog.queries import course_or_404, module_or_404
from ..certificates.services import certificates_of
from ..extensions import db
from ..i18n.locale import current_locale_code
from . import services
from .models import Enrolment
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


@bp.route("/courses/<slug>/<module_slug>")
@login_required
def show_module(slug, module_slug):
    course = course_or_404(slug)
    module = module_or_404(course, module_slug)
    if services.get_enrolment(current_user, course) is None:
        flash(_("Please enrol in the course first."), "info")
        return redirect(url_for("catalog.show_course", slug=slug))
    page = render_module_page(course, module)
    # Commit after rendering: a commit expires the loaded objects, which the page would reload.
    db.session.commit()
    return page


@bp.route("/me")
@login_required
def dashboard():
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.user_id == current_user.id)
        .options(selectinload(Enrolment.course).selectinload(Course.modules))
        .order_by(Enrolment.enrolled_at.desc())
    ).all()
    progress = services.progress_of(current_user)
    overview = []
    for enrolment in enrolments:
        passed = sum(1 for m in enrolment.course.modules if progress.get(m.id) and progress[m.id].passed_at)
        overview.append((enrolment, passed, len(enrolment.course.modules)))
    return render_template(
        "learning/dashboard.html",
        overview=overview,
        certificates=certificates_of(current_user),
        language=current_locale_code(),
    )
