-- issue 20: a renamed column with an inline UNIQUE constraint (its index follows the
-- column's name: acct_username_key in the baseline, acct_login_key in the env).
CREATE TABLE acct (id integer PRIMARY KEY, username text UNIQUE, created date);
