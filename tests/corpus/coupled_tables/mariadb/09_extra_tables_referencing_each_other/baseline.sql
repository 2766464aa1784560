-- Two extra tables that reference each other.
CREATE TABLE keep (id INT NOT NULL PRIMARY KEY);
