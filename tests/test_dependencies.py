"""The lock file pins what pyproject.toml asks for, and the tests run on exactly those pins."""

import importlib.metadata
import importlib.util
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def load_audit_tool():
    spec = importlib.util.spec_from_file_location("audit_lock", ROOT / "tools" / "audit_lock.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


audit_lock = load_audit_tool()
PINS = {canonicalize_name(name): version for name, version in
        audit_lock.read_pins(ROOT / "requirements.lock").items()}


def declared_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = list(project["dependencies"])
    for extra in ("test", "postgres"):
        declared += project["optional-dependencies"][extra]
    return [Requirement(text) for text in declared]


@pytest.mark.parametrize("requirement", declared_requirements(), ids=str)
def test_every_declared_dependency_is_pinned_within_its_range(requirement):
    pinned = PINS.get(canonicalize_name(requirement.name))
    assert pinned is not None, f"{requirement.name} is missing from requirements.lock: run make lock"
    assert requirement.specifier.contains(pinned, prereleases=True), (
        f"requirements.lock pins {requirement.name}=={pinned}, outside {requirement.specifier}: run make lock")


def test_the_test_environment_has_exactly_the_locked_versions():
    installed = {canonicalize_name(dist.metadata["Name"]): dist.version
                 for dist in importlib.metadata.distributions()}
    differing = {name: (version, installed.get(name)) for name, version in PINS.items()
                 if installed.get(name) != version}
    assert not differing, f"installed versions differ from requirements.lock (locked, installed): {differing}"


def test_read_pins_takes_versions_and_ignores_comments_and_markers(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("# header\nFlask==3.1.3\nTyping_Extensions==4.16.0\n    # via mso-lms\n"
                    "tzdata==2026.1 ; sys_platform == \"win32\"\n--hash-free-option\n", encoding="utf-8")
    assert audit_lock.read_pins(lock) == {"flask": "3.1.3", "typing-extensions": "4.16.0", "tzdata": "2026.1"}


def test_classify_counts_only_what_a_source_answered_for():
    pins = {"clean": "1.0", "flagged": "2.0", "newest": "3.0", "withdrawn": "1.1", "behind": "0.9", "missing": "5"}
    report = {
        "clean": {"name": "clean", "vulns": []},
        "flagged": {"name": "flagged", "vulns": [{"id": "PYSEC-2026-1", "fix_versions": ["2.1"]}]},
        "newest": {"name": "newest", "skip_reason": "could not be audited"},
        "withdrawn": {"name": "withdrawn", "skip_reason": "could not be audited"},
        "behind": {"name": "behind", "skip_reason": "could not be audited"},
    }
    answers = {  # what PyPI's project data says about the newest release of each
        "newest": ([{"id": "GHSA-xxxx"}], None),
        "withdrawn": ([{"id": "PYSEC-2025-9", "withdrawn": "2025-10-01T00:00:00Z"}], None),
        "behind": (None, "not the newest release on PyPI (1.0)"),
        "missing": ([], None),
    }
    vulnerable, unaudited, audited_by = audit_lock.classify(pins, report, lambda name, version: answers[name])
    assert vulnerable == {"flagged": "2.0: PYSEC-2026-1", "newest": "3.0: GHSA-xxxx"}
    assert list(unaudited) == ["behind"] and "not the newest release" in unaudited["behind"]
    assert audited_by == {"pip-audit": 2, "PyPI project data": 3}


def test_audit_exits_non_zero_on_unaudited_pins_unless_allowed(monkeypatch, capsys, tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("behind==0.9\n", encoding="utf-8")
    monkeypatch.setattr(audit_lock, "audit", lambda path, tool: (
        {"behind": "0.9"}, {}, {"behind": "0.9: skipped; not the newest release"}, {"pip-audit": 0}))
    assert audit_lock.main([str(lock)]) == 1
    assert audit_lock.main([str(lock), "--allow-unaudited"]) == 0
    assert "NOT AUDITED behind" in capsys.readouterr().out
