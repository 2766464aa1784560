-- The env has one more key closing the cycle.
CREATE TABLE a (id INT NOT NULL PRIMARY KEY, b_id INT, KEY ix_b (b_id));
CREATE TABLE b (id INT NOT NULL PRIMARY KEY, a_id INT, KEY ix_a (a_id));
ALTER TABLE a ADD CONSTRAINT fk_a_b FOREIGN KEY (b_id) REFERENCES b (id);
