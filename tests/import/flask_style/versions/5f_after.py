"""after the hand-converted revision

Revision ID: 5f00after000
Revises: 4e00logic000
Create Date: 2021-05-01 12:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '5f00after000'
down_revision = '4e00logic000'
branch_labels = None
depends_on = None


def upgrade():
    op.rename_table('audit', 'audit_log')
    op.create_index('ix_audit_log_what', 'audit_log', ['what'], unique=False)


def downgrade():
    op.drop_index('ix_audit_log_what', table_name='audit_log')
    op.rename_table('audit_log', 'audit')
