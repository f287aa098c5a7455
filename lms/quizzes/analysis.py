"""Item analysis of quiz questions, split by the language learners used. Pure: no Flask, no database.

For each question: how many attempts answered it, facility (share of points earned),
discrimination (facility in the best 27 % of attempts minus the weakest 27 %), how often
each wrong answer was chosen, and the same facility per language. A question that one
language group fails far more often than the others is flagged as a likely translation
problem.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

GROUP_SHARE = 0.27
MIN_GROUP = 5  # attempts per language before a difference is taken seriously
FLAG_GAP = 0.25  # facility below the others by this much


@dataclass
class LanguageStats:
    attempts: int = 0
    points: float = 0.0

    @property
    def facility(self):
        return self.points / self.attempts if self.attempts else None


@dataclass
class ItemStats:
    key: str
    type: str
    attempts: int = 0
    points: float = 0.0
    discrimination: float | None = None
    wrong_answers: Counter = field(default_factory=Counter)
    languages: dict = field(default_factory=lambda: defaultdict(LanguageStats))

    @property
    def facility(self):
        return self.points / self.attempts if self.attempts else None

    @property
    def flagged_languages(self):
        """Languages whose facility lies far below the rest (with enough attempts)."""
        flagged = []
        for language, stats in self.languages.items():
            others = [s for other, s in self.languages.items() if other != language]
            other_attempts = sum(s.attempts for s in others)
            if stats.attempts < MIN_GROUP or other_attempts < MIN_GROUP:
                continue
            other_facility = sum(s.points for s in others) / other_attempts
            if other_facility - stats.facility >= FLAG_GAP:
                flagged.append(language)
        return sorted(flagged)


def _answer_label(spec, answer):
    """A wrong answer as a short, comparable label (option numbers count from 1)."""
    if answer is None:
        return "–"
    if spec["type"] in ("single", "multiple"):
        return "+".join(str(i + 1) for i in answer) or "–"
    if spec["type"] in ("ordering", "matching"):
        return ",".join(str(v) if v else "–" for v in answer)
    if spec["type"] == "truefalse":
        return "true" if answer else "false"
    return str(answer)


def analyse(specs, attempts):
    """specs: {key: spec} in question order; attempts: iterable of (language, score, answers, points)."""
    items = {key: ItemStats(key, spec["type"]) for key, spec in specs.items()}
    scored = []
    for language, score, answers, points in attempts:
        scored.append((score, points))
        for key, item in items.items():
            if key not in points:
                continue
            earned = points[key]
            item.attempts += 1
            item.points += earned
            language_stats = item.languages[language]
            language_stats.attempts += 1
            language_stats.points += earned
            if earned < 1:
                item.wrong_answers[_answer_label(specs[key], answers.get(key))] += 1
    scored.sort(key=lambda pair: pair[0])
    size = int(len(scored) * GROUP_SHARE)
    if size:
        lower, upper = scored[:size], scored[-size:]
        for key, item in items.items():
            low = [p[key] for _s, p in lower if key in p]
            high = [p[key] for _s, p in upper if key in p]
            if low and high:
                item.discrimination = sum(high) / len(high) - sum(low) / len(low)
    return list(items.values())
