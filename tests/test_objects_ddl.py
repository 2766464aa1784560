"""The statements of foreign keys, checks and table options, per dialect (issue 20):
MySQL/MariaDB clauses inside the table's ALTER TABLE, PostgreSQL statements, literals that
mean the same under any server setting, hostile names quoted (and refused by the layouts
whose tools cannot carry them), and the rollback of every phase in reverse."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indexdrift.compare.tables import compare
from indexdrift.core.errors import IndexDriftError
from indexdrift.core.target import parse_target
from indexdrift.ddl.layouts import LAYOUTS, layout_files
from indexdrift.ddl.script import build_script
from indexdrift.dialects.mysql import constraints_ddl as my
from indexdrift.dialects.mysql.ddl import SQL_MODE_PIN
from indexdrift.dialects.postgresql import constraints_ddl as pg
from indexdrift.model.tables import CheckConstraint, ForeignKey, Index, KeyPart, Snapshot, Table
from indexdrift.plan.ops import SetTableOptions
from indexdrift.plan.planner import PlanOptions, plan_env

ALL = frozenset({"foreign_keys", "checks", "options"})
MARIADB, MYSQL, PG = (parse_target(t) for t in ("mariadb:10.11", "mysql:8.0.36", "postgresql:15"))


def test_mysql_foreign_key_clauses():
    key = ForeignKey("c", "fk`a", ("a", "b`c"), "p", ("x", "y"), ref_schema="other",
                     on_delete="CASCADE", on_update="SET NULL")
    assert my.add_foreign_key_clause(key) == (
        "ADD CONSTRAINT `fk``a` FOREIGN KEY (`a`, `b``c`) REFERENCES `other`.`p` (`x`, `y`) "
        "ON DELETE CASCADE ON UPDATE SET NULL")
    # NO ACTION (= RESTRICT on InnoDB) is the default: no clause.
    assert my.foreign_key_sql(replace(key, on_delete="NO ACTION", on_update="NO ACTION",
                                      ref_schema=None)).endswith("REFERENCES `p` (`x`, `y`)")
    assert my.drop_foreign_key_clause(key) == "DROP FOREIGN KEY `fk``a`"


def test_mysql_check_clauses_by_flavor():
    check = CheckConstraint("t", "ck_q", "`q` > 0", enforced=False)
    assert my.add_check_clause(check, MYSQL) == "ADD CONSTRAINT `ck_q` CHECK (`q` > 0) NOT ENFORCED"
    assert my.add_check_clause(replace(check, enforced=True), MARIADB) == (
        "ADD CONSTRAINT `ck_q` CHECK (`q` > 0)")
    assert my.drop_check_clause(check, MARIADB) == "DROP CONSTRAINT `ck_q`"
    assert my.drop_check_clause(check, MYSQL) == "DROP CHECK `ck_q`"


def test_mysql_option_clauses():
    def clauses(after: dict, engine="InnoDB"):
        return my.option_clauses(SetTableOptions("t", (), tuple(after.items())), engine)

    assert clauses({"engine": "MyISAM"}) == ["ENGINE=MyISAM"]
    assert clauses({"charset": "latin1", "collation": "latin1_bin"}) == [
        "DEFAULT CHARSET=latin1 COLLATE=latin1_bin"]
    assert clauses({"collation": "utf8mb4_bin"}) == ["COLLATE=utf8mb4_bin"]
    assert clauses({"row_format": "COMPRESSED"}) == ["ROW_FORMAT=COMPRESSED"]
    # What a table without the option reads as: the option is taken off again.
    assert clauses({"row_format": "DYNAMIC"}) == ["ROW_FORMAT=DEFAULT"]
    assert clauses({"row_format": "PAGE"}, engine="Aria") == ["ROW_FORMAT=DEFAULT"]
    assert clauses({"engine": "Aria", "row_format": "PAGE"}) == ["ENGINE=Aria",
                                                                 "ROW_FORMAT=DEFAULT"]
    assert clauses({"comment": "it's"}) == ["COMMENT='it''s'"]
    assert clauses({"comment": "a\nb\\c"}) == ["COMMENT='a\\nb\\\\c'"]
    with pytest.raises(ValueError):
        clauses({"engine": "InnoDB; DROP TABLE t"})


def test_postgresql_statements():
    key = ForeignKey("c", "Fk", ("a",), "p", ("id",), on_delete='SET NULL ("a")',
                     match="FULL", deferrable="DEFERRED", valid=False, exact_name=True)
    assert pg.foreign_key_sql(key, "s") == (
        'CONSTRAINT "Fk" FOREIGN KEY ("a") REFERENCES "s"."p" ("id") MATCH FULL '
        'ON DELETE SET NULL ("a") DEFERRABLE INITIALLY DEFERRED NOT VALID')
    assert pg.foreign_key_sql(replace(key, ref_schema="o", match="SIMPLE", deferrable=None,
                                      valid=True, on_delete="NO ACTION"), "s") == (
        'CONSTRAINT "Fk" FOREIGN KEY ("a") REFERENCES "o"."p" ("id")')
    check = CheckConstraint("c", "ck", "s <> 'a\nb'", no_inherit=True, valid=False)
    assert pg.check_sql(check, PG) == (
        "CONSTRAINT \"ck\" CHECK (s <> E'a\\nb') NO INHERIT NOT VALID")
    options = SetTableOptions("c", (("persistence", "permanent"), ("comment", "")),
                              (("persistence", "unlogged"), ("comment", "it's\\")))
    assert pg.option_sql(options, '"s"."c"') == [
        'ALTER TABLE "s"."c" SET UNLOGGED;', "COMMENT ON TABLE \"s\".\"c\" IS E'it''s\\\\';"]
    assert pg.option_sql(options.inverse(), '"c"') == ['ALTER TABLE "c" SET LOGGED;',
                                                       'COMMENT ON TABLE "c" IS NULL;']


# --- whole scripts -----------------------------------------------------------------------

def _snap(flavor: str, version: str, *tables: Table) -> Snapshot:
    return Snapshot("file", "shop", {t.name: t for t in tables}, flavor=flavor, version=version,
                    has_details=True, objects=ALL)


def _pair(flavor: str, version: str, name: str, check: str = "ck"):
    exact = flavor == "postgresql"
    pk = Index("p", "PRIMARY" if not exact else "p_pkey", (KeyPart("id", exact_column=exact),),
               unique=True, primary=True, constraint="p" if exact else None, exact_name=exact)
    child_ix = Index("c", "ix_pid", (KeyPart("pid", exact_column=exact),), exact_name=exact)
    key = ForeignKey("c", name, ("pid",), "p", ("id",), exact_name=exact)
    ck = CheckConstraint("c", check, "pid > 0", exact_name=exact)
    options = ({"engine": "InnoDB", "comment": "new\\"} if not exact
               else {"persistence": "permanent", "comment": "new\n"})
    env_options = ({"engine": "InnoDB", "comment": ""} if not exact
                   else {"persistence": "permanent", "comment": ""})

    def tables(with_objects: bool, opts: dict):
        parent = Table("p", checks={}, options=dict(opts))
        parent.add(pk)
        c = Table("c", foreign_keys=(key,) if with_objects else (),
                  checks={ck.name_key: ck} if with_objects else {}, options=dict(opts))
        c.add(child_ix)
        return parent, c

    return _snap(flavor, version, *tables(True, options)), _snap(flavor, version,
                                                                 *tables(False, env_options))


def _script(base: Snapshot, env: Snapshot, **options):
    comparison = compare({"prd": base, "dev": env}, "prd")
    target = parse_target(f"{env.flavor}:{env.version}")
    opts = PlanOptions(**options)
    return build_script(plan_env(comparison, "dev", target, opts), comparison, opts)


def test_mysql_script_order_and_rollback():
    script = _script(*_pair("mariadb", "10.11.0", "fk_p"))
    up, down = script.up_text(), script.down_text()
    assert ("ALTER TABLE `c`\n  ADD CONSTRAINT `ck` CHECK (pid > 0),\n  COMMENT='new\\\\';"
            in up)
    assert up.index(SQL_MODE_PIN) < up.index("ADD CONSTRAINT `ck`")  # the backslash
    assert up.index("COMMENT='new") < up.index("ADD CONSTRAINT `fk_p` FOREIGN KEY (`pid`) "
                                               "REFERENCES `p` (`id`);")
    assert down.index("DROP FOREIGN KEY `fk_p`") < down.index("DROP CONSTRAINT `ck`")
    assert "COMMENT=''" in down
    assert "\n".join(script.header).count("NO_BACKSLASH_ESCAPES") == 1


def test_postgresql_script_order_and_rollback():
    script = _script(*_pair("postgresql", "15.0", "fk_p"))
    up, down = script.up_text(), script.down_text()
    statements = [line for line in up.splitlines() if line and not line.startswith("--")]
    assert statements == [
        'ALTER TABLE "shop"."c" ADD CONSTRAINT "ck" CHECK (pid > 0);',
        "COMMENT ON TABLE \"shop\".\"c\" IS E'new\\n';",
        "COMMENT ON TABLE \"shop\".\"p\" IS E'new\\n';",
        'ALTER TABLE "shop"."c" ADD CONSTRAINT "fk_p" FOREIGN KEY ("pid") REFERENCES '
        '"shop"."p" ("id");']
    statements = [line for line in down.splitlines() if line and not line.startswith("--")]
    assert statements == [
        'ALTER TABLE "shop"."c" DROP CONSTRAINT "fk_p";',
        'COMMENT ON TABLE "shop"."c" IS NULL;',
        'ALTER TABLE "shop"."c" DROP CONSTRAINT "ck";',
        'COMMENT ON TABLE "shop"."p" IS NULL;']


@pytest.mark.parametrize("flavor,version", [("mariadb", "10.11.0"), ("postgresql", "15.0")])
@pytest.mark.parametrize("name", ["fk\n--rollback DROP TABLE x;", "fk_${user.name}",
                                  "fk`\"; DROP TABLE x; --"])
def test_hostile_constraint_names_are_quoted_or_refused(flavor, version, name, tmp_path):
    base, env = _pair(flavor, version, name, check=name + "_ck")
    script = _script(base, env)
    for layout in LAYOUTS:
        line_break, placeholder = "\n" in name, "${" in name
        if layout in ("flyway", "liquibase") and (line_break or placeholder):
            with pytest.raises(IndexDriftError, match="env dev, table 'c'"):
                layout_files(script, layout, "7")
            continue
        if line_break:
            # A line that would read as a directive is refused everywhere.
            with pytest.raises(IndexDriftError):
                layout_files(script, layout, "7")
            continue
        files = layout_files(script, layout, "7")
        text = "\n".join(files.values())
        quoted = ("`" + name.replace("`", "``") + "`" if flavor == "mariadb"
                  else '"' + name.replace('"', '""') + '"')
        assert quoted in text


def test_a_large_table_keeps_its_foreign_key_statements_in_step_with_the_rollback():
    base, env = _pair("mariadb", "10.11.0", "fk_p")
    for snap in (base, env):
        snap.tables["c"].size_bytes = 5 << 30
    script = _script(base, env)
    up, down = script.up_text(), script.down_text()
    assert "\nALTER TABLE `c`\n  ADD CONSTRAINT `fk_p` FOREIGN KEY (`pid`)" in up
    assert "\nALTER TABLE `c`\n  DROP FOREIGN KEY `fk_p`" in down
    for text in (up, down):
        # No gh-ost / pt-online-schema-change command for a foreign key.
        assert "-- LARGE TABLE (5.0 GiB): foreign keys change in the server (gh-ost" in text
    # ADD CHECK copies the table: kept, not commented out (its rollback drops it), said so.
    assert "\nALTER TABLE `c`\n  ADD CONSTRAINT `ck` CHECK (pid > 0)" in up
    assert "it is not commented out because its rollback must stay in step with it" in up
    assert "\nALTER TABLE `c`\n  DROP CONSTRAINT `ck`" in down
