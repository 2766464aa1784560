-- The env's extra table is referenced by an existing table's extra key.
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, category_id INT, KEY ix_category (category_id));
