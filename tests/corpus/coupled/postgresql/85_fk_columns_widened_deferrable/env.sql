CREATE TABLE authors (tenant_id int NOT NULL, id int NOT NULL, PRIMARY KEY (tenant_id, id), UNIQUE (id));
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES authors (id));
CREATE INDEX ix_author ON posts (author_id);
