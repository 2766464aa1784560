"""Small file helpers: atomic writes and content hashes."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from pathlib import Path


def current_umask() -> int:
    """The process umask (mode bits new files and folders do not get)."""
    # os.umask can only be read by setting it, so set and restore at once.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers see either the old or the new file, never half.

    The data goes to a temporary file in the same folder (same file system, so
    ``os.replace`` is atomic) and is fsynced before the rename; on any error the
    temporary file is removed and the original is untouched.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600 files; keep the existing mode, or the usual one for new files.
        if path.exists():
            mode = stat.S_IMODE(path.stat().st_mode)
        else:
            mode = 0o666 & ~current_umask()
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def sha256_text(text: str) -> str:
    """Return the hex SHA-256 of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, replacing undecodable bytes instead of failing."""
    return Path(path).read_text(encoding="utf-8", errors="replace")
