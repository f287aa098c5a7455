"""Submitting a quiz and reading the result."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth.permissions import can_view_attempt, role_required
from ..catalog.queries import course_for_trainer_or_404, course_or_404, module_or_404, module_text, module_titles
from ..exports import table_download
from ..extensions import db
from ..i18n.locale import current_locale_code
from ..learning.pages import QuizForm, render_module_page
from ..learning.services import get_enrolment
from . import services
from .grading import TamperedAnswers, UnreadableAnswers
from .messages import refusal_message
from .models import QuizAttempt

bp = Blueprint("quizzes", __name__, template_folder="templates")

ANSWER_PREFIX = "q-"


@bp.route("/courses/<slug>/<module_slug>/quiz", methods=["POST"])
@login_required
def submit_attempt(slug, module_slug):
    course = course_or_404(slug)
    module = module_or_404(course, module_slug)
    if get_enrolment(current_user, course) is None:
        abort(403)
    token = request.form.get("token", "")
    submitted = _answers_from_form(request.form)
    try:
        attempt = services.submit_attempt(
            current_user,
            module,
            current_locale_code(),
            submitted,
            token,
        )
    except (TamperedAnswers, services.InvalidToken):
        db.session.rollback()
        return render_template(
            "errors/error.html",
            code=400,
            message=_("The answers could not be read. Please reload the module page and answer again."),
        ), 400
    except UnreadableAnswers as unreadable:
        # An honest typo in a number: show the form again with everything typed, nothing stored.
        db.session.rollback()
        form = QuizForm(*services.reopen_form(current_user, module, token), submitted, unreadable.keys)
        page = render_module_page(course, module, form)
        db.session.commit()  # the module counts as viewed, as on every showing of the page
        return page, 422
    except services.AttemptRefused as refused:
        db.session.rollback()
        flash(refusal_message(refused), "info")
        return redirect(url_for("learning.show_module", slug=slug, module_slug=module_slug)), 303
    attempt_id = attempt.id  # read before the commit expires it, which would cost a query
    db.session.commit()
    return redirect(url_for("quizzes.show_attempt", attempt_id=attempt_id), 303)


def _answers_from_form(form):
    """Collect answers: 'q-<key>' holds choices; 'q-<key>.<i>' holds the choice for item i."""
    submitted = {}
    for name in form:
        if not name.startswith(ANSWER_PREFIX):
            continue
        key, _sep, item = name[len(ANSWER_PREFIX) :].partition(".")
        values = form.getlist(name)
        if item:
            values = [f"{item}:{value}" for value in values if value]
        submitted.setdefault(key, []).extend(values)
    return submitted


@bp.app_template_filter("enumerate")
def enumerate_filter(items):
    return list(enumerate(items))


@bp.app_template_filter("shown_order")
def shown_order_filter(items, token, key):
    """[(index, item)] in the order the form shows them (services.shown_order)."""
    return [(index, items[index]) for index in services.shown_order(token, key, len(items))]


@bp.route("/attempts/<int:attempt_id>")
@login_required
def show_attempt(attempt_id):
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None:
        abort(404)
    if not can_view_attempt(current_user, attempt):
        abort(403)
    module = attempt.module
    course = module.course
    text, _fallback = module_text(module, attempt.language, course.source_language)
    questions = [q for q in module.questions if q.key in attempt.answers]
    return render_template(
        "quizzes/attempt.html",
        attempt=attempt,
        module=module,
        course=course,
        text=text,
        questions=questions,
        language=current_locale_code(),
    )


@bp.route("/trainer/courses/<slug>/item-analysis")
@role_required("trainer")
def item_analysis(slug):
    course = course_for_trainer_or_404(slug)
    language = current_locale_code()
    return render_template(
        "quizzes/analysis.html",
        course=course,
        modules=services.item_analysis(course),
        titles=module_titles(course, language),
        language=language,
    )


@bp.route("/trainer/courses/<slug>/item-analysis.csv")
@role_required("trainer")
def export_item_analysis(slug):
    course = course_for_trainer_or_404(slug)
    header = [
        _("Module"),
        _("Question"),
        _("Type"),
        _("Attempts"),
        _("Facility"),
        _("Discrimination"),
        _("Language"),
        _("Attempts in this language"),
        _("Facility in this language"),
        _("Likely translation problem"),
        _("Most frequent wrong answers"),
    ]
    rows = []
    for module, items in services.item_analysis(course):
        for item in items:
            wrong = ", ".join(f"{label} ({count})" for label, count in item.wrong_answers.most_common(5))
            flagged = item.flagged_languages
            for lang, stats in sorted(item.languages.items()) or [("", None)]:
                rows.append(
                    [
                        module.slug,
                        item.key,
                        item.type,
                        item.attempts,
                        _fmt(item.facility),
                        _fmt(item.discrimination),
                        lang,
                        stats.attempts if stats else "",
                        _fmt(stats.facility) if stats else "",
                        _("yes") if lang in flagged else "",
                        wrong,
                    ]
                )
    return table_download(header, rows, f"item-analysis-{slug}", "csv")


def _fmt(value):
    return "" if value is None else f"{value:.2f}"
