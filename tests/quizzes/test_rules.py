"""Attempt rules from course.yml: limits, waiting time, pools, shuffling, partial credit, duplicates."""

import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from lms.auth.models import User
from lms.catalog.models import Module
from lms.catalog.services import sync_courses
from lms.extensions import db
from lms.quizzes.models import QuizAttempt
from lms.quizzes.services import AttemptRefused, InvalidToken, drawn_questions, quiz_rules, submit_attempt
from tests.conftest import form_token

MODULE = "/courses/demo-kurs/erstes-modul"
WRONG = {"q-mitglieder": "0", "q-pflichtangaben": ["0"]}


@pytest.fixture
def with_rules(app):
    def apply(rules):
        course = Path(app.config["COURSES_DIR"]) / "demo-kurs" / "course.yml"
        course.write_text(course.read_text(encoding="utf-8") + f"quiz: {rules}\n", encoding="utf-8")
        with app.app_context():
            report = sync_courses(app.config["COURSES_DIR"])
            db.session.commit()
            assert not report.has_errors, [p.render() for p in report.problems]

    return apply


def _token(client):
    page = client.get(MODULE).get_data(as_text=True)
    match = re.search(r'name="token" value="([^"]+)"', page)
    return match.group(1) if match else None


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(QuizAttempt))


def test_max_attempts(app, learner_client, with_rules):
    with_rules("{max_attempts: 2}")
    client = learner_client
    client.post_form("/courses/demo-kurs/enrol")
    assert "Versuche genutzt: 0 von 2" in client.get(MODULE).get_data(as_text=True)
    for _ in range(2):
        client.post_form(MODULE + "/quiz", {"token": _token(client), **WRONG})
    page = client.get(MODULE).get_data(as_text=True)
    assert 'name="token"' not in page and "alle Versuche" in page
    with app.app_context():
        user = db.session.get(User, client.user.id)
        module = db.session.scalar(select(Module).where(Module.slug == "erstes-modul"))
        token = form_token(user, module)
    response = client.post_form(MODULE + "/quiz", {"token": token, **WRONG})
    assert response.status_code == 303 and "/attempts/" not in response.headers["Location"]
    assert _count(app) == 2


def test_waiting_time(app, learner_client, with_rules):
    with_rules("{wait_minutes: 30}")
    client = learner_client
    client.post_form("/courses/demo-kurs/enrol")
    client.post_form(MODULE + "/quiz", {"token": _token(client), **WRONG})
    page = client.get(MODULE).get_data(as_text=True)
    assert "Sie können es ab" in page and 'name="token"' not in page
    with app.app_context():  # 31 minutes later
        attempt = db.session.scalar(select(QuizAttempt))
        attempt.submitted_at = attempt.submitted_at - timedelta(minutes=31)
        db.session.commit()
    assert 'name="token"' in client.get(MODULE).get_data(as_text=True)


def test_pool_draws_n_of_m_fixed_by_the_form(app, ctx, synced, create_user, with_rules):
    with_rules("{draw: 1, shuffle: true}")
    user = create_user()
    module = db.session.scalar(select(Module).where(Module.slug == "erstes-modul"))
    rules = quiz_rules(module)
    assert rules["draw"] == 1 and rules["shuffle"] is True
    draws = {tuple(q.key for q in drawn_questions(module, f"seed-{n}", rules)) for n in range(40)}
    assert draws == {("mitglieder",), ("pflichtangaben",)}
    assert drawn_questions(module, "same", rules) == drawn_questions(module, "same", rules)
    from lms.learning.services import enrol
    from lms.quizzes import tokens

    enrol(user, module.course)
    signed, token = tokens.issue(user, module)
    (drawn,) = drawn_questions(module, token.seed, rules)
    other = "pflichtangaben" if drawn.key == "mitglieder" else "mitglieder"
    from lms.quizzes.grading import TamperedAnswers

    with pytest.raises(TamperedAnswers):  # an answer to a question not drawn for this attempt
        submit_attempt(user, module, "de", {other: ["0"]}, signed)


