"""Coordination at scale: 100 organisations, 10,000 learners, 100,000 quiz attempts.

Builds the data with bulk inserts on its own SQLite database and times the pages whose
budget the coordination issue sets (< 200 ms server time each): a coordinator's dashboard
and the evaluation report. Server time is measured in-process with the test client (the
median of several requests), so the load generator's share of the two cores does not count.
"""

import random
import re
import statistics
import time
from datetime import timedelta

from sqlalchemy import insert, select

ORGANISATIONS = 100
LEARNERS = 10_000
ATTEMPTS = 100_000


def build(app, courses_dir, password, seed=11):
    """Fill the app's (migrated) database; return (coordinator e-mail, organisation id)."""
    from lms.auth.models import User
    from lms.auth.services import create_user
    from lms.catalog.models import Course
    from lms.catalog.queries import active_questions
    from lms.catalog.services import sync_courses
    from lms.coordination.models import Organisation, OrganisationMember
    from lms.extensions import db
    from lms.learning.models import Enrolment, ModuleProgress
    from lms.models_mixins import utcnow
    from lms.quizzes.models import QuizAttempt

    rng = random.Random(seed)
    with app.app_context():
        sync_courses(courses_dir)
        db.session.commit()
        courses = db.session.scalars(select(Course).order_by(Course.slug)).all()
        modules = [(c.id, m.id, [q.key for q in active_questions(m)]) for c in courses for m in c.modules]
        coordinator = create_user("scale-coordinator@example.org", password, "Koordination", None, "de", "coordinator")
        hashed = coordinator.password_hash
        now = utcnow()
        db.session.execute(
            insert(Organisation),
            [{"name": f"Verein {n:03d}", "city": "Köln", "created_at": now} for n in range(ORGANISATIONS)],
        )
        db.session.execute(
            insert(User),
            [
                {
                    "email": f"scale{n}@example.org",
                    "password_hash": hashed,
                    "legal_name": f"Lernende {n:05d}",
                    "locale": rng.choice(["de", "tr", "ar", "en"]),
                    "role": "learner",
                    "is_active_account": True,
                    "created_at": now,
                }
                for n in range(LEARNERS)
            ],
        )
        organisation_ids = db.session.scalars(select(Organisation.id).order_by(Organisation.id)).all()
        learner_ids = db.session.scalars(select(User.id).where(User.role == "learner").order_by(User.id)).all()
        members = [
            {"organisation_id": organisation_ids[i % ORGANISATIONS], "user_id": uid, "joined_at": now}
            for i, uid in enumerate(learner_ids)
        ]
        members.append({"organisation_id": organisation_ids[0], "user_id": coordinator.id, "is_coordinator": True,
                        "joined_at": now})  # fmt: skip
        db.session.execute(insert(OrganisationMember), members)
        enrolments, progress, attempts = [], [], []
        per_learner = ATTEMPTS // LEARNERS
        for uid in learner_ids:
            course_ids = rng.sample([c.id for c in courses], k=min(2, len(courses)))
            for course_id in course_ids:
                started = now - timedelta(days=rng.randint(1, 400))
                done = rng.random() < 0.3
                finished = started + timedelta(days=rng.randint(3, 90)) if done else None
                enrolments.append(
                    {"user_id": uid, "course_id": course_id, "enrolled_at": started, "completed_at": finished}
                )
            own = [m for m in modules if m[0] in course_ids]
            for n in range(per_learner):
                _course, module_id, keys = own[n % len(own)]
                score = rng.choice([40.0, 60.0, 80.0, 100.0])
                attempts.append({
                    "user_id": uid, "module_id": module_id, "module_version": 1, "number": n // len(own) + 1,
                    "language": "de",
                    "token": f"s-{uid}-{n}", "answers": {k: [0] for k in keys[:3]}, "points": {},
                    "score": score, "passed": score >= 80,
                    "submitted_at": now - timedelta(days=rng.randint(0, 400)),
                })  # fmt: skip
            for _course, module_id, _keys in own[:per_learner]:
                progress.append({"user_id": uid, "module_id": module_id, "first_viewed_at": now,
                                 "best_score": 80.0, "passed_at": now})  # fmt: skip
        db.session.execute(insert(Enrolment), enrolments)
        db.session.execute(insert(ModuleProgress), progress)
        for start in range(0, len(attempts), 20_000):
            db.session.execute(insert(QuizAttempt), attempts[start : start + 20_000])
        db.session.commit()
        return coordinator.email, organisation_ids[0], len(attempts)


def server_times(app, email, password, organisation_id):
    """Median milliseconds of the dashboard and the evaluation report (signed in as coordinator/admin)."""
    from lms.auth.models import User
    from lms.auth.services import set_role
    from lms.extensions import db

    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    dashboard = _median(client, f"/coordination/organisations/{organisation_id}")
    with app.app_context():  # the report is for admins
        user = db.session.scalar(select(User).where(User.email == email))
        set_role(user, "admin", user)
        db.session.commit()
    report = _median(client, f"/coordination/evaluation?year={time.gmtime().tm_year}")
    return dashboard, report


def _median(client, path, runs=7):
    assert client.get(path).status_code == 200, path  # warm caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(times)
