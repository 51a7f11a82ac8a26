"""Capture devices: document scanners, ID-card readers, camera and face check (issues #6 and #7).

Each device family is a Protocol with a real backend, an emulator and an OS-guarded factory. This
package may import :mod:`forms` only.
"""
