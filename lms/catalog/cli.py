"""`flask courses validate|sync`."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from .loader import load_catalogue, load_course
from .services import sync_courses


@click.group("courses")
def courses_cli():
    """Check and load the course files."""


@courses_cli.command("validate")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@with_appcontext
def validate(path):
    """Report every problem in a course folder, or in all courses under PATH."""
    path = path or current_app.config["COURSES_DIR"]
    from pathlib import Path

    if (Path(path) / "course.yml").exists():
        courses, problems = load_course(path)
        courses = [courses] if courses else []
    else:
        courses, problems = load_catalogue(path)
    for problem in problems:
        click.echo(problem.render(), err=True)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    click.echo(f"{len(courses)} course(s) valid, {errors} error(s), {warnings} warning(s).")
    if errors:
        sys.exit(1)


@courses_cli.command("sync")
@with_appcontext
def sync():
    """Load the courses folder into the database (idempotent, never deletes progress)."""
    report = sync_courses(current_app.config["COURSES_DIR"])
    db.session.commit()
    for problem in report.problems:
        click.echo(problem.render(), err=True)
    click.echo(
        f"created: {', '.join(report.created) or '-'}; updated: {', '.join(report.updated) or '-'}; "
        f"unchanged: {', '.join(report.unchanged) or '-'}"
    )
    if report.has_errors:
        click.echo("Courses with errors were not loaded; the previous version stays online.", err=True)
        sys.exit(1)
