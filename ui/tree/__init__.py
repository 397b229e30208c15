"""The department tree: model (ui/tree/model.py), view (ui/tree/view.py), structure actions (ui/tree/structure.py)."""
