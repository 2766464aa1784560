-- Two missing tables in a chain down from an existing one.
CREATE TABLE root (id int PRIMARY KEY);
CREATE TABLE mid (id int PRIMARY KEY, root_id int CONSTRAINT fk_mid_root REFERENCES root (id));
CREATE TABLE leaf (id int PRIMARY KEY, mid_id int CONSTRAINT fk_leaf_mid REFERENCES mid (id));
