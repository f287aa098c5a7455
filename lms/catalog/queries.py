"""Read-side helpers for the catalogue: load or 404, pick a language."""

from dataclasses import dataclass
from functools import lru_cache

from flask import abort
from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from .models import Course, Module, ModuleText, Question


def listed_courses():
    """Return [(course, number of active modules)] for the catalogue, in one query."""
    module_count = func.count(Module.id)
    rows = db.session.execute(
        select(Course, module_count)
        .outerjoin(Module, and_(Module.course_id == Course.id, Module.is_active))
        .where(Course.is_listed)
        .group_by(Course.id)
        .order_by(Course.slug)
    ).all()
    return [(course, count) for course, count in rows]


def course_or_404(slug):
    """Load a listed course with its active modules (one query), or answer 404."""
    course = db.session.scalar(
        select(Course).where(Course.slug == slug, Course.is_listed).options(joinedload(Course.modules))
    )
    if course is None:
        abort(404)
    return course


def course_for_trainer_or_404(slug):
    """Load a course, listed or hidden (trainers see both), with its active modules."""
    course = db.session.scalar(select(Course).where(Course.slug == slug).options(joinedload(Course.modules)))
    if course is None:
        abort(404)
    return course


def module_or_404(course, module_slug):
    """Pick an active module of a loaded course, or answer 404 (no query)."""
    module = next((m for m in course.modules if m.slug == module_slug), None)
    if module is None:
        abort(404)
    return module


@dataclass(frozen=True)
class TextSnapshot:
    """A module text as pages read it; immutable, so one copy serves every request."""

    language: str
    title: str
    objectives: list
    body_html: str
    questions: dict
    glossary_terms: list


# Texts change only through sync, which changes the module's content hash; keyed by that
# hash, a cached text can never be stale, in this worker or any other.
@lru_cache(maxsize=1024)
def _text_snapshot(module_id, content_hash, language):
    row = db.session.scalar(
        select(ModuleText).where(ModuleText.module_id == module_id, ModuleText.language == language)
    )
    if row is None:
        return None
    return TextSnapshot(row.language, row.title, row.objectives, row.body_html, row.questions, row.glossary_terms)


def module_text(module, language, source_language):
    """Return (text, is_fallback): the text in language, else in the source language."""
    text = _text_snapshot(module.id, module.content_hash, language)
    if text is not None:
        return text, False
    return _text_snapshot(module.id, module.content_hash, source_language), True


@lru_cache(maxsize=256)
def _titles(course_id, content_hash, language, source_language):
    rows = db.session.execute(
        select(ModuleText.module_id, ModuleText.language, ModuleText.title)
        .join(Module)
        .where(Module.course_id == course_id, ModuleText.language.in_({language, source_language}))
    ).all()
    titles = {}
    for module_id, lang, title in rows:
        if lang == language or module_id not in titles:
            titles[module_id] = title
    return titles


def module_titles(course, language):
    """Map module id -> title in language (falling back to the source language)."""
    return _titles(course.id, course.content_hash, language, course.source_language)


# Like texts, a course's glossary and a module's questions change only through sync, which
# changes the content hash they are keyed by. Shared between requests: treat as read-only.
@lru_cache(maxsize=64)
def _glossary(course_id, content_hash):
    return db.session.scalar(select(Course.glossary).where(Course.id == course_id)) or {}


def course_glossary(course):
    """The course's glossary: German term -> {language: definition}."""
    return _glossary(course.id, course.content_hash)


@dataclass(frozen=True)
class QuestionSnapshot:
    """A question's stable id and answer key, as quiz pages and grading read it."""

    id: int
    key: str
    spec: dict

    @property
    def type_name(self):
        return self.spec["type"]


@lru_cache(maxsize=1024)
def _questions(module_id, content_hash):
    rows = db.session.execute(
        select(Question.id, Question.key, Question.spec)
        .where(Question.module_id == module_id, Question.is_active)
        .order_by(Question.position)
    ).all()
    return tuple(QuestionSnapshot(*row) for row in rows)


def active_questions(module):
    """The module's active questions in their order (a tuple of QuestionSnapshot)."""
    return _questions(module.id, module.content_hash)
