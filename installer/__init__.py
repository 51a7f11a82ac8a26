"""The installer: PyInstaller spec, WiX source generator and the MSI build (see installer/README.md)."""
