"""Renderers: each turns a Comparison into one output format; none of them compares."""

from __future__ import annotations

from collections.abc import Callable

from indexdrift.core.registry import load

# ``renderer(comparison: Comparison, catalog: Catalog)``; the formats of STATEMENT_FORMATS
# also take ``statements=`` (report.render.statements.build_statements) to show each
# env's migration and rollback.
Renderer = Callable[..., str | bytes]

_EXTENSIONS = {".md": "md", ".markdown": "md", ".json": "json", ".csv": "csv",
               ".txt": "table", ".html": "html", ".htm": "html", ".xlsx": "xlsx",
               ".pdf": "pdf"}


# Each format's render function by dotted path, imported when the format is asked for:
# start-up never pays for xlsxwriter, jinja2 or rich's tables (core.registry.load).
_RENDERERS = {
    "table": "indexdrift.report.render.terminal:render_text",
    "list": "indexdrift.report.render.terminal:render_list",
    "md": "indexdrift.report.render.markdown:render_markdown",
    "csv": "indexdrift.report.render.csvout:render_csv",
    "json": "indexdrift.report.render.jsonout:render_json",
    "html": "indexdrift.report.render.html:render_html",
    "xlsx": "indexdrift.report.render.xlsx:render_xlsx",
    "pdf": "indexdrift.report.render.pdf:render_pdf",
}


def renderer_for(fmt: str) -> Renderer:
    """The render function of a format name (table, md, csv, json, ...)."""
    if fmt not in _RENDERERS:
        raise ValueError(f"unknown format {fmt!r}")
    return load(_RENDERERS[fmt])


FORMATS = ("table", "list", "md", "csv", "json", "html", "xlsx", "pdf")
STATEMENT_FORMATS = ("md", "html", "xlsx", "csv", "pdf")  # reports that show each env's statements
BINARY_FORMATS = ("xlsx", "pdf")


def extensions() -> list[str]:
    """The file name endings that name a report format (``.md``, ``.json``...)."""
    return list(_EXTENSIONS)


def format_from_path(path: str) -> str | None:
    """Guess the format from an output file's extension."""
    for ext, fmt in _EXTENSIONS.items():
        if path.lower().endswith(ext):
            return fmt
    return None
