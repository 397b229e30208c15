"""Rendering the report's pages with Qt: the PDF export (:mod:`ui.render.pdf`),
print preview and print (:mod:`ui.render.printing`) — one painter for all,
drawing the page model of :mod:`app.pages`."""
