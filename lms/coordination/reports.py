"""Figures for coordinators' dashboards: a fixed number of queries, whatever the size of the data."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import case, distinct, func, select

from ..catalog.models import Course, Module
from ..extensions import db
from ..learning.models import Enrolment, ModuleProgress
from ..models_mixins import utcnow
from ..quizzes.models import QuizAttempt
from .models import OrganisationMember

ACTIVE_DAYS = 30


@dataclass
class CourseFigures:
    course: Course
    enrolled: int = 0
    started: int = 0
    passed_one: int = 0
    completed: int = 0
    active: int = 0
    attempts: int = 0
    passed_attempts: int = 0
    days_to_complete: list = field(default_factory=list)

    @property
    def pass_rate(self):
        return self.passed_attempts / self.attempts if self.attempts else None

    @property
    def median_days(self):
        return statistics.median(self.days_to_complete) if self.days_to_complete else None

    @property
    def funnel(self):
        """[(label key, count)] from enrolled to completed, for the chart."""
        return [
            ("enrolled", self.enrolled),
            ("started", self.started),
            ("passed_one", self.passed_one),
            ("completed", self.completed),
        ]


def _members(organisation_id):
    return select(OrganisationMember.user_id).where(OrganisationMember.organisation_id == organisation_id)


def course_figures(organisation_id):
    """[CourseFigures] of the courses the organisation's people are enrolled in (five queries).

    Active: took a quiz in the last 30 days. Pass rate: passed attempts among all attempts.
    Counting happens in the database: only completed enrolments come back as rows, for the median.
    """
    members = _members(organisation_id)
    counts = db.session.execute(
        select(Enrolment.course_id, func.count(Enrolment.id), func.count(Enrolment.completed_at))
        .where(Enrolment.user_id.in_(members))
        .group_by(Enrolment.course_id)
    ).all()
    if not counts:
        return []
    courses = {c.id: c for c in db.session.scalars(select(Course).where(Course.id.in_([row[0] for row in counts])))}
    figures = {
        course_id: CourseFigures(courses[course_id], enrolled=enrolled, completed=completed)
        for course_id, enrolled, completed in counts
    }
    for course_id, enrolled_at, completed_at in db.session.execute(
        select(Enrolment.course_id, Enrolment.enrolled_at, Enrolment.completed_at).where(
            Enrolment.user_id.in_(members), Enrolment.completed_at.is_not(None)
        )
    ):
        figures[course_id].days_to_complete.append(max(0, (completed_at - enrolled_at).days))
    passed_user = case((ModuleProgress.passed_at.is_not(None), ModuleProgress.user_id))
    for course_id, started, passed in db.session.execute(
        select(Module.course_id, func.count(distinct(ModuleProgress.user_id)), func.count(distinct(passed_user)))
        .join(Module, Module.id == ModuleProgress.module_id)
        .where(ModuleProgress.user_id.in_(members))
        .group_by(Module.course_id)
    ):
        if course_id in figures:
            figures[course_id].started, figures[course_id].passed_one = started, passed
    active_user = case((QuizAttempt.submitted_at >= utcnow() - timedelta(days=ACTIVE_DAYS), QuizAttempt.user_id))
    for course_id, attempts, passed_attempts, active in db.session.execute(
        select(
            Module.course_id,
            func.count(QuizAttempt.id),
            func.sum(case((QuizAttempt.passed, 1), else_=0)),
            func.count(distinct(active_user)),
        )
        .join(Module, Module.id == QuizAttempt.module_id)
        .where(QuizAttempt.user_id.in_(members))
        .group_by(Module.course_id)
    ):
        if course_id in figures:
            item = figures[course_id]
            item.attempts, item.passed_attempts, item.active = attempts, int(passed_attempts or 0), active
    return sorted(figures.values(), key=lambda f: f.course.slug)


def completions_per_month(organisation_id, months=12):
    """[(first day of month, completions)] for the last months, oldest first (one query)."""
    now = utcnow()
    first = now.year * 12 + now.month - 1 - (months - 1)  # months counted from year 0
    start = now.replace(year=first // 12, month=first % 12 + 1, day=1, hour=0, minute=0, second=0, microsecond=0)
    counts = defaultdict(int)
    for (completed_at,) in db.session.execute(
        select(Enrolment.completed_at).where(
            Enrolment.user_id.in_(_members(organisation_id)), Enrolment.completed_at >= start
        )
    ):
        counts[(completed_at.year, completed_at.month)] += 1
    result, year, month = [], start.year, start.month
    for _ in range(months):
        result.append((start.replace(year=year, month=month, day=1).date(), counts[(year, month)]))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return result


def learner_progress(user_ids):
    """{user id: {course id: (passed modules, completed)}} for a page of people (one query each)."""
    progress = defaultdict(dict)
    if not user_ids:
        return progress
    passed = {
        (user_id, course_id): count
        for user_id, course_id, count in db.session.execute(
            select(ModuleProgress.user_id, Module.course_id, func.count(ModuleProgress.id))
            .join(Module, Module.id == ModuleProgress.module_id)
            .where(ModuleProgress.user_id.in_(user_ids), ModuleProgress.passed_at.is_not(None), Module.is_active)
            .group_by(ModuleProgress.user_id, Module.course_id)
        )
    }
    for user_id, course_id, completed_at in db.session.execute(
        select(Enrolment.user_id, Enrolment.course_id, Enrolment.completed_at).where(Enrolment.user_id.in_(user_ids))
    ):
        progress[user_id][course_id] = (passed.get((user_id, course_id), 0), completed_at is not None)
    return progress
