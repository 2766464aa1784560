-- A foreign key with and without the CONSTRAINT keyword's name (SQLite keeps no key names in its pragma).
CREATE TABLE p (id INTEGER PRIMARY KEY);
CREATE TABLE c (pid INT, CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES p (id));
