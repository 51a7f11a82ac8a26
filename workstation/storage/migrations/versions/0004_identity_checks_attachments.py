"""Identity and face checks (encrypted images) and scanned attachments (encrypted PDFs).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

Frozen: this file must not import the models (they will change); it spells out the DDL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('identity_checks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('party_id', sa.String(length=40), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('record', sa.LargeBinary(), nullable=False),
    sa.Column('live_image', sa.LargeBinary(), nullable=True),
    sa.Column('reference_image', sa.LargeBinary(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_identity_checks_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supervisor_id'], ['users.id'], name=op.f('fk_identity_checks_supervisor_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_identity_checks_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_checks'))
    )
    with op.batch_alter_table('identity_checks', schema=None) as batch_op:
        batch_op.create_index('ix_identity_checks_case_id_party_id', ['case_id', 'party_id'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('material_code', sa.String(length=60), nullable=False),
    sa.Column('media_type', sa.String(length=60), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_attachments_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attachments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index('ix_attachments_case_id', ['case_id', 'material_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_attachments_case_id')

    op.drop_table('attachments')
    with op.batch_alter_table('identity_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_identity_checks_case_id_party_id')

    op.drop_table('identity_checks')
