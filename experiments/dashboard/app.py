"""The Solara app module: ``solara run experiments.dashboard.app`` serves :func:`Page`.

Nothing runs at import; the page runs its first plan when a browser opens it.
"""

from experiments.dashboard.page import Page

__all__ = ["Page"]
