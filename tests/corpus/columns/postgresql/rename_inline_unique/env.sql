CREATE TABLE acct (id integer PRIMARY KEY, login text UNIQUE, created date);
INSERT INTO acct VALUES (1, 'a', '2024-01-01'), (2, 'b', NULL);
