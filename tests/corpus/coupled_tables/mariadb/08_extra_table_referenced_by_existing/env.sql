CREATE TABLE categories (id INT NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, category_id INT, KEY ix_category (category_id),
  CONSTRAINT fk_category FOREIGN KEY (category_id) REFERENCES categories (id));
