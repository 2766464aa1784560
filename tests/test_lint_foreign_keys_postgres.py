"""`indexdrift lint --objects foreign_keys` on the real PostgreSQL: foreign keys without an
index serving them, and the suggested CREATE INDEX applied to the server."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli

pytestmark = pytest.mark.postgres

SCHEMA = """
CREATE TABLE p (id int PRIMARY KEY, a int, b int, UNIQUE (a, b));
CREATE TABLE bare (id int PRIMARY KEY, pid int REFERENCES p (id));
CREATE TABLE longer (id int PRIMARY KEY, pid int REFERENCES p (id), x int);
CREATE INDEX longer_pid_x ON longer (pid, x);
CREATE TABLE reversed (id int PRIMARY KEY, a int, b int,
  CONSTRAINT reversed_ab FOREIGN KEY (a, b) REFERENCES p (a, b));
CREATE INDEX reversed_b_a ON reversed (b, a);
CREATE TABLE partial (id int PRIMARY KEY, pid int REFERENCES p (id));
CREATE INDEX partial_pid ON partial (pid) WHERE pid > 0;
CREATE TABLE expr (id int PRIMARY KEY, pid int REFERENCES p (id));
CREATE INDEX expr_pid ON expr ((pid + 0));
CREATE TABLE coll (id int PRIMARY KEY, code text UNIQUE);
CREATE TABLE collchild (id int PRIMARY KEY, code text REFERENCES coll (code));
CREATE INDEX collchild_code_c ON collchild (code COLLATE "C");
CREATE TABLE broken (id int PRIMARY KEY, pid int REFERENCES p (id));
INSERT INTO p VALUES (1, 1, 1);
INSERT INTO broken VALUES (1, 1), (2, 1);
CREATE TABLE "Mixed" ("Pid" int REFERENCES p (id));
CREATE TABLE pk_served (pid int REFERENCES p (id), n int, PRIMARY KEY (pid, n));
"""


def lint(postgres, db, *extra) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["lint", postgres.url(db), "--format", "json", *extra])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def unindexed(doc) -> dict[str, tuple[list[str], str]]:
    return {a["table"]: (a["foreign_keys"], a["statement"]) for a in doc["advisories"]
            if a["kind"] == "unindexed_foreign_key"}


def test_lint_names_each_unserved_foreign_key_and_the_statement_fixes_it(postgres):
    db = postgres.create_db("fklint")
    postgres.run(db, SCHEMA)
    # A failed CREATE UNIQUE INDEX CONCURRENTLY leaves an invalid index behind.
    with pytest.raises(Exception, match="could not create unique index"):
        postgres.run(db, "CREATE UNIQUE INDEX CONCURRENTLY broken_pid ON broken (pid)")
    code, doc = lint(postgres, db, "--objects", "foreign_keys")
    assert code == 1
    found = unindexed(doc)
    # longer: (pid, x) leads with pid; pk_served: the primary key leads with pid.
    assert set(found) == {"bare", "reversed", "partial", "expr", "collchild", "broken", "Mixed"}
    assert found["bare"] == (["bare_pid_fkey"], 'CREATE INDEX CONCURRENTLY "bare_pid_idx" ON '
                                                '"public"."bare" ("pid");')
    assert found["Mixed"][1] == ('CREATE INDEX CONCURRENTLY "Mixed_Pid_idx" ON '
                                 '"public"."Mixed" ("Pid");')
    assert found["reversed"][1].endswith('"public"."reversed" ("a", "b");')
    assert doc["foreign_keys_not_judged"] == 0
    # Without --objects foreign_keys, nothing is said about them.
    code, plain = lint(postgres, db)
    assert unindexed(plain) == {}
    # Each suggested statement runs as it is, and then the advisory is gone.
    for _fks, statement in found.values():
        postgres.run(db, statement)
    code, after = lint(postgres, db, "--objects", "all")
    assert (code, unindexed(after)) == (0, {}), after


def test_lint_text_in_both_languages_and_compare_shows_the_advisory(postgres):
    prd, dev = postgres.create_db("fkprd"), postgres.create_db("fkdev")
    for db in (prd, dev):
        postgres.run(db, "CREATE TABLE p (id int PRIMARY KEY);"
                         "CREATE TABLE c (id int PRIMARY KEY, pid int REFERENCES p (id));")
    runner = CliRunner()
    en = runner.invoke(cli, ["lint", postgres.url(dev), "--objects", "foreign_keys",
                             "--lang", "en"])
    assert en.exit_code == 1
    assert ("c: foreign key c_pid_fkey (pid) -> p has no index serving it" in en.output
            and 'add one: CREATE INDEX CONCURRENTLY "c_pid_idx" ON "public"."c" ("pid");'
            in en.output and "1 index to add for foreign keys" in en.output), en.output
    ko = runner.invoke(cli, ["lint", postgres.url(dev), "--objects", "foreign_keys",
                             "--lang", "ko"])
    assert "외래 키 c_pid_fkey" in ko.output and "추가할 인덱스 1개" in ko.output
    args = ["compare", f"prd={postgres.url(prd)}", f"dev={postgres.url(dev)}", "--no-usage",
            "--objects", "foreign_keys"]
    result = runner.invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output  # advisories are not drift
    doc = json.loads(result.output)
    assert [a["statement"] for a in doc["advisories"]["dev"]] == [
        'CREATE INDEX CONCURRENTLY "c_pid_idx" ON "public"."c" ("pid");']
    table = runner.invoke(cli, [*args, "--lang", "en"])
    assert "foreign key c_pid_fkey (pid) -> p has no index serving it" in table.output
    # Comparing indexes only, foreign keys are not read: no advisory about them.
    indexes = runner.invoke(cli, [*args[:-2], "--format", "json"])
    assert json.loads(indexes.output)["advisories"] == {}
