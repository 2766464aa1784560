CREATE TABLE authors (id INT NOT NULL PRIMARY KEY, tenant_id INT NOT NULL, UNIQUE KEY uk_tenant_id (tenant_id, id));
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, tenant_id INT, author_id INT, KEY ix_author (tenant_id, author_id),
  CONSTRAINT fk_author FOREIGN KEY (tenant_id, author_id) REFERENCES authors (tenant_id, id));
