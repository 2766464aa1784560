-- Defaults with and without their casts, quoted numbers.
CREATE TABLE t (a text DEFAULT 'x', b int DEFAULT -1, c varchar(5) DEFAULT 'y', d numeric DEFAULT 0);
