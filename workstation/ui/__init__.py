"""The widgets of the workstation: login and lock, main window, case list, new-case wizard, errors."""
