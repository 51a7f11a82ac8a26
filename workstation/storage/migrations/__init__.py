"""Alembic migrations of the workstation database, shipped as package data and configured in code.

Use :mod:`workstation.storage.migrate`; no ``alembic.ini`` is needed. To write a new revision during
development: ``python -m workstation.storage.migrate revision -m "what changed" --url sqlite:///x.db``.
"""
