-- authors' primary key is (tenant_id, id) in the baseline, (id) in the env; posts reference id via a unique key in the baseline.
CREATE TABLE authors (tenant_id int NOT NULL, id int NOT NULL, PRIMARY KEY (tenant_id, id), CONSTRAINT uk_id UNIQUE (id));
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES authors (id));
