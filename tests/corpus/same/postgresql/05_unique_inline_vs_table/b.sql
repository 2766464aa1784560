CREATE TABLE t (id int PRIMARY KEY, email text, CONSTRAINT t_email_key UNIQUE (email));
