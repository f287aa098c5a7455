"""Enrolling, recording progress and detecting completion. Flushes only."""

import logging

from flask import current_app
from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from ..catalog.models import Module
from ..catalog.queries import active_questions
from ..extensions import db
from ..models_mixins import utcnow
from ..signals import course_completed
from .models import Enrolment, ModuleProgress

logger = logging.getLogger(__name__)


def get_enrolment(user, course):
    return db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id))


def enrol(user, course):
    """Enrol user in course; enrolling twice returns the first enrolment."""
    enrolment = get_enrolment(user, course)
    if enrolment is not None:
        return enrolment
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    try:
        with db.session.begin_nested():
            db.session.add(enrolment)
    except IntegrityError:  # a second tab enrolled at the same moment
        return get_enrolment(user, course)
    logger.info("User %s enrolled in course %s", user.id, course.slug)
    return enrolment


def progress_by_module(user, course):
    """Map module id -> ModuleProgress for user's active modules of course (one query)."""
    rows = db.session.scalars(
        select(ModuleProgress).join(Module).where(ModuleProgress.user_id == user.id, Module.course_id == course.id)
    )
    return {p.module_id: p for p in rows}


def course_overview(user):
    """[(enrolment, passed modules, active modules)] of user's courses, newest first, in two queries.

    Counted in SQL: the dashboard needs no module or progress objects, only their numbers.
    """
    enrolments = db.session.scalars(
        select(Enrolment)
        .join(Enrolment.course)
        .options(contains_eager(Enrolment.course))
        .where(Enrolment.user_id == user.id)
        .order_by(Enrolment.enrolled_at.desc())
    ).all()
    mine = and_(ModuleProgress.module_id == Module.id, ModuleProgress.user_id == user.id)
    counts = {
        course_id: (passed, total)
        for course_id, passed, total in db.session.execute(
            select(Module.course_id, func.count(ModuleProgress.passed_at), func.count(Module.id))
            .outerjoin(ModuleProgress, mine)
            .where(Module.is_active, Module.course_id.in_([e.course_id for e in enrolments]))
            .group_by(Module.course_id)
        )
    }
    return [(enrolment, *counts.get(enrolment.course_id, (0, 0))) for enrolment in enrolments]


def mark_viewed(user, module):
    """Record that user opened module (once). A module without a quiz is passed by reading it."""
    progress = db.session.scalar(
        select(ModuleProgress).where(ModuleProgress.user_id == user.id, ModuleProgress.module_id == module.id)
    )
    if progress is None:
        progress = ModuleProgress(user_id=user.id, module_id=module.id)
        try:
            with db.session.begin_nested():
                db.session.add(progress)
        except IntegrityError:
            progress = db.session.scalar(
                select(ModuleProgress).where(ModuleProgress.user_id == user.id, ModuleProgress.module_id == module.id)
            )
    if progress.passed_at is None and not active_questions(module):
        # Nothing to pass: without this, a course with such a module could never be completed.
        progress.passed_at = utcnow()
        db.session.flush()
        _complete_if_done(user, module.course)
    return progress


def record_quiz_result(user, module, score, passed, progress=None):
    """Store a quiz result in user's progress on module; completes the course when all modules are passed.

    Pass the progress if the caller has it already: that saves reading it again.
    """
    if progress is None:
        progress = mark_viewed(user, module)
    if progress.best_score is None or score > progress.best_score:
        progress.best_score = score
    if passed and progress.passed_at is None:
        progress.passed_at = utcnow()
    db.session.flush()
    if passed:
        _complete_if_done(user, module.course)
    return progress


def _complete_if_done(user, course):
    enrolment = get_enrolment(user, course)
    if enrolment is None or enrolment.completed_at is not None:
        return
    progress = progress_by_module(user, course)
    if all(progress.get(m.id) and progress[m.id].passed_at for m in course.modules):
        enrolment.completed_at = utcnow()
        db.session.flush()
        logger.info("User %s completed course %s", user.id, course.slug)
        course_completed.send(current_app._get_current_object(), user=user, course=course, enrolment=enrolment)
