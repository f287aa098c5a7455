"""Read-side helpers for the catalogue: load or 404, pick a language."""

from dataclasses import dataclass
from functools import lru_cache

from flask import abort
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import joinedload

from ..extensions import db, name_sort_key
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


def catalogue_version(slug=None):
    """What the public pages show of the courses changes only with this (one small query).

    Sync changes a course's content hash whenever anything in its folder changes (titles,
    modules, texts); trainers list or hide it. With `slug`, the one course's row, or 404.
    """
    if slug is None:
        return tuple(tuple(row) for row in db.session.execute(_ALL_VERSIONS))
    row = db.session.execute(_ONE_VERSION, {"slug": slug}).first()
    if row is None:
        abort(404)
    return tuple(row)


# Built once: the version is read on every request to a public page.
_ALL_VERSIONS = select(Course.id, Course.is_listed, Course.content_hash).order_by(Course.id)
_ONE_VERSION = _ALL_VERSIONS.where(Course.slug == bindparam("slug"), Course.is_listed)


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


@lru_cache(maxsize=1024)
def _languages(module_id, content_hash):
    return frozenset(db.session.scalars(select(ModuleText.language).where(ModuleText.module_id == module_id)))


def module_languages(module):
    """The languages a module is written in (source and translations)."""
    return _languages(module.id, module.content_hash)


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
class GlossaryEntry:
    term: str  # German, as [[Term]] names it
    definition: str  # in the reader's language, else in the source language
    definition_language: str
    source_definition: str | None  # the source language's definition beside a translated one


def glossary_entries(glossary, language, source_language, query=""):
    """The glossary for one reader, sorted as German readers expect; query filters by term or definition."""
    needle = query.casefold()
    entries = []
    for term, definitions in glossary.items():
        source = definitions.get(source_language, "")
        own = definitions.get(language)
        entry = GlossaryEntry(
            term,
            own or source,
            language if own else source_language,
            source if own and language != source_language else None,
        )
        if needle and not any(needle in text.casefold() for text in (term, entry.definition, source) if text):
            continue
        entries.append(entry)
    return sorted(entries, key=lambda entry: name_sort_key(entry.term))


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


@dataclass(frozen=True)
class TranslationState:
    state: str  # "source", "current", "outdated" (the source changed after it) or "missing"
    changed_at: object = None  # when this text last changed


def translation_table(course, languages):
    """Per active module, the state of each language's text against the source (one query).

    A translation is out of date when its source text changed after it did; texts stored
    before changes were recorded count as current.
    """
    rows = db.session.execute(
        select(ModuleText.module_id, ModuleText.language, ModuleText.changed_at)
        .join(Module)
        .where(Module.course_id == course.id, Module.is_active)
    ).all()
    changed = {(module_id, language): at for module_id, language, at in rows}
    table = []
    for module in course.modules:
        source_changed = changed.get((module.id, course.source_language))
        states = {}
        for language in languages:
            if language == course.source_language:
                states[language] = TranslationState("source", source_changed)
            elif (module.id, language) not in changed:
                states[language] = TranslationState("missing")
            else:
                at = changed[(module.id, language)]
                outdated = at is not None and source_changed is not None and at < source_changed
                states[language] = TranslationState("outdated" if outdated else "current", at)
        table.append((module, states))
    return table
