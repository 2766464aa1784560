-- ON DELETE SET NULL (author_id) (PostgreSQL 15's column list) in the baseline.
CREATE TABLE authors (tenant_id int, id int, PRIMARY KEY (tenant_id, id));
CREATE TABLE posts (id int PRIMARY KEY, tenant_id int, author_id int,
  CONSTRAINT fk_author FOREIGN KEY (tenant_id, author_id) REFERENCES authors (tenant_id, id) ON DELETE SET NULL (author_id));
