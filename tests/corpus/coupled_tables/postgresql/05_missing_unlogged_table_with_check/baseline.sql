-- A missing UNLOGGED table with a check and a serial key.
CREATE TABLE keep (id int PRIMARY KEY);
CREATE UNLOGGED TABLE cache (id serial PRIMARY KEY, hits int CONSTRAINT ck_hits CHECK (hits >= 0));
