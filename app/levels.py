"""The levels of an entry (辦理情形): a plain paragraph, a numbered item (1.), a sub-item ((1)).

Here rather than in app/model.py so that app/numbering.py (and app/templates.py
through it) can use them without importing the model, which holds a report's
template (tests/test_architecture.py: no import cycles).  app.model re-exports
them; import them from there elsewhere.
"""
from __future__ import annotations

LEVEL_PARAGRAPH = 0
LEVEL_ITEM = 1
LEVEL_SUBITEM = 2
LEVELS = (LEVEL_PARAGRAPH, LEVEL_ITEM, LEVEL_SUBITEM)

__all__ = ["LEVEL_PARAGRAPH", "LEVEL_ITEM", "LEVEL_SUBITEM", "LEVELS"]
