"""A person's data as a file, and deleting (anonymising) an account. They flush; callers commit.

Deleting an account anonymises it: name, e-mail address and password go, the account can no
longer sign in; enrolments, quiz attempts and attendance stay without a name, so the
figures of courses and of the evaluation report do not change. Issued certificates stay
verifiable only if the person chooses so; otherwise they are revoked and lose the name too.
"""

import io
import json
import secrets
import zipfile
from datetime import timedelta

from sqlalchemy import delete, func, select

from ..audit.services import record
from ..auth.models import User
from ..catalog.models import Course, Module
from ..certificates.pdf import render_certificates_pdf
from ..certificates.services import certificates_of, revoke
from ..coordination.models import Attendance, CohortMember, CohortSession, Organisation, OrganisationMember
from ..extensions import db
from ..learning.models import Enrolment, ModuleProgress
from ..models_mixins import utcnow
from ..quizzes.models import QuizAttempt

DELETED_NAME = "—"


def _iso(value):
    return value.isoformat() if value is not None else None


def personal_data(user):
    """Everything the site stores about user, as plain JSON-ready data."""
    courses = dict(db.session.execute(select(Course.id, Course.slug)).all())
    modules = dict(db.session.execute(select(Module.id, Module.slug)).all())
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id)).all()
    progress = db.session.scalars(select(ModuleProgress).where(ModuleProgress.user_id == user.id)).all()
    attempts = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id)).all()
    memberships = db.session.execute(
        select(Organisation.name, OrganisationMember.is_coordinator)
        .join(Organisation)
        .where(OrganisationMember.user_id == user.id)
    ).all()
    cohorts = db.session.execute(select(CohortMember.cohort_id).where(CohortMember.user_id == user.id)).scalars().all()
    attendance = db.session.execute(
        select(CohortSession.cohort_id, CohortSession.held_on, CohortSession.title)
        .join(Attendance, Attendance.session_id == CohortSession.id)
        .where(Attendance.user_id == user.id)
    ).all()
    return {
        "account": {
            "email": user.email,
            "legal_name": user.legal_name,
            "native_name": user.native_name,
            "language": user.locale,
            "role": user.role,
            "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at),
        },
        "organisations": [{"name": name, "coordinator": bool(is_coordinator)} for name, is_coordinator in memberships],
        "cohorts": list(cohorts),
        "attendance": [{"cohort": c, "date": _iso(d), "session": t} for c, d, t in attendance],
        "enrolments": [
            {
                "course": courses.get(e.course_id),
                "enrolled_at": _iso(e.enrolled_at),
                "completed_at": _iso(e.completed_at),
            }
            for e in enrolments
        ],
        "module_progress": [
            {
                "module": modules.get(p.module_id),
                "first_viewed_at": _iso(p.first_viewed_at),
                "passed_at": _iso(p.passed_at),
            }
            for p in progress
        ],
        "quiz_attempts": [
            {
                "module": modules.get(a.module_id),
                "module_version": a.module_version,
                "language": a.language,
                "answers": a.answers,
                "score": a.score,
                "passed": a.passed,
                "submitted_at": _iso(a.submitted_at),
            }
            for a in attempts
        ],
        "certificates": [
            {
                "code": c.display_code,
                "kind": c.kind,
                "course": c.course_title_de,
                "printed_name": c.printed_name,
                "native_name": c.native_name,
                "issued_at": _iso(c.issued_at),
                "status": c.status,
            }
            for c in certificates_of(user)
        ],
    }


def data_archive(user):
    """A ZIP with my-data.json (every certificate listed, with its status) and the valid ones as PDF."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("my-data.json", json.dumps(personal_data(user), ensure_ascii=False, indent=2))
        for certificate in (c for c in certificates_of(user) if c.status == "valid"):
            archive.writestr(f"certificates/{certificate.display_code}.pdf", render_certificates_pdf([certificate]))
    return buffer.getvalue()


def delete_account(user, keep_certificates, actor):
    """Anonymise user's account; revoke (and unname) the certificates unless keep_certificates."""
    for certificate in certificates_of(user):
        if not keep_certificates:
            revoke(certificate, "Konto gelöscht / account deleted", actor)
            certificate.printed_name = DELETED_NAME
            certificate.native_name = None
    record(actor, "user.delete", user, certificates_kept=keep_certificates)
    user.email = f"deleted-{user.id}-{secrets.token_hex(4)}@deleted.invalid"
    user.legal_name = DELETED_NAME
    user.native_name = None
    user.password_hash = "!" + secrets.token_hex(32)  # matches no password
    user.is_active_account = False
    user.locale = None
    user.deleted_at = utcnow()
    db.session.execute(delete(OrganisationMember).where(OrganisationMember.user_id == user.id))
    db.session.flush()


def inactive_accounts(years, now=None):
    """Learner accounts nobody has used for `years` years (never signed in: since creation)."""
    cutoff = (now or utcnow()) - timedelta(days=round(365.25 * years))
    last_seen = func.coalesce(User.last_login_at, User.created_at)
    return db.session.scalars(
        select(User).where(User.deleted_at.is_(None), User.role == "learner", last_seen < cutoff).order_by(User.id)
    ).all()


def purge_inactive(years):
    """Delete accounts inactive for `years` years; their certificates stay verifiable. Return the count."""
    accounts = inactive_accounts(years)
    for user in accounts:
        delete_account(user, keep_certificates=True, actor=None)
    return len(accounts)
