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
import subprocess
import sys
import urllib.error
import urllib.request

PYPI_PROJECT_JSON = "https://pypi.org/pypi/{name}/json"


def read_pins(lock_path):
    """The name==version pins of a pip-compile lock file, by lower-case name."""
    pins = {}
    with open(lock_path, encoding="utf-8") as lock:
        for line in lock:
            line = line.split("#", 1)[0].strip()
            if "==" in line and not line.startswith("-"):
                name, version = line.split("==", 1)
                pins[name.strip().lower()] = version.split(";", 1)[0].split()[0].strip()
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
    return {dep["name"].lower(): dep for dep in report["dependencies"]}


def pypi_latest_vulnerabilities(name, version, timeout=15):
    """Known vulnerabilities of name==version if it is the newest release on PyPI, else None."""
    try:
        with urllib.request.urlopen(PYPI_PROJECT_JSON.format(name=name), timeout=timeout) as response:
            project = json.load(response)
    except (urllib.error.URLError, TimeoutError, ValueError):
        return None
    if project["info"]["version"] != version:
        return None
    return project.get("vulnerabilities") or []


def audit(lock_path, pip_audit):
    """(vulnerable, unaudited, audited_by) for every pin of the lock file."""
    pins = read_pins(lock_path)
    report = run_pip_audit(lock_path, pip_audit)
    vulnerable, unaudited, audited_by = {}, {}, {"pip-audit": 0, "PyPI project data": 0}
    for name, version in sorted(pins.items()):
        entry = report.get(name, {"skip_reason": "missing from the pip-audit report"})
        if "skip_reason" not in entry:
            audited_by["pip-audit"] += 1
            vulns = [v["id"] for v in entry.get("vulns", [])]
        else:
            found = pypi_latest_vulnerabilities(name, version)
            if found is None:
                unaudited[name] = f"{version}: {entry['skip_reason']}; not the newest release on PyPI"
                continue
            audited_by["PyPI project data"] += 1
            vulns = [v.get("id", "?") for v in found if not v.get("withdrawn")]
        if vulns:
            vulnerable[name] = f"{version}: {', '.join(vulns)}"
    return pins, vulnerable, unaudited, audited_by


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
        print(f"{len(unaudited)} pinned packages could NOT be audited (no vulnerability data reachable).")
        return 0 if args.allow_unaudited else 1
    print("No known vulnerabilities in any pinned package.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
