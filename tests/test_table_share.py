"""A run's TableShare: a table whose STATISTICS cells are the same in several envs is one
object in all their snapshots, and that changes nothing a run reports.

Held to its result: shared reads build, compare and lint exactly what unshared reads do
(random exports, some tables changed in the second env, rows in order or scattered);
identical tables are the same object; and what a run changes in one env (ignore rules,
columns) never reaches the other env's table.
"""

from __future__ import annotations

import json

from click.testing import CliRunner
from csvtools import BASE, stats_csv
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_csv_fast_path import _rows, _text, exports, indexes

from indexdrift.cli.main import cli
from indexdrift.compare.ignore import apply_ignore
from indexdrift.compare.tables import compare_snapshots
from indexdrift.dialects.mysql.statistics_csv import read_csv
from indexdrift.model.tables import Column, Snapshot
from indexdrift.report.lint import lint_snapshot
from indexdrift.sources import open_source
from indexdrift.sources.config import IgnoreRules
from indexdrift.sources.fleet import _read_in_process
from indexdrift.sources.tableshare import TableShare


def _model(snapshot: Snapshot) -> dict:
    return {name: [(key, index.name, index.full_key()) for key, index in table.indexes.items()]
            for name, table in snapshot.tables.items()}


def _findings(base: Snapshot, other: Snapshot) -> list:
    return [(f.kind, f.table, f.index, f.env_index_name, tuple(f.changes),
             f.baseline.full_key() if f.baseline else None,
             f.current.full_key() if f.current else None)
            for f in compare_snapshots("dev", base, other)]


def _advisories(snapshot: Snapshot, memo: dict | None = None) -> list:
    return [(a.table, a.index.name, a.covered_by.name, a.kind)
            for a in lint_snapshot(snapshot, memo=memo)]


@st.composite
def two_envs(draw):
    """An export, and a second env's tables: the first's with some tables redrawn."""
    layout, tables, shuffle = draw(exports())
    other = dict(tables)
    for name in draw(st.lists(st.sampled_from(sorted(tables)), max_size=len(tables))):
        found = {}
        for index in draw(st.lists(indexes(layout), max_size=3)):
            found.setdefault(index["name"].lower(), index)
        other[name] = list(found.values())
    return layout, tables, other, shuffle, draw(st.booleans())


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(two_envs())
def test_shared_reads_report_what_unshared_reads_report(tmp_path, envs):
    layout, tables, other, shuffle, scatter = envs
    paths = []
    for env, found in (("prd", tables), ("dev", other)):
        rows = list(_rows(layout, found))
        assume(rows)
        if scatter:
            shuffle.shuffle(rows)
        path = tmp_path / f"{env}.{'tsv' if layout['tsv'] else 'csv'}"
        path.write_text(_text(layout, rows), encoding="utf-8")
        paths.append(str(path))
    share = TableShare()
    shared = [read_csv(p, share=share) for p in paths]
    alone = [read_csv(p) for p in paths]
    for a, b in zip(shared, alone, strict=True):
        assert _model(a) == _model(b)
        assert list(a.tables) == list(b.tables)
        assert (a.flavor, a.schema) == (b.flavor, b.schema)
    assert _findings(*shared) == _findings(*alone)
    memo: dict = {}
    assert [_advisories(s, memo) for s in shared] == [_advisories(s) for s in alone]
    # Whatever is one object in both is a table whose indexes are equal in both.
    for name, table in shared[1].tables.items():
        if shared[0].tables.get(name) is table:
            assert _model(alone[0])[name] == _model(alone[1])[name]


def _files(tmp_path, second: list[tuple], *, schema: str = "shop_dev") -> tuple[str, str]:
    prd = tmp_path / "prd.csv"
    dev = tmp_path / "dev.csv"
    prd.write_text(stats_csv(BASE), encoding="utf-8")
    # Another schema name and other cardinalities (volatile statistics): still the same
    # tables.
    dev.write_text(stats_csv(second, schema=schema).replace(",17,", ",99,"),
                   encoding="utf-8")
    return str(prd), str(dev)


def test_identical_tables_are_one_object(tmp_path):
    prd, dev = _files(tmp_path, BASE)
    share = TableShare()
    a, b = read_csv(prd, share=share), read_csv(dev, share=share)
    assert b.schema == "shop_dev"
    assert all(b.tables[name] is table for name, table in a.tables.items())
    assert share.hits == len(a.tables) == 2
    assert compare_snapshots("dev", a, b) == []


