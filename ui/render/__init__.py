"""Rendering the report's pages with Qt: the PDF export (:mod:`ui.render.pdf`),
print preview and print (:mod:`ui.render.printing`) — one painter for all,
drawing the page model of :mod:`app.pages` for the default template and the
template-driven pages of :mod:`ui.render.pdf_template` for any other."""
