"""Syntax trees to explanations: one Clause per ALTER action, with its online-DDL level.

Only node types this module knows are explained; any other parsed clause is shown as
"not explained" with its SQL, never described by guesswork.
"""

from __future__ import annotations

import logging
from functools import cache

from sqlglot import exp

from indexdrift.core import registry as dialects
from indexdrift.core.i18n import Catalog, available_languages
from indexdrift.explain import online
from indexdrift.explain.model import UNKNOWN, Clause, Explanation, Phrase
from indexdrift.explain.parser import (
    MYSQL,
    POSTGRES,
    AlterIdentity,
    ConstraintUsingIndex,
    IdentityOption,
    MySQLFamily,
    NotParsed,
    PostgresFamily,
    SessionSetting,
    has_concurrently,
    parse_statement,
    split_statements,
)

# sqlglot logs a warning for every Command fallback; those are reported as not parsed.
logging.getLogger("sqlglot").setLevel(logging.ERROR)


def _sql(node: exp.Expression | None, dialect: str) -> str:
    if node is None:
        return ""
    return node.sql(dialect=MySQLFamily if dialect == MYSQL else PostgresFamily)


def _name(node: exp.Expression | None) -> str:
    """An identifier, table or column as written, without quotes."""
    if node is None:
        return ""
    if isinstance(node, exp.Table | exp.Column):
        return ".".join(p.name for p in node.parts)
    return node.name if hasattr(node, "name") and node.name else str(node)


def _type_text(kind: exp.DataType | None, dialect: str) -> str:
    text = _sql(kind, dialect)
    if dialect == MYSQL and kind is not None and kind.this == exp.DataType.Type.BOOLEAN:
        # MySQL and MariaDB store BOOLEAN as TINYINT(1); the catalogs show that.
        text += " (TINYINT(1))"
    return text


def column_definition(col: exp.ColumnDef, dialect: str) -> list[Phrase]:
    """Phrases for a column definition: type, NULL, default, comment, and the rest."""
    phrases = [Phrase("explain.col.type", {"type": _type_text(col.args.get("kind"), dialect)})]
    null_given = False
    for constraint in col.args.get("constraints") or []:
        kind = constraint.args.get("kind")
        if isinstance(kind, exp.NotNullColumnConstraint):
            null_given = True
            phrases.append(Phrase("explain.col.null" if kind.args.get("allow_null")
                                  else "explain.col.not_null"))
        elif isinstance(kind, exp.DefaultColumnConstraint):
            phrases.append(Phrase("explain.col.default", {"value": _sql(kind.this, dialect)}))
        elif isinstance(kind, exp.CommentColumnConstraint):
            phrases.append(Phrase("explain.col.comment", {"comment": _sql(kind.this, dialect)}))
        elif isinstance(kind, exp.CharacterSetColumnConstraint):
            phrases.append(Phrase("explain.col.charset", {"charset": _sql(kind.this, dialect)}))
        elif isinstance(kind, exp.CollateColumnConstraint):
            phrases.append(Phrase("explain.col.collate", {"collation": _name(kind.this)}))
        elif isinstance(kind, exp.AutoIncrementColumnConstraint):
            phrases.append(Phrase("explain.col.auto_increment"))
        elif isinstance(kind, exp.OnUpdateColumnConstraint):
            phrases.append(Phrase("explain.col.on_update", {"value": _sql(kind.this, dialect)}))
        elif isinstance(kind, exp.ComputedColumnConstraint):
            key = "explain.col.stored" if kind.args.get("persisted") else "explain.col.virtual"
            phrases.append(Phrase(key, {"expression": _sql(kind.this, dialect)}))
        elif isinstance(kind, exp.ZeroFillColumnConstraint):
            phrases.append(Phrase("explain.col.zerofill"))
        else:
            phrases.append(Phrase("explain.col.other", {"sql": _sql(constraint, dialect)}))
    if not null_given and dialect == MYSQL:
        phrases.append(Phrase("explain.col.null_implicit"))
    position = col.args.get("position")
    if position is not None:
        if position.args.get("position") == "FIRST":
            phrases.append(Phrase("explain.col.first"))
        else:
            phrases.append(Phrase("explain.col.after", {"column": _name(position.this)}))
    return phrases


