"""Issuing, finding and revoking certificates. Flushes only."""

import logging
from decimal import Decimal

from flask import current_app
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..catalog.queries import module_titles
from ..extensions import db
from ..models_mixins import utcnow
from ..signals import course_completed
from . import codes
from .models import Certificate

logger = logging.getLogger(__name__)


def valid_certificate(user, course, kind="completion"):
    """The learner's current certificate of this kind for the course (any version), or None."""
    return _current_in_slot(user.id, course.id, kind, None)


def _slot(user_id, course_id, kind, cohort_id):
    """Conditions of the slot the unique indexes guard: per course and kind, or per cohort."""
    conditions = [Certificate.user_id == user_id, Certificate.superseded_at.is_(None)]
    if cohort_id is None:
        conditions += [Certificate.course_id == course_id, Certificate.kind == kind, Certificate.cohort_id.is_(None)]
    else:
        conditions.append(Certificate.cohort_id == cohort_id)
    return conditions


def _current_in_slot(user_id, course_id, kind, cohort_id):
    """The current (not revoked, not replaced) certificate in a slot, or None."""
    return db.session.scalar(
        select(Certificate).where(*_slot(user_id, course_id, kind, cohort_id), Certificate.revoked_at.is_(None))
    )


def _revoked_in_slot(user, course, kind, cohort_id=None):
    """Tell whether the slot's last certificate was revoked (for a course: of its current version)."""
    conditions = [*_slot(user.id, course.id, kind, cohort_id), Certificate.revoked_at.is_not(None)]
    if cohort_id is None:
        conditions.append(Certificate.course_version == course.version)
    return db.session.scalar(select(Certificate.id).where(*conditions)) is not None


def issue_certificate(user, course, kind="completion"):
    """Issue user's certificate for course, or return the current one; exactly once, also under concurrency.

    A certificate revoked for this course version is not issued again by itself: staff decide
    (reissue). Returns None then.
    """
    existing = valid_certificate(user, course, kind)
    if existing is not None:
        return existing
    if _revoked_in_slot(user, course, kind):
        logger.info("No new certificate for user %s, course %s: the last one was revoked", user.id, course.slug)
        return None
    certificate = _snapshot(user, course, kind)
    if not _insert_with_new_code(certificate):
        # Another request issued it at the same moment; the unique index let only one through.
        return valid_certificate(user, course, kind)
    logger.info("Certificate %s issued to user %s for course %s", certificate.code, user.id, course.slug)
    return certificate


def _snapshot(user, course, kind, template=None):
    """A new certificate with today's printed fields.

    For a reissue the course fields are those of the original (template): a name correction
    must not change what the learner completed.
    """
    language = user.locale or course.source_language
    certificate = Certificate(
        user_id=user.id,
        course_id=course.id,
        kind=kind,
        printed_name=user.legal_name,
        native_name=user.native_name,
        language=language,
        course_title_local=course.titles.get(language) if language != "de" else None,
    )
    if template is not None:
        for name in COURSE_FIELDS:
            setattr(certificate, name, getattr(template, name))
        certificate.language, certificate.course_title_local = template.language, template.course_title_local
        return certificate
    certificate.course_title_de = course.title_in("de")
    certificate.course_version = course.version
    certificate.legal_status = course.legal_status
    certificate.hours = course.certificate_hours
    certificate.modules = module_units(course)
    certificate.organisation_name = current_app.config["ORGANISATION_NAME"]
    certificate.place = current_app.config["ORGANISATION_PLACE"]
    return certificate


# Printed fields that describe the course, not the person: kept when a certificate is reissued.
COURSE_FIELDS = (
    "cohort_id",
    "course_title_de",
    "course_version",
    "legal_status",
    "hours",
    "modules",
    "organisation_name",
    "place",
    "event_start",
    "event_end",
)
MINUTES_PER_UNIT = 45  # one Unterrichtseinheit (UE)


def module_units(course):
    """[{title, units}] of the course's modules in German; units in UE of 45 minutes, to the half."""
    titles = module_titles(course, "de")
    return [
        {
            "title": titles.get(module.id, module.slug),
            "units": str(Decimal(round(module.minutes * 2 / MINUTES_PER_UNIT)) / 2) if module.minutes else None,
        }
        for module in course.modules
    ]


def _insert_with_new_code(certificate):
    """Insert with a fresh code; False if the learner's current certificate exists already."""
    for _attempt in range(3):
        certificate.code = codes.new_code()
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
            return True
        except IntegrityError:  # the savepoint rolled back and took the certificate out again
            slot = (certificate.user_id, certificate.course_id, certificate.kind, certificate.cohort_id)
            if _current_in_slot(*slot) is not None:
                return False
            # else: a code collision, astronomically rare; draw again
    raise RuntimeError("could not draw an unused certificate code")


