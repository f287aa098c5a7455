"""The question types: a registry of small classes with pure parse and grade.

A question's *key* (the answer key, option count, tolerance) comes from the
source language; translations carry only text. Nothing here touches Flask or
the database, so the loader and the grader can use it anywhere.

Every type has `parse(option_lines)` → (spec, option texts), `normalise_answer(spec, form
values, decimal_mark)` → the stored answer (ValueError for values the form cannot produce,
UnreadableAnswer for an honest typo), and `grade(spec, answer, partial)` → Grade.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


def N_(message):
    """Mark a message for extraction; it is translated where it is shown."""
    return message


class UnreadableAnswer(ValueError):
    """The learner typed something that is not an answer (a number that cannot be read).

    Unlike a tampered form this is an honest mistake: the page asks again, answers kept.
    """


class QuestionSyntaxError(ValueError):
    """A question block does not follow the format; message is an N_ text."""

    def __init__(self, message, line_offset=0, **params):
        super().__init__(message)
        self.message = message
        self.line_offset = line_offset
        self.params = params


@dataclass(frozen=True)
class Grade:
    points: float
    max_points: float

    @property
    def is_correct(self):
        return self.points >= self.max_points


REGISTRY = {}


def register(cls):
    REGISTRY[cls.name] = cls()
    return cls


# Arabic-Indic (٠-٩) and Persian (۰-۹) digits, read as 0-9.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def parse_number(text, decimal_mark=","):
    """Read a number as people write it: '250', '1.234,50', '1,234.50', '12,5', '١٢٣٫٥'.

    One separator before exactly three digits ('1.234', '1,234') is read with the reader's
    decimal mark: a decimal in '1,234' for German, thousands for English. Return None for
    text that is not a number.
    """
    cleaned = re.sub(r"[\s\u00a0\u202f\u200e\u200f€$%]", "", text or "").translate(_DIGITS)
    if not cleaned:
        return None
    if "٫" in cleaned:  # Arabic decimal separator; ٬ (and a comma) separate thousands
        cleaned = cleaned.replace("٬", "").replace(",", "").replace("٫", ".")
    elif "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif _AMBIGUOUS.fullmatch(cleaned):
        separator = "," if "," in cleaned else "."
        cleaned = cleaned.replace(separator, "." if separator == decimal_mark else "")
    elif re.fullmatch(r"[-+]?[1-9]\d{0,2}([.,]\d{3})+", cleaned):
        cleaned = re.sub(r"[.,]", "", cleaned)  # thousands: 1.234.567 or 1,234,567
    else:
        cleaned = cleaned.replace(",", ".")  # 12,5 or 1234,5
    if not _PLAIN_NUMBER.fullmatch(cleaned):  # no exponents ('1E+1000000' overflows a comparison), no NaN
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


_AMBIGUOUS = re.compile(r"[-+]?[1-9]\d{0,2}[.,]\d{3}")
_PLAIN_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")


_CHOICE = re.compile(r"^- (\((?P<single>[ xX])\)|\[(?P<multi>[ xX])\]) +(?P<text>\S.*)$")


class ChoiceQuestion:
    """Shared parsing for single and multiple choice."""

    name = ""
    marker_group = ""

    def matches(self, line):
        m = _CHOICE.match(line)
        return bool(m and m.group(self.marker_group) is not None)

    def parse(self, option_lines):
        options, correct = [], []
        for offset, line in enumerate(option_lines):
            m = _CHOICE.match(line)
            if not m or m.group(self.marker_group) is None:
                raise QuestionSyntaxError(
                    N_(
                        "Options of one question must all use the same marks: ( ) and (x) "
                        "for single choice, [ ] and [x] for multiple choice."
                    ),
                    offset,
                )
            options.append(m.group("text").strip())
            if m.group(self.marker_group).lower() == "x":
                correct.append(len(options) - 1)
        if len(options) < 2:
            raise QuestionSyntaxError(N_("A choice question needs at least two options."))
        self.check_correct(correct)
        return {"type": self.name, "options": len(options), "correct": correct}, options

    def check_correct(self, correct):
        if not correct:
            raise QuestionSyntaxError(N_("The question has no correct answer. Mark it with (x) or [x]."))

    def normalise_answer(self, spec, values, decimal_mark=","):
        chosen = set()
        for value in values:
            if not str(value).isdigit() or int(value) >= spec["options"]:
                raise ValueError("option out of range")
            chosen.add(int(value))
        return sorted(chosen)


@register
class SingleChoice(ChoiceQuestion):
    name = "single"
    marker_group = "single"

    def check_correct(self, correct):
        super().check_correct(correct)
        if len(correct) > 1:
            raise QuestionSyntaxError(
                N_("A single-choice question has exactly one (x). Use [ ] and [x] if several answers are right.")
            )

    def normalise_answer(self, spec, values, decimal_mark=","):
        chosen = super().normalise_answer(spec, values, decimal_mark)
        if len(chosen) > 1:
            raise ValueError("several options for a single-choice question")
        return chosen

    def grade(self, spec, answer, partial=False):
        return Grade(1.0 if answer == spec["correct"] else 0.0, 1.0)


@register
class MultipleChoice(ChoiceQuestion):
    """All-or-nothing by default: every right option and no wrong one.

    With partial credit: (right options chosen − wrong options chosen) / right options, at least 0.
    """

    name = "multiple"
    marker_group = "multi"

    def grade(self, spec, answer, partial=False):
        correct = set(spec["correct"])
        chosen = set(answer or [])
        if not partial:
            return Grade(1.0 if chosen == correct else 0.0, 1.0)
        return Grade(max(0.0, (len(chosen & correct) - len(chosen - correct)) / len(correct)), 1.0)


_NUMERIC = re.compile(r"^=\s*(?P<value>[-+]?[\d.,]+)\s*(?:(?:±|\+-|\+/-)\s*(?P<tol>[\d.,]+))?\s*(?P<unit>\S.*)?$")


_TRUE_FALSE = re.compile(r"^=\s*(?P<value>wahr|falsch|true|false)\s*$", re.IGNORECASE)


@register
class TrueFalse:
    """A statement that is true or false: '= wahr' / '= falsch' (or '= true' / '= false')."""

    name = "truefalse"

    def matches(self, line):
        return bool(_TRUE_FALSE.match(line))

    def parse(self, option_lines):
        if len(option_lines) != 1:
            raise QuestionSyntaxError(N_("A true/false question has exactly one line '= wahr' or '= falsch'."))
        value = _TRUE_FALSE.match(option_lines[0].strip()).group("value").lower()
        return {"type": self.name, "correct": value in ("wahr", "true")}, []

    def normalise_answer(self, spec, values, decimal_mark=","):
        if not values or values[0] == "":
            return None
        if len(values) != 1 or values[0] not in ("true", "false"):
            raise ValueError("not true or false")
        return values[0] == "true"

    def grade(self, spec, answer, partial=False):
        return Grade(1.0 if answer is spec["correct"] else 0.0, 1.0)


def _pairs(values, size):
    """Read 'index:choice' form values into {index: choice}; refuse anything out of range."""
    chosen = {}
    for value in values:
        index, _sep, choice = str(value).partition(":")
        if not (index.isdigit() and choice.isdigit()) or int(index) >= size or not 1 <= int(choice) <= size:
            raise ValueError("answer out of range")
        chosen[int(index)] = int(choice)
    return chosen


def _positions_grade(answer, size, partial):
    """All in place (or, with partial credit, the share of items in their place)."""
    in_place = sum(1 for index, value in enumerate(answer or []) if value == index + 1)
    if partial:
        return Grade(in_place / size, 1.0)
    return Grade(1.0 if in_place == size else 0.0, 1.0)


class PlacedItems:
    """Shared by ordering and matching: the learner gives every item a number (place or partner)."""

    size_key = ""

    def normalise_answer(self, spec, values, decimal_mark=","):
        chosen = _pairs(values, spec[self.size_key])
        return [chosen.get(index) for index in range(spec[self.size_key])]

    def grade(self, spec, answer, partial=False):
        return _positions_grade(answer, spec[self.size_key], partial)


_ORDERING = re.compile(r"^(?P<position>\d{1,2})\)\s+(?P<text>\S.*)$")


@register
class Ordering(PlacedItems):
    """Steps to put in order: lines '1) …', '2) …' in the right order; shown shuffled."""

    name = "ordering"
    size_key = "items"

    def matches(self, line):
        return bool(_ORDERING.match(line))

    def parse(self, option_lines):
        items = []
        for offset, line in enumerate(option_lines):
            match = _ORDERING.match(line)
            if not match or int(match.group("position")) != offset + 1:
                raise QuestionSyntaxError(
                    N_("Write the steps of an ordering question in the right order, numbered 1), 2), 3) …"), offset
                )
            items.append(match.group("text").strip())
        if len(items) < 2:
            raise QuestionSyntaxError(N_("An ordering question needs at least two steps."))
        return {"type": self.name, "items": len(items)}, items


_MATCHING = re.compile(r"^- (?P<left>\S.*?)\s+=>\s+(?P<right>\S.*)$")


@register
class Matching(PlacedItems):
    """Pairs to match: lines '- Begriff => Erklärung'; the right-hand sides are shown shuffled."""

    name = "matching"
    size_key = "pairs"

    def matches(self, line):
        return bool(_MATCHING.match(line))

    def parse(self, option_lines):
        pairs = []
        for offset, line in enumerate(option_lines):
            match = _MATCHING.match(line)
            if not match:
                raise QuestionSyntaxError(
                    N_("Write each pair of a matching question as '- term => explanation'."), offset
                )
            pairs.append([match.group("left").strip(), match.group("right").strip()])
        if len(pairs) < 2:
            raise QuestionSyntaxError(N_("A matching question needs at least two pairs."))
        return {"type": self.name, "pairs": len(pairs)}, pairs


@register
class Numeric:
    """A number, right within a tolerance: '= 250 ± 0.5 €'."""

    name = "numeric"

    def matches(self, line):
        return line.startswith("=")

    def parse(self, option_lines):
        if len(option_lines) != 1:
            raise QuestionSyntaxError(N_("A numeric question has exactly one line '= value ± tolerance'."))
        m = _NUMERIC.match(option_lines[0].strip())
        value = parse_number(m.group("value")) if m else None
        if value is None:
            raise QuestionSyntaxError(N_("The numeric answer has no valid value. Write it like '= 250 ± 0'."))
        tolerance = parse_number(m.group("tol")) if m.group("tol") else Decimal(0)
        unit = (m.group("unit") or "").strip()
        return {"type": self.name, "value": str(value), "tolerance": str(tolerance), "unit": unit}, []

    def normalise_answer(self, spec, values, decimal_mark=","):
        if len(values) > 1:
            raise ValueError("several values for one number")
        text = (values[0] if values else "").strip()
        if not text:
            return None
        number = parse_number(text, decimal_mark)
        if number is None or not number.is_finite() or len(text) > 40:
            raise UnreadableAnswer(text)
        return str(number)

    def grade(self, spec, answer, partial=False):
        if answer is None:
            return Grade(0.0, 1.0)
        ok = abs(Decimal(answer) - Decimal(spec["value"])) <= Decimal(spec["tolerance"])
        return Grade(1.0 if ok else 0.0, 1.0)


def type_for_line(line):
    """Return the question type whose answer syntax this line uses, or None."""
    for qtype in REGISTRY.values():
        if qtype.matches(line):
            return qtype
    return None
