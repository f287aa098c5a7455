"""Signals between features, so that no feature imports another's views.

course_completed(sender=app, user=User, course=Course, enrolment=Enrolment)
    Sent by learning when a learner has passed every active module of a course,
    inside the request's transaction; receivers may flush, never commit.
"""

from blinker import Namespace

_signals = Namespace()

course_completed = _signals.signal("course-completed")
