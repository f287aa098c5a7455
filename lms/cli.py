"""`flask lms check-config|backup|restore`: running the site."""

import os
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from . import operations
from .extensions import db
from .privacy import services as privacy


@click.group("lms")
def lms_cli():
    """Check the configuration, back up and restore."""


@lms_cli.command("check-config")
@click.option(
    "--workers",
    type=int,
    default=lambda: int(os.environ.get("WEB_CONCURRENCY", "1")),
    show_default="WEB_CONCURRENCY or 1",
    help="gunicorn worker processes per host (several hosts count as several workers).",
)
@with_appcontext
def check_config(workers):
    """List every setting that is unsafe for production; exit 1 if there is one."""
    findings = operations.check_config(current_app, workers)
    for finding in findings:
        click.echo(f"UNSAFE  {finding.setting}: {finding.problem}")
    if findings:
        raise click.exceptions.Exit(1)
    click.echo("The configuration is fit for production.")


@lms_cli.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path), required=False)
@with_appcontext
def backup(destination):
    """Write database, signing key, uploads and courses to one .tar.gz (default: instance/backups/)."""
    if destination is None:
        stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
        destination = Path(current_app.instance_path) / "backups" / f"lms-{stamp}.tar.gz"
    path = operations.backup(current_app, destination)
    path.chmod(0o600)  # it holds personal data and the signing key
    click.echo(f"Backup written to {path}")


@lms_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the current data.")
@with_appcontext
def restore(source, yes):
    """Replace the database and files with those of a backup made by `flask lms backup`."""
    if not yes:
        click.confirm("This replaces every account, result and certificate with the backup's. Go on?", abort=True)
    try:
        manifest = operations.restore(current_app, source)
    except operations.RestoreRefused as refused:
        raise click.ClickException(f"Nothing was changed: {refused}.") from refused
    click.echo(f"Restored the backup of {manifest['created_at']} (schema {manifest['schema_revision']}).")
    click.echo("Run `flask db upgrade` if this version of the site is newer than the backup.")


@lms_cli.command("purge-inactive")
@click.option("--years", type=float, default=None, help="Default: INACTIVE_ACCOUNT_YEARS (3).")
@click.option("--dry-run", is_flag=True, help="Only count the accounts.")
@with_appcontext
def purge_inactive(years, dry_run):
    """Delete (anonymise) learner accounts nobody has used for a while; certificates stay verifiable."""
    years = years if years is not None else current_app.config["INACTIVE_ACCOUNT_YEARS"]
    if dry_run:
        click.echo(f"{len(privacy.inactive_accounts(years))} accounts unused for {years} years would be deleted.")
        return
    count = privacy.purge_inactive(years)
    db.session.commit()
    click.echo(f"Deleted {count} accounts unused for {years} years.")
