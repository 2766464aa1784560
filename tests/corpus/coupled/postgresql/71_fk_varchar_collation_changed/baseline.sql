-- A text key whose collation differs on both sides.
CREATE TABLE codes (code text COLLATE "C" PRIMARY KEY);
CREATE TABLE items (id int PRIMARY KEY, code text COLLATE "C" CONSTRAINT fk_code REFERENCES codes (code));
