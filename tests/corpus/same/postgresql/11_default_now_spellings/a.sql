-- now() and CURRENT_TIMESTAMP.
CREATE TABLE t (a timestamptz DEFAULT now(), b timestamptz NOT NULL DEFAULT now());
