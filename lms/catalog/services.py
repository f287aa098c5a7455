"""Bring the database in line with the course files. Flushes; never commits.

Sync is idempotent and never deletes what learners did: a module or question
that disappears from the files is deactivated, and its progress and attempts
stay. A module's version grows only when one of its texts changed.
"""

import hashlib
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models_mixins import utcnow
from .loader import GLOSSARY_REF, course_folders, fingerprint, load_catalogue, load_course
from .markdown import render_many, render_markdown
from .models import Course, CourseChange, Module, ModuleText, Question

logger = logging.getLogger(__name__)
PARALLEL_RENDER_MIN = 40  # texts; below this, starting worker processes costs more than it saves


@dataclass
class SyncReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def has_errors(self):
        return any(p.severity == "error" for p in self.problems)


def sync_courses(courses_dir, actor=None):
    """Load every course under courses_dir and store what is valid.

    A course whose files hash to the stored fingerprint is not even parsed. Texts render in
    worker processes while the next course is read; courses are stored in folder order.
    """
    if not Path(courses_dir).is_dir():
        _sources, problems = load_catalogue(courses_dir)
        return SyncReport(problems=problems)
    report = SyncReport()
    stored = dict(db.session.execute(select(Course.slug, Course.content_hash)).all())
    with _Renderer() as renderer:
        prepared = []
        for folder in course_folders(courses_dir):
            if stored.get(folder.name) == fingerprint(folder):
                report.unchanged.append(folder.name)
                continue
            source, problems = load_course(folder)
            report.problems.extend(problems)
            if source is not None:
                prepared.append(_prepare(source, report, renderer))
        for course_job in prepared:
            if course_job is not None:
                _store(course_job, actor)
    db.session.flush()
    return report


def sync_course_folder(folder, actor=None):
    """Load one course folder and store it if valid (used when a trainer publishes)."""
    source, problems = load_course(folder)
    report = SyncReport(problems=list(problems))
    if source is not None:
        with _Renderer() as renderer:
            course_job = _prepare(source, report, renderer)
            if course_job is not None:
                _store(course_job, actor)
    db.session.flush()
    return report


@dataclass
class _CourseJob:
    """A loaded course on its way into the database: its stored rows and its texts in rendering."""

    source: object
    course: Course | None
    existing: dict  # module slug -> Module
    rendered: object  # callable returning {(module slug, language): (body_html, questions)}


def _prepare(source, report, renderer):
    """Find what changed in a loaded course and start rendering it; None if nothing changed."""
    course = db.session.scalar(select(Course).where(Course.slug == source.slug))
    if course is not None and course.content_hash == source.content_hash:
        report.unchanged.append(source.slug)
        return None
    (report.updated if course is not None else report.created).append(source.slug)
    existing = {}
    if course is not None:
        existing = {
            m.slug: m
            for m in db.session.scalars(
                select(Module)
                .where(Module.course_id == course.id)
                .options(selectinload(Module.texts), selectinload(Module.questions))
            )
        }
    return _CourseJob(source, course, existing, _render_changed_texts(source, existing, renderer))


def _store(course_job, actor):
    source, course = course_job.source, course_job.course
    if course is None:
        course = Course(slug=source.slug)
        db.session.add(course)
    changed = _store_course(course, source, course_job.existing, course_job.rendered())
    db.session.add(
        CourseChange(course_id=course.id, user_id=actor.id if actor else None, version=source.version, modules=changed)
    )
    logger.info("Course %s stored (version %s): %s", source.slug, source.version, changed)


def _store_course(course, source, existing, rendered):
    """Store a course's files; return what changed: [{"module", "languages", "status"}]."""
    changes = []
    course.source_language = source.source_language
    course.version = source.version
    course.legal_status = source.legal_status
    course.pass_mark = source.pass_mark
    course.certificate_kind = source.certificate_kind
    course.certificate_hours = source.certificate_hours
    course.titles = source.title
    course.summaries = source.summary
    course.glossary = source.glossary
    course.quiz = source.quiz
    course.content_hash = source.content_hash
    course.synced_at = utcnow()
    db.session.flush()
    seen = set()
    for module_source in source.modules:
        seen.add(module_source.slug)
        module = existing.get(module_source.slug)
        module_hash = _module_hash(module_source)
        old_hashes = {t.language: t.content_hash for t in module.texts} if module else {}
        languages = sorted(
            {lang for lang, text in module_source.texts.items() if old_hashes.get(lang) != text.content_hash}
            | (set(old_hashes) - set(module_source.texts))
        )
        if module is None:
            module = Module(course_id=course.id, slug=module_source.slug, version=1)
            db.session.add(module)
            changes.append({"module": module_source.slug, "languages": languages, "status": "added"})
        elif module.content_hash != module_hash or not module.is_active:
            module.version += 1
            changes.append({"module": module_source.slug, "languages": languages, "status": "changed"})
        module.position = module_source.position
        module.is_active = True
        source_text = module_source.texts[source.source_language]
        module.minutes = source_text.minutes
        module.quiz = source_text.quiz
        module.content_hash = module_hash
        _store_questions(module, source_text.questions)
        _store_texts(module, module_source, source, rendered)
    for slug, module in existing.items():
        if slug not in seen and module.is_active:
            module.is_active = False
            changes.append({"module": slug, "languages": [], "status": "removed"})
            logger.info("Module %s of course %s deactivated (no longer in the files)", slug, course.slug)
    return changes


