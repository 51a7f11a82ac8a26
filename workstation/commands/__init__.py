"""Sub-commands of the ``yichuang`` CLI, one module per area, each with ``register(subparsers)``.

:func:`workstation.cli.build_parser` calls every module's ``register``; the modules stay Qt-free.
"""
