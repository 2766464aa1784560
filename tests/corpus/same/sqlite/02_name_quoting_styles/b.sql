CREATE TABLE "orders" ([id] INTEGER PRIMARY KEY, `customer_id` INT, "note" TEXT);
CREATE INDEX "ix_customer" ON [orders] (`customer_id`);
