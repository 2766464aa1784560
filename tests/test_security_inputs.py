"""Hostile and broken input files: each is refused with exit 2 and one line naming the file,
never a hang, a traceback, a memory blow-up or an output file.

The command line runs as a child process with a timeout (a FIFO that blocked would hang
the test otherwise) and, where memory is the point, an address-space limit and its peak
resident size measured.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import peak_rss
import pytest

from indexdrift.core.errors import InputError
from indexdrift.model.tables import Index, KeyPart, Snapshot, Table
from indexdrift.sources.snapshot import load_snapshot, save_snapshot, snapshot_json

EXAMPLES = Path(__file__).parent.parent / "examples"
PRD_CSV = str(EXAMPLES / "indexes_prd.csv")
TIMEOUT = 20
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None,
        address_space: int | None = None) -> tuple[subprocess.CompletedProcess, int]:
    """Run ``indexdrift ARGS`` in ``cwd``; the result and the child's peak RSS in KiB."""
    limit = None
    if address_space is not None:
        def limit() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        peak_file = Path(tempfile.mkdtemp()) / "peak"
        proc = subprocess.Popen(peak_rss.command(*args), cwd=cwd,
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                env={**os.environ, **(env or {}),
                                     "INDEXDRIFT_TEST_PEAK": str(peak_file)},
                                preexec_fn=limit)
        deadline = time.monotonic() + TIMEOUT
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                pytest.fail(f"indexdrift {' '.join(args)} still ran after {TIMEOUT} s")
            time.sleep(0.02)
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(args, code, out.read().decode(),
                                             err.read().decode("utf-8", "replace"))
    del usage  # its ru_maxrss is pytest's own size when that is larger (see peak_rss)
    return result, peak_rss.read_peak(peak_file)


def assert_refused(result: subprocess.CompletedProcess, name: str, *fragments: str) -> str:
    """Exit 2, one ``error:`` line naming ``name`` (and each fragment), no traceback."""
    message = result.stderr.strip()
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert len(message.splitlines()) == 1, message
    assert message.startswith("error: ") and name in message, message
    for fragment in fragments:
        assert fragment in message, message
    return message


def small_snapshot(tables: int = 1) -> Snapshot:
    """A MySQL snapshot with ``tables`` tables of one index each."""
    snap = Snapshot(source="mysql://app@db/shop", schema="shop", flavor="mysql",
                    version="8.0.36", has_details=True)
    for number in range(tables):
        table = Table(f"t{number}")
        table.add(Index(table.name, "ix_a", (KeyPart("a"),)))
        snap.tables[table.name] = table
    return snap


def write_snapshot_text(path: Path, mutate=None, text=None) -> str:
    """A valid snapshot file, its JSON changed by ``mutate`` or replaced by ``text``."""
    doc = snapshot_json(small_snapshot())
    if mutate is not None:
        mutate(doc)
    path.write_text(text if text is not None else json.dumps(doc), encoding="utf-8")
    return str(path)


# --- 8: FIFOs, devices, directories -------------------------------------------------------

