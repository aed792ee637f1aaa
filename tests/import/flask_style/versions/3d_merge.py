"""merge profile and audit

Revision ID: 3d00merge000
Revises: 2b00profile0, 2c00audit000
Create Date: 2021-03-06 09:00:00

"""
revision = '3d00merge000'
down_revision = ('2b00profile0', '2c00audit000')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
