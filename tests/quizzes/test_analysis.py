"""Item analysis on attempts with known answers: facility, discrimination, wrong answers, languages."""

import csv
import io

import pytest

from lms.quizzes.analysis import analyse
from tests.conftest import form_token

SPECS = {
    "easy": {"type": "single", "options": 3, "correct": [1]},
    "hard": {"type": "single", "options": 3, "correct": [0]},
}


def _attempt(language, easy, hard, hard_answer):
    points = {"easy": easy, "hard": hard}
    score = 100.0 * (easy + hard) / 2
    return language, score, {"easy": [1 if easy else 2], "hard": [hard_answer]}, points


def test_facility_discrimination_and_wrong_answers():
    attempts = (
        [_attempt("de", 1.0, 1.0, 0)] * 10 + [_attempt("de", 1.0, 0.0, 2)] * 5 + [_attempt("de", 0.0, 0.0, 1)] * 5
    )
    easy, hard = analyse(SPECS, attempts)
    assert easy.attempts == hard.attempts == 20
    assert easy.facility == pytest.approx(0.75)
    assert hard.facility == pytest.approx(0.5)
    # The best 27 % (5 attempts) got "hard" right, the weakest 5 did not.
    assert hard.discrimination == pytest.approx(1.0)
    assert hard.wrong_answers == {"3": 5, "2": 5}


def test_language_that_fails_much_more_often_is_flagged():
    attempts = [_attempt("de", 1.0, 1.0, 0)] * 8 + [_attempt("de", 1.0, 0.0, 1)] * 2
    attempts += [_attempt("ar", 1.0, 0.0, 2)] * 6 + [_attempt("ar", 1.0, 1.0, 0)] * 2
    attempts += [_attempt("tr", 1.0, 1.0, 0)] * 3  # too few to judge
    _easy, hard = analyse(SPECS, attempts)
    assert hard.languages["ar"].facility == pytest.approx(0.25)
    assert hard.languages["de"].facility == pytest.approx(0.8)
    assert hard.flagged_languages == ["ar"]


def test_trainer_page_and_csv(app, client, synced, create_user):
    from lms.catalog.models import Module
    from lms.extensions import db
    from lms.learning.services import enrol
    from lms.quizzes.services import submit_attempt

    learners = [create_user(locale=lang, email=f"{lang}{n}@example.org") for lang in ("de", "ar") for n in range(6)]
    with app.app_context():
        module = db.session.scalar(db.select(Module).where(Module.slug == "erstes-modul"))
        for learner in learners:
            learner = db.session.merge(learner)
            enrol(learner, module.course)
            right = learner.locale == "de"
            answers = {"mitglieder": ["1" if right else "0"], "pflichtangaben": ["0", "1"]}
            submit_attempt(learner, module, learner.locale, answers, form_token(learner, module))
        db.session.commit()
    trainer = create_user("trainer", email="trainer@example.org")
    client.login(trainer.email)
    page = client.get("/trainer/courses/demo-kurs/item-analysis").get_data(as_text=True)
    assert "mitglieder" in page and "badge-bad" in page
    response = client.get("/trainer/courses/demo-kurs/item-analysis.csv")
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    flagged = [r for r in rows[1:] if r[1] == "mitglieder" and r[6] == "ar"]
    assert flagged and flagged[0][9] == "ja" and flagged[0][8] == "0.00"
