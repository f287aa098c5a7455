"""Issued certificates: a snapshot of what was printed."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..catalog.models import Course
from ..extensions import db
from ..models_mixins import UTCDateTime, utcnow
from .codes import display


class Certificate(db.Model):
    __tablename__ = "certificates"
    # Exactly one current certificate per learner, course version and kind (completion), and per
    # learner and cohort (attendance at an event), also when two requests issue at the same
    # moment. Revoked and replaced ones leave the slot free.
    __table_args__ = (
        Index(
            "uq_certificates_current_course",
            "user_id",
            "course_id",
            "course_version",
            "kind",
            unique=True,
            sqlite_where=text("revoked_at IS NULL AND superseded_at IS NULL AND cohort_id IS NULL"),
            postgresql_where=text("revoked_at IS NULL AND superseded_at IS NULL AND cohort_id IS NULL"),
        ),
        Index(
            "uq_certificates_current_cohort",
            "user_id",
            "cohort_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL AND superseded_at IS NULL AND cohort_id IS NOT NULL"),
            postgresql_where=text("revoked_at IS NULL AND superseded_at IS NULL AND cohort_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # completion | attendance
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), index=True)  # attendance: the event
    # Snapshot of the printed fields: later edits of profile or course leave them alone.
    printed_name: Mapped[str] = mapped_column(String(200))
    native_name: Mapped[str | None] = mapped_column(String(200))
    course_title_de: Mapped[str] = mapped_column(String(300))
    course_title_local: Mapped[str | None] = mapped_column(String(300))
    course_version: Mapped[str] = mapped_column(String(40))
    legal_status: Mapped[date]
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    language: Mapped[str] = mapped_column(String(10))  # second language beside German
    modules: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")  # [{title, units}]
    organisation_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    place: Mapped[str] = mapped_column(String(120), default="", server_default="")
    event_start: Mapped[date | None]  # attendance: the event's first and last day
    event_end: Mapped[date | None]
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str | None] = mapped_column(String(500))
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    supersede_reason: Mapped[str | None] = mapped_column(String(500))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))

    user: Mapped[User | None] = relationship()
    course: Mapped[Course] = relationship()
    superseded_by: Mapped["Certificate | None"] = relationship(remote_side=[id])

    def __repr__(self):
        return f"<Certificate {self.code} {self.kind}>"

    @property
    def display_code(self):
        return display(self.code)

    @property
    def status(self):
        if self.revoked_at:
            return "revoked"
        if self.superseded_at:
            return "superseded"
        return "valid"


class CertificateLayout(db.Model):
    """How certificates of one kind look: chosen and adjusted by an admin, no code involved."""

    __tablename__ = "certificate_layouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), unique=True)  # completion | attendance
    orientation: Mapped[str] = mapped_column(String(20), default="portrait")  # portrait | landscape
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)  # PNG or JPEG, checked on upload
    logo_type: Mapped[str | None] = mapped_column(String(20))  # image/png | image/jpeg
    signatory_1_name: Mapped[str] = mapped_column(String(120), default="")
    signatory_1_role: Mapped[str] = mapped_column(String(120), default="")
    signatory_2_name: Mapped[str] = mapped_column(String(120), default="")
    signatory_2_role: Mapped[str] = mapped_column(String(120), default="")
    footer: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self):
        return f"<CertificateLayout {self.kind} {self.orientation}>"

    @property
    def signatories(self):
        """[(name, role)] of the signature lines that have a name."""
        pairs = [(self.signatory_1_name, self.signatory_1_role), (self.signatory_2_name, self.signatory_2_role)]
        return [(name, role) for name, role in pairs if name]
