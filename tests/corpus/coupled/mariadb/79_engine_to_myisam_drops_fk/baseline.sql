-- The baseline's child is MyISAM (no keys): the env's key goes before the engine change.
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT, KEY ix_author (author_id)) ENGINE=MyISAM;
