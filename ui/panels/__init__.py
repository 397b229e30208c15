"""The window's docks: problems, search, 歷程與意見 (review), 進度 (dashboard), 去年對照 (last year)."""
