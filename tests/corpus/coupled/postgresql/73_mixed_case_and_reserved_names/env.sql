CREATE TABLE "Order" ("Id" int PRIMARY KEY, "select" int);
CREATE TABLE "Order Line" (id int PRIMARY KEY, "order" int, "user" int);
