CREATE TABLE docs (
  id INT PRIMARY KEY,
  doc JSON,
  n INT COMMENT 'count' CHECK (n > 0),
  old_doc JSON
);
INSERT INTO docs VALUES (1, '{"a": 1}', 1, '[]');
