"""The trainer area: upload, preview side by side, publish, download, changelog."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ..auth.permissions import role_required
from ..exports import file_download, page_number
from ..extensions import db
from ..i18n.locale import current_locale_code
from . import authoring
from .forms import UploadForm
from .models import Course, CourseChange
from .queries import course_for_trainer_or_404, module_titles, translation_table
from .upload import UploadRefused, zip_folder

bp = Blueprint("trainer", __name__, url_prefix="/trainer", template_folder="templates")


def _upload_form():
    form = UploadForm()
    courses = db.session.scalars(select(Course).order_by(Course.slug)).all()
    form.course.choices = [SelectChoice("", "–")] + [SelectChoice(c.slug, c.title_in("de")) for c in courses]
    return form, courses


@bp.route("/courses", methods=["GET", "POST"])
@role_required("trainer")
def list_courses():
    form, courses = _upload_form()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            token = authoring.stage_upload(
                upload.stream, upload.filename or "", current_user, form.course.data or None, form.module_folder.data
            )
        except UploadRefused as refused:
            form.file.errors.append(_(refused.message, **refused.params))
        else:
            return redirect(url_for("trainer.show_upload", token=token), 303)
    status = 400 if form.errors else 200
    return render_template("trainer/courses.html", form=form, courses=courses, language=current_locale_code()), status


@bp.route("/uploads/<token>")
@role_required("trainer")
def show_upload(token):
    folder = authoring.staged_folder(token, current_user) or abort(404)
    source, problems, modules = authoring.preview(folder)
    for problem in problems:  # show paths as the trainer knows them: inside the course folder
        problem.path = authoring.relative_path(problem.path, folder)
    messages = [p.render(_) for p in problems]
    errors = [m for m, p in zip(messages, problems, strict=True) if p.severity == "error"]
    warnings = [m for m, p in zip(messages, problems, strict=True) if p.severity != "error"]
    return render_template(
        "trainer/preview.html",
        token=token,
        source=source,
        errors=errors,
        warnings=warnings,
        modules=modules,
        slug=folder.name,
    )


@bp.route("/uploads/<token>/publish", methods=["POST"])
@role_required("trainer")
def publish_upload(token):
    folder = authoring.staged_folder(token, current_user) or abort(404)
    source, problems, _modules = authoring.preview(folder)
    if source is None:
        flash(_("The upload has errors and was not published. Please correct them and upload again."), "error")
        return redirect(url_for("trainer.show_upload", token=token), 303)
    report = authoring.publish(token, folder, current_user)
    db.session.commit()
    if report.unchanged:
        flash(_("Nothing has changed; no new version was stored."), "info")
    else:
        flash(_("The course has been published."), "success")
    return redirect(url_for("trainer.show_changes", slug=source.slug), 303)


@bp.route("/uploads/<token>/discard", methods=["POST"])
@role_required("trainer")
def discard_upload(token):
    authoring.staged_folder(token, current_user) or abort(404)
    authoring.discard(token)
    flash(_("The upload has been discarded."), "info")
    return redirect(url_for("trainer.list_courses"), 303)


@bp.route("/courses/<slug>.zip")
@role_required("trainer")
def download_course(slug):
    folder = authoring.course_folder(slug) or abort(404)
    return file_download(zip_folder(folder), "application/zip", f"{slug}.zip")


@bp.route("/courses/<slug>/visibility", methods=["POST"])
@role_required("trainer")
def toggle_visibility(slug):
    course = db.session.scalar(select(Course).where(Course.slug == slug)) or abort(404)
    course.is_listed = not course.is_listed
    db.session.commit()
    flash(
        _("The course is visible in the catalogue.")
        if course.is_listed
        else _("The course is hidden from the catalogue; its history and all learner data are kept."),
        "success",
    )
    return redirect(url_for("trainer.list_courses"), 303)


@bp.route("/courses/<slug>/languages")
@role_required("trainer")
def show_languages(slug):
    """Which module exists in which language, and which translations are older than their source."""
    course = course_for_trainer_or_404(slug)
    columns = [course.source_language] + [
        code for code in current_app.config["LANGUAGES"] if code != course.source_language
    ]
    table = translation_table(course, columns)
    language = current_locale_code()
    return render_template(
        "trainer/languages.html",
        course=course,
        columns=columns,
        table=table,
        titles=module_titles(course, language),
        language=language,
    )


@bp.route("/courses/<slug>/changes")
@role_required("trainer")
def show_changes(slug):
    course = db.session.scalar(select(Course).where(Course.slug == slug)) or abort(404)
    changes = db.paginate(
        select(CourseChange).where(CourseChange.course_id == course.id).order_by(CourseChange.changed_at.desc()),
        page=page_number(),
        per_page=25,
        error_out=False,
    )
    from ..auth.models import User

    authors = {
        u.id: u
        for u in db.session.scalars(select(User).where(User.id.in_({c.user_id for c in changes.items if c.user_id})))
    }
    return render_template(
        "trainer/changes.html", course=course, changes=changes, authors=authors, language=current_locale_code()
    )
