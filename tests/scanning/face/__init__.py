"""Tests of the face check (scanning.face); they need the ``face`` extra and fail without it."""
