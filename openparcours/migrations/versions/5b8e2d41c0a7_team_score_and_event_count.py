"""team score and event count kept on the team; events by team and task

Revision ID: 5b8e2d41c0a7
Revises: 7aa7d930d9d7
Create Date: 2026-12-07 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b8e2d41c0a7'
down_revision = '7aa7d930d9d7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('score', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('event_count', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_team_task_station', ['team_id', 'task_id', 'station_id'], unique=False)

    # The teams playing now keep their points and their share of events.
    teams = sa.table('teams', sa.column('id', sa.Integer), sa.column('score', sa.Integer),
                     sa.column('event_count', sa.Integer))
    events = sa.table('events', sa.column('team_id', sa.Integer), sa.column('points', sa.Integer))
    of_team = events.c.team_id == teams.c.id
    op.get_bind().execute(teams.update().values(
        score=sa.select(sa.func.coalesce(sa.func.sum(events.c.points), 0)).where(of_team).scalar_subquery(),
        event_count=sa.select(sa.func.count()).where(of_team).scalar_subquery(),
    ))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_team_task_station')
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('event_count')
        batch_op.drop_column('score')
