"""Write a MySQL/MariaDB Snapshot back as the information_schema.STATISTICS CSV that
``compare`` reads identically (the mysql dialect's ``csv_export``)."""

from __future__ import annotations

import csv
import io

from indexdrift.dialects.mysql.statistics_csv import REQUIRED
from indexdrift.model.tables import Snapshot


def export_columns(snapshot: Snapshot) -> list[str]:
    """The seed layout plus the extended columns this flavor has."""
    columns = [*REQUIRED, "INDEX_COMMENT"]
    if snapshot.flavor == "mariadb":
        columns.append("IGNORED")
    elif snapshot.flavor == "mysql":
        columns += ["IS_VISIBLE", "EXPRESSION"]
    return columns


def export_statistics_csv(snapshot: Snapshot) -> str:
    """Rows sorted by table, index, key part; a table without indexes gets one row
    with an empty INDEX_NAME so the file still says the table exists."""
    columns = export_columns(snapshot)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    schema = snapshot.schema or ""
    visible_col = "IGNORED" in columns
    mysql_cols = "IS_VISIBLE" in columns
    for table_name in sorted(snapshot.tables):
        table = snapshot.tables[table_name]
        if not table.indexes:
            writer.writerow([schema, table_name] + [""] * (len(columns) - 2))
            continue
        for index in sorted(table.indexes.values(), key=lambda i: (i.name != "PRIMARY", i.name)):
            for seq, part in enumerate(index.parts, start=1):
                if index.index_type == "BTREE":
                    collation = "D" if part.descending else "A"
                else:
                    collation = "NULL"
                row = [schema, table_name, index.name, "0" if index.unique else "1", str(seq),
                       part.column if part.column is not None else "NULL", collation,
                       index.index_type,
                       str(part.sub_part) if part.sub_part is not None else "NULL",
                       index.comment]
                if visible_col:
                    row.append("NO" if index.visible else "YES")
                if mysql_cols:
                    row += ["YES" if index.visible else "NO",
                            part.expression if part.expression is not None else "NULL"]
                writer.writerow(row)
    return out.getvalue()
