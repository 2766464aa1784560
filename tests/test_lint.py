"""Redundant and duplicate indexes by the strict rules (model only, no server)."""

from __future__ import annotations

from indexdrift.core.i18n import Catalog
from indexdrift.model.tables import ForeignKey, Index, KeyPart, Table
from indexdrift.plan.safety import supports_foreign_key
from indexdrift.report.lint import DUPLICATE, REDUNDANT, advisory_text, covers, lint_table


def ix(name, *cols, unique=False, primary=False, kind="BTREE", visible=True):
    parts = []
    for col in cols:
        desc = col.endswith(" DESC")
        col = col.removesuffix(" DESC")
        sub = None
        if "(" in col:
            col, sub = col[:-1].split("(")
            sub = int(sub)
        parts.append(KeyPart(col, sub_part=sub, descending=desc))
    return Index("t", name, tuple(parts), unique=unique, primary=primary, index_type=kind,
                 visible=visible)


def table(*indexes, fks=()):
    t = Table("t", foreign_keys=tuple(fks))
    for index in indexes:
        t.add(index)
    return t


def found(t):
    return {(a.index.name, a.covered_by.name, a.kind) for a in lint_table(t)}


def test_left_prefix_is_redundant_and_names_its_cover():
    assert found(table(ix("idx_a", "a"), ix("idx_a_b", "a", "b"))) == {
        ("idx_a", "idx_a_b", REDUNDANT)}


def test_identical_indexes_report_one_of_the_pair():
    assert found(table(ix("k1", "a", "b"), ix("k2", "a", "b"))) == {("k2", "k1", DUPLICATE)}


def test_unique_index_is_redundant_only_to_identical_unique_or_primary():
    t = table(ix("PRIMARY", "id", primary=True, unique=True), ix("uq_id", "id", unique=True),
              ix("uq_a", "a", unique=True), ix("idx_a_b", "a", "b"),
              ix("uq_b", "b", unique=True), ix("uq_b_c", "b", "c", unique=True))
    assert found(t) == {("uq_id", "PRIMARY", REDUNDANT)}


def test_non_unique_index_is_redundant_to_a_unique_one_of_the_same_parts():
    assert found(table(ix("idx_c", "c"), ix("uq_c", "c", unique=True))) == {
        ("idx_c", "uq_c", REDUNDANT)}


def test_prefix_lengths_must_match():
    assert found(table(ix("n10", "name(10)"), ix("n20_x", "name(20)", "x"))) == set()
    assert found(table(ix("n10", "name(10)"), ix("n10_x", "name(10)", "x"))) == {
        ("n10", "n10_x", REDUNDANT)}
    assert found(table(ix("whole", "name"), ix("n10_x", "name(10)", "x"))) == set()


def test_desc_must_match():
    assert found(table(ix("a_desc", "a DESC"), ix("a_b", "a", "b"))) == set()
    assert found(table(ix("a_desc", "a DESC"), ix("a_b", "a DESC", "b"))) == {
        ("a_desc", "a_b", REDUNDANT)}


def test_visible_index_is_never_redundant_to_an_invisible_one():
    assert found(table(ix("vis", "a"), ix("inv", "a", "b", visible=False))) == set()
    # The other way round is fine: the hidden one can go.
    assert found(table(ix("inv", "a", visible=False), ix("vis", "a", "b"))) == {
        ("inv", "vis", REDUNDANT)}
    # Of two identical ones, the visible one stays.
    assert found(table(ix("a1", "a", visible=False), ix("a2", "a"))) == {
        ("a1", "a2", DUPLICATE)}


def test_composite_fulltext_never_matches_by_prefix():
    t = table(ix("ft_title", "title", kind="FULLTEXT"),
              ix("ft_title_body", "title", "body", kind="FULLTEXT"))
    assert found(t) == set()
    assert found(table(ix("ft1", "title", "body", kind="FULLTEXT"),
                       ix("ft2", "title", "body", kind="FULLTEXT"))) == {
        ("ft2", "ft1", DUPLICATE)}


def test_types_must_match():
    assert found(table(ix("b", "a"), ix("ft", "a", kind="FULLTEXT"))) == set()


def test_primary_key_is_never_redundant():
    t = table(ix("PRIMARY", "id", primary=True, unique=True), ix("uq", "id", unique=True))
    assert all(a.index.name != "PRIMARY" for a in lint_table(t))


