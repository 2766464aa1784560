-- A self-reference that is DEFERRABLE INITIALLY DEFERRED in the baseline.
CREATE TABLE cats (id int PRIMARY KEY, parent_id int,
  CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES cats (id) DEFERRABLE INITIALLY DEFERRED);
