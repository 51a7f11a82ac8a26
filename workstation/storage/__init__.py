"""Local storage: users, cases, drafts and versions, encrypted at rest (Qt-free).

:mod:`~workstation.storage.api` is the interface the GUI and CLI use; :mod:`~workstation.storage.store`
implements it over SQLAlchemy (SQLite or PostgreSQL); :mod:`~workstation.storage.crypto` encrypts
personal data; :mod:`~workstation.storage.migrate` runs the Alembic migrations.
"""
