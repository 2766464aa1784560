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
