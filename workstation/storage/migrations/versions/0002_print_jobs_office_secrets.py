"""Print history (with the encrypted PDF for reprints) and office secrets (the receipt key).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Frozen: this file must not import the models (they will change); it spells out the DDL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('print_jobs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('documents', sa.String(length=200), nullable=False),
    sa.Column('printer', sa.String(length=200), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('job_ref', sa.String(length=100), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_print_jobs_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_print_jobs_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_jobs'))
    )
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_print_jobs_case_id_at', ['case_id', 'at'], unique=False)

    op.create_table('office_secrets',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_office_secrets'))
    )


def downgrade() -> None:
    op.drop_table('office_secrets')
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_print_jobs_case_id_at')

    op.drop_table('print_jobs')
