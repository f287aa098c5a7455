"""Generated data for the benchmark: courses, learners, enrolments, attempts, certificates."""

import random
import shutil
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from lms.auth.models import User
from lms.catalog.models import Course, Module
from lms.catalog.queries import active_questions
from lms.catalog.services import sync_courses
from lms.certificates.services import issue_certificate
from lms.extensions import db
from lms.learning.models import Enrolment, ModuleProgress
from lms.models_mixins import utcnow
from lms.quizzes.grading import grade
from lms.quizzes.models import QuizAttempt

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-passwort-2026"


def make_courses(target, copies):
    """The real curriculum plus `copies` renamed copies of each course, so the catalogue has weight."""
    target.mkdir(parents=True, exist_ok=True)
    for course in sorted((ROOT / "courses").iterdir()):
        if not (course / "course.yml").exists() or course.name.startswith("_"):
            continue
        shutil.copytree(course, target / course.name)
        for number in range(1, copies + 1):
            shutil.copytree(course, target / f"{course.name}-{number}")
    return target


def fill(app, courses_dir, learners=1000, attempts_per_learner=10, certificates=200, seed=7):
    """Sync the courses and add learners with enrolments, attempts and certificates."""
    rng = random.Random(seed)
    with app.app_context():
        sync_courses(courses_dir)
        db.session.commit()
        courses = db.session.scalars(select(Course).order_by(Course.slug)).all()
        modules = {c.id: list(c.modules) for c in courses}
        specs = {m.id: {q.key: q.spec for q in active_questions(m)} for ms in modules.values() for m in ms}
        from lms.auth.services import create_user

        create_user("bench@example.org", PASSWORD, "Bench Lernende", "بنش", "de")
        admin = create_user("admin@example.org", PASSWORD, "Bench Admin", None, "de", "admin")
        coordinator = create_user("coordinator@example.org", PASSWORD, "Bench Koordination", None, "de", "coordinator")
        hashed = db.session.scalar(select(User.password_hash).where(User.email == "bench@example.org"))
        db.session.execute(
            insert(User),
            [
                {
                    "email": f"learner{n}@example.org",
                    "password_hash": hashed,
                    "legal_name": f"Lernende {n}",
                    "native_name": None,
                    "locale": rng.choice(["de", "tr", "ar", "en"]),
                    "role": "learner",
                    "is_active_account": True,
                    "created_at": utcnow(),
                }
                for n in range(learners)
            ],
        )
        users = db.session.scalars(select(User).order_by(User.id)).all()
        enrolments, attempts, progress = [], [], []
        for user in users:
            for course in rng.sample(courses, k=min(3, len(courses))):
                enrolments.append({"user_id": user.id, "course_id": course.id, "enrolled_at": utcnow()})
                for module in modules[course.id][: attempts_per_learner // 3 + 1]:
                    result = grade(specs[module.id], random_answers(rng, specs[module.id]))
                    score = result.score
                    attempts.append(
                        {
                            "user_id": user.id,
                            "module_id": module.id,
                            "module_version": 1,
                            "number": 1,
                            "language": user.locale or "de",
                            "token": f"gen-{user.id}-{module.id}",
                            "answers": result.answers,
                            "points": result.points,
                            "score": score,
                            "passed": score >= 80,
                            "submitted_at": utcnow(),
                        }
                    )
                    progress.append(
                        {
                            "user_id": user.id,
                            "module_id": module.id,
                            "first_viewed_at": utcnow(),
                            "best_score": score,
                            "passed_at": utcnow() if score >= 80 else None,
                        }
                    )
        db.session.execute(insert(Enrolment), enrolments)
        db.session.execute(insert(QuizAttempt), attempts)
        db.session.execute(insert(ModuleProgress), progress)
        first = courses[0]
        for user in users[:certificates]:
            issue_certificate(user, first)
        learners = [u for u in users if u.role == "learner"]
        _organisation(admin, coordinator, learners[: len(learners) // 3])
        db.session.commit()
        return {
            "courses": len(courses),
            "modules": sum(len(m) for m in modules.values()),
            "learners": len(users),
            "enrolments": len(enrolments),
            "attempts": len(attempts),
        }


def random_answers(rng, specs):
    """Answers as learners might give them, right or wrong, for the item analysis to chew on."""
    answers = {}
    for key, spec in specs.items():
        kind = spec["type"]
        if kind == "single":
            answers[key] = spec["correct"] if rng.random() < 0.6 else [rng.randrange(spec["options"])]
        elif kind == "multiple":
            answers[key] = sorted(rng.sample(range(spec["options"]), k=rng.randint(1, spec["options"])))
        elif kind == "truefalse":
            answers[key] = rng.choice([True, False])
        elif kind in ("ordering", "matching"):
            places = list(range(1, spec.get("items", spec.get("pairs", 0)) + 1))
            if rng.random() < 0.5:
                rng.shuffle(places)
            answers[key] = places
        elif kind == "numeric":
            answers[key] = str(Decimal(spec["value"]) + rng.choice([0, 0, 1, -10]))
    return answers


def _organisation(admin, coordinator, members):
    """One organisation with a third of the learners, coordinated by the bench coordinator."""
    from lms.coordination.models import OrganisationMember
    from lms.coordination.services import add_member, create_organisation

    organisation = create_organisation("Bench-Verein", "Köln", admin)
    add_member(organisation, coordinator, is_coordinator=True, actor=admin)
    db.session.execute(
        insert(OrganisationMember),
        [{"organisation_id": organisation.id, "user_id": u.id, "joined_at": utcnow()} for u in members],
    )


def coordinator_target(app):
    """The id of the bench organisation, for the coordinator dashboard."""
    from lms.coordination.models import Organisation

    with app.app_context():
        return db.session.scalar(select(Organisation.id))


def quiz_target(app):
    """The first module of the first course and its first question key, for the POST benchmark."""
    with app.app_context():
        module = db.session.scalar(select(Module).join(Course).order_by(Course.slug, Module.position))
        return module.course.slug, module.slug, active_questions(module)[0].key


def make_sync_corpus(target, courses=3, modules=20, languages=("de", "tr", "ar", "en")):
    """Courses of `modules` modules in `languages`, built from a real module of the curriculum."""
    source_course = ROOT / "courses" / "vereinsrecht"
    source_module = source_course / "01-verein-gruenden"
    for number in range(courses):
        course = target / f"sync-kurs-{number}"
        course.mkdir(parents=True)
        shutil.copy(source_course / "course.yml", course / "course.yml")
        shutil.copy(source_course / "glossary.yml", course / "glossary.yml")
        for position in range(1, modules + 1):
            module = course / f"{position:02d}-modul-{position}"
            module.mkdir()
            for language in languages:
                shutil.copy(source_module / f"{language}.md", module / f"{language}.md")
    return target
