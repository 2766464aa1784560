CREATE TABLE authors (tenant_id INT NOT NULL, id INT NOT NULL, PRIMARY KEY (tenant_id, id), KEY ix_id (id));
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_tenant_id INT, author_id INT,
  KEY ix_author (author_tenant_id, author_id),
  CONSTRAINT fk_author FOREIGN KEY (author_tenant_id, author_id) REFERENCES authors (tenant_id, id));
