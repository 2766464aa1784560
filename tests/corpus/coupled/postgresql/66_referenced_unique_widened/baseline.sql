-- The unique key the foreign key references is (code) in the env, (code, region) in the baseline, with a key on both.
CREATE TABLE authors (id int PRIMARY KEY, code int NOT NULL, region int NOT NULL, CONSTRAINT uk_code UNIQUE (code, region));
CREATE TABLE posts (id int PRIMARY KEY, code int, region int,
  CONSTRAINT fk_code FOREIGN KEY (code, region) REFERENCES authors (code, region));
