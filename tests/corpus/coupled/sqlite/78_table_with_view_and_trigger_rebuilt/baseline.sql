CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER NOT NULL CHECK (total >= 0), status TEXT);
CREATE INDEX orders_status ON orders (status);
CREATE TABLE audit (id INTEGER PRIMARY KEY, order_id INTEGER, note TEXT);
CREATE VIEW open_orders AS SELECT id, total FROM orders WHERE status = 'open';
CREATE TRIGGER orders_audit AFTER INSERT ON orders BEGIN INSERT INTO audit (order_id, note) VALUES (NEW.id, 'new'); END;
