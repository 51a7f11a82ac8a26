"""The one module that imports PyQt6; every GUI module takes its Qt names from here.

Keeping Qt behind one module (as Anki's ``aqt/qt``) lets the import-linter contracts check that only
the GUI imports Qt, and gives one place to adapt to a new PyQt release.
"""

# ruff: noqa: F403
from PyQt6.QtCore import *
from PyQt6.QtGui import *  # type: ignore[no-redef]  # QtGui repeats qFuzzyCompare
from PyQt6.QtPdf import *  # QPdfDocument: the print preview renders the PDF itself
from PyQt6.QtWidgets import *
