"""account deletion

Revision ID: c8844880b8b7
Revises: 0d9ec22e5687
Create Date: 2026-11-27 03:23:24.048495

"""
from alembic import op
import sqlalchemy as sa

import lms.models_mixins

import lms.models_mixins


# revision identifiers, used by Alembic.
revision = 'c8844880b8b7'
down_revision = '0d9ec22e5687'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("deleted_at", lms.models_mixins.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("deleted_at")
