'''add audit log

Revision ID: 2c00audit000
Revises: 1a2b3c4d5e6f
Create Date: 2021-03-05 11:00:00

'''
from alembic import op
import sqlalchemy as sa

revision = "2c00audit000"
down_revision = "1a2b3c4d5e6f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("what", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP")),
    )
    op.execute('INSERT INTO audit (what) VALUES (\'created "audit"\')')
    op.execute('''INSERT INTO audit (what) VALUES ('second')''')


def downgrade():
    op.drop_table("audit")
