-- A self-reference whose both columns are bigint in the baseline.
CREATE TABLE nodes (id bigint PRIMARY KEY, parent_id bigint CONSTRAINT fk_parent REFERENCES nodes (id));
CREATE INDEX ix_parent ON nodes (parent_id);
