CREATE TABLE orders (shop_id INT NOT NULL, id INT NOT NULL, PRIMARY KEY (shop_id, id));
CREATE TABLE order_lines (id INT NOT NULL PRIMARY KEY, shop_id INT NOT NULL, order_id INT NOT NULL);