def _is_stored_generated(col: exp.ColumnDef) -> bool:
    return any(isinstance(c.args.get("kind"), exp.ComputedColumnConstraint)
               and c.args["kind"].args.get("persisted") for c in col.args.get("constraints") or [])


def _has_auto_increment(col: exp.ColumnDef) -> bool:
    return any(isinstance(c.args.get("kind"), exp.AutoIncrementColumnConstraint)
               for c in col.args.get("constraints") or [])


def _index_parts(nodes: list[exp.Expression], dialect: str) -> str:
    return "(" + ", ".join(_sql(n, dialect) for n in nodes) + ")"


def _add_constraint(node: exp.AddConstraint, dialect: str, drops_pk: bool) -> list[Clause]:
    clauses: list[Clause] = []
    for item in node.expressions:
        sql = "ADD " + _sql(item, dialect)
        name = None
        inner = item
        if isinstance(item, exp.Constraint):
            name = _name(item.this)
            inner = item.expressions[0] if len(item.expressions) == 1 else item
        if isinstance(inner, ConstraintUsingIndex):
            key = ("explain.add_pk_using_index" if inner.args["kind"] == "PRIMARY KEY"
                   else "explain.add_unique_using_index")
            what = [Phrase(key, {"name": name or "?", "index": _name(inner.this)})]
            what.extend(Phrase("explain.col.other", {"sql": o})
                        for o in inner.args.get("options") or [])
            level, notes = online.add_constraint_using_index(inner.args["kind"])
            clauses.append(Clause(sql, what, level, notes))
        elif isinstance(inner, exp.ExcludeColumnConstraint):
            clauses.append(_exclude(sql, name, inner, dialect))
        elif isinstance(inner, exp.PrimaryKey):
            cols = _index_parts(inner.expressions, dialect)
            level, notes = online.add_primary_key(dialect, drops_pk)
            clauses.append(Clause(sql, [Phrase("explain.add_pk", {"columns": cols})], level,
                                  notes))
        elif isinstance(inner, exp.UniqueColumnConstraint):
            schema = inner.this
            if isinstance(schema, exp.Schema):
                name = name or (_name(schema.this) if schema.this else None)
                cols = _index_parts(schema.expressions, dialect)
            else:
                cols = _sql(schema, dialect)
            what = [Phrase("explain.add_unique", {"name": name or "?", "columns": cols})]
            if inner.args.get("nulls"):
                what.append(Phrase("explain.index.nulls_not_distinct"))
            what.extend(_index_options(inner, dialect))
            level, notes = online.add_index(dialect, None, constraint=dialect == POSTGRES)
            clauses.append(Clause(sql, what, level, notes))
        elif isinstance(inner, exp.IndexColumnConstraint):
            kind = (inner.args.get("kind") or "").upper() or None
            cols = _index_parts(inner.expressions, dialect)
            key = {"FULLTEXT": "explain.add_fulltext", "SPATIAL": "explain.add_spatial"}.get(
                kind or "", "explain.add_index")
            what = [Phrase(key, {"name": _name(inner.this) if inner.this else "?",
                                 "columns": cols})]
            what.extend(_index_options(inner, dialect))
            level, notes = online.add_index(dialect, kind)
            clauses.append(Clause(sql, what, level, notes))
        elif isinstance(inner, exp.ForeignKey):
            ref = inner.args.get("reference")
            target = _sql(ref.this, dialect) if ref is not None else "?"
            what = [Phrase("explain.add_fk", {"name": name or "?",
                                              "columns": _index_parts(inner.expressions, dialect),
                                              "target": target})]
            level, notes = online.add_foreign_key(dialect)
            clauses.append(Clause(sql, what, level, notes))
        else:
            clauses.append(Clause(sql, [Phrase("explain.unexplained", {"sql": sql})], UNKNOWN))
    return clauses


