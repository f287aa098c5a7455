"""Audit the pinned dependencies in requirements.lock for known vulnerabilities.

Runs pip-audit over the lock file (no install, no resolver) and sums up what it found. Where
pip-audit cannot reach its vulnerability service for a package, the package is looked up in
PyPI's project JSON, whose `vulnerabilities` list (PyPI's copy of the Python advisory database)
describes the newest release: when the pin *is* the newest release, that answer is exact. Pins
that no source could check are listed as NOT AUDITED; they never count as clean.

Exit status: 1 if any pinned version has a known vulnerability, or if some package could not be
audited and --allow-unaudited was not given; otherwise 0.
"""

import argparse
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request

PYPI_PROJECT_JSON = "https://pypi.org/pypi/{name}/json"


def canonical(name):
    """A project name as PyPI compares them (PEP 503): Typing_Extensions -> typing-extensions."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(lock_path):
    """The name==version pins of a pip-compile lock file, by canonical name."""
    pins = {}
    with open(lock_path, encoding="utf-8") as lock:
        for line in lock:
            line = line.split("#", 1)[0].strip()
            if "==" in line and not line.startswith("-"):
                name, version = line.split("==", 1)
                pins[canonical(name.strip())] = version.split(";", 1)[0].split()[0].strip()
    return pins


def run_pip_audit(lock_path, pip_audit):
    """pip-audit's JSON report: {name: {"vulns": [...]} or {"skip_reason": ...}}."""
    command = [pip_audit, "--disable-pip", "--no-deps", "--progress-spinner", "off", "-f", "json",
               "-r", lock_path]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if not result.stdout.strip():
        sys.stderr.write(result.stderr)
        raise SystemExit(f"pip-audit gave no report (exit status {result.returncode})")
    report = json.loads(result.stdout)
    return {canonical(dep["name"]): dep for dep in report["dependencies"]}


def pypi_latest_vulnerabilities(name, version, timeout=15):
    """(known vulnerabilities, None) if name==version is PyPI's newest release, else (None, why not)."""
    try:
        with urllib.request.urlopen(PYPI_PROJECT_JSON.format(name=name), timeout=timeout) as response:
            project = json.load(response)
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        return None, f"PyPI project data unreachable ({error})"
    latest = project["info"]["version"]
    if latest != version:
        return None, f"not the newest release on PyPI ({latest})"
    return project.get("vulnerabilities") or [], None


def classify(pins, report, lookup=pypi_latest_vulnerabilities):
    """(vulnerable, unaudited, audited_by) from pip-audit's report, asking lookup where it skipped."""
    vulnerable, unaudited, audited_by = {}, {}, {"pip-audit": 0, "PyPI project data": 0}
    for name, version in sorted(pins.items()):
        entry = report.get(name, {"skip_reason": "missing from the pip-audit report"})
        if "skip_reason" not in entry:
            audited_by["pip-audit"] += 1
            vulns = [v["id"] for v in entry.get("vulns", [])]
        else:
            found, why_not = lookup(name, version)
            if found is None:
                unaudited[name] = f"{version}: {entry['skip_reason']}; {why_not}"
                continue
            audited_by["PyPI project data"] += 1
            vulns = [v.get("id", "?") for v in found if not v.get("withdrawn")]
        if vulns:
            vulnerable[name] = f"{version}: {', '.join(vulns)}"
    return vulnerable, unaudited, audited_by


def audit(lock_path, pip_audit):
    """(pins, vulnerable, unaudited, audited_by) for every pin of the lock file."""
    pins = read_pins(lock_path)
    return (pins, *classify(pins, run_pip_audit(lock_path, pip_audit)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("lock", nargs="?", default="requirements.lock")
    parser.add_argument("--pip-audit", default="pip-audit", help="the pip-audit executable")
    parser.add_argument("--allow-unaudited", action="store_true",
                        help="exit 0 even if some pins could not be checked (they are still listed)")
    args = parser.parse_args(argv)

    pins, vulnerable, unaudited, audited_by = audit(args.lock, args.pip_audit)
    checked = ", ".join(f"{count} by {source}" for source, count in audited_by.items())
    print(f"{len(pins)} pinned packages in {args.lock}; checked: {checked}.")
    for name, detail in vulnerable.items():
        print(f"VULNERABLE  {name} {detail}")
    for name, detail in unaudited.items():
        print(f"NOT AUDITED {name} {detail}")
    if vulnerable:
        print(f"{len(vulnerable)} pinned packages have known vulnerabilities: raise their pins (make lock).")
        return 1
    if unaudited:
        print(f"{len(unaudited)} pinned packages could NOT be audited: no source could answer for their versions.")
        return 0 if args.allow_unaudited else 1
    print("No known vulnerabilities in any pinned package.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
