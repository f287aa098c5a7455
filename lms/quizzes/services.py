"""Submitting quiz attempts. Flushes only."""

import logging
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..learning.services import record_quiz_result
from .analysis import analyse
from .grading import grade, normalise_answers
from .models import QuizAttempt

logger = logging.getLogger(__name__)


class AlreadyPassed(Exception):
    """The learner has passed this module's quiz; no further attempt is scored."""


def new_attempt_token():
    return secrets.token_urlsafe(24)


def attempts_for(user, module):
    return db.session.scalars(
        select(QuizAttempt)
        .where(QuizAttempt.user_id == user.id, QuizAttempt.module_id == module.id)
        .order_by(QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc())
    ).all()


def find_attempt_by_token(user, token):
    return db.session.scalar(select(QuizAttempt).where(QuizAttempt.user_id == user.id, QuizAttempt.token == token))


def submit_attempt(user, module, language, submitted, token, already_passed):
    """Grade and store an attempt; the same token twice returns the first attempt.

    Raises TamperedAnswers for answers the form cannot produce, and
    AlreadyPassed when the quiz was passed before (retakes are for failing).
    """
    existing = find_attempt_by_token(user, token)
    if existing is not None:
        return existing
    if already_passed:
        raise AlreadyPassed()
    specs = {q.key: q.spec for q in module.active_questions}
    answers = normalise_answers(specs, submitted)
    result = grade(specs, answers)
    passed = result.passed(module.course.pass_mark)
    attempt = QuizAttempt(
        user_id=user.id,
        module_id=module.id,
        module_version=module.version,
        language=language,
        token=token,
        answers=result.answers,
        points=result.points,
        score=result.score,
        passed=passed,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # the same form arrived twice at the same moment
        return find_attempt_by_token(user, token)
    record_quiz_result(user, module, result.score, passed)
    logger.info("Attempt %s of user %s on module %s: %.1f%%", attempt.id, user.id, module.id, result.score)
    return attempt


def item_analysis(course):
    """Return [(module, items)] for the course's active modules; items from quizzes.analysis."""
    modules = course.modules
    by_module = {m.id: [] for m in modules}
    rows = db.session.execute(
        select(QuizAttempt.module_id, QuizAttempt.language, QuizAttempt.score, QuizAttempt.answers, QuizAttempt.points)
        .where(QuizAttempt.module_id.in_(list(by_module)))
        .order_by(QuizAttempt.id)
    )
    for module_id, language, score, answers, points in rows:
        by_module[module_id].append((language, score, answers, points))
    return [
        (module, analyse({q.key: q.spec for q in module.active_questions}, by_module[module.id])) for module in modules
    ]
