"""team name keys of any casefolding

Revision ID: 3c9e1f0a7b21
Revises: 6947a45c665a
Create Date: 2026-12-01 23:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c9e1f0a7b21'
down_revision = '6947a45c665a'
branch_labels = None
depends_on = None


def upgrade():
    # Casefolding writes up to three letters for one ("ß" is "ss"): 40 letters, 120 in the key.
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=40),
                              type_=sa.String(length=120), existing_nullable=False)


def downgrade():
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=120),
                              type_=sa.String(length=40), existing_nullable=False)
