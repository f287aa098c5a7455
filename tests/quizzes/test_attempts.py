"""Submitting quizzes through the site: retakes, double submission, tampered forms."""

import re

from sqlalchemy import func, select

from lms.extensions import db
from lms.quizzes.models import QuizAttempt
from tests.conftest import form_token

MODULE = "/courses/demo-kurs/erstes-modul"
WRONG = {"q-mitglieder": "0", "q-pflichtangaben": ["0"]}
RIGHT = {"q-mitglieder": "1", "q-pflichtangaben": ["0", "1"]}


def _token(client):
    return re.search(r'name="token" value="([^"]+)"', client.get(MODULE).get_data(as_text=True)).group(1)


def _attempts(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(QuizAttempt))


def test_double_submission_stores_one_attempt(app, learner_client, synced):
    client = learner_client
    client.post_form("/courses/demo-kurs/enrol")
    token = _token(client)
    first = client.post_form(MODULE + "/quiz", {"token": token, **WRONG})
    second = client.post_form(MODULE + "/quiz", {"token": token, **RIGHT})
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert _attempts(app) == 1


def test_retake_after_failing_then_no_more_after_passing(app, learner_client, synced):
    client = learner_client
    client.post_form("/courses/demo-kurs/enrol")
    client.post_form(MODULE + "/quiz", {"token": _token(client), **WRONG})
    result = client.post_form(MODULE + "/quiz", {"token": _token(client), **RIGHT})
    page = client.get(result.headers["Location"]).get_data(as_text=True)
    assert "100 %" in page and "result-ok" in page
    assert 'name="token"' not in client.get(MODULE).get_data(as_text=True)
    with app.app_context():  # a genuine form token, as a page opened before passing would carry
        from lms.auth.models import User
        from lms.catalog.models import Module

        module = db.session.scalar(select(Module).where(Module.slug == "erstes-modul"))
        token = form_token(db.session.get(User, client.user.id), module)
    again = client.post_form(MODULE + "/quiz", {"token": token, **WRONG})
    assert again.status_code == 303 and "/attempts/" not in again.headers["Location"]
    assert _attempts(app) == 2


def test_attempt_records_version_and_language(app, learner_client, synced):
    client = learner_client
    client.post_form("/courses/demo-kurs/enrol")
    client.post_form("/language", {"lang": "ar"})
    client.post_form(MODULE + "/quiz", {"token": _token(client), **RIGHT})
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt))
        assert (attempt.language, attempt.module_version, attempt.score, attempt.passed) == (
            "ar",
            1,
            100.0,
            True,
        )


def test_tampered_quiz_form_is_400_and_stores_nothing(app, learner_client, synced):
    client = learner_client
    client.post_form("/courses/demo-kurs/enrol")
    for data in ({"q-mitglieder": "9"}, {"q-mitglieder": ["0", "1"]}, {"q-erfunden": "1"}):
        response = client.post_form(MODULE + "/quiz", {"token": _token(client), **data})
        assert response.status_code == 400
        assert "Antworten konnten nicht gelesen werden" in response.get_data(as_text=True)
    assert client.post_form(MODULE + "/quiz", {"token": "kurz", **RIGHT}).status_code == 400
    assert _attempts(app) == 0


def test_quiz_needs_enrolment(app, learner_client, synced):
    response = learner_client.post_form(MODULE + "/quiz", {"token": "t" * 20, **RIGHT})
    assert response.status_code == 403
    assert learner_client.get(MODULE).status_code == 302


def test_answer_key_is_not_in_the_page(app, learner_client, synced):
    client = learner_client
    client.post_form("/courses/demo-kurs/enrol")
    html = client.get(MODULE).get_data(as_text=True)
    assert "(x)" not in html and "correct" not in html and "§ 56 BGB" not in html


def test_result_links_each_question_to_the_section_that_teaches_it(app, learner_client, synced):
    client = learner_client
    client.post_form("/courses/demo-kurs/enrol")
    result = client.post_form(MODULE + "/quiz", {"token": _token(client), **WRONG})
    page = client.get(result.headers["Location"]).get_data(as_text=True)
    # 'mitglieder' points to '## Eintragung {#eintragung}'; 'pflichtangaben' names no section.
    assert page.count('class="read-again"') == 1
    assert f'href="{MODULE}#sec-eintragung">Noch einmal lesen: Eintragung</a>' in page
    assert 'id="sec-eintragung"' in client.get(MODULE).get_data(as_text=True)
