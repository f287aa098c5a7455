"""Grade a set of answers against the answer key. Pure: no Flask, no database."""

from dataclasses import dataclass

from .types import REGISTRY, UnreadableAnswer


class TamperedAnswers(ValueError):
    """The submitted answers cannot come from the quiz form as shown."""


class UnreadableAnswers(ValueError):
    """Some answers were typed so that they cannot be read; keys names those questions."""

    def __init__(self, keys):
        super().__init__(f"unreadable answers: {keys}")
        self.keys = keys


@dataclass
class Result:
    answers: dict
    points: dict
    score: float  # percent

    def passed(self, pass_mark):
        return self.score >= pass_mark


def normalise_answers(specs, submitted, decimal_mark=","):
    """Turn raw form values {key: [values]} into answers.

    Raise TamperedAnswers on values the form cannot produce, else UnreadableAnswers naming
    every question whose answer cannot be read (a number like '12,3,4').
    """
    unknown = set(submitted) - set(specs)
    if unknown:
        raise TamperedAnswers(f"unknown questions: {sorted(unknown)}")
    answers, unreadable = {}, []
    for key, spec in specs.items():
        try:
            answers[key] = REGISTRY[spec["type"]].normalise_answer(spec, submitted.get(key, []), decimal_mark)
        except UnreadableAnswer:
            unreadable.append(key)
        except ValueError as exc:
            raise TamperedAnswers(f"{key}: {exc}") from exc
    if unreadable:
        raise UnreadableAnswers(unreadable)
    return answers


def grade(specs, answers, partial=False):
    """Return the Result of answers (already normalised) against specs."""
    points, earned, possible = {}, 0.0, 0.0
    for key, spec in specs.items():
        result = REGISTRY[spec["type"]].grade(spec, answers.get(key), partial)
        points[key] = round(result.points, 4)
        earned += result.points
        possible += result.max_points
    score = round(100.0 * earned / possible, 1) if possible else 0.0
    return Result(answers=answers, points=points, score=score)
