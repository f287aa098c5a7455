"""Writing the audit log. Flushes only, inside the caller's transaction: no action without its entry."""

from ..extensions import db
from .models import AuditEntry


def record(actor, action, subject, **details):
    """Log that actor (a User, or None for a command-line task) did action to subject (a model row)."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_type=type(subject).__tablename__,
        subject_id=subject.id,
        details=details,
    )
    db.session.add(entry)
    return entry


def record_export(actor, what, rows):
    """Log that staff exported or printed a list with people's data not tied to one record."""
    entry = AuditEntry(actor_id=actor.id, action="personal_data.export", subject_type="list", subject_id=None,
                       details={"list": what, "rows": rows})  # fmt: skip
    db.session.add(entry)
    return entry
