"""Organisations, scope, cohorts, sessions and attendance. Flushes only."""

import logging
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, exists, func, select, tuple_

from ..audit.services import record
from ..auth.models import User
from ..certificates.services import issue_attendance_certificate
from ..extensions import NAME_COLLATION, db
from ..learning.services import enrol
from .models import Attendance, Cohort, CohortMember, CohortSession, Organisation, OrganisationMember

logger = logging.getLogger(__name__)


# --- scope ----------------------------------------------------------------------------------


def coordinated_ids(user):
    """Ids of the organisations user coordinates; None means all (an admin)."""
    if user.role == "admin":
        return None
    return set(
        db.session.scalars(
            select(OrganisationMember.organisation_id).where(
                OrganisationMember.user_id == user.id, OrganisationMember.is_coordinator
            )
        )
    )


def coordinates(user, organisation_id):
    """Tell whether user may see and manage the people of an organisation."""
    scope = coordinated_ids(user)
    return scope is None or organisation_id in scope


def coordinates_person(user, person_id):
    """Tell whether person belongs to an organisation user coordinates."""
    scope = coordinated_ids(user)
    if scope is None:
        return True
    return bool(scope) and db.session.scalar(
        select(exists().where(OrganisationMember.user_id == person_id, OrganisationMember.organisation_id.in_(scope)))
    )


def organisations_for(user):
    """A select of the organisations user coordinates (all for an admin), by name."""
    stmt = select(Organisation).order_by(Organisation.name)
    scope = coordinated_ids(user)
    if scope is not None:
        stmt = stmt.where(Organisation.id.in_(scope or {-1}))
    return stmt


# --- organisations and people -----------------------------------------------------------------


class DuplicateOrganisation(ValueError):
    pass


def create_organisation(name, city, actor):
    name = " ".join(name.split())
    if db.session.scalar(select(Organisation.id).where(func.lower(Organisation.name) == name.lower())):
        raise DuplicateOrganisation(name)
    organisation = Organisation(name=name, city=" ".join(city.split()))
    db.session.add(organisation)
    db.session.flush()
    record(actor, "organisation.create", organisation, name=name)
    return organisation


def add_member(organisation, user, is_coordinator=False, actor=None):
    """Add user to organisation (or update the coordinator flag); return the membership."""
    member = db.session.scalar(
        select(OrganisationMember).where(
            OrganisationMember.organisation_id == organisation.id, OrganisationMember.user_id == user.id
        )
    )
    if member is None:
        member = OrganisationMember(organisation_id=organisation.id, user_id=user.id)
        db.session.add(member)
    if is_coordinator and not member.is_coordinator:
        member.is_coordinator = True
        record(actor, "organisation.add_coordinator", organisation, user=user.id)
    db.session.flush()
    return member


def people_query(organisation_id, search=""):
    """A select of the people (User) of an organisation, filtered by name or e-mail, by name."""
    stmt = (
        select(User)
        .join(OrganisationMember, OrganisationMember.user_id == User.id)
        .where(OrganisationMember.organisation_id == organisation_id)
    )
    if search:
        like = f"%{search.lower()}%"
        stmt = stmt.where(
            func.lower(User.legal_name).like(like)
            | func.lower(User.email).like(like)
            | func.lower(User.native_name).like(like)
        )
    return stmt.order_by(*name_order(User.legal_name), User.id)


def coordinator_ids(organisation_id, user_ids):
    """Which of user_ids coordinate the organisation (one query for a page of people)."""
    return set(
        db.session.scalars(
            select(OrganisationMember.user_id).where(
                OrganisationMember.organisation_id == organisation_id,
                OrganisationMember.user_id.in_(user_ids),
                OrganisationMember.is_coordinator,
            )
        )
    )


def name_order(column):
    """Sort names as German and Turkish readers expect: Ç with C, Ö with O, İ and ı with I."""
    if db.engine.dialect.name == "postgresql":
        return [column.collate("und-x-icu")]
    return [column.collate(NAME_COLLATION)]  # registered on every SQLite connection (lms.extensions)


# --- cohorts, sessions, attendance --------------------------------------------------------------


def create_cohort(organisation, course, name, kind, starts_on, ends_on, place, trainer, actor):
    cohort = Cohort(
        organisation_id=organisation.id,
        course_id=course.id,
        name=" ".join(name.split()),
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place.strip(),
        trainer_id=trainer.id if trainer else None,
    )
    db.session.add(cohort)
    db.session.flush()
    record(actor, "cohort.create", cohort, organisation=organisation.id, course=course.id)
    return cohort


def cohort_members(cohort):
    """[User] of a cohort, sorted by name."""
    return db.session.scalars(
        select(User)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id)
        .order_by(*name_order(User.legal_name), User.id)
    ).all()


def add_to_cohort(cohort, user):
    """Put a person of the cohort's organisation into the cohort and enrol them in its course."""
    if not db.session.scalar(
        select(exists().where(CohortMember.cohort_id == cohort.id, CohortMember.user_id == user.id))
    ):
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id))
    add_member(cohort.organisation, user)
    enrol(user, cohort.course)
    db.session.flush()


def add_session(cohort, held_on, title, units):
    session = CohortSession(cohort_id=cohort.id, held_on=held_on, title=title.strip(), units=Decimal(units))
    db.session.add(session)
    db.session.flush()
    return session


def attendance_of(cohort):
    """{(session id, user id)} of everyone present, for the attendance grid."""
    rows = db.session.execute(
        select(Attendance.session_id, Attendance.user_id)
        .join(CohortSession, CohortSession.id == Attendance.session_id)
        .where(CohortSession.cohort_id == cohort.id)
    )
    return {(session_id, user_id) for session_id, user_id in rows}


def record_attendance(cohort, present, actor):
    """Make the attendance of a cohort's sessions equal present: {(session id, user id)}.

    Only the cohort's own sessions and members count; anything else in present is ignored
    by the caller's check (see views), so nothing outside the cohort is touched.
    """
    before = attendance_of(cohort)
    added, removed = present - before, before - present
    db.session.add_all(Attendance(session_id=s, user_id=u, recorded_by_id=actor.id) for s, u in added)
    if removed:  # one statement, not one per unticked box
        db.session.execute(delete(Attendance).where(tuple_(Attendance.session_id, Attendance.user_id).in_(removed)))
    db.session.flush()
    record(actor, "cohort.attendance", cohort, added=len(added), removed=len(removed))


def issue_attendance_certificates(cohort, actor):
    """Issue attendance certificates to every member present at least once; return them, by name."""
    present = attendance_of(cohort)
    issued = []
    for user in cohort_members(cohort):
        attended = [(s.held_on, s.title, s.units) for s in cohort.sessions if (s.id, user.id) in present]
        if not attended:
            continue
        certificate = issue_attendance_certificate(user, cohort, attended, actor)
        if certificate is not None:
            issued.append(certificate)
    return issued


def parse_date(text):
    """A date typed as 2026-03-14 or 14.03.2026; None if empty; ValueError otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    if "." in text:
        day, month, year = text.split(".")
        return date(int(year), int(month), int(day))
    return date.fromisoformat(text)
