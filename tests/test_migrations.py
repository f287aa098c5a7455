"""Migrations run from empty to head, and the models match them."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from lms import create_app
from lms.extensions import db


def _app(tmp_path):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": __import__("os").environ.get("TEST_DATABASE_URL")
            or f"sqlite:///{tmp_path / 'migrations.sqlite'}",
        }
    )


def test_upgrade_to_head_matches_the_models(tmp_path):
    app = _app(tmp_path)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:  # a run stopped half-way may have left it at head
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(db.inspect(connection).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()  # close its connections now, not when the garbage collector finds them
