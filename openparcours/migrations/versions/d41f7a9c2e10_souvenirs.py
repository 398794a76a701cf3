"""souvenir pages of the teams, and institutions' opening hours

Revision ID: d41f7a9c2e10
Revises: d49e92f593ec
Create Date: 2026-12-07 12:55:00.000000

"""
from alembic import op
import sqlalchemy as sa

import openparcours.database


# revision identifiers, used by Alembic.
revision = 'd41f7a9c2e10'
down_revision = 'd49e92f593ec'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('souvenirs', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('souvenir_token', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_teams_souvenir_token'), ['souvenir_token'])

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('souvenir_at', openparcours.database.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('souvenir_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_events_souvenir_by_id_users'), 'users', ['souvenir_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opening_hours', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('opening_hours')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_events_souvenir_by_id_users'), type_='foreignkey')
        batch_op.drop_column('souvenir_by_id')
        batch_op.drop_column('souvenir_at')

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_teams_souvenir_token'), type_='unique')
        batch_op.drop_column('souvenir_token')

    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_column('souvenirs')
