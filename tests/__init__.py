"""Tests of Yichuang, one package per package of the application."""
