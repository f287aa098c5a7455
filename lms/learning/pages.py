"""The module page, rendered for reading and again for correcting a quiz form.

Both the learning view and the quiz view show it, so it lives here rather than in either.
"""

from dataclasses import dataclass, field

from flask import render_template
from flask_login import current_user

from ..catalog.queries import active_questions, course_glossary, module_languages, module_text, module_titles
from ..i18n.locale import current_locale_code
from ..quizzes.messages import refusal_message
from ..quizzes.services import attempt_history, new_form, refusal
from . import services

RECENT_ATTEMPTS = 10  # the module page lists this many of a learner's attempts, newest first


@dataclass
class QuizForm:
    """A quiz form as the page shows it: its token, questions and rules, and what was typed."""

    token: str
    questions: list
    rules: dict
    kept: dict = field(default_factory=dict)  # question key -> submitted form values
    unreadable: list = field(default_factory=list)  # keys whose answer could not be read


def render_module_page(course, module, form=None):
    """Render a module for the current learner; with form, the quiz as it was submitted."""
    language = current_locale_code()
    text, is_fallback = module_text(module, language, course.source_language)
    progress = services.mark_viewed(current_user, module)
    attempts = attempt_history(current_user, module, recent=RECENT_ATTEMPTS)
    if form is None:
        form = QuizForm(*new_form(current_user, module))
    refused = refusal(attempts, form.rules, progress.passed_at is not None)
    modules = course.modules
    index = next(i for i, m in enumerate(modules) if m.id == module.id)
    return render_template(
        "learning/module.html",
        course=course,
        module=module,
        text=text,
        is_fallback=is_fallback,
        progress=progress,
        attempts=attempts,
        form=form,
        token=form.token,
        questions=form.questions,
        has_quiz=bool(active_questions(module)),
        rules=form.rules,
        refused=refusal_message(refused) if refused else None,
        previous=modules[index - 1] if index > 0 else None,
        next_module=modules[index + 1] if index + 1 < len(modules) else None,
        titles=module_titles(course, language),
        glossary=course_glossary(course) if text.glossary_terms else {},
        language=language,
        handout_languages=sorted(module_languages(module)),
    )
