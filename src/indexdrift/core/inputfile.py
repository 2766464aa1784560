"""Opening input files safely: regular files only, read with bounds.

Every file indexdrift reads (env sources, ``--columns-from`` files, ``--config``,
``explain -f``, ``plans --queries``) goes through here. A named pipe, device, directory
or socket given as input would block forever or read without end, so it is refused with
an error naming the file and what it is; a symlink to a regular file is fine.
"""

from __future__ import annotations

import os
import stat
from typing import IO, Any

from indexdrift.core.errors import InputError
from indexdrift.core.i18n import Message
from indexdrift.core.limits import limit, limit_message

_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISDIR, "a directory"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str | None:
    """What a non-regular file is ("a named pipe (FIFO)", ...); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


# The catalog key (error.file_kind.*) of each text ``_kind`` returns.
_KIND_KEYS = {"a named pipe (FIFO)": "named_pipe", "a directory": "directory",
              "a character device": "char_device", "a block device": "block_device",
              "a socket": "socket"}


def _refusal(shown: str, what: str) -> InputError:
    kind = Message(f"error.file_kind.{_KIND_KEYS.get(what, 'other')}")
    return InputError(shown, Message("error.not_regular_input", what=kind))


def check_regular(path: str | os.PathLike, shown: str) -> None:
    """Refuse ``path`` when it exists and is not a regular file (symlinks are followed).

    A missing file passes: the reader that opens it says "no such file" in its own words.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return
    what = _kind(mode)
    if what is not None:
        raise _refusal(shown, what)


def open_input(path: str | os.PathLike, shown: str) -> IO[bytes]:
    """Open a regular file for binary reading; anything else is an InputError naming it.

    The file is checked before it is opened (opening some devices has effects) and again
    on the open descriptor, which is opened non-blocking: a FIFO swapped in between the
    two can neither block the open nor pass the check.
    """
    check_regular(path, shown)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(shown, Message("error.no_such_file")) from None
    except (OSError, ValueError) as exc:
        raise InputError(shown, Message("error.cannot_read", reason=_reason(exc))) from None
    try:
        what = _kind(os.fstat(fd).st_mode)
        if what is not None:
            raise _refusal(shown, what)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_input(path: str | os.PathLike, shown: str) -> bytes:
    """The whole of a regular file, refused beyond the ``input_bytes`` limit."""
    with open_input(path, shown) as fh:
        return read_all(fh, shown)


def read_all(fh: IO[bytes], shown: str) -> bytes:
    """The rest of an open file, refused beyond the ``input_bytes`` limit."""
    bound = limit("input_bytes")
    try:
        if os.fstat(fh.fileno()).st_size > bound:
            raise InputError(shown, limit_message("input_bytes"))
        # One byte more than allowed tells a file that grew while being read.
        data = fh.read(bound + 1)
    except OSError as exc:
        raise InputError(shown, Message("error.cannot_read", reason=_reason(exc))) from None
    if len(data) > bound:
        raise InputError(shown, limit_message("input_bytes"))
    return data


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def check_depth(data: Any, shown: str) -> None:
    """Refuse parsed JSON/TOML data nested deeper than the ``json_depth`` limit (walked
    without recursion, so the check itself cannot overflow the stack)."""
    bound = limit("json_depth")
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = (value.values() if isinstance(value, dict)
                    else value if isinstance(value, list) else None)
        if children is None:
            continue
        if depth > bound:
            raise InputError(shown, Message("error.nested_deep",
                                             limit=limit_message("json_depth")))
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, (dict, list)))


def check_input_spec(spec: str) -> None:
    """``check_regular`` for a file source, which may end in ``#SCHEMA`` (the pick of a
    CSV with several schemas): the whole text when such a file exists, else the part
    before the ``#``."""
    path = spec if os.path.lexists(spec) else spec.partition("#")[0]
    check_regular(path, spec)