def _exclude(sql: str, name: str | None, node: exp.ExcludeColumnConstraint,
             dialect: str) -> Clause:
    """ADD CONSTRAINT n EXCLUDE USING am (element WITH operator, …) [WHERE (…)]."""
    params = node.this
    elements = _index_parts(params.args.get("columns") or [], dialect)
    what = [Phrase("explain.add_exclude", {"name": name or "?", "elements": elements}),
            *_index_params(params, dialect)]
    return Clause(sql, what, *online.add_exclude())


def _index_params(params: exp.Expression, dialect: str) -> list[Phrase]:
    """USING, INCLUDE, NULLS [NOT] DISTINCT and WHERE of an index's parameters."""
    what: list[Phrase] = []
    if params.args.get("using"):
        what.append(Phrase("explain.index.using", {"type": _sql(params.args["using"],
                                                                 dialect)}))
    if params.args.get("include"):
        what.append(Phrase("explain.index.include", {
            "columns": _index_parts(params.args["include"], dialect)}))
    if params.meta.get("nulls") == "NOT DISTINCT":
        what.append(Phrase("explain.index.nulls_not_distinct"))
    elif params.meta.get("nulls") == "DISTINCT":
        what.append(Phrase("explain.index.nulls_distinct"))
    if params.args.get("where") is not None:
        what.append(Phrase("explain.index.where", {
            "predicate": _sql(params.args["where"].this, dialect)}))
    return what


def _identity(node: AlterIdentity, dialect: str) -> Clause:
    """ALTER COLUMN c ADD GENERATED … AS IDENTITY / SET … / DROP IDENTITY."""
    sql = _sql(node, dialect)
    column = _name(node.this)
    action = node.args["action"]
    if action == "DROP":
        what = [Phrase("explain.identity_drop", {"column": column})]
        if node.args.get("exists"):
            what.append(Phrase("explain.if_exists"))
        return Clause(sql, what, *online.identity(action))
    if action == "ADD":
        what = [Phrase("explain.identity_add", {"column": column,
                                                "generated": node.args["generated"]})]
    else:
        what = [Phrase("explain.identity_set", {"column": column})]
    what.extend(_identity_option(o, dialect) for o in node.expressions)
    return Clause(sql, what, *online.identity(action))


# Identity sequence options → their phrase keys (the value, if any, is filled in).
_IDENTITY_KEYS = {
    "GENERATED ALWAYS": "explain.identity.always",
    "GENERATED BY DEFAULT": "explain.identity.by_default",
    "INCREMENT BY": "explain.identity.increment", "INCREMENT": "explain.identity.increment",
    "START WITH": "explain.identity.start", "START": "explain.identity.start",
    "MINVALUE": "explain.identity.minvalue", "MAXVALUE": "explain.identity.maxvalue",
    "NO MINVALUE": "explain.identity.no_minvalue",
    "NO MAXVALUE": "explain.identity.no_maxvalue",
    "CACHE": "explain.identity.cache", "CYCLE": "explain.identity.cycle",
    "NO CYCLE": "explain.identity.no_cycle",
}


def _identity_option(option: IdentityOption, dialect: str) -> Phrase:
    value = option.args.get("expression")
    if option.this == "RESTART":
        if value is None:
            return Phrase("explain.identity.restart_start")
        return Phrase("explain.identity.restart", {"value": _sql(value, dialect)})
    return Phrase(_IDENTITY_KEYS[option.this], {"value": _sql(value, dialect)})


