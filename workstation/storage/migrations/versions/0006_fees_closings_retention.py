"""Fees collected and end-of-day sign-offs; retention of local scans and photos; print errors;
the first keystroke of a case (issues 4 and 8).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

Frozen: this file must not import the models (they will change); it spells out the DDL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fee_payments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('items', sa.String(length=200), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('bill_no', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('voided_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_fee_payments_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_fee_payments_user_id_users')),
    sa.ForeignKeyConstraint(['voided_by'], ['users.id'], name=op.f('fk_fee_payments_voided_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fee_payments'))
    )
    with op.batch_alter_table('fee_payments', schema=None) as batch_op:
        batch_op.create_index('ix_fee_payments_at', ['at'], unique=False)
        batch_op.create_index('ix_fee_payments_case_id', ['case_id'], unique=False)

    op.create_table('day_closings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('scope', sa.String(length=30), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('signed_by', sa.Integer(), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['signed_by'], ['users.id'], name=op.f('fk_day_closings_signed_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_day_closings')),
    sa.UniqueConstraint('scope', 'day', name=op.f('uq_day_closings_scope_day'))
    )

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intake_started_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('error', sa.String(length=500), nullable=True))
    with op.batch_alter_table('identity_checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('images_purged_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('data', existing_type=sa.LargeBinary(), nullable=True)


def downgrade() -> None:
    # A purged attachment has no data to put back; the older schema needs bytes, so it gets none.
    op.execute(sa.text('UPDATE attachments SET data = :empty WHERE data IS NULL').bindparams(empty=b''))
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.alter_column('data', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('purged_at')
    with op.batch_alter_table('identity_checks', schema=None) as batch_op:
        batch_op.drop_column('images_purged_at')
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_column('error')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('intake_started_at')
    op.drop_table('day_closings')
    with op.batch_alter_table('fee_payments', schema=None) as batch_op:
        batch_op.drop_index('ix_fee_payments_case_id')
        batch_op.drop_index('ix_fee_payments_at')
    op.drop_table('fee_payments')
