CREATE UNLOGGED TABLE cats (id int PRIMARY KEY, parent_id int CONSTRAINT fk_parent REFERENCES cats (id));
