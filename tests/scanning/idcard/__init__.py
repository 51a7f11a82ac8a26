"""Tests of scanning.idcard."""
