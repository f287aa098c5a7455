"""Submitting quiz attempts. Flushes only."""

import hmac
import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from babel.numbers import get_decimal_symbol
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..catalog.queries import active_questions
from ..extensions import db
from ..learning.services import mark_viewed, record_quiz_result
from ..models_mixins import utcnow
from . import tokens
from .analysis import analyse
from .grading import grade, normalise_answers
from .models import QuizAttempt
from .types import REGISTRY

logger = logging.getLogger(__name__)


DEFAULT_RULES = {"max_attempts": None, "wait_minutes": 0, "draw": None, "shuffle": False, "partial_credit": False}


class AttemptRefused(Exception):
    """No scored attempt now: reason is 'passed', 'limit' or 'wait' (then retry_at says when)."""

    def __init__(self, reason, retry_at=None):
        super().__init__(reason)
        self.reason = reason
        self.retry_at = retry_at


class InvalidToken(ValueError):
    """The form's token is missing, forged, or belongs to another learner or module."""


def quiz_rules(module):
    """The attempt rules of a module: defaults, then course.yml, then the module's front matter."""
    return {**DEFAULT_RULES, **(module.course.quiz or {}), **(module.quiz or {})}


def shown_order(signed_token, key, size):
    """The order in which a form shows a question's items: the items' own indexes, place by place.

    Keyed with the site's secret: the token (readable in the page) and this code are not enough to
    tell which shown item is which, so field names and values can follow the shown places.
    """
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, f"{signed_token}\x1f{key}".encode(), "sha256").digest()
    order = list(range(size))
    random.Random(digest).shuffle(order)
    return order


def from_shown_places(specs, submitted, signed_token):
    """Map ordering items ('place shown:place chosen') and matching partners ('item:partner's place
    shown') back to the items' own indexes; values a form cannot send are left for the check."""
    mapped = dict(submitted)
    for key, spec in specs.items():
        if spec["type"] not in ("ordering", "matching") or key not in submitted:
            continue
        size = spec[REGISTRY[spec["type"]].size_key]  # the type knows where its size is kept
        order = shown_order(signed_token, key, size)
        values = []
        for value in submitted[key]:
            item, _sep, choice = str(value).partition(":")
            if not (item.isdigit() and choice.isdigit() and int(item) < size and 1 <= int(choice) <= size):
                values.append(value)
            elif spec["type"] == "ordering":
                values.append(f"{order[int(item)]}:{choice}")
            else:
                values.append(f"{item}:{order[int(choice) - 1] + 1}")
        mapped[key] = values
    return mapped


def drawn_questions(module, seed, rules):
    """The questions of one attempt: all active ones, or a pool draw fixed by the form's seed."""
    questions = active_questions(module)
    draw = rules["draw"]
    if draw and draw < len(questions):
        chosen = set(random.Random(f"{seed}:{module.id}").sample(range(len(questions)), draw))
        questions = [q for index, q in enumerate(questions) if index in chosen]
    return questions


@dataclass(frozen=True)
class AttemptHistory:
    """A learner's attempts on a module as the rules and the module page need them."""

    count: int
    recent: list  # the newest attempts, newest first

    @property
    def latest(self):
        return self.recent[0] if self.recent else None


def refusal(history, rules, passed, now=None):
    """Why no new attempt may be scored now (an AttemptRefused), or None."""
    if passed:
        return AttemptRefused("passed")
    if rules["max_attempts"] and history.count >= rules["max_attempts"]:
        return AttemptRefused("limit")
    if rules["wait_minutes"] and history.latest:
        retry_at = history.latest.submitted_at + timedelta(minutes=rules["wait_minutes"])
        if (now or utcnow()) < retry_at:
            return AttemptRefused("wait", retry_at)
    return None


def new_form(user, module):
    """Return (signed token, questions of this attempt, rules) for showing the quiz form."""
    signed, token = tokens.issue(user, module)
    rules = quiz_rules(module)
    return signed, drawn_questions(module, token.seed, rules), rules


def reopen_form(user, module, signed):
    """Return the form of a submitted token again (same questions, same order), to correct it."""
    token = tokens.read(signed, user, module)
    if token is None:
        raise InvalidToken()
    rules = quiz_rules(module)
    return signed, drawn_questions(module, token.seed, rules), rules


def attempt_history(user, module, recent=1):
    """How many attempts the learner made on the module, and the `recent` newest, in one query.

    Neither submitting nor the module page loads every attempt: both would otherwise grow
    slower with each attempt of a learner who may try as often as needed.
    """
    mine = (QuizAttempt.user_id == user.id, QuizAttempt.module_id == module.id)
    # A subquery, not count() over (): a window function would read every attempt in full first.
    count = select(func.count()).select_from(QuizAttempt).where(*mine).scalar_subquery()
    rows = db.session.execute(
        select(QuizAttempt, count)
        .where(*mine)
        .order_by(QuizAttempt.number.desc())  # numbered in the order they were scored; indexed
        .limit(recent)
    ).all()
    return AttemptHistory(rows[0][1] if rows else 0, [attempt for attempt, _count in rows])


def find_attempt_by_token(user, token):
    return db.session.scalar(select(QuizAttempt).where(QuizAttempt.user_id == user.id, QuizAttempt.token == token))


def submit_attempt(user, module, language, submitted, signed_token):
    """Grade and store an attempt; a form sent twice (or from a second tab) counts once.

    Raises InvalidToken for a forged form, TamperedAnswers for answers the form cannot
    produce, UnreadableAnswers for numbers that cannot be read (nothing is stored), and
    AttemptRefused when the rules allow no attempt now.
    """
    token = tokens.read(signed_token, user, module)
    if token is None:
        raise InvalidToken()
    existing = find_attempt_by_token(user, token.seed)
    if existing is not None:
        return existing
    history = attempt_history(user, module)
    issued_at = datetime.fromtimestamp(token.issued_at, UTC)
    if history.latest and history.latest.submitted_at >= issued_at:
        return history.latest  # another tab scored an attempt after this form was shown
    progress = mark_viewed(user, module)  # a submission counts as reading the module
    rules = quiz_rules(module)
    refused = refusal(history, rules, progress.passed_at is not None)
    if refused:
        raise refused
    specs = {q.key: q.spec for q in drawn_questions(module, token.seed, rules)}
    answers = normalise_answers(specs, from_shown_places(specs, submitted, signed_token), get_decimal_symbol(language))
    result = grade(specs, answers, rules["partial_credit"])
    passed = result.passed(module.course.pass_mark)
    attempt = QuizAttempt(
        user_id=user.id,
        module_id=module.id,
        module_version=module.version,
        number=history.count + 1,
        language=language,
        token=token.seed,
        answers=result.answers,
        points=result.points,
        score=result.score,
        passed=passed,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # The same form arrived twice at the same moment (its token), or another form of this
        # learner took the same attempt number: that attempt stands, as for a second tab above.
        return find_attempt_by_token(user, token.seed) or attempt_history(user, module).latest
    record_quiz_result(user, module, result.score, passed, progress)
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
        (module, analyse({q.key: q.spec for q in active_questions(module)}, by_module[module.id])) for module in modules
    ]
