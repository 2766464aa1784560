-- Names in mixed case and reserved words, quoted.
CREATE TABLE "Order" ("Id" int PRIMARY KEY, "select" int);
CREATE TABLE "Order Line" (id int PRIMARY KEY, "order" int, "user" int,
  CONSTRAINT "Fk-Order" FOREIGN KEY ("order") REFERENCES "Order" ("Id"),
  CONSTRAINT "Ck ""user"" X" CHECK ("user" > 0));
CREATE INDEX "Ix Order" ON "Order Line" ("order");
COMMENT ON TABLE "Order Line" IS 'lines';
