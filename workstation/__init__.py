"""The Yichuang workstation: the Qt application, its CLI, configuration and local storage.

Only the GUI modules import Qt, through :mod:`workstation.qt`; the CLI, configuration and storage
stay Qt-free so that IT tools and the sync service start fast.
"""

__version__ = "0.1.0"
