"""Organisations, who belongs to them, cohorts and events with their sessions and attendance."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..catalog.models import Course
from ..extensions import db
from ..models_mixins import UTCDateTime, utcnow


class Organisation(db.Model):
    """A migrant self-organisation (MSO) whose volunteers learn here."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    city: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self):
        return f"<Organisation {self.name}>"


class OrganisationMember(db.Model):
    """A person in an organisation; coordinators manage its people and cohorts."""

    __tablename__ = "organisation_members"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    is_coordinator: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User] = relationship()

    def __repr__(self):
        return f"<OrganisationMember org={self.organisation_id} user={self.user_id}>"


class Cohort(db.Model):
    """A learning group or an in-person event of one organisation for one course."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="group")  # group | event
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    place: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    course: Mapped[Course] = relationship()
    trainer: Mapped[User | None] = relationship()
    sessions: Mapped[list["CohortSession"]] = relationship(
        back_populates="cohort", order_by="CohortSession.held_on, CohortSession.id"
    )

    def __repr__(self):
        return f"<Cohort {self.name}>"


class CohortMember(db.Model):
    __tablename__ = "cohort_members"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

    def __repr__(self):
        return f"<CohortMember cohort={self.cohort_id} user={self.user_id}>"


class CohortSession(db.Model):
    """One in-person meeting of a cohort; attendance is recorded per session."""

    __tablename__ = "cohort_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    held_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(200), default="")
    units: Mapped[Decimal] = mapped_column(Numeric(4, 1))  # teaching units (UE, 45 minutes)

    cohort: Mapped[Cohort] = relationship(back_populates="sessions")

    def __repr__(self):
        return f"<CohortSession {self.cohort_id} {self.held_on}>"


class Attendance(db.Model):
    """A person was present at a session (no row: absent)."""

    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("cohort_sessions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self):
        return f"<Attendance session={self.session_id} user={self.user_id}>"
