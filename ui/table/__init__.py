"""The department's table: model, view, delegates, clipboard, entry actions — one file each."""
