CREATE TABLE "order items" ("item id" INTEGER PRIMARY KEY, "Order" TEXT, [group] TEXT);
CREATE INDEX "order items by group" ON "order items" ([group], "Order");
