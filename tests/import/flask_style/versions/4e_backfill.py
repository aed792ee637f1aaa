"""backfill with Python logic

Revision ID: 4e00logic000
Revises: 3d00merge000
Create Date: 2021-04-01 12:00:00

"""
from alembic import op
import sqlalchemy as sa
from myapp.models import slugify

revision = '4e00logic000'
down_revision = '3d00merge000'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('account', sa.Column('slug', sa.String(length=80), nullable=True))
    conn = op.get_bind()
    for row in conn.execute(sa.text("SELECT id, email FROM account")):
        conn.execute(sa.text("UPDATE account SET slug = :s WHERE id = :i"), {"s": slugify(row.email), "i": row.id})
    if conn.dialect.name == 'postgresql':
        op.execute(f"COMMENT ON TABLE account IS '{revision}'")


def downgrade():
    op.drop_column('account', 'slug')
