CREATE TABLE authors (tenant_id int NOT NULL, id int NOT NULL, PRIMARY KEY (id));
CREATE TABLE posts (id int PRIMARY KEY, author_id int,
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id));
