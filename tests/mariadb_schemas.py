"""Three versions of one schema with drift of every kind MariaDB can show."""

PRD = """
CREATE TABLE users (
  id INT PRIMARY KEY, email VARCHAR(100), tenant_id INT, code VARCHAR(20),
  created_at DATETIME, note TEXT, status INT,
  UNIQUE KEY uq_email (email),
  UNIQUE KEY idx_tenant_code (tenant_id, code),
  KEY idx_created (created_at DESC),
  KEY idx_note (note(20)) COMMENT 'search',
  KEY idx_status (status),
  FULLTEXT KEY ft_note (note)
) ENGINE=InnoDB;
CREATE TABLE sessions (id INT PRIMARY KEY, token CHAR(32), KEY idx_token (token) USING HASH)
  ENGINE=MEMORY;
CREATE TABLE audit (id INT PRIMARY KEY, at DATETIME, KEY idx_at (at));
CREATE TABLE plain_log (a INT);
"""

DEV = """
CREATE TABLE users (
  id INT PRIMARY KEY, email VARCHAR(100), tenant_id INT, code VARCHAR(20),
  created_at DATETIME, note TEXT, status INT,
  UNIQUE KEY email_unique (email),
  UNIQUE KEY idx_tenant_code (code, tenant_id),
  KEY idx_created (created_at),
  KEY idx_note (note(10)) COMMENT 'search',
  KEY idx_status (status) IGNORED,
  KEY idx_code (code)
) ENGINE=InnoDB;
CREATE TABLE sessions (id INT PRIMARY KEY, token CHAR(32), KEY idx_token (token) USING BTREE)
  ENGINE=MEMORY;
CREATE TABLE plain_log (a INT);
CREATE TABLE tmp_x (id INT PRIMARY KEY);
"""

STG = """
CREATE TABLE users (
  id INT PRIMARY KEY, email VARCHAR(100), tenant_id INT, code VARCHAR(20),
  created_at DATETIME, note TEXT, status INT,
  UNIQUE KEY uq_email (email),
  KEY idx_tenant_code (tenant_id, code),
  KEY idx_created (created_at DESC),
  KEY idx_note (note(20)) COMMENT 'other',
  KEY IDX_STATUS (status),
  FULLTEXT KEY ft_note (note)
) ENGINE=InnoDB;
CREATE TABLE sessions (id INT PRIMARY KEY, token CHAR(32), KEY idx_token (token) USING HASH)
  ENGINE=MEMORY;
CREATE TABLE audit (id INT PRIMARY KEY, at DATETIME, KEY idx_at (at));
"""

EXPECTED = {
    ("dev", "users", "uq_email", "renamed", ("name",)),
    ("dev", "users", "idx_tenant_code", "changed", ("column_order",)),
    ("dev", "users", "idx_created", "changed", ("descending",)),
    ("dev", "users", "idx_note", "changed", ("prefix_length",)),
    ("dev", "users", "idx_status", "changed", ("visibility",)),
    ("dev", "users", "ft_note", "missing", ()),
    ("dev", "users", "idx_code", "extra", ()),
    ("dev", "sessions", "idx_token", "changed", ("type",)),
    ("dev", "audit", None, "table_missing", ()),
    ("dev", "tmp_x", None, "table_extra", ()),
    ("stg", "users", "idx_tenant_code", "changed", ("unique",)),
    ("stg", "users", "idx_note", "changed", ("comment",)),
    ("stg", "plain_log", None, "table_missing", ()),
}


def finding_set(findings):
    """Findings as comparable tuples."""
    return {(f.env, f.table, f.index, f.kind, tuple(f.changes)) for f in findings}
