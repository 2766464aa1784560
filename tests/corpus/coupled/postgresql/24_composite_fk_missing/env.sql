CREATE TABLE orders (shop_id int NOT NULL, id int NOT NULL, PRIMARY KEY (shop_id, id));
CREATE TABLE order_lines (id int PRIMARY KEY, shop_id int NOT NULL, order_id int NOT NULL);
