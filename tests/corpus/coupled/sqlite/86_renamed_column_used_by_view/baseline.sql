CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE c (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES p (id));
CREATE INDEX c_parent ON c (parent_id);
CREATE VIEW c_names AS SELECT c.id, p.name FROM c JOIN p ON p.id = c.parent_id;
