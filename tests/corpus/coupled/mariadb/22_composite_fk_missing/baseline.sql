-- A two-column key to a composite primary key.
CREATE TABLE orders (shop_id INT NOT NULL, id INT NOT NULL, PRIMARY KEY (shop_id, id));
CREATE TABLE order_lines (id INT NOT NULL PRIMARY KEY, shop_id INT NOT NULL, order_id INT NOT NULL,
  KEY ix_order (shop_id, order_id),
  CONSTRAINT fk_order FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id) ON DELETE CASCADE);