@needs_fifo
@pytest.mark.parametrize("name", ["dev.csv", "dev.json", "dev.json.gz", "dev.db", "dev"])
def test_a_fifo_as_an_env_source_is_refused_not_waited_on(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    result, _ = cli("compare", f"prd={PRD_CSV}", f"dev={fifo}", "--no-usage", cwd=tmp_path)
    assert_refused(result, str(fifo), "is a named pipe (FIFO), not a regular file")


@needs_fifo
def test_a_fifo_behind_a_sqlite_url_or_a_schema_pick_is_refused(tmp_path):
    fifo = tmp_path / "dev.db"
    os.mkfifo(fifo)
    result, _ = cli("lint", f"sqlite:///{fifo.relative_to(tmp_path)}", cwd=tmp_path)
    assert_refused(result, "dev.db", "named pipe")
    pipe_csv = tmp_path / "many.csv"
    os.mkfifo(pipe_csv)
    result, _ = cli("export", f"{pipe_csv}#shop", cwd=tmp_path)
    assert_refused(result, f"{pipe_csv}#shop", "named pipe")


@needs_fifo
def test_a_fifo_as_a_columns_file_is_refused(tmp_path):
    fifo = tmp_path / "columns_prd.csv"
    os.mkfifo(fifo)
    result, _ = cli("compare", f"prd={PRD_CSV}", f"dev={PRD_CSV}", "--no-usage",
                    "--objects", "columns", "--columns-from", f"prd={fifo}",
                    "--columns-from", f"dev={fifo}", cwd=tmp_path)
    assert_refused(result, str(fifo), "named pipe")


@needs_fifo
def test_a_fifo_as_the_config_file_is_refused(tmp_path):
    fifo = tmp_path / "team.toml"
    os.mkfifo(fifo)
    result, _ = cli("compare", "--config", str(fifo), cwd=tmp_path)
    assert_refused(result, str(fifo), "named pipe")
    # ./indexdrift.toml found by name is not silently skipped either.
    os.mkfifo(tmp_path / "indexdrift.toml")
    result, _ = cli("check", cwd=tmp_path)
    assert_refused(result, "indexdrift.toml", "named pipe")


@needs_fifo
def test_a_fifo_given_to_explain_or_plans_is_refused(tmp_path):
    fifo = tmp_path / "queries.sql"
    os.mkfifo(fifo)
    result, _ = cli("explain", "-f", str(fifo), cwd=tmp_path)
    assert_refused(result, str(fifo), "named pipe")
    # The queries are read before any connection is tried (port 1: nothing listens).
    result, _ = cli("plans", "mysql://app@127.0.0.1:1/shop", "--queries", str(fifo),
                    cwd=tmp_path)
    assert_refused(result, str(fifo), "named pipe")


def test_explain_still_reads_standard_input(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "indexdrift", "explain", "-f", "-"],
                          input="ALTER TABLE t ADD INDEX ix_a (a);", capture_output=True,
                          text=True, cwd=tmp_path, timeout=TIMEOUT, env=os.environ)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_that_never_ends_is_refused():
    result, _ = cli("compare", f"prd={PRD_CSV}", "dev=/dev/zero", "--no-usage", cwd=Path("/"))
    assert_refused(result, "/dev/zero", "is a character device, not a regular file")


@pytest.mark.parametrize("name", ["dir.csv", "dir.json", "dir.sqlite"])
def test_a_directory_as_a_source_is_refused(tmp_path, name):
    """A directory is a source only when indexdrift export wrote it (its indexes.csv)."""
    (tmp_path / name).mkdir()
    result, _ = cli("lint", str(tmp_path / name), cwd=tmp_path)
    assert_refused(result, str(tmp_path / name), "is a directory without indexes.csv")