def reissue(certificate, actor, reason):
    """Replace a certificate by one with the learner's current name; the old one points to it.

    For corrections (a misspelt name): the course fields stay those of the original.
    """
    if certificate.status != "valid":
        raise ValueError("only a valid certificate can be reissued")
    if certificate.user.deleted_at is not None:
        raise ValueError("a deleted account has no name to reissue with")
    user, course = certificate.user, certificate.course
    certificate.superseded_at = utcnow()  # frees the learner's slot in the unique index
    certificate.supersede_reason = reason.strip()
    db.session.flush()
    replacement = _snapshot(user, course, certificate.kind, template=certificate)
    if not _insert_with_new_code(replacement):
        raise RuntimeError("a current certificate appeared during the reissue")
    certificate.superseded_by_id = replacement.id
    db.session.flush()
    record(actor, "certificate.reissue", certificate, new_code=replacement.code, reason=reason.strip())
    logger.info("Certificate %s reissued as %s by user %s", certificate.code, replacement.code, actor.id)
    return replacement


def find_by_code(text):
    """Return the certificate for a typed or scanned code, or None."""
    code = codes.normalise(text)
    if code is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def certificate_row(text):
    """The whole row of the certificate for a typed or scanned code, as plain values (no ORM object), or None."""
    code = codes.normalise(text)
    if code is None:
        return None
    return db.session.execute(_ROW_BY_CODE, {"code": code}).first()


_ROW_BY_CODE = select(Certificate.__table__).where(Certificate.code == bindparam("code"))  # built once


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
    record(actor, "certificate.revoke", certificate, code=certificate.code, reason=certificate.revoke_reason)
    logger.info("Certificate %s revoked by user %s", certificate.code, actor.id)
    return certificate


def _on_course_completed(sender, user, course, **extra):
    if course.certificate_kind == "completion":
        issue_certificate(user, course, "completion")


def connect_signals():
    """Issue a completion certificate when learning reports a completed course."""
    course_completed.connect(_on_course_completed)


STATUSES = ("valid", "revoked", "superseded")


def certificate_query(search="", course_id=None, status=None, kind=None):
    """A select of certificates matching the staff list's filters, newest first."""
    stmt = select(Certificate).order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    if search:
        code = codes.normalise(search)
        like = f"%{search.lower()}%"
        conditions = [func.lower(Certificate.printed_name).like(like), func.lower(Certificate.native_name).like(like)]
        if code:
            conditions.append(Certificate.code == code)
        stmt = stmt.where(or_(*conditions))
    if course_id:
        stmt = stmt.where(Certificate.course_id == course_id)
    if kind:
        stmt = stmt.where(Certificate.kind == kind)
    if status == "valid":
        stmt = stmt.where(Certificate.revoked_at.is_(None), Certificate.superseded_at.is_(None))
    elif status == "revoked":
        stmt = stmt.where(Certificate.revoked_at.is_not(None))
    elif status == "superseded":
        stmt = stmt.where(Certificate.superseded_at.is_not(None), Certificate.revoked_at.is_(None))
    return stmt


def sample_certificate(kind):
    """An unsaved certificate with sample data in German and Arabic, to check a layout."""
    today = utcnow()
    return Certificate(
        code=codes.new_code(),
        kind=kind,
        printed_name="Erika Mustermann",
        native_name="إريكا موسترمان",
        course_title_de="Vereinsrecht und Gemeinnützigkeit",
        course_title_local="قانون الجمعيات والنفع العام",
        course_version="2026.1",
        legal_status=today.date(),
        hours=Decimal(12),
        language="ar",
        modules=[{"title": f"Modul {n}: Beispielinhalt", "units": "1.5"} for n in range(1, 8)],
        organisation_name=current_app.config["ORGANISATION_NAME"],
        place=current_app.config["ORGANISATION_PLACE"],
        event_start=today.date() if kind == "attendance" else None,
        event_end=today.date() if kind == "attendance" else None,
        issued_at=today,
    )


def issue_attendance_certificate(user, cohort, attended, actor):
    """Issue the attendance certificate of user for an in-person cohort; exactly once per cohort.

    attended: [(held_on, title, units)] of the sessions the person was present at (not empty).
    Returns the current certificate, or None if one for this cohort was revoked (staff decide).
    """
    existing = _current_in_slot(user.id, cohort.course_id, "attendance", cohort.id)
    if existing is not None:
        return existing
    if _revoked_in_slot(user, cohort.course, "attendance", cohort.id):
        return None
    course = cohort.course
    certificate = _snapshot(user, course, "attendance")
    certificate.cohort_id = cohort.id
    certificate.hours = sum((Decimal(units) for _day, _title, units in attended), Decimal(0))
    certificate.modules = [
        {"title": f"{day.strftime('%d.%m.%Y')}: {title}" if title else day.strftime("%d.%m.%Y"), "units": str(units)}
        for day, title, units in attended
    ]
    certificate.event_start = min(day for day, _title, _units in attended)
    certificate.event_end = max(day for day, _title, _units in attended)
    certificate.place = cohort.place or certificate.place
    if not _insert_with_new_code(certificate):
        return _current_in_slot(user.id, cohort.course_id, "attendance", cohort.id)
    record(actor, "certificate.issue_attendance", certificate, code=certificate.code, cohort=cohort.id)
    logger.info("Attendance certificate %s issued to user %s for cohort %s", certificate.code, user.id, cohort.id)
    return certificate
