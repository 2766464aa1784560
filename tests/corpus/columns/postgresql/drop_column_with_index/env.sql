CREATE TABLE items (id integer PRIMARY KEY, kind text, code text);
CREATE INDEX ix_kind ON items (kind, code);
CREATE INDEX ix_code ON items (code);
CREATE UNIQUE INDEX uq_code_kind ON items (code, kind);
INSERT INTO items VALUES (1, 'a', 'x'), (2, 'b', 'y');
