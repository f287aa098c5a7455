"""The shipped curriculum: a content report, and the minimums the curriculum promises."""

import re
from pathlib import Path

from lms.catalog.loader import load_catalogue

COURSES = Path(__file__).parents[2] / "courses"
EXPECTED_MODULES = {"foerderrecht": 6, "vereinsbuchfuehrung": 6, "vereinsrecht": 7}
REQUIRED_LANGUAGES = {"de", "tr", "ar", "en"}
EXTRA_LANGUAGES = {"vereinsrecht": {"uk", "ru"}}  # Ukrainian and Russian for course 3
MIN_WORDS, MAX_WORDS = 1200, 2500
MIN_QUESTIONS, MAX_QUESTIONS = 8, 12
MIN_GLOSSARY_TERMS = 60


def _words(markdown):
    return len(re.findall(r"\w+", markdown))


def test_content_report_meets_the_curriculum(capsys):
    courses, problems = load_catalogue(COURSES)
    assert [p.render() for p in problems if p.severity == "error"] == []
    by_slug = {c.slug: c for c in courses}
    failures, glossary_terms = [], set()
    print("\ncourse / module                             words  questions  types                 languages")
    for slug, expected in EXPECTED_MODULES.items():
        course = by_slug[slug]
        glossary_terms |= set(course.glossary)
        if len(course.modules) != expected:
            failures.append(f"{slug}: {len(course.modules)} modules, expected {expected}")
        for module in course.modules:
            source = module.texts["de"]
            words = _words(source.body)
            questions = len(source.questions)
            types = sorted({q.spec["type"] for q in source.questions})
            languages = sorted(module.texts)
            print(f"{slug}/{module.slug:<35} {words:>5}  {questions:>9}  {','.join(types):<20}  {','.join(languages)}")
            if not MIN_WORDS <= words <= MAX_WORDS:
                failures.append(f"{slug}/{module.slug}: {words} words")
            if not MIN_QUESTIONS <= questions <= MAX_QUESTIONS:
                failures.append(f"{slug}/{module.slug}: {questions} questions")
            if len(types) < 2:
                failures.append(f"{slug}/{module.slug}: only {types} questions")
            if not REQUIRED_LANGUAGES | EXTRA_LANGUAGES.get(slug, set()) <= set(languages):
                failures.append(f"{slug}/{module.slug}: languages {languages}")
            if "Das Wichtigste in Kürze" not in source.body:
                failures.append(f"{slug}/{module.slug}: no summary section")
            if not all(q.explanation for q in source.questions):
                failures.append(f"{slug}/{module.slug}: a question without explanation")
            if not all(q.section for q in source.questions):  # the result links back to it
                failures.append(f"{slug}/{module.slug}: a question without the section that teaches it")
        if course.certificate_hours <= 0:
            failures.append(f"{slug}: no certificate hours")
    print(f"glossary terms: {len(glossary_terms)}")
    if len(glossary_terms) < MIN_GLOSSARY_TERMS:
        failures.append(f"only {len(glossary_terms)} glossary terms")
    assert failures == []


def test_bookkeeping_course_has_numeric_questions_in_every_module():
    courses, _problems = load_catalogue(COURSES)
    course = next(c for c in courses if c.slug == "vereinsbuchfuehrung")
    for module in course.modules:
        assert any(q.spec["type"] == "numeric" for q in module.texts["de"].questions), module.slug