def test_index_a_foreign_key_needs_is_kept_or_served_by_its_cover():
    fk = ForeignKey("t", "fk_pid", ("pid",))
    t = table(ix("fk_pid", "pid"), ix("pid_x", "pid", "x"), fks=[fk])
    [advisory] = lint_table(t)
    assert (advisory.index.name, advisory.covered_by.name) == ("fk_pid", "pid_x")
    assert advisory.foreign_keys == ("fk_pid",)
    assert "fk_pid" in advisory_text(advisory, Catalog("en"))
    # Two identical FK indexes: one is reported, so dropping every reported index
    # still leaves the foreign key an index.
    t = table(ix("a1", "pid"), ix("a2", "pid"), ix("other", "x"), fks=[fk])
    dropped = {a.index.name_key for a in lint_table(t)}
    assert dropped == {"a2"}
    assert any(supports_foreign_key(i, fk) for k, i in t.indexes.items() if k not in dropped)


def test_a_cover_that_cannot_serve_the_foreign_key_keeps_the_index():
    # A cover with a prefix part cannot back a foreign key; covers() already refuses a
    # prefix mismatch, so check the foreign-key guard on its own with identical parts.
    fk = ForeignKey("t", "fk_name", ("name",))
    t = table(ix("n10", "name(10)"), ix("n10_b", "name(10)", "b"), fks=[fk])
    assert found(t) == {("n10", "n10_b", REDUNDANT)}  # neither serves the FK: no FK at stake


def test_chains_name_a_cover_that_is_kept():
    t = table(ix("a", "a"), ix("a_b", "a", "b"), ix("a_b_c", "a", "b", "c"))
    assert found(t) == {("a", "a_b_c", REDUNDANT), ("a_b", "a_b_c", REDUNDANT)}


def test_covers_is_not_symmetric_for_prefixes():
    a, ab = ix("a", "a"), ix("ab", "a", "b")
    assert covers(ab, a) and not covers(a, ab)


def test_advisory_text_in_korean_names_the_cover():
    [advisory] = lint_table(table(ix("idx_a", "a"), ix("idx_a_b", "a", "b")))
    text = advisory_text(advisory, Catalog("ko"))
    assert "idx_a_b" in text and "불필요" in text


def pg_ix(name, *cols, include=(), unique=False):
    """A PostgreSQL index as the readers build it: names and columns keep their case."""
    return Index("t", name, tuple(KeyPart(c, exact_column=True) for c in cols),
                 unique=unique, include=tuple(include), exact_name=True)


def test_postgresql_include_columns_keep_their_case():
    # "Name" and name are two columns on PostgreSQL: neither index covers the other.
    assert found(table(pg_ix("i1", "a", include=["Name"]),
                       pg_ix("i2", "a", include=["name"]))) == set()
    assert found(table(pg_ix("i1", "a", include=["Name"]),
                       pg_ix("i2", "a", "b", include=["name"]))) == set()
    # The same case: a duplicate, and a left prefix still redundant.
    assert found(table(pg_ix("i1", "a", include=["Name"]),
                       pg_ix("i2", "a", include=["Name"]))) == {("i2", "i1", DUPLICATE)}
    assert found(table(pg_ix("i1", "a", include=["Name"]),
                       pg_ix("i2", "a", "b", include=["Name"]))) == {("i1", "i2", REDUNDANT)}


def test_postgresql_key_columns_keep_their_case():
    assert found(table(pg_ix("i1", "Email"), pg_ix("i2", "email", "b"))) == set()
    assert found(table(pg_ix("i1", "Email"), pg_ix("i2", "Email", "b"))) == {
        ("i1", "i2", REDUNDANT)}


def test_mysql_family_names_still_fold():
    # Without the PostgreSQL flags (MySQL, MariaDB, SQLite) case does not make two columns.
    fold = [Index("t", n, (KeyPart(c),), include=inc)
            for n, c, inc in (("i1", "a", ("Name",)), ("i2", "A", ("name",)))]
    assert found(table(*fold)) == {("i2", "i1", DUPLICATE)}


