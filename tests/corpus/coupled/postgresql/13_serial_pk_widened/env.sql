CREATE TABLE t (id serial PRIMARY KEY, tenant_id int NOT NULL);
