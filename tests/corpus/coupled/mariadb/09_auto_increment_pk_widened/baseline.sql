-- The AUTO_INCREMENT column leads a composite primary key in the baseline.
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, tenant_id INT NOT NULL, PRIMARY KEY (id, tenant_id));
