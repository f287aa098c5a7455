"""attempt numbers per learner and module

Revision ID: 5b1f0c2d7e41
Revises: 63e1e6de6f6e
Create Date: 2026-11-27 07:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1f0c2d7e41'
down_revision = '63e1e6de6f6e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("quiz_attempts") as batch:
        batch.add_column(sa.Column("number", sa.Integer(), nullable=True))
    # Existing attempts are numbered in the order they were submitted.
    op.execute(
        "UPDATE quiz_attempts SET number = (SELECT count(*) FROM quiz_attempts AS earlier"
        " WHERE earlier.user_id = quiz_attempts.user_id AND earlier.module_id = quiz_attempts.module_id"
        " AND (earlier.submitted_at < quiz_attempts.submitted_at"
        " OR (earlier.submitted_at = quiz_attempts.submitted_at AND earlier.id <= quiz_attempts.id)))"
    )
    with op.batch_alter_table("quiz_attempts") as batch:
        batch.alter_column("number", existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint("uq_quiz_attempts_number", ["user_id", "module_id", "number"])


def downgrade():
    with op.batch_alter_table("quiz_attempts") as batch:
        batch.drop_constraint("uq_quiz_attempts_number", type_="unique")
        batch.drop_column("number")
