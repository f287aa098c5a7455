"""A course is completed when every module is passed; a module without a quiz by reading it."""

from sqlalchemy import select

from lms.auth.models import User
from lms.catalog.models import Module
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.learning.models import Enrolment
from lms.learning.services import enrol, mark_viewed, record_quiz_result
from tests.test_query_counts import _course


def test_a_module_without_a_quiz_is_passed_by_reading_and_the_course_completes(app, create_user):
    learner = create_user()
    with app.app_context():
        course = _course("lesen-und-quiz", 2)
        reading = db.session.scalar(select(Module).where(Module.course_id == course.id, Module.position == 1))
        reading.questions.clear()  # the second module has nothing to answer
        user = db.session.get(User, learner.id)
        enrol(user, course)
        db.session.commit()

        quiz_module = db.session.scalar(select(Module).where(Module.course_id == course.id, Module.position == 0))
        record_quiz_result(user, quiz_module, 100.0, True)
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))
        assert enrolment.completed_at is None  # the reading module is not read yet
        mark_viewed(user, quiz_module)  # viewing a module with a quiz passes nothing
        assert enrolment.completed_at is None
        mark_viewed(user, reading)
        db.session.commit()
        assert enrolment.completed_at is not None
        assert db.session.scalar(select(Certificate).where(Certificate.user_id == user.id)) is not None
