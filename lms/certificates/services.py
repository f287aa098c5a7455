"""Issuing, finding and revoking certificates. Flushes only."""

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models_mixins import utcnow
from ..signals import course_completed
from . import codes
from .models import Certificate

logger = logging.getLogger(__name__)


def valid_certificate(user, course, kind="completion"):
    return db.session.scalar(
        select(Certificate).where(
            Certificate.user_id == user.id,
            Certificate.course_id == course.id,
            Certificate.kind == kind,
            Certificate.revoked_at.is_(None),
            Certificate.superseded_by_id.is_(None),
        )
    )


def issue_certificate(user, course, kind="completion"):
    """Issue user's certificate for course, or return the valid one already issued."""
    existing = valid_certificate(user, course, kind)
    if existing is not None:
        return existing
    language = user.locale or course.source_language
    certificate = Certificate(
        user_id=user.id,
        course_id=course.id,
        kind=kind,
        printed_name=user.legal_name,
        native_name=user.native_name,
        course_title_de=course.title_in("de"),
        course_title_local=course.titles.get(language) if language != "de" else None,
        course_version=course.version,
        legal_status=course.legal_status,
        hours=course.certificate_hours,
        language=language,
    )
    for _attempt in range(3):  # a code collision is astronomically rare; retry anyway
        certificate.code = codes.new_code()
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
            break
        except IntegrityError:
            continue  # the savepoint rolled back; draw a new code
    else:
        raise RuntimeError("could not draw an unused certificate code")
    logger.info("Certificate %s issued to user %s for course %s", certificate.code, user.id, course.slug)
    return certificate


def find_by_code(text):
    """Return the certificate for a typed or scanned code, or None."""
    code = codes.normalise(text)
    if code is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def certificates_of(user):
    return db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.issued_at.desc())
    ).all()


def revoke(certificate, reason, actor):
    """Revoke a certificate; verification shows the reason and the date."""
    if certificate.revoked_at is not None:
        return certificate
    certificate.revoked_at = utcnow()
    certificate.revoke_reason = reason.strip()
    db.session.flush()
    logger.info("Certificate %s revoked by user %s", certificate.code, actor.id)
    return certificate


def _on_course_completed(sender, user, course, **extra):
    if course.certificate_kind == "completion":
        issue_certificate(user, course, "completion")


def connect_signals():
    """Issue a completion certificate when learning reports a completed course."""
    course_completed.connect(_on_course_completed)
