"""Operations: keyword-only functions that run store calls on the database executor.

Each takes the :class:`~workstation.session.Session` and callbacks; the store call runs on the
executor's worker thread and the callbacks run on the UI thread (delivered by the executor's Qt
signal). Writes report a small value naming what changed, so views redraw only that.
"""
