-- A composite self-reference within a tenant, missing with its column.
CREATE TABLE nodes (tenant_id INT NOT NULL, id INT NOT NULL, parent_id INT,
  PRIMARY KEY (tenant_id, id), KEY ix_parent (tenant_id, parent_id),
  CONSTRAINT fk_parent FOREIGN KEY (tenant_id, parent_id) REFERENCES nodes (tenant_id, id) ON DELETE CASCADE);
