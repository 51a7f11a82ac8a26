"""The charts half of :mod:`workstation.qt`: PyQt6.QtCharts, loaded only when the statistics tab opens.

Kept apart from :mod:`workstation.qt` so the window's start-up does not load the charts library; like
that module, it is the one place the GUI takes these Qt names from.
"""

# ruff: noqa: F403
from PyQt6.QtCharts import *
