CREATE TABLE p (tenant INTEGER, id INTEGER, PRIMARY KEY (tenant, id));
CREATE TABLE c (id INTEGER PRIMARY KEY, tenant INTEGER, p_id INTEGER,
  FOREIGN KEY (tenant, p_id) REFERENCES p (tenant, id));
CREATE INDEX c_parent ON c (tenant, p_id);
