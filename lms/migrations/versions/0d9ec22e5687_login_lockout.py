"""login lockout

Revision ID: 0d9ec22e5687
Revises: f7fe7a1201a0
Create Date: 2026-11-27 03:03:27.816839

"""
from alembic import op
import sqlalchemy as sa

import lms.models_mixins

import lms.models_mixins


# revision identifiers, used by Alembic.
revision = '0d9ec22e5687'
down_revision = 'f7fe7a1201a0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("locked_until", lms.models_mixins.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")
