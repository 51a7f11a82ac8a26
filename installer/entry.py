"""Entry point of the frozen programs `yichuang` and `yichuangw`: the same as `python -m workstation`."""

import sys

from workstation.cli import main

if __name__ == "__main__":
    sys.exit(main())
