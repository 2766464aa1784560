"""``migrate --explain`` on PostgreSQL: "CONCURRENTLY cannot run inside a transaction" asks
the reader to see to it only where the script leaves it to them (plain); the tool layouts,
which already run those statements outside a transaction, say how instead, and the
mechanism they name is really in their files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_postgres_migrate import DEV, PRD

from indexdrift.cli.main import cli
from indexdrift.core.i18n import Catalog
from indexdrift.ddl.layouts import LAYOUTS

pytestmark = pytest.mark.postgres

ADVICE_KEY = "explain.note.pg_concurrently_no_tx"
CONCURRENT = re.compile(r"^(?:--rollback )?(?:CREATE (?:UNIQUE )?INDEX|DROP INDEX) "
                        r"CONCURRENTLY.*$", re.MULTILINE)


def _explained(sql: str) -> int:
    """CONCURRENTLY statements: the explainer reads every one (NULLS NOT DISTINCT too)."""
    return len(CONCURRENT.findall(sql))


def _write(postgres, out: Path, layout: str, lang: str) -> dict[str, str]:
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.run(prd, PRD)
    postgres.run(dev, DEV)
    result = CliRunner().invoke(cli, ["migrate", f"prd={postgres.url(prd)}",
                                      f"dev={postgres.url(dev)}", "--drop-extra", "--out",
                                      str(out), "--layout", layout, "--version", "7",
                                      "--explain", "--lang", lang])
    assert result.exit_code == 0, result.output
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8")
            for p in sorted(out.rglob("*")) if p.is_file()}


def _note(catalog: Catalog, key: str) -> str:
    return f"-- | {catalog.t(key)}"


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_note_says_what_the_layout_does(postgres, tmp_path, layout, lang):
    catalog = Catalog(lang)
    files = _write(postgres, tmp_path, layout, lang)
    sql = "\n".join(text for name, text in files.items() if name.endswith(".sql"))
    statements = _explained(sql)
    assert statements >= 4  # creates and drops, up and down
    advice = _note(catalog, ADVICE_KEY)
    if layout == "plain":
        # nothing in a plain script keeps a tool from wrapping it: the reader must
        assert sql.count(advice) == statements
        return
    handled = _note(catalog, f"{ADVICE_KEY}.{layout}")
    assert advice not in sql
    if layout == "liquibase":
        # the rollback's explanation is inside its --rollback lines
        assert sql.count(handled) + sql.count("--rollback " + handled[3:]) == statements
    else:
        assert sql.count(handled) == statements
    # ... and the layout does what the note says
    if layout == "flyway":
        assert files["dev/V7__indexdrift_dev.sql.conf"] == "executeInTransaction=false\n"
        assert files["dev/U7__indexdrift_dev.sql.conf"] == "executeInTransaction=false\n"
    elif layout == "liquibase":
        text = files["dev/7_indexdrift_dev.sql"]
        for changeset in text.split("--changeset ")[1:]:
            if CONCURRENT.search(changeset):
                assert changeset.splitlines()[0].endswith(" runInTransaction:false")
    else:
        for name, text in files.items():
            assert len(CONCURRENT.findall(text)) <= 1, name  # one statement per file
