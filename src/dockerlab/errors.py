"""The one error type the CLI turns into a one-line message and exit code 2.

A message is an English template with named parameters; the CLI shows it in the
lab's language when the catalog (``errors`` in ``ko.json``) has a translation of
that template, so Korean labs get Korean errors.
"""

from __future__ import annotations

from typing import Any


class DockerlabError(Exception):
    """A user-facing problem (bad config, missing topic, unreachable LLM, ...).

    The message must fit on one line: the CLI prints it as is and exits with 2.
    """

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(template.format(**params) if params else template)

    def render(self, lang: str) -> str:
        """The message in ``lang`` (English when there is no translation)."""
        from .i18n import LANGUAGES, catalog

        if lang not in LANGUAGES:
            return str(self)
        translated = catalog(lang).get("errors", {}).get(self.template)
        if translated is None:
            return str(self)
        return translated.format(**self.params) if self.params else translated
