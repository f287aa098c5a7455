"""Issuing exactly once, revocation that sticks, and reissue with a pointer to the new code."""

import threading

from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.catalog.models import Course
from lms.certificates import codes
from lms.certificates.models import Certificate
from lms.certificates.services import issue_certificate, reissue, revoke
from lms.extensions import db


def _course():
    return db.session.scalar(select(Course))


def _count():
    return db.session.scalar(select(func.count()).select_from(Certificate))


def test_concurrent_issuance_yields_one_certificate(app, synced, create_user):
    user = create_user()
    barrier = threading.Barrier(4)
    codes_seen, errors = [], []

    def issue():
        try:
            with app.app_context():
                learner = db.session.get(User, user.id)
                course = _course()
                barrier.wait()
                certificate = issue_certificate(learner, course)
                db.session.commit()
                codes_seen.append(certificate.code)
        except Exception as exc:  # noqa: BLE001 - reported below with the thread's view
            errors.append(repr(exc))

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        assert _count() == 1
        stored = db.session.scalar(select(Certificate.code))
    # Every request that got an answer got the one certificate; none got a second code.
    assert set(codes_seen) <= {stored} and codes_seen, errors


def test_database_refuses_a_second_current_certificate(ctx, synced, create_user):
    user = create_user()
    course = _course()
    first = issue_certificate(user, course)
    duplicate = Certificate(
        code=codes.new_code(),
        user_id=user.id,
        course_id=course.id,
        kind="completion",
        printed_name="x",
        course_title_de="x",
        course_version=first.course_version,
        legal_status=first.legal_status,
        hours=first.hours,
        language="de",
    )
    db.session.add(duplicate)
    try:
        db.session.flush()
    except Exception as exc:  # noqa: BLE001
        assert "UNIQUE" in str(exc).upper() or "unique" in str(exc)
        db.session.rollback()
    else:
        raise AssertionError("the unique index let a second current certificate through")


def test_a_revoked_certificate_is_not_issued_again_by_itself(ctx, synced, create_user):
    user = create_user()
    admin = create_user(role="admin")
    course = _course()
    revoke(issue_certificate(user, course), "Täuschung", admin)
    assert issue_certificate(user, course) is None
    assert _count() == 1
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.revoke"))
    assert entry.actor_id == admin.id and entry.details["reason"] == "Täuschung"


def test_reissue_supersedes_and_points_to_the_new_code(app, client, synced, create_user):
    with app.app_context():
        user = create_user(legal_name="Ayse Yilmaz")
        admin = create_user(role="admin")
        course = _course()
        old = issue_certificate(db.session.get(User, user.id), course)
        db.session.get(User, user.id).legal_name = "Ayşe Yılmaz"  # the learner corrected the spelling
        new = reissue(old, db.session.get(User, admin.id), "Schreibweise des Namens")
        db.session.commit()
        old_code, new_code = old.display_code, new.display_code
        assert new.printed_name == "Ayşe Yılmaz" and old.printed_name == "Ayse Yilmaz"
        assert new.course_version == old.course_version and new.code != old.code
        assert old.status == "superseded" and new.status == "valid"
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.subject_id == old.id)) == (
            "certificate.reissue"
        )
    page = client.get(f"/verify/{old_code}").get_data(as_text=True)
    assert "result-bad" in page and "Schreibweise des Namens" in page
    assert f'href="/verify/{new_code}"' in page
    assert "result-ok" in client.get(f"/verify/{new_code}").get_data(as_text=True)
