-- The serial column leads a two-column primary key in the baseline.
CREATE TABLE t (id serial, tenant_id int NOT NULL, PRIMARY KEY (id, tenant_id));
