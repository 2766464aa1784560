"""Small file helpers: locks, encodings kept as found, writes through symlinks, hashes.

Nothing the learner wrote may be lost, so every write here

- goes through symbolic links to the file they point at (a notes vault stays linked),
- keeps the file's encoding (UTF-8, UTF-8 with BOM, CP949/EUC-KR) or refuses
  before writing anything,
- happens under an exclusive lock on the folder of the real file, so concurrent
  ``dockerlab`` processes append one after the other instead of overwriting.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import DockerlabError

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
CP949 = "cp949"  # a superset of EUC-KR, what Korean Windows editors save


def current_umask() -> int:
    """The process umask (mode bits new files and folders do not get)."""
    # os.umask can only be read by setting it, so set and restore at once.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def real_path(path: Path) -> Path:
    """The file a path finally names, following symbolic links (also dangling ones)."""
    return Path(os.path.realpath(path))


@contextlib.contextmanager
def folder_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder of the real file behind ``path``.

    The lock is on the folder, not the file: files replaced by rename get a new
    inode, and a lock on the old one would not exclude the next writer. A
    folder can be opened (and locked) even when it is read-only or immutable.
    """
    folder = real_path(path).parent
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@dataclass(frozen=True)
class Document:
    """A text file's content and the encoding it was found in."""

    text: str
    encoding: str


def decode(data: bytes) -> tuple[str, str] | None:
    """Decode file bytes as UTF-8 (with or without BOM) or CP949/EUC-KR; None if neither fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode(UTF8_BOM), UTF8_BOM
        except UnicodeDecodeError:
            return None
    for encoding in (UTF8, CP949):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def read_document(path: Path) -> Document:
    """Read a text file strictly; an encoding dockerlab cannot keep is an error, not a guess."""
    found = decode(Path(path).read_bytes())
    if found is None:
        raise _undecodable(path)
    return Document(*found)


def _undecodable(path: Path) -> DockerlabError:
    return DockerlabError(
        "{name} is neither UTF-8 nor CP949/EUC-KR; convert it to UTF-8 (nothing was written)",
        name=Path(path).name,
    )


def encode(text: str, encoding: str, name: str) -> bytes:
    """``text`` in ``encoding``; text that encoding cannot hold is an error before any write."""
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        raise DockerlabError(
            "{name} is saved as {encoding} and cannot hold {text!r}; "
            "convert it to UTF-8 (nothing was written)",
            name=name,
            encoding=encoding,
            text=bad,
        ) from None


def _write_bytes_atomic(target: Path, data: bytes) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600 files; keep the existing mode, or the usual one for new files.
        if target.exists():
            mode = stat.S_IMODE(target.stat().st_mode)
        else:
            mode = 0o666 & ~current_umask()
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def atomic_write(path: Path, text: str, encoding: str | None = None) -> None:
    """Replace the file behind ``path`` so readers see either the old or the new file.

    A symbolic link is followed and the file it points at is replaced (the link
    stays). Without ``encoding`` an existing file keeps the encoding it has; new
    files are UTF-8.
    """
    target = real_path(path)
    if encoding is None:
        encoding = UTF8
        if target.exists():
            encoding = read_document(target).encoding
    _write_bytes_atomic(target, encode(text, encoding, Path(path).name))


def copy_bytes(source: Path, destination: Path) -> None:
    """Copy a file byte for byte (a backup must be exactly what was there)."""
    target = real_path(destination)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp_name)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def append_text(path: Path, text: str, header: str = "", *, before=None) -> None:
    """Append ``text`` to the file behind ``path`` under the folder lock, in its encoding.

    The file is created with ``header`` when missing or empty. ``before(existing)``
    may return a separator to put in front of ``text``, decided under the lock
    from the file's current content. The file is appended in place (same inode,
    links and mode kept); if the write fails it is cut back to its old size.
    """
    target = real_path(path)
    with folder_lock(target):
        fd = os.open(target, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
        try:
            with os.fdopen(fd, "r+b", closefd=False) as handle:
                old = handle.read()
            found = decode(old)
            if found is None:
                raise _undecodable(path)
            existing, encoding = found
            prefix = ""
            if not existing.strip():
                prefix, existing = header, header
                encoding = UTF8 if not old else encoding
                if old:
                    os.ftruncate(fd, 0)
            elif not existing.endswith("\n"):
                prefix = "\n"
                existing += "\n"
            separator = before(existing) if before else ""
            if encoding == UTF8_BOM and old and prefix != header:
                encoding = UTF8  # the BOM is at the start already; appended text has none
            data = encode(prefix + separator + text, encoding, Path(path).name)
            size = os.fstat(fd).st_size
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)
                raise
        finally:
            os.close(fd)


def check_appendable(path: Path) -> None:
    """Raise ``OSError`` now if ``append_text`` on ``path`` would fail for lack of permission."""
    target = real_path(path)
    if target.exists():
        os.close(os.open(target, os.O_WRONLY | os.O_APPEND))
        read_document(target)  # an encoding we cannot keep: refuse before running
    else:
        # Creating the file needs a writable folder; probe it for real (root ignores modes,
        # but not the immutable attribute).
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".probe", dir=target.parent
        )
        os.close(fd)
        os.unlink(tmp_name)


def sha256_text(text: str) -> str:
    """Return the hex SHA-256 of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_text(path: Path) -> str:
    """Read a text file for display or lookups: UTF-8 or CP949, never failing on odd bytes."""
    data = Path(path).read_bytes()
    found = decode(data)
    return found[0] if found else data.decode(UTF8, errors="replace")
