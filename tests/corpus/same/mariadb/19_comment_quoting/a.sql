-- A table and a column comment with a quote, written three ways.
CREATE TABLE t (a INT COMMENT 'it''s a') COMMENT='it''s t';
