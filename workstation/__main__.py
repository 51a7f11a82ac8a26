"""``python -m workstation``: the same as the ``yichuang`` command (the GUI by default)."""

import sys

from workstation.cli import main

sys.exit(main())
