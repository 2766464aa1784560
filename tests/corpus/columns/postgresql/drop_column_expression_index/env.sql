CREATE TABLE users (id integer PRIMARY KEY, email text, "Code" text);
CREATE INDEX ix_email ON users (email);
CREATE INDEX ix_code_lower ON users (lower("Code"));
CREATE INDEX ix_email_coded ON users (email) WHERE "Code" IS NOT NULL;
CREATE INDEX ix_email_incl ON users (email) INCLUDE ("Code");
INSERT INTO users VALUES (1, 'a@x', 'A'), (2, 'b@x', NULL);
