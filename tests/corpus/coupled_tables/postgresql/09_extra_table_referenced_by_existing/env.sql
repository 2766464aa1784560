CREATE TABLE categories (id int PRIMARY KEY);
CREATE TABLE posts (id int PRIMARY KEY, category_id int CONSTRAINT fk_category REFERENCES categories (id));
