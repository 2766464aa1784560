"""Renderers: each turns a Comparison into one output format; none of them compares."""

from __future__ import annotations

from collections.abc import Callable

from indexdrift.compare import Comparison
from indexdrift.i18n import Catalog

Renderer = Callable[[Comparison, Catalog], str | bytes]

_EXTENSIONS = {".md": "md", ".markdown": "md", ".json": "json", ".csv": "csv",
               ".txt": "table", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}


def renderer_for(fmt: str) -> Renderer:
    """The render function of a format name (table, md, csv, json, ...)."""
    if fmt == "table":
        from indexdrift.render.terminal import render_text
        return render_text
    if fmt == "md":
        from indexdrift.render.markdown import render_markdown
        return render_markdown
    if fmt == "csv":
        from indexdrift.render.csvout import render_csv
        return render_csv
    if fmt == "json":
        from indexdrift.render.jsonout import render_json
        return render_json
    raise ValueError(f"unknown format {fmt!r}")


FORMATS = ("table", "md", "csv", "json")


def format_from_path(path: str) -> str | None:
    """Guess the format from an output file's extension."""
    for ext, fmt in _EXTENSIONS.items():
        if path.lower().endswith(ext):
            return fmt
    return None
