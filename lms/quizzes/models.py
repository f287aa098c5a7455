"""Quiz attempts: never rewritten by a content update."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalog.models import Module
from ..extensions import db
from ..models_mixins import UTCDateTime, utcnow


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempts"
    # The form's one-time token makes a double submission land on one attempt.
    __table_args__ = (
        UniqueConstraint("user_id", "token"),
        # Numbered per learner and module: two forms sent at once cannot both take the same place
        # (and so cannot both pass the attempt limit).
        UniqueConstraint("user_id", "module_id", "number", name="uq_quiz_attempts_number"),
        # The evaluation report asks per learner for an attempt in a period, from the index alone.
        Index("ix_quiz_attempts_period", "user_id", "submitted_at", "module_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    module_version: Mapped[int]
    number: Mapped[int]  # 1, 2, … per learner and module
    language: Mapped[str] = mapped_column(String(10))
    token: Mapped[str] = mapped_column(String(64))
    answers: Mapped[dict] = mapped_column(JSON)  # question key -> normalised answer
    points: Mapped[dict] = mapped_column(JSON)  # question key -> points earned
    score: Mapped[float]  # percent, 0..100
    passed: Mapped[bool]
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    module: Mapped[Module] = relationship()

    def __repr__(self):
        return f"<QuizAttempt {self.id} user={self.user_id} module={self.module_id} {self.score:.0f}%>"
