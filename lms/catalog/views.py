"""The public catalogue: course list, course page and glossary."""

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, send_from_directory
from flask_login import current_user

from ..exports import search_argument
from ..i18n.locale import current_locale_code
from ..learning.services import get_enrolment, progress_by_module
from ..pagecache import public_page
from .loader import MODULE_DIR
from .markdown import section_anchor, term_anchor
from .queries import (
    catalogue_version,
    course_glossary,
    course_or_404,
    glossary_entries,
    listed_courses,
    module_titles,
)

bp = Blueprint("catalog", __name__, template_folder="templates")
bp.add_app_template_filter(term_anchor, "term_anchor")
bp.add_app_template_filter(section_anchor, "section_anchor")


@bp.route("/")
def index():
    return public_page(lambda: render_template("catalog/index.html", courses=listed_courses()), catalogue_version)


@bp.route("/courses/<slug>")
def show_course(slug):
    return public_page(lambda: _course_page(slug), lambda: catalogue_version(slug))


def _course_page(slug):
    course = course_or_404(slug)
    language = current_locale_code()
    enrolment = progress = None
    if current_user.is_authenticated:
        enrolment = get_enrolment(current_user, course)
        if enrolment:
            progress = progress_by_module(current_user, course)
    return render_template(
        "catalog/course.html",
        course=course,
        language=language,
        enrolment=enrolment,
        progress=progress,
        titles=module_titles(course, language),
    )


@bp.route("/courses/<slug>/glossary")
def glossary(slug):
    """The course's glossary: every German term with its definition in the reader's language."""
    course = course_or_404(slug)
    language = current_locale_code()
    query = search_argument(limit=100)
    entries = glossary_entries(course_glossary(course), language, course.source_language, query)
    return render_template("catalog/glossary.html", course=course, language=language, entries=entries, query=query)


@bp.route("/media/<slug>/<module_folder>/<path:filename>")
def module_media(slug, module_folder, filename):
    """An image from a module's media/ folder (names checked; no path leaves the folder)."""
    if slug.startswith((".", "_")) or not MODULE_DIR.match(module_folder):
        abort(404)
    folder = Path(current_app.config["COURSES_DIR"]) / slug / module_folder / "media"
    return send_from_directory(folder, filename, max_age=3600)
