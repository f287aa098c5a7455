"""module text changed_at

Revision ID: f7fe7a1201a0
Revises: 6bd16b801f07
Create Date: 2026-11-27 02:50:41.116700

"""
from alembic import op
import sqlalchemy as sa

import lms.models_mixins


# revision identifiers, used by Alembic.
revision = 'f7fe7a1201a0'
down_revision = '6bd16b801f07'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("module_texts") as batch_op:
        batch_op.add_column(sa.Column("changed_at", lms.models_mixins.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("module_texts") as batch_op:
        batch_op.drop_column("changed_at")
