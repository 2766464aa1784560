-- The env's extra table is referenced by an existing table's extra key.
CREATE TABLE posts (id int PRIMARY KEY, category_id int);
