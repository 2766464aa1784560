CREATE TABLE span (id INTEGER PRIMARY KEY, starts INTEGER NOT NULL, ends INTEGER,
  CONSTRAINT span_order CHECK (ends IS NULL OR ends >= starts));
CREATE INDEX span_ends ON span (ends) WHERE ends IS NOT NULL;
