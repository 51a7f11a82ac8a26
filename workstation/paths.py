r"""Where the workstation keeps its files: one data folder per machine.

The folder holds the SQLite database, ``office.toml``, the machine key file (where the OS offers no
key store) and ``backups/``. It is shared by every clerk who signs in at this window, so it lives in
a machine-wide place rather than in a user profile:

* Windows: ``%ProgramData%\Yichuang``;
* elsewhere: ``/var/lib/yichuang``;
* anywhere: the folder named by the environment variable ``YICHUANG_DATA_DIR`` (tests, portable use).

Folders are created on demand. On POSIX systems they get mode 0700 (owner only); on Windows the
installer sets the folder's ACL (Administrators and the window's service account), which Python's
``os.chmod`` cannot express.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_DATA_DIR = "YICHUANG_DATA_DIR"
"""Environment variable that overrides the data folder."""

PRIVATE_DIR_MODE = 0o700
"""POSIX mode of folders holding personal data or keys."""


def default_data_dir() -> Path:
    """The data folder this machine uses, without creating it.

    Returns:
        ``$YICHUANG_DATA_DIR`` when set, otherwise the per-machine default of the OS.
    """
    override = os.environ.get(ENV_DATA_DIR, "").strip()
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        program_data = os.environ.get("PROGRAMDATA") or os.environ.get("ALLUSERSPROFILE") or r"C:\ProgramData"
        return Path(program_data) / "Yichuang"
    return Path("/var/lib/yichuang")


def ensure_private_dir(path: Path) -> Path:
    """Create a folder (and its parents) readable only by its owner, if it does not exist yet.

    An existing folder keeps its permissions: the administrator may have chosen a group on purpose,
    and ``yichuang doctor`` reports folders that are too open.

    Args:
        path: the folder to create.

    Returns:
        The same path.

    Raises:
        OSError: the folder cannot be created (permissions, disk).
    """
    if not path.is_dir():
        path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        if sys.platform != "win32":
            # mkdir's mode is filtered by the umask; set it explicitly.
            os.chmod(path, PRIVATE_DIR_MODE)
    return path


def data_dir(*, create: bool = True) -> Path:
    """The data folder, created with restrictive permissions when ``create`` is true.

    Args:
        create: create the folder if missing.

    Returns:
        The absolute path of the data folder.
    """
    path = default_data_dir().absolute()
    return ensure_private_dir(path) if create else path


def backups_dir(*, create: bool = True) -> Path:
    """The ``backups`` folder inside the data folder, where database copies go before migrations.

    Args:
        create: create the folder if missing.

    Returns:
        The absolute path of the backups folder.
    """
    path = data_dir(create=create) / "backups"
    return ensure_private_dir(path) if create else path