def test_postgresql_case_through_the_catalog_csv(tmp_path):
    # The reader sets the case flags from the file's flavor; lint follows them.
    from indexdrift.report.lint import lint_snapshot
    from indexdrift.sources.catalog_csv import COLUMNS, read_catalog_csv

    def row(index, kind, seq, column):
        cells = dict.fromkeys(COLUMNS, "")
        cells.update(FLAVOR=flavor, SERVER_VERSION="15", TABLE_SCHEMA="public",
                     TABLE_NAME="t", INDEX_NAME=index, ACCESS_METHOD="btree", IS_UNIQUE="NO",
                     IS_PRIMARY="NO", IS_VALID="YES", PART_KIND=kind, SEQ=str(seq),
                     COLUMN_NAME=column, DESCENDING="NO")
        return ",".join(cells[c] for c in COLUMNS)

    results = {}
    for flavor in ("postgresql", "sqlite"):
        path = tmp_path / f"{flavor}.csv"
        path.write_text("\n".join([",".join(COLUMNS),
                                   row("i1", "key", 1, "a"), row("i1", "include", 2, "Name"),
                                   row("i2", "key", 1, "a"), row("i2", "include", 2, "name")])
                        + "\n")
        results[flavor] = {(a.index.name, a.covered_by.name, a.kind)
                           for a in lint_snapshot(read_catalog_csv(str(path)))}
    assert results == {"postgresql": set(), "sqlite": {("i2", "i1", DUPLICATE)}}


def test_envs_sharing_index_objects_lint_alike_with_one_memo(monkeypatch):
    """Two envs' tables built from the very same Index objects (a live reader builds an
    index once for every env of a run) are linted once per run; a table with other
    indexes, or with foreign keys, is linted on its own, and every env gets its own
    advisories, the same as without a memo."""
    from indexdrift.model.tables import Snapshot
    from indexdrift.report import lint

    a, ab, c = ix("a", "x"), ix("ab", "x", "y"), ix("c", "x")
    fk = ForeignKey("u", "fk_x", ("x",))

    def snapshot(*tables):
        snap = Snapshot(source="s", schema="public", flavor="postgresql")
        for t in tables:
            snap.tables[t.name] = t
        return snap

    def named(name, *indexes, fks=()):
        t = Table(name, foreign_keys=tuple(fks))
        for index in indexes:
            t.add(index)
        return t

    envs = [snapshot(named("t", a, ab), named("u", a, ab)),
            snapshot(named("t", a, ab), named("u", a, c)),
            snapshot(named("t", a, ab), named("u", a, ab, fks=[fk]))]
    alone = [lint.lint_snapshot(s) for s in envs]
    calls = []
    real = lint.lint_table
    monkeypatch.setattr(lint, "lint_table", lambda t: calls.append(t.name) or real(t))
    memo: dict = {}
    shared = [lint.lint_snapshot(s, memo=memo) for s in envs]
    assert shared == alone
    # t: once for all three envs; u: env 1, then its other indexes (env 2) and its
    # foreign key (env 3) are linted on their own.
    assert calls == ["t", "u", "u", "u"]


def test_a_bounded_memo_starts_again_and_lints_alike(monkeypatch):
    """A fleet's memo (``BoundedMemo``) keeps at most ``limit`` entries: past it, it starts
    again all at once (no entry outlives the table its id names), and the advisories are
    the same as without a memo, target after target."""
    from indexdrift.model.tables import Snapshot
    from indexdrift.report import lint

    a, ab = ix("a", "x"), ix("ab", "x", "y")
    shared = Table("t")
    for index in (a, ab):
        shared.add(index)

    def target(n):
        snap = Snapshot(source=f"s{n}", schema="shop", flavor="mariadb")
        snap.tables["t"] = shared  # the readers' one Table for the same rows
        own = Table(f"own{n}")
        for index in (ix("a", "x"), ix("ab", "x", "y")):
            own.add(index)
        snap.tables[own.name] = own
        return snap

    targets = [target(n) for n in range(6)]
    alone = [lint.lint_snapshot(s) for s in targets]
    calls = []
    real = lint.lint_table
    monkeypatch.setattr(lint, "lint_table", lambda t: calls.append(t.name) or real(t))
    memo = lint.BoundedMemo(limit=5)
    with_memo = []
    for snap in targets:
        with_memo.append(lint.lint_snapshot(snap, memo=memo))
        assert len(memo) <= 5
    assert with_memo == alone and all(alone)
    # Each target's own table is linted; the shared one again only after a restart.
    assert calls.count("t") < len(targets) and calls.count("t") >= 2
    assert sorted(c for c in calls if c != "t") == sorted(f"own{n}" for n in range(6))