def _index_options(node: exp.Expression, dialect: str) -> list[Phrase]:
    phrases: list[Phrase] = []
    if node.args.get("index_type"):
        phrases.append(Phrase("explain.index.using", {"type": str(node.args["index_type"])}))
    options = node.args.get("options") or []
    # sqlglot keeps constraint qualifiers as text: "DEFERRABLE", "INITIALLY DEFERRED".
    words = " ".join(" ".join(o.upper().split()) for o in options if isinstance(o, str))
    if words.startswith("DEFERRABLE") and words in ("DEFERRABLE", "DEFERRABLE INITIALLY "
                                                     "IMMEDIATE", "DEFERRABLE INITIALLY DEFERRED"):
        phrases.append(Phrase("explain.index.deferred" if words.endswith("DEFERRED")
                              else "explain.index.deferrable"))
    elif words:
        phrases.append(Phrase("explain.col.other", {"sql": words}))
    for option in options:
        if isinstance(option, str):
            continue
        if option.args.get("comment") is not None:
            phrases.append(Phrase("explain.index.comment",
                                  {"comment": _sql(option.args["comment"], dialect)}))
        elif option.args.get("visible") is not None:
            phrases.append(Phrase("explain.index.visible" if option.args["visible"]
                                  else "explain.index.invisible"))
        elif option.args.get("using"):
            phrases.append(Phrase("explain.index.using", {"type": str(option.args["using"])}))
        else:
            phrases.append(Phrase("explain.col.other", {"sql": _sql(option, dialect)}))
    return phrases


def _drop(node: exp.Drop, dialect: str, adds_pk: bool) -> Clause:
    sql = _sql(node, dialect)
    kind = (node.args.get("kind") or "").upper()
    targets = node.args.get("tables") or []
    name = _name(targets[0]) if targets else "?"
    if kind == "COLUMN":
        level, notes = online.drop_column(dialect)
        return Clause(sql, [Phrase("explain.drop_column", {"column": name})], level, notes)
    if kind == "INDEX":
        level, notes = online.drop_index(dialect, concurrently=False)
        return Clause(sql, [Phrase("explain.drop_index", {"name": name})], level, notes)
    if kind == "FOREIGN KEY":
        level, notes = online.drop_foreign_key(dialect)
        return Clause(sql, [Phrase("explain.drop_fk", {"name": name})], level, notes)
    if kind == "CONSTRAINT":
        level, notes = online.drop_constraint(dialect)
        return Clause(sql, [Phrase("explain.drop_constraint", {"name": name})], level, notes)
    return Clause(sql, [Phrase("explain.unexplained", {"sql": sql})], UNKNOWN)


def _modify(node: exp.ModifyColumn, dialect: str) -> Clause:
    col: exp.ColumnDef = node.this
    sql = _sql(node, dialect)
    new = _name(col.this)
    old = node.args.get("rename_from")
    what: list[Phrase] = []
    if old is not None:
        old_name = _name(old)
        what.append(Phrase("explain.change_keep", {"column": new}) if old_name.lower() ==
                    new.lower() and old_name == new else
                    Phrase("explain.change_rename", {"old": old_name, "column": new}))
    else:
        what.append(Phrase("explain.modify", {"column": new}))
    definition = column_definition(col, dialect)
    definition[0] = Phrase("explain.redefine_as", definition[0].values)
    what.extend(definition)
    level, notes = online.modify_column(_is_stored_generated(col), _has_auto_increment(col))
    return Clause(sql, what, level, [Phrase("explain.note.replaces_definition"), *notes])


def _alter_column(node: exp.AlterColumn, dialect: str) -> Clause:
    sql = _sql(node, dialect)
    column = _name(node.this)
    args = node.args
    if args.get("dtype") is not None:
        what = [Phrase("explain.alter_type", {"column": column,
                                              "type": _type_text(args["dtype"], dialect)})]
        if isinstance(args.get("using"), exp.Expression):
            what.append(Phrase("explain.alter_type_using", {"expression": _sql(args["using"],
                                                                                 dialect)}))
        level, notes = online.alter_type(dialect)
        return Clause(sql, what, level, notes)
    if args.get("allow_null") is not None:
        if args.get("drop"):
            level, notes = online.drop_not_null(dialect)
            return Clause(sql, [Phrase("explain.drop_not_null", {"column": column})], level,
                          notes)
        level, notes = online.set_not_null(dialect)
        return Clause(sql, [Phrase("explain.set_not_null", {"column": column})], level, notes)
    if args.get("drop"):
        level, notes = online.set_default(dialect)
        return Clause(sql, [Phrase("explain.drop_default", {"column": column})], level, notes)
    if args.get("default") is not None:
        level, notes = online.set_default(dialect)
        return Clause(sql, [Phrase("explain.set_default", {"column": column,
                                                           "value": _sql(args["default"],
                                                                         dialect)})],
                      level, notes)
    if args.get("comment") is not None:
        return Clause(sql, [Phrase("explain.col.comment", {"comment": _sql(args["comment"],
                                                                           dialect)})],
                      *online.set_default(dialect))
    return Clause(sql, [Phrase("explain.unexplained", {"sql": sql})], UNKNOWN)


