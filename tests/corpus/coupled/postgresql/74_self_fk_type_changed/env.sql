CREATE TABLE nodes (id int PRIMARY KEY, parent_id int CONSTRAINT fk_parent REFERENCES nodes (id));
CREATE INDEX ix_parent ON nodes (parent_id);
INSERT INTO nodes VALUES (1, NULL), (2, 1);
