"""Sync: idempotent, versioned, never deletes what learners did."""

import shutil

from sqlalchemy import func, select

from lms.catalog.models import Course, Module, ModuleText
from lms.catalog.services import sync_courses
from lms.extensions import db
from lms.learning.models import ModuleProgress
from lms.learning.services import enrol, mark_viewed
from lms.quizzes.models import QuizAttempt
from lms.quizzes.services import submit_attempt
from tests.conftest import GOOD_COURSES, form_token


def _copy(tmp_path):
    target = tmp_path / "source-courses"
    shutil.copytree(GOOD_COURSES, target)
    return target


def test_sync_is_idempotent(app, ctx, tmp_path):
    courses = _copy(tmp_path)
    first = sync_courses(courses)
    db.session.commit()
    second = sync_courses(courses)
    db.session.commit()
    assert first.created == ["demo-kurs"] and second.unchanged == ["demo-kurs"]
    assert db.session.scalar(select(func.count()).select_from(Module)) == 2
    assert db.session.scalar(select(func.count()).select_from(ModuleText)) == 3


def test_changed_module_gets_new_version_and_keeps_attempts(app, ctx, tmp_path, create_user):
    courses = _copy(tmp_path)
    sync_courses(courses)
    user = create_user()
    course = db.session.scalar(select(Course))
    module = db.session.scalar(select(Module).where(Module.slug == "erstes-modul"))
    enrol(user, course)
    attempt = submit_attempt(
        user, module, "de", {"mitglieder": ["1"], "pflichtangaben": ["0", "1"]}, form_token(user, module)
    )
    db.session.commit()
    assert attempt.module_version == 1

    source = courses / "demo-kurs" / "01-erstes-modul" / "de.md"
    source.write_text(source.read_text(encoding="utf-8").replace("eingetragen.", "eingetragen. Neu."), encoding="utf-8")
    report = sync_courses(courses)
    db.session.commit()
    assert report.updated == ["demo-kurs"]
    assert module.version == 2
    assert db.session.get(QuizAttempt, attempt.id).module_version == 1

    # Removing a module deactivates it; progress and attempts stay.
    shutil.rmtree(courses / "demo-kurs" / "01-erstes-modul")
    sync_courses(courses)
    db.session.commit()
    assert module.is_active is False
    assert db.session.get(QuizAttempt, attempt.id) is not None
    assert db.session.scalar(select(func.count()).select_from(ModuleProgress)) == 1


def test_broken_update_keeps_the_previous_version(app, ctx, tmp_path):
    courses = _copy(tmp_path)
    sync_courses(courses)
    db.session.commit()
    (courses / "demo-kurs" / "course.yml").write_text("title: [kaputt\n", encoding="utf-8")
    report = sync_courses(courses)
    db.session.commit()
    assert report.has_errors
    course = db.session.scalar(select(Course))
    assert course.version == "2026.1" and len(course.modules) == 2


def test_rendered_html_is_sanitised(app, ctx, synced):
    text = db.session.scalar(
        select(ModuleText).where(ModuleText.language == "de").join(Module).where(Module.slug == "erstes-modul")
    )
    assert "<script" not in text.body_html
    assert "<table>" in text.body_html
    assert 'href="#term-vereinsregister"' in text.body_html
    assert text.glossary_terms == ["Vereinsregister"]


def test_viewing_twice_records_once(app, ctx, synced, create_user):
    user = create_user()
    module = db.session.scalar(select(Module).where(Module.slug == "erstes-modul"))
    mark_viewed(user, module)
    mark_viewed(user, module)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ModuleProgress)) == 1


def test_changing_the_answer_key_keeps_past_scores(app, ctx, tmp_path, create_user):
    courses = _copy(tmp_path)
    sync_courses(courses)
    user = create_user()
    course = db.session.scalar(select(Course))
    module = db.session.scalar(select(Module).where(Module.slug == "erstes-modul"))
    enrol(user, course)
    attempt = submit_attempt(
        user, module, "de", {"mitglieder": ["1"], "pflichtangaben": ["0", "1"]}, form_token(user, module)
    )
    db.session.commit()
    for language in ("de", "ar"):  # the key moves in the source and, to stay valid, in the translation
        path = courses / "demo-kurs" / "01-erstes-modul" / f"{language}.md"
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        marks = [i for i, line in enumerate(lines) if line.startswith(("- ( )", "- (x)"))][:3]
        for i in marks:
            lines[i] = lines[i].replace("- (x)", "- ( )") if "(x)" in lines[i] else lines[i]
        lines[marks[0]] = lines[marks[0]].replace("- ( )", "- (x)", 1)
        path.write_text("\n".join(lines), encoding="utf-8")
    report = sync_courses(courses)
    db.session.commit()
    assert not report.has_errors, [p.render() for p in report.problems]
    question = next(q for q in module.questions if q.key == "mitglieder")
    assert question.spec["correct"] == [0]
    stored = db.session.get(QuizAttempt, attempt.id)
    assert (stored.score, stored.passed, stored.module_version) == (100.0, True, 1)


def test_parallel_rendering_gives_the_same_pages(app, ctx, tmp_path, monkeypatch):
    from lms.catalog import services

    courses = _copy(tmp_path)
    sync_courses(courses)
    db.session.commit()
    serial = {(t.module_id, t.language): (t.body_html, t.questions) for t in db.session.scalars(select(ModuleText))}
    for text in db.session.scalars(select(ModuleText)):
        text.content_hash = "stale"  # force a re-render of every text
    for course in db.session.scalars(select(Course)):
        course.content_hash = "stale"
    db.session.commit()
    monkeypatch.setattr(services, "PARALLEL_RENDER_MIN", 1)
    sync_courses(courses)
    db.session.commit()
    parallel = {(t.module_id, t.language): (t.body_html, t.questions) for t in db.session.scalars(select(ModuleText))}
    assert parallel == serial
