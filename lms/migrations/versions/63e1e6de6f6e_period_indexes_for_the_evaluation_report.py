"""period indexes for the evaluation report

Revision ID: 63e1e6de6f6e
Revises: c8844880b8b7
Create Date: 2026-11-27 04:02:01.616617

"""
from alembic import op
import sqlalchemy as sa

import lms.models_mixins


# revision identifiers, used by Alembic.
revision = '63e1e6de6f6e'
down_revision = 'c8844880b8b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_quiz_attempts_period", "quiz_attempts", ["user_id", "submitted_at", "module_id"])
    op.create_index("ix_enrolments_period", "enrolments", ["enrolled_at", "user_id", "course_id"])


def downgrade():
    op.drop_index("ix_enrolments_period", table_name="enrolments")
    op.drop_index("ix_quiz_attempts_period", table_name="quiz_attempts")
