-- A missing identity table that references itself, with a comment.
CREATE TABLE keep (id int PRIMARY KEY);
CREATE TABLE nodes (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id int CONSTRAINT fk_parent REFERENCES nodes (id) ON DELETE SET NULL);
COMMENT ON TABLE nodes IS 'tree';
