CREATE TABLE authors (id int PRIMARY KEY, code int NOT NULL, region int NOT NULL, CONSTRAINT uk_code UNIQUE (code));
CREATE TABLE posts (id int PRIMARY KEY, code int, region int,
  CONSTRAINT fk_code FOREIGN KEY (code) REFERENCES authors (code));
