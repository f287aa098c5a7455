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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import String, and_, cast, exists, func, literal, or_, select, union_all

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
    participants: int = 0
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
    """The report for a period: the database counts (five queries, whatever the data size)."""
    start, end, label = period(year, quarter)
    courses = {str(c.id): c.title_in("de") for c in db.session.scalars(select(Course))}
    organisations = {str(i): name for i, name in db.session.execute(select(Organisation.id, Organisation.name))}
    groups = {"course": defaultdict(Cell), "language": defaultdict(Cell), "organisation": defaultdict(Cell)}
    total = Cell()

    def cell(group, key):
        if group == "total":
            return total
        if group == "course":
            key = courses.get(key, "?")
        elif group == "organisation":
            key = organisations.get(key, "?") if key else NO_ORGANISATION[0]
        return groups[group][key]

    for group, key, count in db.session.execute(_participants(start, end)):
        if count:
            cell(group, key).participants = count
    completed = select(Enrolment.user_id, Enrolment.course_id).where(
        Enrolment.completed_at >= start, Enrolment.completed_at < end
    )
    for group, key, count, _units in db.session.execute(_counted(completed.cte("completed"))):
        if count:
            cell(group, key).completions = count
    issued = select(Certificate.user_id, Certificate.course_id, Certificate.hours).where(
        Certificate.issued_at >= start, Certificate.issued_at < end, Certificate.revoked_at.is_(None)
    )
    for group, key, count, units in db.session.execute(_counted(issued.cte("issued"), with_units=True)):
        if count:
            found = cell(group, key)
            found.certificates, found.units = count, Decimal(str(units or 0))
    return Report(
        start,
        end,
        label,
        _rows(groups["course"]),
        _rows(groups["language"]),
        _rows(groups["organisation"]),
        _figures(total),
    )


def _participants(start, end):
    """Distinct participants per course, language, organisation and in total (one statement).

    A quiz can only be taken after enrolling, so the participations of the period are the
    enrolments that began in it or saw an attempt in it. Probing each enrolment for one attempt
    (an index search per learner) is several times faster than collecting every attempt of the
    period and removing duplicates. An enrolment is unique per person and course, so per course
    the participations are counted as they are; for the other groups the people are deduplicated
    once (one sort) instead of once per group and key.
    """
    attempted = (
        select(QuizAttempt.id)
        .join(Module, Module.id == QuizAttempt.module_id)
        .where(
            QuizAttempt.user_id == Enrolment.user_id,
            Module.course_id == Enrolment.course_id,
            QuizAttempt.submitted_at >= start,
            QuizAttempt.submitted_at < end,
        )
        .exists()
    )
    participation = (
        select(Enrolment.user_id, Enrolment.course_id)
        .where(or_(and_(Enrolment.enrolled_at >= start, Enrolment.enrolled_at < end), attempted))
        .cte("participation")
        .prefix_with("MATERIALIZED")
    )
    people = select(participation.c.user_id).distinct().cte("people").prefix_with("MATERIALIZED")
    return _grouped(participation, func.count(), people=people)


def _counted(rows, with_units=False):
    """Rows (completions or certificates) counted per course, language, organisation, total."""
    units = func.sum(rows.c.hours) if with_units else literal(None)
    return _grouped(rows, func.count(), units)


def _grouped(rows, measure, extra=None, people=None):
    """A statement giving (group, key, measure[, extra]) for every group and the total.

    rows has one row per person and course. Per course the measure runs over rows; per
    language, organisation and in total it runs over `people` (the distinct user_ids of rows)
    when given, so that a person counts once there.
    """
    columns = [measure] if extra is None else [measure, extra]
    per_person = rows if people is None else people
    language = func.coalesce(User.locale, "de")
    member = exists().where(OrganisationMember.user_id == per_person.c.user_id)
    return union_all(
        select(literal("course"), cast(rows.c.course_id, String), *columns)
        .select_from(rows)
        .group_by(rows.c.course_id),
        select(literal("language"), language, *columns)
        .select_from(per_person)
        .join(User, User.id == per_person.c.user_id)
        .group_by(language),
        select(literal("organisation"), cast(OrganisationMember.organisation_id, String), *columns)
        .select_from(per_person)
        .join(OrganisationMember, OrganisationMember.user_id == per_person.c.user_id)
        .group_by(OrganisationMember.organisation_id),
        select(literal("organisation"), literal(None, String), *columns).select_from(per_person).where(~member),
        select(literal("total"), literal(None, String), *columns).select_from(per_person),
    )


def _rows(table):
    return [(key, _figures(cell)) for key, cell in sorted(table.items(), key=lambda item: item[0].lower())]


def _figures(cell):
    """Counts of people with small cells suppressed (None); units only where certificates show."""
    participants = _suppressed(cell.participants)
    certificates = _suppressed(cell.certificates)
    return {
        "participants": participants,
        "completions": _suppressed(cell.completions),
        "certificates": certificates,
        "units": cell.units.normalize() if certificates is not None else None,
    }


def _suppressed(count):
    return None if 0 < count < MIN_CELL else count
