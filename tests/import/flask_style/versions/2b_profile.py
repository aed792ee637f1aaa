"""add profile (feature branch)

Revision ID: 2b00profile0
Revises: 1a2b3c4d5e6f
Create Date: 2021-03-05 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision: str = '2b00profile0'
down_revision = '1a2b3c4d5e6f'
branch_labels = ('profile',)
depends_on = None


def upgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bio', sa.Text(), nullable=True))
    op.execute(sa.text("UPDATE account SET bio = 'it''s me' WHERE email = 'root@example.com'"))


def downgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('bio')
