"""Benchmark: the site under gunicorn (sync workers) against a bare Flask baseline, same run.

Usage: python bench/run.py [--duration 4] [--rounds 3] [--workers 2]
Writes docs/performance.md and prints the same table.
"""

import argparse
import datetime
import http.cookiejar
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import baseline as baseline_app  # noqa: E402
from bench import scale  # noqa: E402
from bench.generate import PASSWORD, coordinator_target, fill, make_courses, make_sync_corpus, quiz_target  # noqa: E402

TARGET_RATIO = 0.5  # req/s of a page at least half the baseline's
TARGET_P99 = 3.0  # p99 at most three times the baseline's
# Not pages of the list: the same static text for a visitor and signed in, to show in
# every run what signing in alone costs (the floor under every signed-in page).
REFERENCE_PAGES = ("privacy notice, visitor (reference)", "privacy notice, signed in (reference)")
TARGET_MEMORY_MB = 150
# The machine is shared: one measurement can be off by a quarter. Each page and the baseline take
# turns this often, and the round with the median ratio counts; tasks are timed as often, median.
ROUNDS = 3
QUIZ_LEARNERS = 100  # learners taking turns in the POST benchmark: a few attempts each, as in real use
QUIZ_FORMS = 30_000  # prepared submissions, more than a run sends
POST_SCRIPT = """
-- One prepared submission per line: a learner's session cookie, CSRF token and quiz-form token.
-- setup() numbers the threads; thread n sends lines first + n, first + n + 2, ... (two threads), and
-- the warm-up and the measured run start at different lines, so no form is sent twice.
local forms, sent, threads = {}, 0, 0
function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end
function init(args)
  for line in io.lines(os.getenv("BENCH_FORMS")) do forms[#forms + 1] = line end
end
request = function()
  local line = forms[(tonumber(os.getenv("BENCH_FIRST")) + sent * 2 + (thread_number or 0)) % #forms + 1]
  sent = sent + 1
  local cookie, csrf, token = line:match("([^\t]*)\t([^\t]*)\t([^\t]*)")
  local body = "csrf_token=" .. csrf .. "&token=" .. token .. "&q-" .. os.getenv("BENCH_QUESTION") .. "=0"
  return wrk.format("POST", os.getenv("BENCH_PATH"), {["Content-Type"] = "application/x-www-form-urlencoded",
                    ["Cookie"] = cookie}, body)
end
"""


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(app_spec, port, workers, env, cwd):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app_spec,
        ],
        env={**os.environ, **env},
        cwd=cwd,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn for {app_spec} did not start")


