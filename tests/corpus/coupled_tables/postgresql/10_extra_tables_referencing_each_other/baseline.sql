-- Two extra tables that reference each other.
CREATE TABLE keep (id int PRIMARY KEY);
