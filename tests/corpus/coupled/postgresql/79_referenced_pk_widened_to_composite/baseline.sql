-- The referenced primary key is (tenant_id, id) in the baseline and the key follows it.
CREATE TABLE authors (tenant_id int NOT NULL, id int NOT NULL, PRIMARY KEY (tenant_id, id));
CREATE TABLE posts (id int PRIMARY KEY, author_id int, author_tenant_id int,
  CONSTRAINT fk_author FOREIGN KEY (author_tenant_id, author_id) REFERENCES authors (tenant_id, id));