def test_partial_credit(app, ctx, synced, create_user, with_rules):
    with_rules("{partial_credit: true}")
    user = create_user()
    module = db.session.scalar(select(Module).where(Module.slug == "erstes-modul"))
    from lms.learning.services import enrol

    enrol(user, module.course)
    attempt = submit_attempt(
        user, module, "de", {"mitglieder": ["1"], "pflichtangaben": ["0"]}, form_token(user, module)
    )
    assert attempt.points == {"mitglieder": 1.0, "pflichtangaben": 0.5}
    assert attempt.score == 75.0


def test_second_tab_does_not_score_twice(app, learner_client, synced):
    client = learner_client
    client.post_form("/courses/demo-kurs/enrol")
    first_tab, second_tab = _token(client), _token(client)
    one = client.post_form(MODULE + "/quiz", {"token": first_tab, **WRONG})
    two = client.post_form(MODULE + "/quiz", {"token": second_tab, **WRONG})
    assert one.headers["Location"] == two.headers["Location"]
    assert _count(app) == 1


def test_token_of_another_learner_is_refused(app, ctx, synced, create_user):
    owner, other = create_user(email="a@example.org"), create_user(email="b@example.org")
    module = db.session.scalar(select(Module).where(Module.slug == "erstes-modul"))
    with pytest.raises(InvalidToken):
        submit_attempt(other, module, "de", {"mitglieder": ["1"]}, form_token(owner, module))
    with pytest.raises(InvalidToken):
        submit_attempt(other, module, "de", {"mitglieder": ["1"]}, form_token(other, module) + "x")


def test_parallel_submissions_of_one_form_score_once(app, synced, create_user):
    user = create_user()
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == "erstes-modul"))
        from lms.learning.services import enrol

        enrol(db.session.get(User, user.id), module.course)
        db.session.commit()
        token = form_token(db.session.get(User, user.id), module)
    results, barrier = [], threading.Barrier(2)

    def submit():
        with app.app_context():
            module = db.session.scalar(select(Module).where(Module.slug == "erstes-modul"))
            barrier.wait()
            try:
                attempt = submit_attempt(db.session.get(User, user.id), module, "de", {"mitglieder": ["0"]}, token)
                db.session.commit()
                results.append(attempt.id)
            except Exception as exc:  # noqa: BLE001 - recorded and asserted below
                db.session.rollback()
                results.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _count(app) == 1
    assert len([r for r in results if isinstance(r, int)]) >= 1


def test_invalid_rules_are_reported(tmp_path):
    import shutil

    from lms.catalog.loader import load_course
    from tests.conftest import GOOD_COURSES

    folder = tmp_path / "demo-kurs"
    shutil.copytree(GOOD_COURSES / "demo-kurs", folder)
    course = folder / "course.yml"
    course.write_text(course.read_text(encoding="utf-8") + "quiz: {max_attempts: 0, shufle: true}\n", encoding="utf-8")
    source, problems = load_course(folder)
    messages = [p.render() for p in problems]
    assert source is None
    assert any("'quiz: max_attempts' has an invalid value" in m for m in messages)
    assert any("Unknown key 'shufle'" in m for m in messages)


def test_refusal_reasons_in_order():
    from types import SimpleNamespace

    from lms.models_mixins import utcnow
    from lms.quizzes.services import AttemptHistory, refusal

    none = AttemptHistory(0, [])
    recent = AttemptHistory(1, [SimpleNamespace(submitted_at=utcnow())])
    rules = {"max_attempts": 1, "wait_minutes": 10, "draw": None, "shuffle": False, "partial_credit": False}
    assert refusal(none, rules, passed=True).reason == "passed"
    assert refusal(recent, rules, passed=False).reason == "limit"
    assert refusal(recent, {**rules, "max_attempts": None}, passed=False).reason == "wait"
    assert refusal(none, rules, passed=False) is None
    assert isinstance(refusal(recent, rules, passed=False), AttemptRefused)