def _module_hash(module_source):
    digest = hashlib.sha256()
    for language, text in sorted(module_source.texts.items()):
        digest.update(f"{language}={text.content_hash};".encode())
    return digest.hexdigest()


def _store_questions(module, question_sources):
    by_key = {q.key: q for q in module.questions}
    keep = set()
    for position, source in enumerate(question_sources):
        keep.add(source.key)
        question = by_key.get(source.key)
        if question is None:
            question = Question(key=source.key)
            module.questions.append(question)
        question.position = position
        question.spec = source.spec
        question.is_active = True
    for key, question in by_key.items():
        if key not in keep:
            question.is_active = False


def _links(course_source, module_source, language):
    return {
        "language": language,
        "media_base": f"/media/{course_source.slug}/{module_source.folder}/",
        "module_base": f"/courses/{course_source.slug}/",
    }


def _render_job(job):
    body, questions, sections, links = job
    return str(render_markdown(body, **links)), _render_questions(questions, sections, links)


def _render_changed_texts(course_source, existing, renderer):
    """Start rendering every text whose file changed; return a callable giving
    {(module slug, language): (body_html, questions)}."""
    keys, jobs = [], []
    for module_source in course_source.modules:
        module = existing.get(module_source.slug)
        old = {t.language: t.content_hash for t in module.texts} if module else {}
        for language, text in module_source.texts.items():
            if old.get(language) != text.content_hash:
                keys.append((module_source.slug, language))
                jobs.append((text.body, text.questions, text.sections, _links(course_source, module_source, language)))
    results = renderer.submit(jobs)
    return lambda: dict(zip(keys, results(), strict=True))


def _render_jobs(jobs):
    return [_render_job(job) for job in jobs]


class _Renderer:
    """Renders module texts; with enough of them, in worker processes (rendering is pure).

    Rendering dominates a sync. The workers start with the first large batch and render
    while the caller reads the next course.
    """

    CHUNK = 4  # texts per task: fewer round trips, still an even spread over the workers

    def __init__(self):
        self._pool = None
        self._workers = min(os.cpu_count() or 1, 4)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def submit(self, jobs):
        """Start rendering jobs; return a callable that waits for the results, in order."""
        if len(jobs) < PARALLEL_RENDER_MIN or self._workers < 2:
            results = _render_jobs(jobs)
            return lambda: results
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self._workers, mp_context=multiprocessing.get_context("fork"))
        futures = [self._pool.submit(_render_jobs, jobs[i : i + self.CHUNK]) for i in range(0, len(jobs), self.CHUNK)]
        return lambda: [result for future in futures for result in future.result()]


def _store_texts(module, module_source, course_source, rendered):
    glossary = course_source.glossary
    by_language = {t.language: t for t in module.texts}
    now = utcnow()
    for language, text in module_source.texts.items():
        stored = by_language.get(language)
        if stored is None:
            stored = ModuleText(language=language)
            module.texts.append(stored)
        if (module_source.slug, language) not in rendered:
            continue
        stored.title = text.title
        stored.objectives = text.objectives
        stored.body_html, stored.questions = rendered[(module_source.slug, language)]
        stored.glossary_terms = sorted({t for t in _terms_in(text) if t in glossary})
        stored.content_hash = text.content_hash
        stored.changed_at = now
    for language, stored in by_language.items():
        if language not in module_source.texts:
            module.texts.remove(stored)


def _render_questions(questions, sections, links):
    """Render the texts of all questions of one module text.

    Two passes for the whole quiz (block texts, then inline texts): each call of the
    renderer has a fixed cost, and a module has a dozen questions.
    """
    blocks = render_many([q.prompt for q in questions] + [q.explanation or "" for q in questions], **links)
    taught_in = sorted({q.section for q in questions if q.section in sections})
    options = [[part for o in q.options for part in (o if isinstance(o, list) else [o])] for q in questions]
    inline = iter(render_many([sections[s] for s in taught_in] + sum(options, []), inline=True, **links))
    section_titles = {section: str(next(inline)) for section in taught_in}
    rendered = {}
    for index, question in enumerate(questions):
        html = [str(next(inline)) for _part in options[index]]
        if question.options and isinstance(question.options[0], list):  # matching: [term, explanation] pairs
            html = [html[i : i + 2] for i in range(0, len(html), 2)]
        rendered[question.key] = {
            "prompt_html": str(blocks[index]),
            "options_html": html,
            "explanation_html": str(blocks[len(questions) + index]) if question.explanation else "",
            # Where the module teaches the answer: a link from the result back to it.
            "section": question.section if question.section in section_titles else None,
            "section_title": section_titles.get(question.section, ""),
        }
    return rendered


def _terms_in(text):
    found = GLOSSARY_REF.findall(text.body)
    for q in text.questions:
        found += GLOSSARY_REF.findall(q.prompt + q.explanation)
    return [t.strip() for t in found]
