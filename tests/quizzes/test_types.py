"""Question types and grading are pure functions."""

from decimal import Decimal

import pytest

from lms.quizzes.grading import TamperedAnswers, UnreadableAnswers, grade, normalise_answers
from lms.quizzes.types import REGISTRY, parse_number

SPECS = {
    "single": {"type": "single", "options": 3, "correct": [1]},
    "multi": {"type": "multiple", "options": 3, "correct": [0, 2]},
    "num": {"type": "numeric", "value": "250", "tolerance": "0.5", "unit": "€"},
}


def test_all_right():
    answers = normalise_answers(SPECS, {"single": ["1"], "multi": ["2", "0"], "num": ["250,40"]})
    result = grade(SPECS, answers)
    assert result.score == 100.0 and result.passed(80)


def test_multiple_choice_is_all_or_nothing():
    answers = normalise_answers(SPECS, {"single": ["1"], "multi": ["0"], "num": ["1.250"]})
    result = grade(SPECS, answers)
    assert result.points == {"single": 1.0, "multi": 0.0, "num": 0.0}
    assert result.score == pytest.approx(33.3) and not result.passed(80)


def test_unanswered_questions_score_zero():
    result = grade(SPECS, normalise_answers(SPECS, {}))
    assert result.score == 0.0


@pytest.mark.parametrize(
    "submitted",
    [
        {"single": ["7"]},  # option that does not exist
        {"single": ["0", "1"]},  # two options for single choice
        {"multi": ["x"]},  # not an index
        {"num": ["250", "251"]},  # two values for one number field
        {"unknown": ["1"]},  # a question that is not in the quiz
    ],
)
def test_tampered_answers_are_refused(submitted):
    with pytest.raises(TamperedAnswers):
        normalise_answers(SPECS, submitted)


@pytest.mark.parametrize("text", ["zweihundert", "12,3,4", "1.2.3,4,5", "NaN", "Infinity", "1" * 41])
def test_unreadable_numbers_are_named_not_treated_as_tampering(text):
    with pytest.raises(UnreadableAnswers) as raised:
        normalise_answers(SPECS, {"single": ["1"], "num": [text]})
    assert raised.value.keys == ["num"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("250", Decimal("250")),
        ("1.234,50", Decimal("1234.50")),
        ("1,234.50", Decimal("1234.50")),
        ("12,5", Decimal("12.5")),
        ("1.234", Decimal("1234")),
        ("0.125", Decimal("0.125")),
        ("250 €", Decimal("250")),
        ("٢٥٠", Decimal("250")),
        ("١٬٢٣٤٫٥٠", Decimal("1234.50")),
        ("۱۲٫۵", Decimal("12.5")),
        ("1234,5", Decimal("1234.5")),
    ],
)
def test_numbers_as_people_write_them(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["1E+1000000", "2.5e2", "NaN", "Infinity", "-inf", "1.2.3,4,5", "12a", "--3"])
def test_what_is_not_written_as_a_number_is_not_read_as_one(text):
    assert parse_number(text) is None


def test_registry_has_the_v1_types():
    assert {"single", "multiple", "numeric"} <= set(REGISTRY)