def test_a_symlink_to_a_regular_file_is_read(tmp_path):
    link = tmp_path / "linked_prd.csv"
    link.symlink_to(PRD_CSV)
    result, _ = cli("compare", f"prd={PRD_CSV}", f"dev={link}", "--no-usage", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


# --- 11: hostile content ------------------------------------------------------------------

def test_a_lone_surrogate_in_a_snapshot_is_refused_before_anything_is_written(tmp_path):
    prd = tmp_path / "prd.json"
    save_snapshot(small_snapshot(), str(prd))
    bad = tmp_path / "dev.json"
    write_snapshot_text(bad, lambda d: d["tables"][0]["indexes"][0].update(name="ix_\ud800"))
    assert "\\ud800" in bad.read_text()
    out = tmp_path / "migrations"
    result, _ = cli("migrate", f"prd={prd}", f"dev={bad}", "--no-usage", "--out", str(out),
                    "--target", "mysql:8.0", cwd=tmp_path)
    assert_refused(result, str(bad), "tables[0].indexes[0].name", "lone surrogate")
    assert not out.exists()
    report = tmp_path / "drift.md"
    result, _ = cli("compare", f"prd={prd}", f"dev={bad}", "--no-usage", "-o", str(report),
                    cwd=tmp_path)
    assert_refused(result, str(bad), "lone surrogate")
    assert not report.exists()


@pytest.mark.parametrize("where, mutate", [
    ("warnings[0]", lambda d: d.update(warnings=["ok\udc80"])),
    ("tables[0].foreign_keys[0].columns[0]",
     lambda d: d["tables"][0].update(foreign_keys=[{"name": "fk", "columns": ["\ud83d"]}])),
    ("tables[0].indexes[0].storage", lambda d: d["tables"][0]["indexes"][0].update(
        storage={"fill\udfff": "90"})),
    ("tables[0].name", lambda d: d["tables"][0].update(name="t\x00")),
])
def test_every_string_field_refuses_lone_surrogates_and_nul(tmp_path, where, mutate):
    path = write_snapshot_text(tmp_path / "s.json", mutate)
    with pytest.raises(InputError, match=re.escape(where) + ".*(lone surrogate|NUL byte)"):
        load_snapshot(path)


def test_paired_surrogate_escapes_are_a_real_character(tmp_path):
    path = write_snapshot_text(tmp_path / "s.json",
                               lambda d: d["tables"][0].update(name="emoji_\U0001F600"))
    path_text = Path(path).read_text().replace("\U0001F600", "\\ud83d\\ude00")
    Path(path).write_text(path_text)
    assert "emoji_\U0001F600" in load_snapshot(path).tables


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(warnings=[1]), "warnings[0]: expected a string"),
    (lambda d: d["tables"][0].update(referenced_by={"ix_a": [[["deep"]]]}),
     "referenced_by['ix_a'][0]: expected a string"),
    (lambda d: d["tables"][0].update(size_bytes=1 << 64), "size_bytes: expected a whole"),
    (lambda d: d.update(tool={"x": 1}), "tool: expected a string"),
])
def test_every_field_has_its_type_checked(tmp_path, mutate, message):
    path = write_snapshot_text(tmp_path / "s.json", mutate)
    with pytest.raises(InputError) as raised:
        load_snapshot(path)
    assert message in str(raised.value)


def test_a_5000_digit_integer_is_refused(tmp_path):
    text = json.dumps(snapshot_json(small_snapshot())).replace(
        '"size_bytes": null', '"size_bytes": ' + "9" * 5000)
    bad = write_snapshot_text(tmp_path / "dev.json", text=text)
    result, _ = cli("compare", f"prd={PRD_CSV}", f"dev={bad}", "--no-usage", cwd=tmp_path)
    assert_refused(result, bad, "too many digits")
    toml = tmp_path / "indexdrift.toml"
    toml.write_text("jobs = " + "9" * 5000 + "\n")
    result, _ = cli("check", cwd=tmp_path)
    assert_refused(result, "indexdrift.toml", "too many digits")


@pytest.mark.parametrize("text", [
    "[" * 100_000 + "]" * 100_000,
    '{"format": "indexdrift-snapshot", "format_version": 1, "tables": '
    + "[" * 100_000 + "]" * 100_000 + "}",
    '{"format": "indexdrift-snapshot", "format_version": 1, "warnings": '
    + "[" * 100_000 + "]" * 100_000 + ', "tables": []}',
])
def test_deeply_nested_json_is_refused(tmp_path, text):
    bad = tmp_path / "dev.json"
    bad.write_text(text)
    result, _ = cli("compare", f"prd={PRD_CSV}", f"dev={bad}", "--no-usage", cwd=tmp_path)
    assert_refused(result, str(bad), "nested too deeply")