def test_two_forms_sent_at_once_cannot_both_pass_the_attempt_limit(app, learner_client, with_rules, monkeypatch):
    """The second form read the attempts before the first was stored; its attempt number is taken."""
    from lms.quizzes import services

    with_rules("{max_attempts: 1}")
    client = learner_client
    client.post_form("/courses/demo-kurs/enrol")
    first = _token(client)
    with app.app_context():
        user = db.session.get(User, client.user.id)
        second = form_token(user, db.session.scalar(select(Module).where(Module.slug == "erstes-modul")))
    assert client.post_form(MODULE + "/quiz", {"token": first, **WRONG}).status_code == 303
    with app.app_context():
        first_attempt = db.session.scalar(select(QuizAttempt.id))

    real, calls = services.attempt_history, []

    def read_a_moment_earlier(user, module):
        calls.append(1)
        return services.AttemptHistory(0, []) if len(calls) == 1 else real(user, module)

    monkeypatch.setattr(services, "attempt_history", read_a_moment_earlier)
    with app.app_context():
        user = db.session.get(User, client.user.id)
        module = db.session.scalar(select(Module).where(Module.slug == "erstes-modul"))
        attempt = submit_attempt(user, module, "de", {"mitglieder": ["0"]}, second)
        db.session.commit()
        assert attempt.id == first_attempt and attempt.number == 1  # the first form's attempt stands
    assert _count(app) == 1


def test_a_submission_reads_only_the_newest_attempt_however_many_there_are(app, synced, learner_client):
    """Every attempt loaded (with its answers) would make each submission slower than the last."""
    from lms.quizzes.services import attempt_history

    client = learner_client
    client.post_form("/courses/demo-kurs/enrol")
    for _ in range(12):
        assert client.post_form(MODULE + "/quiz", {"token": _token(client), **WRONG}).status_code == 303
    with app.app_context():
        user = db.session.get(User, client.user.id)
        module = db.session.scalar(select(Module).where(Module.slug == "erstes-modul"))
        history = attempt_history(user, module)
        assert history.count == 12 and history.latest.number == 12
        token = form_token(user, module)
        db.session.expire_all()
        loaded = []

        def record(attempt, _context, *_attributes):
            loaded.append(attempt.id)

        for read in ("load", "refresh"):
            event.listen(QuizAttempt, read, record)
        try:
            attempt = submit_attempt(user, module, "de", {"mitglieder": ["0"]}, token)
        finally:
            for read in ("load", "refresh"):
                event.remove(QuizAttempt, read, record)
        assert attempt.number == 13
        assert loaded == [history.latest.id]  # the newest attempt before this one, nothing else
        db.session.rollback()


def test_the_module_page_lists_the_newest_attempts_and_counts_them_all(app, synced, learner_client):
    client = learner_client
    client.post_form("/courses/demo-kurs/enrol")
    for _ in range(12):
        assert client.post_form(MODULE + "/quiz", {"token": _token(client), **WRONG}).status_code == 303
    page = client.get(MODULE).get_data(as_text=True)
    assert "Ihre neuesten Versuche (10 von 12):" in page
    listed = re.findall(r'href="/attempts/(\d+)"', page)
    with app.app_context():
        newest = db.session.scalars(select(QuizAttempt.id).order_by(QuizAttempt.number.desc()).limit(10)).all()
    assert [int(i) for i in listed] == newest


def test_a_submission_reads_the_progress_once_and_nothing_after_storing(app, synced, learner_client):
    """Each read costs a statement on the busiest write of a course day: none twice, none after the insert."""
    from tests.test_query_counts import count_queries

    client = learner_client
    client.post_form("/courses/demo-kurs/enrol")
    token = _token(client)
    with count_queries(app) as statements:
        response = client.post_form(MODULE + "/quiz", {"token": token, **WRONG})
    assert response.status_code == 303 and "/attempts/" in response.headers["Location"]
    reads = [s for s in statements if s.startswith("SELECT")]
    assert len([s for s in reads if "FROM module_progress" in s]) == 1
    stored = next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO quiz_attempts"))
    assert not [s for s in statements[stored:] if s.startswith("SELECT")]
