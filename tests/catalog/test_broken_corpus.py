"""A corpus of broken courses (tests/data/broken/<case>/), each with the exact errors it must produce.

EXPECTED lists every error as `path:line: error: message`, paths relative to the case folder.
The course must not load, and the errors must be exactly these — no more, no fewer.
"""

from pathlib import Path

import pytest

from lms.catalog.loader import load_course

CORPUS = Path(__file__).parents[1] / "data" / "broken"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def test_corpus_is_not_empty():
    assert len(CASES) >= 13


@pytest.mark.parametrize("case", CASES)
def test_broken_course_reports_exactly_the_expected_errors(case):
    folder = CORPUS / case
    course, problems = load_course(folder / "demo-kurs")
    assert course is None
    found = []
    for problem in problems:
        if problem.severity == "error":
            problem.path = str(Path(problem.path).relative_to(folder))
            found.append(problem.render())
    expected = (folder / "EXPECTED").read_text(encoding="utf-8").splitlines()
    assert sorted(found) == sorted(expected)