@pytest.mark.parametrize("value", ["[" * 100_000 + "]" * 100_000,
                                   "{a = " * 20_000 + "1" + "}" * 20_000,
                                   "[" * 100 + "]" * 100])
def test_deeply_nested_toml_is_refused(tmp_path, value):
    config = tmp_path / "team.toml"
    config.write_text(f"baseline = {value}\n")
    result, _ = cli("compare", "--config", str(config), cwd=tmp_path)
    assert_refused(result, str(config), "nested too deeply")


def test_snapshot_members_may_come_in_any_order(tmp_path):
    doc = snapshot_json(small_snapshot(3))
    doc["flavor"] = "postgresql"  # read after the tables, it still decides name case
    for table in doc["tables"]:
        del table["indexes"][0]["exact_name"]  # (files written before the field existed)
    reordered = {"tables": doc.pop("tables"), **doc}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(reordered))
    loaded = load_snapshot(str(path))
    assert set(loaded.tables) == {"t0", "t1", "t2"}
    assert loaded.tables["t0"].indexes["ix_a"].exact_name


@pytest.mark.parametrize("text, message", [
    ('{"format": "indexdrift-snapshot", "format_version": 1, "tables": [], "tables": []}',
     "tables: the key appears twice"),
    (json.dumps(snapshot_json(small_snapshot())) + " {}", "Extra data"),
    ('{"format": "indexdrift-snapshot", "format_version": 1, "tables": [{"name": "t"} 1]}',
     "Expecting ',' delimiter"),
])
def test_malformed_snapshot_json_names_the_problem(tmp_path, text, message):
    path = tmp_path / "s.json"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        load_snapshot(str(path))


# --- 11 and 13: SQLite files --------------------------------------------------------------

