"""A JSON object decoded member by member, a large list member one element at a time.

``json.loads`` builds the whole document before anything can look at it; for a snapshot
of 200,000 tables that tree is several times the file's size, and it is alive together
with the text and the model built from it. Walking the top-level object with the C
scanner (``raw_decode`` per value) lets the reader turn each table into the model and
drop its JSON at once. Errors are ``InputError`` naming the file and line, like
``json.loads``'s own messages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from json.decoder import scanstring
from typing import Any

from indexdrift.core.errors import InputError
from indexdrift.core.i18n import Message

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class JsonObject:
    """The top-level object of ``text``: ``members()`` yields each key, and the caller
    then takes its value with ``value()`` or, for a list, ``elements()``."""

    def __init__(self, text: str, shown: str) -> None:
        self.text = text
        self.shown = shown
        self.pos = self._skip(0)

    def is_object(self) -> bool:
        """True when the text starts with ``{`` (else ``json.loads`` tells what it is)."""
        return self.text.startswith("{", self.pos)

    def at(self, char: str) -> bool:
        """True when the next value starts with ``char`` (``[`` for a list)."""
        return self.text.startswith(char, self.pos)

    def fail(self, message: str, pos: int | None = None) -> InputError:
        """An InputError at ``pos`` (default: where the walk is) with a JSON message."""
        at = self.pos if pos is None else pos
        return InputError(self.shown, Message("error.snapshot.json", reason=message),
                          self.text.count("\n", 0, at) + 1)

    def _skip(self, pos: int) -> int:
        return _WHITESPACE.match(self.text, pos).end()  # type: ignore[union-attr]

    def _expect(self, char: str, what: str) -> None:
        if not self.text.startswith(char, self.pos):
            raise self.fail(f"Expecting {what}")
        self.pos = self._skip(self.pos + 1)

    def members(self) -> Iterator[str]:
        """Each key of the object in order; the value must be taken before the next."""
        self._expect("{", "'{'")
        if self.at("}"):
            self.pos = self._skip(self.pos + 1)
            return
        while True:
            if not self.at('"'):
                raise self.fail("Expecting property name enclosed in double quotes")
            try:
                key, end = scanstring(self.text, self.pos + 1)
            except json.JSONDecodeError as exc:
                raise self.fail(exc.msg, exc.pos) from None
            self.pos = self._skip(end)
            self._expect(":", "':' delimiter")
            start = self.pos
            yield key
            if self.pos == start:
                raise AssertionError("members(): the value of a key was not taken")
            self.pos = self._skip(self.pos)
            if self.at("}"):
                self.pos = self._skip(self.pos + 1)
                return
            self._expect(",", "',' delimiter")

    def value(self) -> Any:
        """Decode the value at the current position (any JSON value)."""
        try:
            found, self.pos = _DECODER.raw_decode(self.text, self.pos)
        except json.JSONDecodeError as exc:
            raise self.fail(exc.msg, exc.pos) from None
        except RecursionError:
            raise self.fail("nested too deeply") from None
        except ValueError:  # an integer of more digits than Python converts (4,300)
            raise InputError(self.shown, Message("error.snapshot.digits")) from None
        return found

    def elements(self) -> Iterator[Any]:
        """Decode the list at the current position one element at a time."""
        self._expect("[", "'['")
        if self.at("]"):
            self.pos += 1
            return
        while True:
            yield self.value()
            self.pos = self._skip(self.pos)
            if self.at("]"):
                self.pos += 1
                return
            self._expect(",", "',' delimiter")

    def end(self) -> None:
        """Nothing but whitespace may follow the object."""
        if self._skip(self.pos) != len(self.text):
            raise self.fail("Extra data")
