"""Fuzzing the readers: random and mutated CSV/TSV, snapshot JSON and TOML config input
either reads or fails with an IndexDriftError (one line, exit 2) — never anything else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexdrift.core.errors import IndexDriftError
from indexdrift.dialects.mysql.statistics_csv import read_csv
from indexdrift.sources.config import load_config
from indexdrift.sources.snapshot import load_snapshot

EXAMPLES = Path(__file__).parent.parent / "examples"
FIXTURES = Path(__file__).parent / "fixtures"
SEED_CSV = (EXAMPLES / "indexes_prd.csv").read_bytes()
SEED_TSV = (FIXTURES / "mysql80_prd.tsv").read_bytes()
SEED_TOML = b"""
baseline = "prd"
jobs = 4
[envs.prd]
source = "mysql://app@db:3306/shop"
password_env = "PRD_PASSWORD"
connect_timeout = 5
[envs.shards]
source = "mysql://app@shards/"
schemas = "shop_%"
[envs.edge]
sources = ["a.csv", "b.json.gz"]
[ignore]
tables = ["tmp_*"]
indexes = ["orders.ix_*"]
[[waivers]]
env = "dev"
table = "orders"
index = "ix_debug"
kind = "extra"
reason = "kept for QA"
expires = 2030-01-01
"""
SEED_SNAPSHOT = json.dumps({
    "format": "indexdrift-snapshot", "format_version": 1, "tool": "indexdrift 0.1.0",
    "taken_at": "2026-01-01T00:00:00+00:00", "source": "mysql://app@db/shop", "schema": "shop",
    "flavor": "mysql", "version": "8.0.36", "has_details": True, "warnings": [],
    "tables": [{"name": "orders", "size_bytes": 1, "engine": "InnoDB",
                "auto_increment_column": "id",
                "foreign_keys": [{"name": "fk", "columns": ["user_id"]}],
                "indexes": [{"name": "PRIMARY", "parts": [{"column": "id", "expression": None,
                                                           "sub_part": None,
                                                           "descending": False,
                                                           "opclass": None, "collation": None,
                                                           "nulls_first": None}],
                             "unique": True, "primary": True, "index_type": "BTREE",
                             "comment": "", "visible": True, "include": [],
                             "predicate": None, "nulls_not_distinct": False,
                             "constraint": None, "valid": True, "parser": None}]}],
}).encode()

FUZZ = settings(max_examples=int(os.environ.get("INDEXDRIFT_FUZZ_EXAMPLES", "150")),
                deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    """The seed with a few byte flips, insertions, deletions, truncation or line shuffles."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "dupline",
                                   "dropline", "splice"]))
        at = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8)
                               | st.sampled_from([b",", b"\t", b'"', b"\n", b"\\", b"NULL",
                                                  b"\xef\xbb\xbf", b"\x00", b"{", b"[", b"="]))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 16))]
        elif op == "truncate":
            del data[at:]
        else:
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            if op == "dupline":
                lines.insert(i, lines[i])
            elif op == "dropline":
                del lines[i]
            else:
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def reads_or_fails_cleanly(reader, data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        try:
            reader(str(path))
        except IndexDriftError as exc:
            assert str(exc).strip()  # a message to show; anything else escapes and fails


@FUZZ
@given(st.one_of(mutated(SEED_CSV), mutated(SEED_TSV), st.binary(max_size=400),
                 st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_csv_reader_never_fails_with_anything_but_an_input_error(data):
    reads_or_fails_cleanly(read_csv, data, ".csv")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=20)


@st.composite
def snapshot_with_odd_values(draw) -> bytes:
    """A valid snapshot with one field anywhere replaced by an arbitrary JSON value."""
    doc = json.loads(SEED_SNAPSHOT)
    paths = [("schema",), ("tables",), ("warnings",), ("format_version",),
             ("tables", 0), ("tables", 0, "indexes"), ("tables", 0, "indexes", 0),
             ("tables", 0, "indexes", 0, "parts"), ("tables", 0, "indexes", 0, "parts", 0),
             ("tables", 0, "indexes", 0, "parts", 0, "column"),
             ("tables", 0, "indexes", 0, "unique"), ("tables", 0, "foreign_keys", 0),
             ("tables", 0, "indexes", 0, "include"), ("tables", 0, "size_bytes")]
    path = draw(st.sampled_from(paths))
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = draw(json_values)
    return json.dumps(doc).encode()


@FUZZ
@given(st.one_of(mutated(SEED_SNAPSHOT), snapshot_with_odd_values(),
                 json_values.map(lambda v: json.dumps(v).encode()), st.binary(max_size=200)))
def test_snapshot_reader_never_fails_with_anything_but_an_input_error(data):
    reads_or_fails_cleanly(load_snapshot, data, ".json")


@FUZZ
@given(st.one_of(mutated(SEED_TOML), st.binary(max_size=300),
                 st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_config_reader_never_fails_with_anything_but_an_input_error(data):
    reads_or_fails_cleanly(load_config, data, ".toml")


@pytest.mark.parametrize("command, name, data", [
    ("compare", "x.csv", b"TABLE_SCHEMA,TABLE_NAME\n\xff\xfe,\"unterminated\n"),
    ("compare", "x.tsv", b"\x00\x01\x02"),
    ("compare", "x.json", b'{"format": "indexdrift-snapshot", "format_version": 1, "tables": 7}'),
    ("compare", "x.json.gz", b"\x1f\x8b\x08garbage"),
    ("check", "indexdrift.toml", b"[envs.prd\nsource = 1"),
])
def test_the_command_line_turns_bad_input_into_exit_2_without_a_traceback(tmp_path, command,
                                                                         name, data):
    bad = tmp_path / name
    bad.write_bytes(data)
    if name.endswith(".toml"):
        args = [command, "--config", str(bad)]
    else:
        args = [command, f"prd={EXAMPLES / 'indexes_prd.csv'}", f"dev={bad}"]
    proc = subprocess.run([sys.executable, "-m", "indexdrift", *args], capture_output=True,
                          text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
