-- Two missing tables that reference each other.
CREATE TABLE keep (id INT NOT NULL PRIMARY KEY);
CREATE TABLE a (id INT NOT NULL PRIMARY KEY, b_id INT, KEY ix_b (b_id));
CREATE TABLE b (id INT NOT NULL PRIMARY KEY, a_id INT, KEY ix_a (a_id));
ALTER TABLE a ADD CONSTRAINT fk_a_b FOREIGN KEY (b_id) REFERENCES b (id);
ALTER TABLE b ADD CONSTRAINT fk_b_a FOREIGN KEY (a_id) REFERENCES a (id);
