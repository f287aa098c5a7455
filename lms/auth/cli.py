"""`flask users create`."""

import click
from flask.cli import with_appcontext

from ..extensions import db
from . import services
from .models import ROLES


@click.group("users")
def users_cli():
    """Manage accounts."""


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "legal_name", required=True, help="Name as printed on certificates.")
@click.option("--role", type=click.Choice(ROLES), default="learner")
@click.option("--locale", default="de")
@click.password_option()
@with_appcontext
def create(email, legal_name, role, locale, password):
    """Create an account (e.g. the first administrator)."""
    try:
        user = services.create_user(email, password, legal_name, locale=locale, role=role)
    except services.DuplicateEmail as exc:
        raise click.ClickException(f"An account with {email} exists already.") from exc
    db.session.commit()
    click.echo(f"Created {role} {user.email} (id {user.id}).")
