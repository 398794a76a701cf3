"""competence tags on trails and stations

Revision ID: 7aa7d930d9d7
Revises: 855fc6aaa566
Create Date: 2026-12-07 09:41:01.209410

"""
from alembic import op
import sqlalchemy as sa

from openparcours.curriculum.tables import subject_name


# revision identifiers, used by Alembic.
revision = '7aa7d930d9d7'
down_revision = '855fc6aaa566'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subjects', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('media_competences', sa.JSON(), server_default='[]', nullable=False))

    with op.batch_alter_table('trails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('media_competences', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('curriculum_reference', sa.JSON(), nullable=True))

    # Subjects were free text: those the NRW table knows take its spelling ("geschichte" →
    # "Geschichte"); the others stay as written.
    bind = op.get_bind()
    trails = sa.table('trails', sa.column('id', sa.Integer), sa.column('subjects', sa.JSON))
    for trail_id, subjects in bind.execute(sa.select(trails.c.id, trails.c.subjects)).all():
        spelled = list(dict.fromkeys(subject_name(s) or s for s in subjects or []))
        if spelled != subjects:
            bind.execute(trails.update().where(trails.c.id == trail_id).values(subjects=spelled))


def downgrade():
    with op.batch_alter_table('trails', schema=None) as batch_op:
        batch_op.drop_column('curriculum_reference')
        batch_op.drop_column('media_competences')

    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_column('media_competences')
        batch_op.drop_column('subjects')
