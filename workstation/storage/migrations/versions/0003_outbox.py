"""The outbox: one leg per department and case, and the attachments as encrypted blobs (issue 5).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

Frozen: this file must not import the models (they will change); it spells out the DDL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox_legs',
    sa.Column('package_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('department', sa.String(length=20), nullable=False),
    sa.Column('case_version', sa.Integer(), nullable=False),
    sa.Column('supersedes', sa.Uuid(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error_kind', sa.String(length=40), nullable=True),
    sa.Column('last_error', sa.LargeBinary(), nullable=True),
    sa.Column('lease_owner', sa.String(length=100), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('manifest', sa.LargeBinary(), nullable=False),
    sa.Column('receipt_no', sa.String(length=60), nullable=True),
    sa.Column('answer', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_outbox_legs_case_id_cases')),
    sa.PrimaryKeyConstraint('package_id', name=op.f('pk_outbox_legs'))
    )
    with op.batch_alter_table('outbox_legs', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_legs_state_next_attempt_at', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_outbox_legs_case_id', ['case_id', 'department'], unique=False)

    op.create_table('outbox_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_outbox_blobs'))
    )
    op.create_table('outbox_leg_blobs',
    sa.Column('package_id', sa.Uuid(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['outbox_legs.package_id'], name=op.f('fk_outbox_leg_blobs_package_id_outbox_legs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sha256'], ['outbox_blobs.sha256'], name=op.f('fk_outbox_leg_blobs_sha256_outbox_blobs')),
    sa.PrimaryKeyConstraint('package_id', 'sha256', name=op.f('pk_outbox_leg_blobs'))
    )
    with op.batch_alter_table('outbox_leg_blobs', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_leg_blobs_sha256', ['sha256'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox_leg_blobs', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_leg_blobs_sha256')

    op.drop_table('outbox_leg_blobs')
    op.drop_table('outbox_blobs')
    with op.batch_alter_table('outbox_legs', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_legs_case_id')
        batch_op.drop_index('ix_outbox_legs_state_next_attempt_at')

    op.drop_table('outbox_legs')
