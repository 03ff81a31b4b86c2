"""Screens of the workbench, one per module (see ``qualcode.tui.registry`` to add one)."""
