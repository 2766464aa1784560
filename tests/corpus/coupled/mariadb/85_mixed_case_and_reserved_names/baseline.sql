-- Names in mixed case and reserved words, quoted.
CREATE TABLE `Order` (`Id` INT NOT NULL PRIMARY KEY, `Select` INT);
CREATE TABLE `Order Line` (`id` INT NOT NULL PRIMARY KEY, `order` INT, `key` INT,
  KEY `Ix Order` (`order`), CONSTRAINT `Fk-Order` FOREIGN KEY (`order`) REFERENCES `Order` (`Id`),
  CONSTRAINT `Ck ``key``` CHECK (`key` > 0));
