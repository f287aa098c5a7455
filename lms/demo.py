"""`flask demo seed`: demo accounts for a fresh local database (demo mode only)."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from .auth import services
from .auth.models import User
from .extensions import db

DEMO_PASSWORD = "demo-passwort-2026"
DEMO_ACCOUNTS = [
    ("learner@example.org", "Ayşe Yılmaz", "learner", "tr", None),
    ("lernende@example.org", "Mohammed Al-Ahmad", "learner", "ar", "محمد الأحمد"),
    ("trainer@example.org", "Jana Trainerin", "trainer", "de", None),
    ("coordinator@example.org", "Kemal Koordinator", "coordinator", "de", None),
    ("admin@example.org", "Admin Istrator", "admin", "de", None),
]


@click.group("demo")
def demo_cli():
    """Demo data for trying the site locally."""


@demo_cli.command("seed")
@with_appcontext
def seed():
    """Create the demo accounts if the database has no accounts yet."""
    if not current_app.config["DEMO_MODE"]:
        raise click.ClickException("Demo accounts are created only with LMS_DEMO_MODE=1.")
    if db.session.scalar(select(func.count()).select_from(User)):
        click.echo("The database has accounts already; no demo accounts created.")
        return
    users = {}
    for email, name, role, locale, native in DEMO_ACCOUNTS:
        users[email] = services.create_user(email, DEMO_PASSWORD, name, native, locale, role)
    _demo_organisation(users)
    db.session.commit()
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for email, _name, role, locale, _native in DEMO_ACCOUNTS:
        click.echo(f"  {role:<12} {email:<26} ({locale})")


def _demo_organisation(users):
    """An organisation the demo coordinator coordinates, with the two learners in an event."""
    from datetime import date

    from .catalog.models import Course
    from .coordination import services as coordination

    admin = users["admin@example.org"]
    organisation = coordination.create_organisation("Kulturverein Brücke e. V.", "Köln", admin)
    coordination.add_member(organisation, users["coordinator@example.org"], is_coordinator=True, actor=admin)
    course = db.session.scalar(select(Course).where(Course.slug == "vereinsrecht"))
    if course is None:  # courses not synced yet: the organisation alone is enough to try things
        return
    cohort = coordination.create_cohort(
        organisation, course, "Vereinsrecht kompakt", "event", date(2026, 3, 7), date(2026, 3, 14), "Köln", None, admin
    )
    for email in ("learner@example.org", "lernende@example.org"):
        coordination.add_to_cohort(cohort, users[email])
    coordination.add_session(cohort, date(2026, 3, 7), "Gründung und Satzung", "4")
    coordination.add_session(cohort, date(2026, 3, 14), "Vorstand und Mitgliederversammlung", "4")
