CREATE TABLE nodes (tenant_id INT NOT NULL, id INT NOT NULL, PRIMARY KEY (tenant_id, id));