def worker_peak_memory_mb(master):
    """Peak resident memory (VmHWM) of each worker of a gunicorn master."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master.pid}$", text, re.M):
            peaks.append(int(re.search(r"^VmHWM:\s+(\d+) kB", text, re.M).group(1)) / 1024)
    return peaks


def wrk(url, duration, script=None, env=None, connections=16):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script:
        command += ["-s", script]
    output = subprocess.run(
        command + [url], capture_output=True, text=True, env={**os.environ, **(env or {})}, check=True
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def assert_page(url, cookie=None):
    """The page answers 200 itself, as wrk will ask it (wrk counts a 3xx as a success).

    With a session cookie, the page must also be the signed-in one (the sign-out form): a page
    that visitors may see too would otherwise be measured without the sign-in it is meant to cost.
    """
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    body = ""
    try:
        with urllib.request.build_opener(_NoRedirect).open(request) as response:
            status, body = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        sys.exit(f"{url} answered {status}, not 200: the benchmark would measure the wrong page")
    if cookie and 'action="/logout"' not in body:
        sys.exit(f"{url} answered without the session: the benchmark would measure a visitor's page")


def _ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


class Browser:
    """A cookie-keeping client for logging in and reading tokens."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path):
        return self.opener.open(self.base + path).read().decode()

    def post(self, path, data):
        data = {"csrf_token": self.csrf(), **data}
        return self.opener.open(self.base + path, urllib.parse.urlencode(data, doseq=True).encode()).read().decode()

    def csrf(self):
        # Signed in, every page's sign-out form has one; a visitor gets one with the sign-in form.
        for path in ("/verify", "/login"):
            match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(path))
            if match:
                return match.group(1)
        raise RuntimeError("no page offered a CSRF token")

    def cookie_header(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def median(values):
    return sorted(values)[len(values) // 2]


def spread(seconds, digits):
    """The median time and, over several rounds, the fastest and slowest: "2.61 s (2.40–2.93)"."""
    text = f"{median(seconds):.{digits}f} s"
    if len(seconds) > 1:
        text += f" ({min(seconds):.{digits}f}–{max(seconds):.{digits}f})"
    return text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=4, help="seconds of each wrk run")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="turns of baseline and page per row")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.md"))
    args = parser.parse_args()
    if args.rounds < 1 or args.rounds % 2 == 0:
        parser.error("--rounds must be odd, so that one round is the median")
    if not shutil.which("wrk"):
        sys.exit("wrk is needed as the load generator: apt-get install wrk")

    from lms import create_app
    from lms.extensions import db

    work = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    database = work / "bench.sqlite"
    env = {
        "LMS_SECRET_KEY": "bench-secret",
        "LMS_DATABASE_URL": f"sqlite:///{database}",
        "LMS_COURSES_DIR": str(work / "courses"),
        # The verification page is rate-limited per address; wrk is one address asking thousands of times.
        "LMS_VERIFY_RATE_LIMIT": "1000000 per minute",
        "LMS_LOGIN_RATE_LIMIT": "1000000 per minute",  # the POST benchmark signs in its learners
    }
    os.environ.update(env)
    courses_dir = make_courses(work / "courses", copies=3)
    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(ROOT / "lms" / "migrations"))

    from lms.catalog.services import sync_courses

    corpus = make_sync_corpus(work / "sync-corpus")

    def sync_corpus(corpus_app):
        with corpus_app.app_context():
            report = sync_courses(corpus)
            db.session.commit()
            return report

    sync_cold, sync_warm = [], []
    for number in range(args.rounds):
        # A cold sync needs an empty database each time.
        corpus_app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / f'sync-{number}.sqlite'}"})
        with corpus_app.app_context():
            db.create_all()
        sync_cold.append(timed(sync_corpus, corpus_app)[0])
        sync_warm.append(timed(sync_corpus, corpus_app)[0])
    data = fill(app, courses_dir, learners=args.learners)

    from lms.certificates.models import Certificate
    from lms.certificates.pdf import render_certificate_pdf, render_certificates_pdf

    with app.test_request_context():
        certificates = db.session.scalars(db.select(Certificate).order_by(Certificate.id).limit(200)).all()
        render_certificate_pdf(certificates[0])  # warm up fonts and templates
        one_pdf = [timed(render_certificate_pdf, certificates[1])[0] for _ in range(args.rounds)]
        batch_pdf = [timed(render_certificates_pdf, certificates)[0] for _ in range(args.rounds)]
        verify_code = certificates[0].display_code
        analysis_time, analysed = time_item_analysis()
    scale_dashboard, scale_report, scale_attempts = coordination_at_scale(work)
    tasks = [
        ("course sync of 3 courses × 20 modules × 4 languages, empty database (budget < 3 s)", spread(sync_cold, 2)),
        ("the same sync again, nothing changed (budget < 0.5 s)", spread(sync_warm, 3)),
        ("one certificate PDF (warm)", spread(one_pdf, 3)),
        (f"{len(certificates)} certificates in one PDF (budget < 8 s)", spread(batch_pdf, 2)),
        (f"item analysis of the course with the most attempts ({analysed} attempts)", f"{analysis_time:.3f} s"),
        (
            f"coordinator dashboard, server time, {scale.ORGANISATIONS} organisations / {scale.LEARNERS} learners / "
            f"{scale_attempts} attempts (budget < 200 ms)",
            f"{scale_dashboard:.0f} ms",
        ),
        (
            "evaluation report for the year, server time, same data (budget < 200 ms)",
            f"{scale_report:.0f} ms",
        ),
    ]

    baseline_db = work / "baseline.sqlite"
    baseline_app.create_database(str(baseline_db))
    site_port, base_port = free_port(), free_port()
    site = start_gunicorn("wsgi:app", site_port, args.workers, env, ROOT)
    base = start_gunicorn("bench.baseline:app", base_port, args.workers, {"BASELINE_DB": str(baseline_db)}, ROOT)
    try:
        rows = run_pages(args, app, site_port, base_port, verify_code, work)
        memory = worker_peak_memory_mb(site)
    finally:
        for process in (site, base):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)
    report = render_report(args, data, rows, memory, tasks)
    Path(args.output).write_text(report, encoding="utf-8")
    print(report)
    shutil.rmtree(work, ignore_errors=True)


