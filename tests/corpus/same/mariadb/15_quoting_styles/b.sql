CREATE TABLE `orders` (`id` INT PRIMARY KEY, `customer_id` INT, KEY `ix_customer` (`customer_id`), CONSTRAINT `ck_id` CHECK (`id` > 0));
