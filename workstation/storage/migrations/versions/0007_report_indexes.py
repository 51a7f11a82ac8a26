"""Indexes for the end-of-day report and the statistics (issue 8): receipts printed by day, and
delivery legs by when they were queued and delivered (backlog over time).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26

Frozen: this file must not import the models (they will change); it spells out the DDL.
"""

from __future__ import annotations

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_print_jobs_at', ['at'], unique=False)
    with op.batch_alter_table('outbox_legs', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_legs_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_outbox_legs_delivered_at', ['delivered_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox_legs', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_legs_delivered_at')
        batch_op.drop_index('ix_outbox_legs_created_at')
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_print_jobs_at')
