-- issue 20: dropping an extra column removes its single-column index (ix_x) and shrinks a
-- multi-column one (ix_ax, which the baseline has on a alone); a column of a multi-column
-- UNIQUE index (uq_ay) cannot be dropped while the index is there.
CREATE TABLE t (
  id INT PRIMARY KEY,
  a INT,
  KEY ix_ax (a)
);