def run_pages(args, app, site_port, base_port, verify_code, work):
    site = f"http://127.0.0.1:{site_port}"
    baseline = f"http://127.0.0.1:{base_port}/"
    browser = Browser(site)
    browser.post("/login", {"email": "bench@example.org", "password": PASSWORD})
    course_slug, module_slug, question = quiz_target(app)
    browser.post(f"/courses/{course_slug}/enrol", {})
    module_path = f"/courses/{course_slug}/{module_slug}"
    browser.get(module_path)
    cookie = browser.cookie_header()
    script = work / "post.lua"
    script.write_text(POST_SCRIPT)
    forms = work / "quiz-forms.tsv"
    forms.write_text(quiz_forms(app, site, course_slug, module_slug), encoding="utf-8")
    post_env = {"BENCH_FORMS": str(forms), "BENCH_PATH": module_path + "/quiz", "BENCH_QUESTION": question}
    header_script = work / "cookie.lua"
    header_script.write_text('wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")\n')
    coordinator = Browser(site)
    coordinator.post("/login", {"email": "coordinator@example.org", "password": PASSWORD})
    organisation_id = coordinator_target(app)
    pages = [
        ("catalogue", "/", None, {}),
        ("module page", module_path, header_script, {"BENCH_COOKIE": cookie}),
        ("quiz submission (POST)", module_path + "/quiz", script, post_env),
        ("learner dashboard", "/me", header_script, {"BENCH_COOKIE": cookie}),
        ("verification page", f"/verify/{verify_code}", None, {}),
        (
            "coordinator dashboard",
            f"/coordination/organisations/{organisation_id}",
            header_script,
            {"BENCH_COOKIE": coordinator.cookie_header()},
        ),
        (REFERENCE_PAGES[0], "/privacy", None, {}),
        (REFERENCE_PAGES[1], "/privacy", header_script, {"BENCH_COOKIE": cookie}),
    ]
    rows = []
    for name, path, lua, env in pages:
        if lua is not script:  # a redirect (to sign-in, say) would be measured as a fast page
            assert_page(site + path, env.get("BENCH_COOKIE"))
        before = scored_attempts(app, course_slug, module_slug)
        sent = wrk(site + path, 2, lua, {**env, "BENCH_FIRST": "0"})["requests"]  # warm-up
        rounds = []
        for number in range(1, args.rounds + 1):
            # Each round's submissions start at their own line of the prepared forms: none is sent twice.
            first = number * QUIZ_FORMS // (args.rounds + 1)
            base = wrk(baseline, args.duration)
            measured = wrk(site + path, args.duration, lua, {**env, "BENCH_FIRST": str(first)})
            sent += measured["requests"]
            rounds.append((measured, base))
        ratios = [m["rps"] / b["rps"] for m, b in rounds]
        measured, base = rounds[ratios.index(median(ratios))]
        measured["ratios"] = ratios
        measured["errors"] = sum(m["errors"] for m, _b in rounds)
        measured["requests"] = sum(m["requests"] for m, _b in rounds)
        if lua is script:
            # Each submission must have scored a new attempt, or the run measured something cheaper.
            measured["scored"] = (scored_attempts(app, course_slug, module_slug) - before, sent)
        rows.append((name, path, measured, base))
    return rows


def quiz_forms(app, site, course_slug, module_slug):
    """Prepared quiz submissions for wrk, one per line: session cookie, CSRF token, form token.

    The site signs a quiz form's token when it shows the form; wrk cannot, so the bench signs
    them with the site's secret: each with a fresh seed, so that each request scores a new
    attempt, and dated an hour ahead, since the site takes a form shown before a learner's
    latest attempt for a second tab's and scores nothing. QUIZ_LEARNERS learners who have not
    passed the module take turns, so each makes a few attempts, as in real use.
    """
    from sqlalchemy import exists, select

    from lms.auth.models import User
    from lms.catalog.models import Course, Module
    from lms.extensions import db
    from lms.learning.models import ModuleProgress
    from lms.quizzes import tokens

    with app.test_request_context():
        module = db.session.scalar(
            select(Module).join(Course).where(Course.slug == course_slug, Module.slug == module_slug)
        )
        passed = exists().where(
            ModuleProgress.user_id == User.id,
            ModuleProgress.module_id == module.id,
            ModuleProgress.passed_at.is_not(None),
        )
        learners = db.session.scalars(
            select(User).where(User.role == "learner", User.email.like("learner%"), ~passed).limit(QUIZ_LEARNERS)
        ).all()
        sessions = []
        for learner in learners:
            browser = Browser(site)
            browser.post("/login", {"email": learner.email, "password": PASSWORD})
            browser.post(f"/courses/{course_slug}/enrol", {})
            sessions.append((learner, browser.cookie_header(), browser.csrf()))
        later = time.time() + 3600
        lines = []
        for number in range(QUIZ_FORMS):
            learner, cookie, csrf = sessions[number % len(sessions)]
            lines.append(f"{cookie}\t{csrf}\t{tokens.issue(learner, module, issued_at=later)[0]}")
        return "\n".join(lines) + "\n"


