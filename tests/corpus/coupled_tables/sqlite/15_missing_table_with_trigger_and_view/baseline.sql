CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL DEFAULT 0);
CREATE TABLE ledger (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES account (id), amount INTEGER NOT NULL);
CREATE INDEX ledger_account ON ledger (account_id);
CREATE TRIGGER ledger_post AFTER INSERT ON ledger BEGIN UPDATE account SET balance = balance + NEW.amount WHERE id = NEW.account_id; END;
CREATE VIEW ledger_totals AS SELECT account_id, sum(amount) AS total FROM ledger GROUP BY account_id;
