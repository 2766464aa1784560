CREATE TABLE nodes (tenant_id int NOT NULL, id int NOT NULL, PRIMARY KEY (tenant_id, id));
