-- An expression index over a column the env lacks.
CREATE TABLE users (id int PRIMARY KEY, email text);
CREATE INDEX ix_email_lower ON users (lower(email));