def _action(node: exp.Expression, dialect: str, statement: exp.Alter) -> list[Clause]:
    actions = statement.args.get("actions") or []
    drops_pk = any(isinstance(a, exp.DropPrimaryKey) for a in actions)
    adds_pk = any(isinstance(a, exp.AddConstraint) and a.find(exp.PrimaryKey) for a in actions)
    if isinstance(node, exp.ColumnDef):
        sql = "ADD COLUMN " + _sql(node, dialect)
        what = [Phrase("explain.add_column", {"column": _name(node.this)}),
                *column_definition(node, dialect)]
        level, notes = online.add_column(dialect, _is_stored_generated(node),
                                         _has_auto_increment(node))
        return [Clause(sql, what, level, notes)]
    if isinstance(node, exp.ModifyColumn):
        return [_modify(node, dialect)]
    if isinstance(node, exp.AlterColumn):
        return [_alter_column(node, dialect)]
    if isinstance(node, AlterIdentity):
        return [_identity(node, dialect)]
    if isinstance(node, exp.RenameColumn):
        level, notes = online.rename_column(dialect)
        return [Clause(_sql(node, dialect), [Phrase("explain.rename_column", {
            "old": _name(node.this), "column": _name(node.args.get("to"))})], level, notes)]
    if isinstance(node, exp.Drop):
        return [_drop(node, dialect, adds_pk)]
    if isinstance(node, exp.DropPrimaryKey):
        level, notes = online.drop_primary_key(dialect, adds_pk)
        return [Clause("DROP PRIMARY KEY", [Phrase("explain.drop_pk")], level, notes)]
    if isinstance(node, exp.AddConstraint):
        return _add_constraint(node, dialect, drops_pk)
    if isinstance(node, exp.RenameIndex):
        level, notes = online.rename_index(dialect)
        return [Clause(_sql(node, dialect), [Phrase("explain.rename_index", {
            "old": _name(node.this), "name": _name(node.args.get("to"))})], level, notes)]
    if isinstance(node, exp.AlterIndex):
        ignored = node.meta.get("ignored_syntax")
        visible = bool(node.args.get("visible"))
        key = ("explain.not_ignored" if visible else "explain.ignored") if ignored else (
            "explain.visible" if visible else "explain.invisible")
        level, notes = online.visibility()
        return [Clause(_sql(node, dialect), [Phrase(key, {"name": _name(node.this)})], level,
                       notes)]
    if isinstance(node, exp.AlterRename):
        return [Clause(_sql(node, dialect), [Phrase("explain.rename_table", {
            "name": _name(node.this)})], *online.rename_index(dialect))]
    sql = _sql(node, dialect)
    return [Clause(sql, [Phrase("explain.unexplained", {"sql": sql})], UNKNOWN)]


def _options(statement: exp.Alter, dialect: str, out: Explanation) -> None:
    """ALGORITHM/LOCK become notes; any other table option is an unexplained clause."""
    for option in statement.args.get("options") or []:
        if isinstance(option, exp.AlgorithmProperty):
            out.notes.append(Phrase("explain.option.algorithm",
                                    {"value": _sql(option.this, dialect)}))
        elif isinstance(option, exp.LockProperty):
            out.notes.append(Phrase("explain.option.lock", {"value": _sql(option.this, dialect)}))
        else:
            sql = _sql(option, dialect)
            out.clauses.append(Clause(sql, [Phrase("explain.unexplained", {"sql": sql})],
                                      UNKNOWN))


