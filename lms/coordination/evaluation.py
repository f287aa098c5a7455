"""The anonymised evaluation report for the advisory service and the funder.

Per year or quarter: participants, completions, certificates and teaching units delivered,
per course, per language and per organisation. No names; a cell that counts 1 to 4 people is
suppressed, so that nobody can be recognised in a small group.

Definitions (also in docs/coordination.md):
- participants: people who enrolled in a course or took one of its quizzes in the period;
- completions: enrolments completed in the period;
- certificates: certificates issued in the period and not revoked (completion and attendance);
- teaching units: the units (UE, 45 minutes) printed on those certificates.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, union

from ..auth.models import User
from ..catalog.models import Course, Module
from ..certificates.models import Certificate
from ..extensions import db
from ..learning.models import Enrolment
from ..quizzes.models import QuizAttempt
from .models import Organisation, OrganisationMember

MIN_CELL = 5  # fewer people than this (but more than none) are not shown
COLUMNS = ("participants", "completions", "certificates", "units")
NO_ORGANISATION = ("–",)


@dataclass
class Cell:
    participants: set = field(default_factory=set)
    completions: int = 0
    certificates: int = 0
    units: Decimal = Decimal(0)


@dataclass
class Report:
    start: datetime
    end: datetime
    label: str
    by_course: list  # [(name, figures)]
    by_language: list
    by_organisation: list
    total: dict

    @property
    def last_day(self):
        return (self.end - timedelta(days=1)).date()


def period(year, quarter=None):
    """(start, end, label) of a year or one of its quarters, in UTC."""
    if quarter:
        start = datetime(year, 3 * quarter - 2, 1, tzinfo=UTC)
        end = datetime(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1, tzinfo=UTC)
        return start, end, f"{year} Q{quarter}"
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC), str(year)


def build(year, quarter=None):
    """The report for a period: five queries, aggregated here (people counted once per group)."""
    start, end, label = period(year, quarter)
    participation = union(
        select(Enrolment.user_id, Enrolment.course_id).where(
            Enrolment.enrolled_at >= start, Enrolment.enrolled_at < end
        ),
        select(QuizAttempt.user_id, Module.course_id)
        .join(Module, Module.id == QuizAttempt.module_id)
        .where(QuizAttempt.submitted_at >= start, QuizAttempt.submitted_at < end),
    ).subquery()
    pairs = db.session.execute(
        select(participation.c.user_id, participation.c.course_id, User.locale).join(
            User, User.id == participation.c.user_id
        )
    ).all()
    completions = db.session.execute(
        select(Enrolment.user_id, Enrolment.course_id, User.locale)
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.completed_at >= start, Enrolment.completed_at < end)
    ).all()
    certificates = db.session.execute(
        select(Certificate.user_id, Certificate.course_id, User.locale, Certificate.hours)
        .outerjoin(User, User.id == Certificate.user_id)
        .where(Certificate.issued_at >= start, Certificate.issued_at < end, Certificate.revoked_at.is_(None))
    ).all()
    organisations = defaultdict(list)
    for user_id, name in db.session.execute(
        select(OrganisationMember.user_id, Organisation.name).join(
            Organisation, Organisation.id == OrganisationMember.organisation_id
        )
    ):
        organisations[user_id].append(name)
    courses = {c.id: c.title_in("de") for c in db.session.scalars(select(Course))}

    by_course, by_language, by_organisation = defaultdict(Cell), defaultdict(Cell), defaultdict(Cell)
    total = Cell()
    # Plain loops, one group at a time: this runs over every participation of a year.
    for user_id, course_id, locale in pairs:
        total.participants.add(user_id)
        by_course[course_id].participants.add(user_id)
        by_language[locale or "de"].participants.add(user_id)
    for user_id in total.participants:
        for name in organisations.get(user_id, NO_ORGANISATION):
            by_organisation[name].participants.add(user_id)
    for user_id, course_id, locale in completions:
        total.completions += 1
        for cell in (by_course[course_id], by_language[locale or "de"]):
            cell.completions += 1
        for name in organisations.get(user_id, NO_ORGANISATION):
            by_organisation[name].completions += 1
    for user_id, course_id, locale, hours in certificates:
        hours = hours or 0
        total.certificates += 1
        total.units += hours
        cells = [by_course[course_id], by_language[locale or "de"]]
        cells += [by_organisation[name] for name in organisations.get(user_id, NO_ORGANISATION)]
        for cell in cells:
            cell.certificates += 1
            cell.units += hours
    by_course = {courses.get(course_id, "?"): cell for course_id, cell in by_course.items()}
    return Report(
        start,
        end,
        label,
        _rows(by_course),
        _rows(by_language),
        _rows(by_organisation),
        _figures(total),
    )


def _rows(table):
    return [(key, _figures(cell)) for key, cell in sorted(table.items(), key=lambda item: item[0].lower())]


def _figures(cell):
    """Counts of people with small cells suppressed (None); units only where certificates show."""
    participants = _suppressed(len(cell.participants))
    certificates = _suppressed(cell.certificates)
    return {
        "participants": participants,
        "completions": _suppressed(cell.completions),
        "certificates": certificates,
        "units": cell.units.normalize() if certificates is not None else None,
    }


def _suppressed(count):
    return None if 0 < count < MIN_CELL else count
