"""Tests of the scanning package."""
