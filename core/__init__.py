"""What every ieum component shares and none owns: settings, paths, privacy, the clock.

This package imports no component (a test checks the import graph): components build
on it, and the command line and the process supervisor (``ieum/``) sit on top of them.
"""
