CREATE TABLE "order items" ("item id" INTEGER PRIMARY KEY, "Order" TEXT);