def make_sqlite(path: Path) -> bytes:
    """A small SQLite database (a table, an index); its bytes."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE tabc (id INTEGER PRIMARY KEY, a TEXT)")
    conn.execute("CREATE INDEX ix_tabc ON tabc (a)")
    conn.commit()
    conn.close()
    return path.read_bytes()


def damaged(tmp_path: Path, name: str, *replacements: tuple[bytes, bytes]) -> Path:
    """A copy of the small database with its bytes patched."""
    data = make_sqlite(tmp_path / "good.db")
    for old, new in replacements:
        assert old in data
        data = data.replace(old, new)
    (tmp_path / name).write_bytes(data)
    return tmp_path / name


@pytest.mark.parametrize("command", ["lint", "export", "snapshot"])
@pytest.mark.parametrize("name, replacements, message", [
    # SQLite's own error message quotes the bytes: decoding it failed in the sqlite3 module
    ("undecodable.db", ((b"ix_tabc", b"ix_\xff\xfebc"), (b"CREATE INDEX", b"CREATE INDEZ")),
     "not UTF-8"),
    ("badname.db", ((b"tabc", b"t\xff\xfec"),), "Could not decode to UTF-8"),
    ("malformed.db", ((b"CREATE INDEX", b"CREATE INDEZ"),), "malformed database schema"),
    ("truncated.db", (), "not a readable SQLite database"),
])
def test_a_damaged_sqlite_file_is_one_line_naming_it(tmp_path, command, name, replacements,
                                                     message):
    path = damaged(tmp_path, name, *replacements)
    if name == "truncated.db":
        path.write_bytes(path.read_bytes()[:200])
    out = tmp_path / "out.json"
    args = [command, str(path)] + (["-o", str(out)] if command in ("snapshot", "export")
                                   else [])
    result, _ = cli(*args, cwd=tmp_path)
    assert_refused(result, str(path), message)
    assert not out.exists()


def test_a_text_file_named_sqlite_is_refused(tmp_path):
    fake = tmp_path / "dev.sqlite"
    fake.write_text("TABLE_SCHEMA,TABLE_NAME\nshop,t\n")
    result, _ = cli("compare", f"prd={PRD_CSV}", f"dev={fake}", "--no-usage", cwd=tmp_path)
    assert_refused(result, str(fake), "file is not a database")


@pytest.mark.parametrize("make", ["zero_bytes", "dropped_table"])
def test_a_sqlite_database_without_tables_is_refused(tmp_path, make):
    path = tmp_path / "dev.sqlite"
    if make == "zero_bytes":
        path.write_bytes(b"")
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE gone (a)")
        conn.execute("DROP TABLE gone")
        conn.commit()
        conn.close()
    result, _ = cli("compare", f"prd={PRD_CSV}", f"dev={path}", "--no-usage", cwd=tmp_path)
    assert_refused(result, str(path), "shows no tables")


def test_a_snapshot_without_tables_is_refused_and_never_written(tmp_path):
    empty = write_snapshot_text(tmp_path / "dev.json", lambda d: d.update(tables=[]))
    result, _ = cli("compare", f"prd={PRD_CSV}", f"dev={empty}", "--no-usage", cwd=tmp_path)
    assert_refused(result, empty, "tables: holds no tables")
    header_only = tmp_path / "empty.csv"
    header_only.write_text(Path(PRD_CSV).read_text().splitlines()[0] + "\n")
    out = tmp_path / "empty.json"
    result, _ = cli("snapshot", str(header_only), "-o", str(out), cwd=tmp_path)
    # The CSV reader refuses a header-only file first (an empty env is an error there).
    assert_refused(result, str(header_only), "no rows after its header")
    assert not out.exists()


# --- 12: memory -----------------------------------------------------------------------------

# The child may map this much: without the bounds, the bombs below end in MemoryError.
ADDRESS_SPACE = 2 << 30


def gzip_bomb(path: Path, byte: bytes, mebibytes: int, head: bytes = b"") -> Path:
    """``mebibytes`` MiB of ``byte`` as that many gzip members (about 1 KiB each)."""
    member = gzip.compress(byte * (1 << 20), mtime=0)
    path.write_bytes((gzip.compress(head, mtime=0) if head else b"") + member * mebibytes)
    return path


def test_a_gzip_bomb_of_zeros_ends_at_once(tmp_path):
    bomb = gzip_bomb(tmp_path / "dev.json.gz", b"\0", 4096)  # 4 GiB in 4 MiB
    assert bomb.stat().st_size < 5 << 20
    result, peak_kib = cli("compare", f"prd={PRD_CSV}", f"dev={bomb}", "--no-usage",
                           cwd=tmp_path, address_space=ADDRESS_SPACE)
    assert_refused(result, str(bomb), "NUL byte")
    assert peak_kib < 200 << 10, f"peak RSS {peak_kib} KiB"


def test_decompressed_snapshot_data_is_bounded(tmp_path):
    bomb = gzip_bomb(tmp_path / "dev.json.gz", b" ", 256, head=b"{")  # 256 MiB of spaces
    result, peak_kib = cli("compare", f"prd={PRD_CSV}", f"dev={bomb}", "--no-usage",
                           cwd=tmp_path, address_space=ADDRESS_SPACE,
                           env={"INDEXDRIFT_LIMIT_DECOMPRESSED_BYTES": str(16 << 20)})
    assert_refused(result, str(bomb), "decompressed snapshot data",
                   "INDEXDRIFT_LIMIT_DECOMPRESSED_BYTES")
    assert peak_kib < 200 << 10, f"peak RSS {peak_kib} KiB"


def test_the_number_of_tables_is_bounded(tmp_path):
    path = tmp_path / "dev.json"
    save_snapshot(small_snapshot(5), str(path))
    result, _ = cli("compare", f"prd={PRD_CSV}", f"dev={path}", "--no-usage", cwd=tmp_path,
                    env={"INDEXDRIFT_LIMIT_TABLES": "4"})
    assert_refused(result, str(path), "more than 4 tables in one environment",
                   "INDEXDRIFT_LIMIT_TABLES")