def test_a_changed_table_is_its_own(tmp_path):
    changed = [r if r[1] != "idx_note" else (*r[:6], 30, *r[7:]) for r in BASE]
    prd, dev = _files(tmp_path, changed)
    share = TableShare()
    a, b = read_csv(prd, share=share), read_csv(dev, share=share)
    assert b.tables["users"] is a.tables["users"]
    assert b.tables["orders"] is not a.tables["orders"]
    found = compare_snapshots("dev", a, b)
    assert [(f.kind, f.table, f.index, f.changes) for f in found] == [
        ("changed", "orders", "idx_note", ["prefix_length"])]
    assert _findings(a, b) == _findings(read_csv(prd), read_csv(dev))


def test_scattered_rows_are_not_shared(tmp_path):
    # orders' rows on both sides of users': its indexes are not side by side.
    rows = [BASE[4], *BASE[:4], *BASE[5:]]
    prd, dev = _files(tmp_path, rows)
    (tmp_path / "prd.csv").write_text(stats_csv(rows), encoding="utf-8")
    share = TableShare()
    a, b = read_csv(prd, share=share), read_csv(dev, share=share)
    # Read again whole once orders comes back: nothing of either is another's.
    assert all(b.tables[name] is not table for name, table in a.tables.items())
    assert _model(a) == _model(read_csv(prd))
    assert list(a.tables) == ["orders", "users"]
    assert compare_snapshots("dev", a, b) == []


def test_ignoring_an_index_in_one_env_leaves_the_other_alone(tmp_path):
    prd, dev = _files(tmp_path, BASE)
    share = TableShare()
    a, b = read_csv(prd, share=share), read_csv(dev, share=share)
    assert b.tables["orders"] is a.tables["orders"]
    assert apply_ignore(b, IgnoreRules(indexes=("idx_note",))) == 1
    assert "idx_note" not in b.tables["orders"].indexes
    assert "idx_note" in a.tables["orders"].indexes
    assert b.tables["users"] is a.tables["users"]  # untouched tables stay shared
    assert [(f.kind, f.index) for f in compare_snapshots("dev", a, b)] == [
        ("missing", "idx_note")]


def test_columns_of_one_env_leave_the_other_alone(tmp_path):
    prd, dev = _files(tmp_path, BASE)
    share = TableShare()
    a, b = read_csv(prd, share=share), read_csv(dev, share=share)
    column = Column("id", 1, "int", False)
    b.set_columns({"users": {"id": column}, "orders": {}})
    assert b.tables["users"].columns == {"id": column}
    assert a.tables["users"].columns is None and a.tables["orders"].columns is None
    assert b.tables["users"].indexes == a.tables["users"].indexes


def test_open_source_shares_only_through_a_share(tmp_path):
    prd, dev = _files(tmp_path, BASE)
    share = TableShare()
    a = open_source(prd, "prd", share=share)
    b = open_source(dev, "dev", share=share)
    assert b.tables["users"] is a.tables["users"]
    c = open_source(dev, "dev")
    assert c.tables["users"] is not a.tables["users"]


class _NoShare(TableShare):
    """A share that never finds anything: the run reads as if there were none."""

    def get(self, key):
        return None


class _Counted(TableShare):
    """A share that remembers itself, to tell what it handed out."""

    made: list[TableShare] = []

    def __init__(self) -> None:
        super().__init__()
        self.made.append(self)


def test_a_run_reports_the_same_with_and_without_sharing(tmp_path, monkeypatch):
    # orders has a redundant index (an advisory) in prd and dev; stg lacks uq_email.
    rows = [*BASE, ("orders", "idx_user", 1, 1, "user_id", "A", None, "BTREE", "")]
    files = {}
    for env, found, schema in (("prd", rows, "shop"), ("stg", rows[:1] + rows[2:], "shop"),
                               ("dev", rows, "shop_dev")):
        files[env] = tmp_path / f"{env}.csv"
        files[env].write_text(stats_csv(found, schema=schema), encoding="utf-8")
    args = ["compare", *(f"{env}={path}" for env, path in files.items()), "--format", "json"]
    monkeypatch.setattr("indexdrift.cli.runs.TableShare", _Counted)
    shared = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "shared.json")])
    assert [share.hits for share in _Counted.made] == [3]  # stg's orders, dev's two
    monkeypatch.setattr("indexdrift.cli.runs.TableShare", _NoShare)
    alone = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "alone.json")])
    assert shared.exit_code == alone.exit_code == 1, shared.output
    one = (tmp_path / "shared.json").read_bytes()
    assert one == (tmp_path / "alone.json").read_bytes()
    report = json.loads(one)
    assert [a["index"] for a in report["advisories"]["dev"]] == ["idx_user"]
    assert [f["index"] for f in report["findings"]] == ["uq_email"]


def test_files_are_read_one_after_another():
    assert _read_in_process("indexes_prd.csv")
    assert not _read_in_process("mysql://user@db.example/shop")


