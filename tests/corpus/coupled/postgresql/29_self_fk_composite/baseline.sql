-- A composite self-reference within a tenant, missing with its column.
CREATE TABLE nodes (tenant_id int NOT NULL, id int NOT NULL, parent_id int, PRIMARY KEY (tenant_id, id),
  CONSTRAINT fk_parent FOREIGN KEY (tenant_id, parent_id) REFERENCES nodes (tenant_id, id) ON DELETE CASCADE);
