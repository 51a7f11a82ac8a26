"""Data files of :mod:`forms.catalog` (a package so that installers ship them)."""
