"""True/false, ordering and matching: parsing, grading, the form and the result page."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.catalog.loader import load_course
from lms.catalog.models import Course
from lms.catalog.services import sync_courses
from lms.extensions import db
from lms.quizzes.grading import TamperedAnswers, grade, normalise_answers
from lms.quizzes.models import QuizAttempt
from lms.quizzes.types import parse_number
from tests.conftest import FIXTURES

TYPES = FIXTURES / "courses" / "types"
MODULE = "/courses/quiz-kurs/fragetypen"


def _specs():
    course, problems = load_course(TYPES / "quiz-kurs")
    assert course is not None, [p.render() for p in problems]
    return {q.key: q.spec for q in course.modules[0].texts["de"].questions}


def test_specs_are_parsed_and_translation_keeps_them():
    specs = _specs()
    assert specs == {
        "stimmt": {"type": "truefalse", "correct": True},
        "schritte": {"type": "ordering", "items": 4},
        "begriffe": {"type": "matching", "pairs": 3},
        "ueberschuss": {"type": "numeric", "value": "250", "tolerance": "0", "unit": "€"},
    }


def test_grading_all_or_nothing():
    specs = _specs()
    right = {
        "stimmt": ["true"],
        "schritte": ["0:1", "1:2", "2:3", "3:4"],
        "begriffe": ["0:1", "1:2", "2:3"],
        "ueberschuss": ["250"],
    }
    assert grade(specs, normalise_answers(specs, right)).score == 100.0
    swapped = {
        **right,
        "schritte": ["0:2", "1:1", "2:3", "3:4"],
        "begriffe": ["0:2", "1:1", "2:3"],
        "ueberschuss": ["251"],
    }
    result = grade(specs, normalise_answers(specs, swapped))
    assert result.points == {"stimmt": 1.0, "schritte": 0.0, "begriffe": 0.0, "ueberschuss": 0.0}
    assert grade(specs, normalise_answers(specs, {})).score == 0.0


@pytest.mark.parametrize(
    "submitted",
    [{"stimmt": ["vielleicht"]}, {"schritte": ["0:9"]}, {"schritte": ["7:1"]}, {"begriffe": ["x:1"]}],
)
def test_tampered_answers_are_refused(submitted):
    with pytest.raises(TamperedAnswers):
        normalise_answers(_specs(), submitted)


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("1) a\n3) b\n", "in the right order"),
        ("- a => b\n", "at least two pairs"),
        ("= wahr\n= falsch\n", "exactly one line"),
    ],
)
def test_syntax_errors(tmp_path, block, message):
    folder = tmp_path / "k"
    (folder / "01-m").mkdir(parents=True)
    (folder / "course.yml").write_text("title: {de: K}\nversion: '1'\nlegal_status: 2026-01-01\n", encoding="utf-8")
    (folder / "01-m" / "de.md").write_text(f"---\ntitle: M\n---\n\n::: question q\nFrage?\n\n{block}:::\n")
    course, problems = load_course(folder)
    assert course is None and any(message in p.render() for p in problems)


STEPS_IN_ORDER = ["كتابة النظام", "عقد الاجتماع", "توثيق الطلب", "القيد في سجل"]  # the fixture, in Arabic
PARTNERS_IN_ORDER = ["يمثل الجمعية", "تقرّ النظام", "يدقق الصندوق"]


def _right_answers_as_read(page):
    """Answer the ordering and matching questions as a reader would: by the texts shown."""
    answers = {}
    for shown, text in re.findall(r'name="q-schritte\.(\d+)".*?</select>\s*<span>(.*?)</span>', page, re.S):
        answers[f"q-schritte.{shown}"] = str(1 + next(i for i, step in enumerate(STEPS_IN_ORDER) if step in text))
    for item, options in re.findall(r'name="q-begriffe\.(\d+)"[^>]*>(.*?)</select>', page, re.S):
        offered = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', options)
        answers[f"q-begriffe.{item}"] = next(v for v, text in offered if PARTNERS_IN_ORDER[int(item)] in text)
    assert len(answers) == 7, answers
    return answers


def test_form_and_result_page(app, client, create_user):
    with app.app_context():
        sync_courses(TYPES)
        db.session.commit()
        course_id = db.session.scalar(select(Course.id).where(Course.slug == "quiz-kurs"))
    assert course_id
    user = create_user(locale="ar")
    client.login(user.email)
    client.post_form("/courses/quiz-kurs/enrol")
    page = client.get(MODULE).get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    assert 'name="q-stimmt" value="true"' in page
    assert 'name="q-schritte.3"' in page and 'name="q-begriffe.2"' in page
    assert "مجلس الإدارة" in page
    form = {"token": token, "q-stimmt": "true", "q-ueberschuss": "٢٥٠"}
    form.update(_right_answers_as_read(page))
    response = client.post_form(MODULE + "/quiz", form)
    assert response.status_code == 303
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "result-ok" in result and "100" in result


def test_unreadable_number_asks_again_with_the_answers_kept(app, client, create_user):
    """A typo in a number is no tampering: 422, the form again with everything typed, nothing stored."""
    user = create_user(locale="en")
    client.login(user.email)
    with app.app_context():
        sync_courses(TYPES)
        db.session.commit()
    client.post_form("/courses/quiz-kurs/enrol")
    page = client.get(MODULE).get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    answers = {"q-ueberschuss": "12,3,4", "q-stimmt": "true", "q-schritte.0": "2"}
    response = client.post_form(MODULE + "/quiz", {"token": token, **answers})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "„12,3,4“ is not a number we can read. Write it like 1,234.5." in page
    assert 'value="12,3,4" aria-invalid="true" aria-describedby="error-ueberschuss"' in page
    assert f'name="token" value="{token}"' in page  # the same form: same draw, same order
    assert re.search(r'value="true" required checked', page)
    assert re.search(r'<option value="2" selected>2</option>', page)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 0
    huge = client.post_form(MODULE + "/quiz", {"token": token, **answers, "q-ueberschuss": "1E+1000000"})
    assert huge.status_code == 422  # an exponent is not read as a number (it once overflowed: 500)
    corrected = client.post_form(MODULE + "/quiz", {"token": token, **answers, "q-ueberschuss": "1.234,50"})
    assert corrected.status_code == 303 and "/attempts/" in corrected.headers["Location"]


@pytest.mark.parametrize(
    ("text", "decimal_mark", "value"),
    [("1,234", ",", Decimal("1.234")), ("1,234", ".", Decimal("1234")), ("1.234", ".", Decimal("1.234"))],
)
def test_one_separator_before_three_digits_is_read_in_the_learners_language(text, decimal_mark, value):
    assert parse_number(text, decimal_mark) == value


def test_field_names_and_values_do_not_give_away_the_right_order(app, client, create_user):
    """Answering 'place = field number + 1' (the items' own order, always right before) must not score."""
    from lms.quizzes.models import QuizAttempt

    with app.app_context():
        sync_courses(TYPES)
        db.session.commit()
    for n in range(6):
        user = create_user(email=f"rater{n}@example.org", locale="ar")
        client.login(user.email)
        client.post_form("/courses/quiz-kurs/enrol")
        page = client.get(MODULE).get_data(as_text=True)
        token = re.search(r'name="token" value="([^"]+)"', page).group(1)
        guess = {"token": token, "q-stimmt": "true", "q-ueberschuss": "250"}
        guess |= {f"q-schritte.{i}": str(i + 1) for i in range(4)} | {f"q-begriffe.{i}": str(i + 1) for i in range(3)}
        assert client.post_form(MODULE + "/quiz", guess).status_code == 303
        client.post_form("/logout")
    with app.app_context():
        scores = db.session.scalars(select(QuizAttempt.score)).all()
    # Each form shows 4 steps and 3 partners in a keyed random order: the guess is right on a form
    # with chance 1/24 * 1/6, so all six at 100 % would mean the order is given away.
    assert len(scores) == 6 and min(scores) < 100, scores
