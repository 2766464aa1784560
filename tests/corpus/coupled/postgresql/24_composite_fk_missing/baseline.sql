-- A two-column key to a composite primary key.
CREATE TABLE orders (shop_id int NOT NULL, id int NOT NULL, PRIMARY KEY (shop_id, id));
CREATE TABLE order_lines (id int PRIMARY KEY, shop_id int NOT NULL, order_id int NOT NULL,
  CONSTRAINT fk_order FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id) ON DELETE CASCADE);
CREATE INDEX ix_order ON order_lines (shop_id, order_id);
