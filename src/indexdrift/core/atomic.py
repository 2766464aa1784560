"""Write files atomically so an interrupted or failed run never leaves a half-written output.

Every output goes through here: ``write_atomic`` for one file (reports, exports,
snapshots), ``write_file_set`` for files that only make sense together (a migration's up
and down scripts of every env). Both

- write through a symbolic link to its target, atomically next to the target (the link
  stays a link);
- refuse a destination that is not a regular file (a device, FIFO, directory or socket)
  instead of replacing the node with a file;
- name the user's path in every error (a full disk, no permission, a read-only file
  system), never the temporary file;
- leave no temporary file behind, also on SIGINT/SIGTERM (interrupts.deferred keeps the
  final renames and the clean-up in one piece).
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

from indexdrift.core.errors import IndexDriftError
from indexdrift.core.i18n import Message
from indexdrift.core.interrupts import deferred

# What else a path may be, by the catalog key that names it (error.file_kind.*).
_KINDS = ((stat.S_ISDIR, "directory"), (stat.S_ISCHR, "char_device"),
          (stat.S_ISBLK, "block_device"), (stat.S_ISFIFO, "fifo"), (stat.S_ISSOCK, "socket"))


class OutputError(IndexDriftError):
    """An output file could not be written; the message names the path the user gave."""


def _cannot(path: str | os.PathLike, exc: OSError) -> OutputError:
    return OutputError(Message("error.cannot_write", path=os.fspath(path),
                               reason=exc.strerror or str(exc)))


def _destination(path: Path) -> Path:
    """The regular file really written for ``path``: a symlink's final target (it may not
    exist yet). Anything else that exists there is refused."""
    real = Path(os.path.realpath(path))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return real
    except OSError as exc:
        raise _cannot(path, exc) from None
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "other")
        raise OutputError(Message("error.not_regular_output", path=os.fspath(path),
                                  kind=Message(f"error.file_kind.{kind}")))
    return real


def _mode_for(target: Path) -> int:
    """The permission bits a plain ``open(..., "w")`` would give: the existing file's,
    else 0666 less the umask (mkstemp's 0600 would hide reports from the team)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


# tempfile.mkstemp's flags: the file is new (never an existing one, nor a link's target).
_TEMP_FLAGS = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_BINARY", 0))


def _mkstemp(directory: Path, prefix: str, suffix: str) -> tuple[int, str]:
    """``tempfile.mkstemp(suffix, prefix, directory)`` without importing tempfile, which
    brings shutil, random and more into every run that writes a report (start-up time):
    the same flags and 0600, an unpredictable 8-character name, another on a collision."""
    base = os.path.abspath(directory)
    for _ in range(10_000):
        path = os.path.join(base, f"{prefix}{os.urandom(4).hex()}{suffix}")
        sys.audit("tempfile.mkstemp", path)
        try:
            return os.open(path, _TEMP_FLAGS, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "No usable temporary file name found")


def _write_temp(directory: Path, name: str, data: str | bytes, mode: int,
                temps: list[str]) -> str:
    """A new temporary file in ``directory`` holding ``data`` (flushed to disk). Its name
    joins ``temps`` the moment it exists, so the caller's clean-up never misses it."""
    with deferred():
        fd, tmp = _mkstemp(directory, f".{name}.", ".tmp")
        temps.append(tmp)
    if isinstance(data, bytes):
        fh = os.fdopen(fd, "wb")
    else:
        fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
    with fh:
        os.fchmod(fh.fileno(), mode)
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return tmp


def _unlink(path: str | os.PathLike) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _make_dirs(directory: Path, created: list[Path]) -> None:
    """``mkdir -p``, noting in ``created`` (outermost first) each directory it made."""
    missing = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            continue
        created.append(path)


def _remove_dirs(created: list[Path]) -> None:
    for path in reversed(created):
        try:
            path.rmdir()
        except OSError:
            pass  # not empty (someone else wrote there meanwhile) or gone: leave it


def _link_new(src: str, dest: Path) -> None:
    """Put ``src`` at ``dest`` only if nothing is there (FileExistsError otherwise), also
    when another process creates ``dest`` meanwhile: a hard link fails rather than replaces."""
    try:
        os.link(src, dest)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: the check and the rename are two steps there.
        if os.path.lexists(dest):
            raise FileExistsError(str(dest)) from None
        os.rename(src, dest)
        return
    os.unlink(src)


def write_atomic(path: str | os.PathLike, data: str | bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    With ``overwrite=False`` an existing file raises FileExistsError and is left alone,
    also when another process creates it meanwhile. A symlink is written through to its
    target; a device, FIFO, directory or socket is refused (OutputError), and so is any
    failure to write, naming ``path``.
    """
    shown = Path(path)
    target = _destination(shown)
    if not overwrite and os.path.lexists(target):
        raise FileExistsError(str(shown))
    created: list[Path] = []
    temps: list[str] = []
    done = False
    try:
        _make_dirs(target.parent, created)
        tmp = _write_temp(target.parent, target.name, data, _mode_for(target), temps)
        with deferred():
            if overwrite:
                os.replace(tmp, target)
            else:
                _link_new(tmp, target)
            temps.clear()
            done = True
    except FileExistsError:
        raise FileExistsError(str(shown)) from None
    except OSError as exc:
        raise _cannot(shown, exc) from None
    finally:
        with deferred():
            for tmp in temps:
                _unlink(tmp)
            if not done:
                _remove_dirs(created)


def write_file_set(files: Mapping[str | os.PathLike, str | bytes], overwrite: bool = False
                   ) -> list[Path]:
    """Write a set of files all or nothing; returns their paths (as given, in order).

    Every file is first written into one temporary directory next to the destinations,
    then all are moved into place together. On any failure or interrupt every file moved
    so far is taken back (a replaced file gets its old content back), directories this
    call created are removed, and the temporary directory goes. Without ``overwrite`` an
    existing file refuses the whole set before anything is written.
    """
    shown = [Path(p) for p in files]
    data = list(files.values())
    if not shown:
        return []
    dests = [_destination(p) for p in shown]
    if len(set(dests)) != len(dests):
        same = [str(p) for p, d in zip(shown, dests, strict=True) if dests.count(d) > 1]
        raise OutputError(Message("error.same_file", paths=", ".join(same)))
    if not overwrite:
        existing = [str(p) for p, d in zip(shown, dests, strict=True) if os.path.lexists(d)]
        if existing:
            raise OutputError(Message("error.overwrite_files", paths=", ".join(existing)))
    # lazy: only a file set (migrate) stages in a directory of its own
    import shutil
    import tempfile

    root = Path(os.path.commonpath([d.parent for d in dests]))
    created: list[Path] = []
    staging: str | None = None
    current = shown[0]
    try:
        _make_dirs(root, created)
        with deferred():
            staging = tempfile.mkdtemp(prefix=".indexdrift-", suffix=".tmp", dir=root)
        staged: list[str] = []  # removed with the staging directory
        for number, (path, dest, text) in enumerate(zip(shown, dests, data, strict=True)):
            current = path
            _write_temp(Path(staging), str(number), text, _mode_for(dest), staged)
        with deferred():
            _move_into_place(shown, dests, staged, Path(staging), overwrite, created)
    except FileExistsError as exc:
        raise OutputError(Message("error.overwrite_file", path=str(exc))) from None
    except OutputError:
        raise
    except OSError as exc:
        raise _cannot(current, exc) from None
    finally:
        with deferred():
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            if not all(os.path.lexists(d) for d in dests):
                _remove_dirs(created)
    return shown


def _move_into_place(shown: list[Path], dests: list[Path], staged: list[str], staging: Path,
                     overwrite: bool, created: list[Path]) -> None:
    """Rename every staged file to its destination; on a failure undo the ones done."""
    done: list[tuple[Path, Path | None]] = []  # destination, its old content's copy
    try:
        for number, (path, dest, tmp) in enumerate(zip(shown, dests, staged, strict=True)):
            try:
                _make_dirs(dest.parent, created)
                if not overwrite:
                    _link_new(tmp, dest)
                    done.append((dest, None))
                    continue
                backup = None
                if os.path.lexists(dest):
                    backup = staging / f"{number}.old"
                    try:
                        os.link(dest, backup)  # the old file stays in place until replaced
                    except OSError:
                        os.rename(dest, backup)  # a file system without hard links
                os.replace(tmp, dest)
                done.append((dest, backup))
            except FileExistsError:
                raise FileExistsError(str(path)) from None
            except OSError as exc:
                raise _cannot(path, exc) from None
    except BaseException:
        for dest, backup in reversed(done):
            try:
                if backup is None:
                    os.unlink(dest)
                else:
                    os.replace(backup, dest)
            except OSError:
                pass  # best effort: the error being raised says what went wrong
        raise
