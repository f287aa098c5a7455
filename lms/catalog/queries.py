"""Read-side helpers for the catalogue: load or 404, pick a language."""

from flask import abort
from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import Course, Module, ModuleText


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
    course = db.session.scalar(
        select(Course).where(Course.slug == slug, Course.is_listed).options(selectinload(Course.modules))
    )
    if course is None:
        abort(404)
    return course


def module_or_404(course, module_slug):
    module = db.session.scalar(
        select(Module)
        .where(Module.course_id == course.id, Module.slug == module_slug, Module.is_active)
        .options(selectinload(Module.questions))
    )
    if module is None:
        abort(404)
    return module


def module_text(module, language, source_language):
    """Return (text, is_fallback): the text in language, else in the source language."""
    texts = {
        t.language: t
        for t in db.session.scalars(
            select(ModuleText).where(
                ModuleText.module_id == module.id, ModuleText.language.in_({language, source_language})
            )
        )
    }
    if language in texts:
        return texts[language], False
    return texts[source_language], True


def module_titles(course, language):
    """Map module id -> title in language (falling back to the source) in one query."""
    rows = db.session.execute(
        select(ModuleText.module_id, ModuleText.language, ModuleText.title)
        .join(Module)
        .where(Module.course_id == course.id, ModuleText.language.in_({language, course.source_language}))
    ).all()
    titles = {}
    for module_id, lang, title in rows:
        if lang == language or module_id not in titles:
            titles[module_id] = title
    return titles
