"""Write files atomically so an interrupted run never leaves a half-written output."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def _mode_for(target: Path) -> int:
    """The permission bits a plain ``open(..., "w")`` would give: the existing file's,
    else 0666 less the umask (mkstemp's 0600 would hide reports from the team)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path: str | os.PathLike, data: str | bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    With ``overwrite=False`` an existing file raises FileExistsError and is left alone,
    also when another process creates it meanwhile (the file is linked into place, which
    fails rather than replaces).
    """
    target = Path(path)
    if not overwrite and target.exists():
        raise FileExistsError(str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, _mode_for(target))
        text_args = {} if mode == "wb" else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **text_args) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, target)
        else:
            os.link(tmp, target)
            os.unlink(tmp)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
