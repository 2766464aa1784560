-- issue 20: MariaDB's JSON is LONGTEXT with a column CHECK (json_valid(...)): a MODIFY, a
-- CHANGE (rename) or an ADD COLUMN that writes LONGTEXT alone loses the check, up and in
-- the rollback; so does any other column-level CHECK (n).
CREATE TABLE docs (
  id INT PRIMARY KEY,
  doc JSON NOT NULL COMMENT 'payload',
  meta JSON,
  n INT CHECK (n > 0),
  new_doc JSON
);
