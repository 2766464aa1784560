-- A column check and the table check named as the server names it.
CREATE TABLE t (qty int CHECK (qty > 0), price numeric CONSTRAINT ck_price CHECK (price >= 0));
