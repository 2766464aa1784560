"""write_atomic: whole files only, the usual permissions, no overwrite when told so."""

from __future__ import annotations

import os
import stat

import pytest

from indexdrift.core.atomic import write_atomic


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_file_gets_the_umask_permissions_not_0600(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "drift.md", "x")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "drift.md") == 0o644


def test_overwrite_keeps_the_existing_permissions(tmp_path):
    target = tmp_path / "drift.md"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert _mode(target) == 0o640


def test_no_overwrite_leaves_the_existing_file_and_no_temporary(tmp_path):
    target = tmp_path / "V1__x.sql"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_atomic(target, "new", overwrite=False)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["V1__x.sql"]


def test_no_overwrite_writes_a_new_file(tmp_path):
    write_atomic(tmp_path / "sub" / "a.sql", b"bytes", overwrite=False)
    assert (tmp_path / "sub" / "a.sql").read_bytes() == b"bytes"
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["a.sql"]


def test_temporary_files_are_new_0600_files_named_like_mkstemps(tmp_path, monkeypatch):
    """core.atomic makes its temporary files itself (no tempfile import at start-up): the
    same flags as mkstemp, so a name that exists (a file or a planted link) is never opened
    but another one drawn."""
    from indexdrift.core import atomic

    (tmp_path / ".r.00000000.tmp").write_text("someone else's")
    (tmp_path / ".r.11111111.tmp").symlink_to(tmp_path / "elsewhere")
    draws = iter([b"\x00" * 4, b"\x11" * 4, b"\x22" * 4])
    monkeypatch.setattr(atomic.os, "urandom", lambda n: next(draws))
    fd, path = atomic._mkstemp(tmp_path, ".r.", ".tmp")
    os.close(fd)
    assert path == str(tmp_path / ".r.22222222.tmp")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert (tmp_path / ".r.00000000.tmp").read_text() == "someone else's"
    assert not (tmp_path / "elsewhere").exists()
