"""Data files of :mod:`forms.calendar` (a package so that installers ship them)."""
