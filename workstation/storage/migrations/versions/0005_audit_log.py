"""The chained audit log and its head; indexes for the supervisor's queues (issue 8).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

Frozen: this file must not import the models (they will change); it spells out the DDL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Uuid(), nullable=True),
    sa.Column('window', sa.String(length=30), nullable=False),
    sa.Column('details', sa.LargeBinary(), nullable=True),
    sa.Column('mac', sa.LargeBinary(length=32), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_case_id', ['case_id'], unique=False)

    head = op.create_table('audit_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('mac', sa.LargeBinary(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    # The genesis head: no entry yet, the previous MAC of entry 1 is 32 zero bytes.
    op.bulk_insert(head, [{'id': 1, 'seq': 0, 'mac': bytes(32)}])

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_clerk_id_state_updated_at', ['clerk_id', 'state', 'updated_at'], unique=False)
        batch_op.create_index('ix_cases_business_type_state_updated_at', ['business_type', 'state', 'updated_at'], unique=False)
        batch_op.create_index('ix_cases_state_created_at', ['state', 'created_at'], unique=False)
        batch_op.create_index('ix_cases_business_type_created_at_state', ['business_type', 'created_at', 'state'], unique=False)
    # Statistics for the new indexes, so the planner walks (state, updated_at) for a queue page
    # instead of sorting a whole state (SQLite has no statistics for an index until ANALYZE).
    op.execute('ANALYZE cases')


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_business_type_created_at_state')
        batch_op.drop_index('ix_cases_state_created_at')
        batch_op.drop_index('ix_cases_business_type_state_updated_at')
        batch_op.drop_index('ix_cases_clerk_id_state_updated_at')

    op.drop_table('audit_head')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_case_id')

    op.drop_table('audit_log')
