"""The coding workbench (Textual): ``qualcode.tui.app.make_app`` builds it, ``run`` runs it."""