def _explain_tree(tree: exp.Expression, out: Explanation) -> None:
    dialect = out.dialect
    if isinstance(tree, exp.Alter):
        out.table = _name(tree.this)
        kind = (tree.args.get("kind") or "").upper()
        if kind == "INDEX":
            out.table = None
            for action in tree.args.get("actions") or []:
                if isinstance(action, exp.AlterRename):
                    out.clauses.append(Clause(_sql(action, dialect), [Phrase(
                        "explain.rename_index", {"old": _name(tree.this),
                                                 "name": _name(action.this)})],
                        *online.rename_index(dialect)))
                else:
                    sql = _sql(action, dialect)
                    out.clauses.append(Clause(sql, [Phrase("explain.unexplained",
                                                           {"sql": sql})], UNKNOWN))
            return
        for action in tree.args.get("actions") or []:
            out.clauses.extend(_action(action, dialect, tree))
        _options(tree, dialect, out)
        return
    if isinstance(tree, exp.Create) and (tree.args.get("kind") or "").upper() == "INDEX":
        index = tree.this
        params = index.args.get("params")
        cols = _index_parts(params.args.get("columns") or [], dialect) if params else "()"
        out.table = _name(index.args.get("table"))
        concurrently = bool(tree.args.get("concurrently"))
        unique = bool(tree.args.get("unique"))
        what = [Phrase("explain.create_unique_index" if unique else "explain.create_index",
                       {"name": _name(index.this), "columns": cols})]
        if params is not None:
            what += _index_params(params, dialect)
        if tree.args.get("exists"):
            what.append(Phrase("explain.if_not_exists"))
        level, notes = online.create_index(dialect, concurrently)
        out.clauses.append(Clause(_sql(tree, dialect), what, level, notes))
        return
    if isinstance(tree, exp.Drop) and (tree.args.get("kind") or "").upper() == "INDEX":
        targets = tree.args.get("tables") or []
        name = _name(targets[0]) if targets else "?"
        on = tree.args.get("cluster")
        out.table = _name(on.this) if on is not None else None
        what = [Phrase("explain.drop_index", {"name": name})]
        if tree.args.get("exists"):
            what.append(Phrase("explain.if_exists"))
        level, notes = online.drop_index(dialect, bool(tree.args.get("concurrently")))
        out.clauses.append(Clause(_sql(tree, dialect), what, level, notes))
        return
    if isinstance(tree, exp.Comment) and (tree.args.get("kind") or "").upper() in ("COLUMN",
                                                                                 "INDEX"):
        key = f"explain.comment_on_{tree.args['kind'].lower()}"
        if isinstance(tree.expression, exp.Null):
            key += "_remove"  # COMMENT … IS NULL removes the comment
        out.clauses.append(Clause(_sql(tree, dialect), [Phrase(key, {
            "column": _name(tree.this), "name": _name(tree.this),
            "comment": _sql(tree.expression, dialect)})], *online.set_default(dialect)))
        return
    if isinstance(tree, exp.Transaction | exp.Commit):
        key = "explain.begin" if isinstance(tree, exp.Transaction) else "explain.commit"
        out.clauses.append(Clause(_sql(tree, dialect), [Phrase(key)]))
        return
    if isinstance(tree, SessionSetting):
        name = _name(tree.this)
        values = ", ".join(_name(v) if isinstance(v, exp.Identifier) else _sql(v, dialect)
                           for v in tree.expressions)
        key = ("explain.set_search_path" if name.lower() == "search_path"
               else "explain.set_setting")
        out.clauses.append(Clause(_sql(tree, dialect), [Phrase(key, {"name": name,
                                                                      "value": values})]))
        return
    if dialect == MYSQL and _mysql_settings(tree, dialect, out):
        return
    setval = _setval(tree, dialect)
    if setval is not None:
        out.table = _name(tree.args["from_"].this) if tree.args.get("from_") else None
        out.clauses.append(setval)
        return
    out.unsupported = tree.key.upper()


