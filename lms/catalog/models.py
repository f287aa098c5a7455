"""Courses, modules, their texts per language, and quiz questions."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_mixins import UTCDateTime, utcnow


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    source_language: Mapped[str] = mapped_column(String(10))
    version: Mapped[str] = mapped_column(String(40))
    legal_status: Mapped[date]
    pass_mark: Mapped[int]
    certificate_kind: Mapped[str] = mapped_column(String(20))
    certificate_hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    titles: Mapped[dict] = mapped_column(JSON)  # language -> title
    summaries: Mapped[dict] = mapped_column(JSON)  # language -> summary
    # term -> {language: definition}; deferred: only module pages need it.
    glossary: Mapped[dict] = mapped_column(JSON, default=dict, deferred=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    # Attempt rules for every module (course.yml `quiz:`); modules may override them.
    quiz: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    is_listed: Mapped[bool] = mapped_column(default=True)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    modules: Mapped[list["Module"]] = relationship(
        back_populates="course",
        order_by="Module.position",
        primaryjoin="and_(Course.id == Module.course_id, Module.is_active)",
        viewonly=True,
    )

    def __repr__(self):
        return f"<Course {self.slug} {self.version}>"

    def title_in(self, language):
        return self.titles.get(language) or self.titles[self.source_language]

    def summary_in(self, language):
        return self.summaries.get(language) or self.summaries.get(self.source_language, "")


class Module(db.Model):
    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    position: Mapped[int]
    minutes: Mapped[int | None]
    # Grows by one whenever any text of the module changes; attempts keep theirs.
    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(64))
    # A module removed from the source is deactivated, never deleted: progress stays.
    is_active: Mapped[bool] = mapped_column(default=True)
    quiz: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")  # front matter `quiz:`

    course: Mapped[Course] = relationship(foreign_keys=[course_id])
    texts: Mapped[list["ModuleText"]] = relationship(back_populates="module", cascade="all, delete-orphan")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="module",
        order_by="Question.position",
        cascade="all, delete-orphan",
    )

    def __repr__(self):
        return f"<Module {self.slug} v{self.version}>"


class ModuleText(db.Model):
    """A module in one language, rendered and sanitised at sync time."""

    __tablename__ = "module_texts"
    __table_args__ = (UniqueConstraint("module_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    language: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    body_html: Mapped[str] = mapped_column(Text)
    # Per question key: prompt_html, options (list of html), explanation_html.
    questions: Mapped[dict] = mapped_column(JSON, default=dict)
    glossary_terms: Mapped[list] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(64))
    # When this text last changed; a translation older than its source is out of date.
    # None for texts stored before this was recorded.
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    module: Mapped[Module] = relationship(back_populates="texts")

    def __repr__(self):
        return f"<ModuleText {self.module_id} {self.language}>"


class Question(db.Model):
    """A question's stable id and answer key; the texts live in ModuleText."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("module_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    spec: Mapped[dict] = mapped_column(JSON)
    is_active: Mapped[bool] = mapped_column(default=True)

    module: Mapped[Module] = relationship(back_populates="questions")

    def __repr__(self):
        return f"<Question {self.key} {self.spec.get('type')}>"

    @property
    def type_name(self):
        return self.spec["type"]


class CourseChange(db.Model):
    """The changelog of a course: who stored which modules in which languages, and when."""

    __tablename__ = "course_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: `flask courses sync`
    version: Mapped[str] = mapped_column(String(40))
    modules: Mapped[list] = mapped_column(JSON, default=list)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self):
        return f"<CourseChange course={self.course_id} {self.changed_at:%Y-%m-%d}>"
