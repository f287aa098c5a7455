"""The learner dashboard counts passed and active modules per course."""

from datetime import timedelta

from sqlalchemy import select

from lms.auth.models import User
from lms.catalog.models import Module
from lms.extensions import db
from lms.learning.models import Enrolment
from lms.learning.services import course_overview, enrol, mark_viewed, record_quiz_result
from tests.test_query_counts import _course


def test_overview_counts_passed_and_active_modules_newest_course_first(app, create_user):
    learner = create_user()
    other = create_user(email="other@example.org")
    with app.app_context():
        user = db.session.get(User, learner.id)
        first = _course("erster-kurs", 4)
        second = _course("zweiter-kurs", 2)
        modules = db.session.scalars(select(Module).where(Module.course_id == first.id).order_by(Module.position)).all()
        modules[3].is_active = False  # retired from the course: counts neither way
        enrol(user, first)
        record_quiz_result(user, modules[0], 100.0, True)
        record_quiz_result(user, modules[3], 100.0, True)  # passed before it was retired
        mark_viewed(user, modules[1])  # read, not passed
        record_quiz_result(db.session.get(User, other.id), modules[2], 100.0, True)  # someone else's
        enrol(user, second)
        db.session.flush()
        newer = db.session.scalar(select(Enrolment).where(Enrolment.course_id == second.id))
        newer.enrolled_at += timedelta(minutes=1)
        db.session.commit()

        overview = [(e.course.slug, passed, total) for e, passed, total in course_overview(user)]
    assert overview == [("zweiter-kurs", 0, 2), ("erster-kurs", 1, 3)]


def test_dashboard_shows_the_counts(app, client, create_user):
    learner = create_user()
    with app.app_context():
        course = _course("kurs", 3)
        user = db.session.get(User, learner.id)
        enrol(user, course)
        record_quiz_result(user, course.modules[0], 100.0, True)
        db.session.commit()
    client.login(learner.email)
    page = client.get("/me").get_data(as_text=True)
    assert '<progress max="3" value="1"' in page