def _mysql_settings(tree: exp.Expression, dialect: str, out: Explanation) -> bool:
    """MySQL ``SET a = x[, SESSION b = y]`` (the sql_mode pin around a statement whose
    strings need backslash escapes): one phrase per assignment; False for anything else."""
    if not isinstance(tree, exp.Set) or not tree.expressions:
        return False
    items = [item.this for item in tree.expressions]
    if not all(isinstance(item, exp.SetItem) for item in tree.expressions) or not all(
            isinstance(eq, exp.EQ) for eq in items):
        return False
    out.clauses.append(Clause(_sql(tree, dialect), [
        Phrase("explain.set_setting", {"name": _sql(eq.this, dialect),
                                       "value": _sql(eq.expression, dialect)})
        for eq in items]))
    return True


def _setval(tree: exp.Expression, dialect: str) -> Clause | None:
    """``SELECT setval(pg_get_serial_sequence('table', 'column'), value[, is_called])
    [FROM table]``: what an identity column added to a table with rows is followed by."""
    if not isinstance(tree, exp.Select) or len(tree.expressions) != 1:
        return None
    if any(tree.args.get(k) for k in ("where", "group", "having", "order", "limit", "joins")):
        return None
    call = tree.expressions[0]
    if not isinstance(call, exp.Anonymous) or call.name.lower() != "setval":
        return None
    args = call.expressions
    if len(args) not in (2, 3):
        return None
    sequence = args[0]
    if not (isinstance(sequence, exp.Anonymous)
            and sequence.name.lower() == "pg_get_serial_sequence"
            and len(sequence.expressions) == 2
            and all(isinstance(a, exp.Literal) and a.is_string for a in sequence.expressions)):
        return None
    called = args[2] if len(args) == 3 else exp.true()
    if not isinstance(called, exp.Boolean):
        return None
    table, column = (a.name for a in sequence.expressions)
    key = "explain.setval_next" if called.this is False else "explain.setval_after"
    return Clause(_sql(tree, dialect), [Phrase(key, {
        "table": table, "column": column, "value": _sql(args[1], dialect)})],
        *online.setval())


def explain_statement(sql: str, dialect: str = MYSQL, line: int = 1) -> Explanation:
    """Parse and explain one statement; ``error`` says why when it was not parsed."""
    if dialect == MYSQL and has_concurrently(sql):
        dialect = POSTGRES  # CONCURRENTLY exists only in PostgreSQL
    out = Explanation(sql=sql, line=line, dialect=dialect)
    try:
        tree = parse_statement(sql, dialect)
    except NotParsed as exc:
        out.error = str(exc)
        return out
    _explain_tree(tree, out)
    return out


@cache
def _target_labels() -> tuple[str, ...]:
    """``-- target:`` in every language a migration header can be written in."""
    labels = {"-- " + Catalog(lang).t("migrate.header.target").split("{target}")[0]
              .strip().lower() for lang in available_languages()}
    return tuple(sorted(labels))


def dialect_of_script(text: str) -> str | None:
    """The dialect named by a generated migration's ``-- target:`` header (in any of the
    header's languages), if any."""
    labels = _target_labels()
    for line in text.splitlines()[:12]:
        stripped = line.strip().lower()
        for label in labels:
            if stripped.startswith(label):
                words = stripped[len(label):].split()
                if words:
                    found = dialects.of_flavor(dialects.parse_flavor(words[0].rstrip(",")))
                    return (found.explain if found is not None else None) or MYSQL
    return None


def explain_text(text: str, dialect: str | None = None) -> list[Explanation]:
    """Explain every statement of a script (the dialect: given, else from the header)."""
    chosen = dialect or dialect_of_script(text) or MYSQL
    return [explain_statement(raw.sql, chosen, raw.line)
            for raw in split_statements(text, chosen)]
