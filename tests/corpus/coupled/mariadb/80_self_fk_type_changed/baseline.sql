-- A self-reference whose both columns are BIGINT in the baseline.
CREATE TABLE nodes (id BIGINT NOT NULL PRIMARY KEY, parent_id BIGINT, KEY ix_parent (parent_id),
  CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES nodes (id));
