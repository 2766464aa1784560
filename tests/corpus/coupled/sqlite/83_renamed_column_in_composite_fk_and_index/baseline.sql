CREATE TABLE p (tenant INTEGER, id INTEGER, PRIMARY KEY (tenant, id));
CREATE TABLE c (id INTEGER PRIMARY KEY, tenant_id INTEGER, p_id INTEGER,
  FOREIGN KEY (tenant_id, p_id) REFERENCES p (tenant, id));
CREATE INDEX c_parent ON c (tenant_id, p_id);
