-- Defaults in parentheses or not, quoted numbers and their spacing.
CREATE TABLE t (a INT DEFAULT 0, b TEXT DEFAULT 'x', c REAL DEFAULT 1.5);
