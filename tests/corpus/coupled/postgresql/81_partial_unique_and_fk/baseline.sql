-- A partial unique index next to the full unique key a foreign key references.
CREATE TABLE authors (id int PRIMARY KEY, code int NOT NULL, active boolean, CONSTRAINT uk_code UNIQUE (code));
CREATE UNIQUE INDEX uk_active_code ON authors (code) WHERE active;
CREATE TABLE posts (id int PRIMARY KEY, code int CONSTRAINT fk_code REFERENCES authors (code));