def scored_attempts(app, course_slug, module_slug):
    from sqlalchemy import func, select

    from lms.catalog.models import Course, Module
    from lms.extensions import db
    from lms.quizzes.models import QuizAttempt

    with app.app_context():
        return db.session.scalar(
            select(func.count(QuizAttempt.id))
            .join(Module, Module.id == QuizAttempt.module_id)
            .join(Course)
            .where(Course.slug == course_slug, Module.slug == module_slug)
        )


def coordination_at_scale(work):
    """Build the large coordination data set on its own database; time dashboard and report."""
    from flask_migrate import upgrade

    from lms import create_app

    courses = make_courses(work / "scale-courses", copies=0)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'scale.sqlite'}",
            "COURSES_DIR": str(courses),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "lms" / "migrations"))
    email, organisation_id, attempts = scale.build(app, courses, PASSWORD)
    dashboard, report = scale.server_times(app, email, PASSWORD, organisation_id)
    return dashboard, report, attempts


def time_item_analysis():
    """Time the trainer's item analysis (all attempts of a course, split by language)."""
    from sqlalchemy import func, select

    from lms.catalog.models import Course, Module
    from lms.extensions import db
    from lms.quizzes.models import QuizAttempt
    from lms.quizzes.services import item_analysis

    course_id, attempts = db.session.execute(
        select(Module.course_id, func.count(QuizAttempt.id))
        .join(QuizAttempt, QuizAttempt.module_id == Module.id)
        .group_by(Module.course_id)
        .order_by(func.count(QuizAttempt.id).desc())
        .limit(1)
    ).one()
    course = db.session.get(Course, course_id)
    elapsed, _result = timed(item_analysis, course)
    return elapsed, attempts


def render_report(args, data, rows, memory, tasks):
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    lines = [
        "# Performance",
        "",
        f"Measured {datetime.date.today().isoformat()} with `make bench` on {os.cpu_count()} cores ({cpu}),",
        f"Python {platform.python_version()}, gunicorn with {args.workers} sync workers, SQLite, "
        f"wrk -t2 -c16 -d{args.duration}s on the same machine, {args.rounds} rounds per row.",
        "",
        f"Generated data: {data['courses']} courses with {data['modules']} modules, {data['learners']} accounts, "
        f"{data['enrolments']} enrolments, {data['attempts']} quiz attempts.",
        "",
        "Each page is measured right after the bare Flask + Jinja + SQLite baseline page (three queries, a",
        "template of similar size); targets: req/s at least 50 % of the baseline, p99 at most 3× the baseline.",
        f"Baseline and page take turns {args.rounds} times; the row shows the round with the median req/s ratio,",
        "and the last column the ratios of all rounds, lowest to highest. Tasks: the median time, with the",
        "fastest and the slowest in brackets.",
        "The two privacy-notice rows are references without a target: the same static text for a visitor and",
        "signed in, so the difference is what signing in alone costs every signed-in page.",
        "",
        "| page | req/s | p50 ms | p99 ms | baseline req/s | baseline p99 ms | req/s ratio | p99 ratio | target "
        "| req/s ratios of the rounds |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    notes = []
    for name, _path, m, b in rows:
        ratio, p99_ratio = m["rps"] / b["rps"], m["p99"] / b["p99"]
        scored, sent = m.get("scored", (0, 0))
        ok = ratio >= TARGET_RATIO and p99_ratio <= TARGET_P99 and m["errors"] == 0 and scored >= sent
        verdict = "no target" if name in REFERENCE_PAGES else "met" if ok else "MISSED"
        lines.append(
            f"| {name} | {m['rps']:.0f} | {m['p50']:.1f} | {m['p99']:.1f} | {b['rps']:.0f} | "
            f"{b['p99']:.1f} | {ratio:.2f} | {p99_ratio:.2f} | {verdict} | "
            f"{', '.join(f'{r:.2f}' for r in sorted(m['ratios']))} |"
        )
        if m["errors"]:
            notes.append(f"{name}: {m['errors']} of {m['requests']} responses were errors (4xx/5xx).")
        if "scored" in m:
            notes.append(
                f"{name}: {scored} new attempts for {sent} completed submissions, warm-up included "
                f"({QUIZ_LEARNERS} learners taking turns; submissions still open when wrk stops are "
                "scored but not counted by wrk, so there may be a few more attempts than submissions)."
            )
    lines += ["", *notes] if notes else []
    lines += [
        "",
        "| task | time |",
        "|---|---|",
        *(f"| {label} | {value} |" for label, value in tasks),
        "",
        f"Peak memory per worker (VmHWM): {', '.join(f'{m:.0f} MB' for m in memory)} "
        f"(target ≤ {TARGET_MEMORY_MB} MB: {'met' if memory and max(memory) <= TARGET_MEMORY_MB else 'MISSED'}).",
        "",
        "Run-to-run noise on a shared machine is about ±25 %; compare ratios, not absolute numbers.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
