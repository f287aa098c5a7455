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

from sqlalchemy import select

from ..auth.models import User
from ..catalog.models import Course, Module
from ..certificates.models import Certificate
from ..extensions import db
from ..learning.models import Enrolment
from ..quizzes.models import QuizAttempt
from .models import Organisation, OrganisationMember

MIN_CELL = 5  # fewer people than this (but more than none) are not shown
COLUMNS = ("participants", "completions", "certificates", "units")


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
    """The report for a period (a fixed number of queries)."""
    start, end, label = period(year, quarter)
    participants = set(
        db.session.execute(
            select(Enrolment.user_id, Enrolment.course_id).where(
                Enrolment.enrolled_at >= start, Enrolment.enrolled_at < end
            )
        ).all()
    )
    participants |= set(
        db.session.execute(
            select(QuizAttempt.user_id, Module.course_id)
            .join(Module, Module.id == QuizAttempt.module_id)
            .where(QuizAttempt.submitted_at >= start, QuizAttempt.submitted_at < end)
            .distinct()
        ).all()
    )
    completions = db.session.execute(
        select(Enrolment.user_id, Enrolment.course_id).where(
            Enrolment.completed_at >= start, Enrolment.completed_at < end
        )
    ).all()
    certificates = db.session.execute(
        select(Certificate.user_id, Certificate.course_id, Certificate.hours).where(
            Certificate.issued_at >= start, Certificate.issued_at < end, Certificate.revoked_at.is_(None)
        )
    ).all()
    people = {user_id for user_id, _course in participants} | {u for u, _c in completions}
    people |= {u for u, _c, _h in certificates if u is not None}
    locale = dict(db.session.execute(select(User.id, User.locale).where(User.id.in_(people))).all())
    organisations = defaultdict(list)
    for user_id, name in db.session.execute(
        select(OrganisationMember.user_id, Organisation.name)
        .join(Organisation, Organisation.id == OrganisationMember.organisation_id)
        .where(OrganisationMember.user_id.in_(people))
    ):
        organisations[user_id].append(name)
    courses = {c.id: c.title_in("de") for c in db.session.scalars(select(Course))}

    dimensions = {
        "course": lambda user_id, course_id: [courses.get(course_id, "?")],
        "language": lambda user_id, course_id: [locale.get(user_id) or "de"],
        "organisation": lambda user_id, course_id: organisations.get(user_id) or ["–"],
    }
    tables = {name: defaultdict(Cell) for name in dimensions}
    total = Cell()
    for name, keys in dimensions.items():
        table = tables[name]
        for user_id, course_id in participants:
            for key in keys(user_id, course_id):
                table[key].participants.add(user_id)
        for user_id, course_id in completions:
            for key in keys(user_id, course_id):
                table[key].completions += 1
        for user_id, course_id, hours in certificates:
            for key in keys(user_id, course_id):
                table[key].certificates += 1
                table[key].units += hours or 0
    total.participants = {user_id for user_id, _course in participants}
    total.completions = len(completions)
    total.certificates = len(certificates)
    total.units = sum((hours or 0 for _u, _c, hours in certificates), Decimal(0))
    return Report(
        start,
        end,
        label,
        _rows(tables["course"]),
        _rows(tables["language"]),
        _rows(tables["organisation"]),
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