def test_a_scattered_file_read_again_leaves_the_share_sound(tmp_path):
    # prd's first read builds orders from its first row before the rest turns up; a
    # later env whose orders is just that row gets what its own rows build.
    prd = tmp_path / "prd.csv"
    prd.write_text(stats_csv([BASE[4], *BASE[:4], *BASE[5:]]), encoding="utf-8")
    dev = tmp_path / "dev.csv"
    dev.write_text(stats_csv([BASE[4], *BASE[:4]]), encoding="utf-8")
    share = TableShare()
    a, b = read_csv(str(prd), share=share), read_csv(str(dev), share=share)
    assert _model(a) == _model(read_csv(str(prd)))
    assert _model(b) == _model(read_csv(str(dev)))
    assert list(b.tables["orders"].indexes) == ["primary"]
    assert [(f.kind, f.index) for f in compare_snapshots("dev", a, b)] == [
        ("missing", "idx_note"), ("missing", "idx_user_created")]


def test_a_file_read_again_in_another_encoding_is_the_same(tmp_path):
    # Korean Excel's CP949: the UTF-8 attempt builds users before it meets the comment.
    rows = [*BASE[:7], (*BASE[7][:8], "검색")]
    prd = tmp_path / "prd.csv"
    prd.write_bytes(stats_csv(rows).encode("cp949"))
    dev = tmp_path / "dev.csv"
    dev.write_text(stats_csv(rows), encoding="utf-8")
    share = TableShare()
    a, b = read_csv(str(prd), share=share), read_csv(str(dev), share=share)
    assert a.tables["orders"].indexes["idx_note"].comment == "검색"
    assert _model(a) == _model(read_csv(str(prd))) == _model(b)
    assert b.tables["orders"] is a.tables["orders"] and b.tables["users"] is a.tables["users"]


def test_one_schema_of_a_file_is_shared_like_a_file_of_it(tmp_path):
    both = tmp_path / "both.csv"
    both.write_text(stats_csv(BASE, schema="a") + stats_csv(BASE[:4], schema="b")
                    .split("\n", 1)[1], encoding="utf-8")
    share = TableShare()
    a = read_csv(f"{both}#a", share=share)
    b = read_csv(f"{both}#b", share=share)
    assert list(b.tables) == ["users"] and b.schema == "b"
    assert b.tables["users"] is a.tables["users"]
    assert _model(a) == _model(read_csv(f"{both}#a"))


def _catalog_files(tmp_path) -> tuple[str, str]:
    """BASE as two PostgreSQL catalog CSVs (other schema and server version in dev), dev's
    idx_note with a predicate and users' primary key depended on by a foreign key."""
    from indexdrift.sources.catalog_csv import export_catalog_csv

    paths = []
    for env, schema, version in (("prd", "shop", "15.4"), ("dev", "shop_dev", "16.1")):
        source = tmp_path / f"{env}.statistics.csv"
        source.write_text(stats_csv(BASE), encoding="utf-8")
        snapshot = read_csv(str(source))
        snapshot.flavor, snapshot.version, snapshot.schema = "postgresql", version, schema
        snapshot.tables["users"].referenced_by["primary"] = ("orders_user_fk",)
        text = export_catalog_csv(snapshot)
        if env == "dev":
            text = text.replace("idx_note,btree,NO,NO,,,NO,YES,,",
                                "idx_note,btree,NO,NO,,,NO,YES,note <> '',")
        path = tmp_path / f"{env}.csv"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths[0], paths[1]


def test_catalog_csv_tables_are_shared_like_statistics_ones(tmp_path):
    from indexdrift.sources.catalog_csv import read_catalog_csv

    prd, dev = _catalog_files(tmp_path)
    share = TableShare()
    a, b = read_catalog_csv(prd, share=share), read_catalog_csv(dev, share=share)
    assert b.tables["users"] is a.tables["users"]
    assert b.tables["users"].referenced_by == {"PRIMARY": ("orders_user_fk",)}  # exact
    assert b.tables["orders"] is not a.tables["orders"]
    assert (b.schema, b.version) == ("shop_dev", "16.1")
    alone = [read_catalog_csv(prd), read_catalog_csv(dev)]
    assert [_model(s) for s in (a, b)] == [_model(s) for s in alone]
    assert _findings(a, b) == _findings(*alone)
    assert [(f.kind, f.index, f.changes) for f in compare_snapshots("dev", a, b)] == [
        ("changed", "idx_note", ["predicate"])]
    # Through open_source, as a run reads it.
    share = TableShare()
    c, d = open_source(prd, "prd", share=share), open_source(dev, "dev", share=share)
    assert d.tables["users"] is c.tables["users"]
