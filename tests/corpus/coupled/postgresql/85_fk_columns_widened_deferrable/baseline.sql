-- The key widens with its index and becomes DEFERRABLE INITIALLY DEFERRED.
CREATE TABLE authors (tenant_id int NOT NULL, id int NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (id));
CREATE TABLE posts (id int PRIMARY KEY, author_id int, author_tenant_id int,
  CONSTRAINT fk_author FOREIGN KEY (author_tenant_id, author_id) REFERENCES authors (tenant_id, id) DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX ix_author ON posts (author_tenant_id, author_id);
