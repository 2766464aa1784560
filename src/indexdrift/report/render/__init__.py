"""Renderers: each turns a Comparison into one output format; none of them compares."""

from __future__ import annotations

from collections.abc import Callable

# ``renderer(comparison: Comparison, catalog: Catalog)``; the formats of STATEMENT_FORMATS
# also take ``statements=`` (report.render.statements.build_statements) to show each
# env's migration and rollback.
Renderer = Callable[..., str | bytes]

_EXTENSIONS = {".md": "md", ".markdown": "md", ".json": "json", ".csv": "csv",
               ".txt": "table", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}


def renderer_for(fmt: str) -> Renderer:
    """The render function of a format name (table, md, csv, json, ...)."""
    if fmt == "table":
        from indexdrift.report.render.terminal import render_text
        return render_text
    if fmt == "md":
        from indexdrift.report.render.markdown import render_markdown
        return render_markdown
    if fmt == "csv":
        from indexdrift.report.render.csvout import render_csv
        return render_csv
    if fmt == "json":
        from indexdrift.report.render.jsonout import render_json
        return render_json
    if fmt == "html":
        from indexdrift.report.render.html import render_html
        return render_html
    if fmt == "xlsx":
        from indexdrift.report.render.xlsx import render_xlsx
        return render_xlsx
    raise ValueError(f"unknown format {fmt!r}")


FORMATS = ("table", "md", "csv", "json", "html", "xlsx")
STATEMENT_FORMATS = ("md", "html", "xlsx")  # reports that show each env's statements
BINARY_FORMATS = ("xlsx",)


def format_from_path(path: str) -> str | None:
    """Guess the format from an output file's extension."""
    for ext, fmt in _EXTENSIONS.items():
        if path.lower().endswith(ext):
            return fmt
    return None
