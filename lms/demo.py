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
    for email, name, role, locale, native in DEMO_ACCOUNTS:
        services.create_user(email, DEMO_PASSWORD, name, native, locale, role)
    db.session.commit()
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for email, _name, role, locale, _native in DEMO_ACCOUNTS:
        click.echo(f"  {role:<12} {email:<26} ({locale})")
