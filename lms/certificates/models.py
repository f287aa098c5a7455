"""Issued certificates: a snapshot of what was printed."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..catalog.models import Course
from ..extensions import db
from ..models_mixins import UTCDateTime, utcnow
from .codes import display


class Certificate(db.Model):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # completion | attendance
    # Snapshot of the printed fields: later edits of profile or course leave them alone.
    printed_name: Mapped[str] = mapped_column(String(200))
    native_name: Mapped[str | None] = mapped_column(String(200))
    course_title_de: Mapped[str] = mapped_column(String(300))
    course_title_local: Mapped[str | None] = mapped_column(String(300))
    course_version: Mapped[str] = mapped_column(String(40))
    legal_status: Mapped[date]
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    language: Mapped[str] = mapped_column(String(10))  # second language beside German
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str | None] = mapped_column(String(500))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))

    user: Mapped[User | None] = relationship()
    course: Mapped[Course] = relationship()

    def __repr__(self):
        return f"<Certificate {self.code} {self.kind}>"

    @property
    def display_code(self):
        return display(self.code)

    @property
    def status(self):
        if self.revoked_at:
            return "revoked"
        if self.superseded_by_id:
            return "superseded"
        return "valid"
