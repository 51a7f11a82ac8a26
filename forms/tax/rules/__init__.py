"""Versioned tax and fee rule tables (YAML data files, see README.md in this folder)."""
