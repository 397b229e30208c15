"""Modal dialogs, each imported when first asked for (not at start-up)."""
