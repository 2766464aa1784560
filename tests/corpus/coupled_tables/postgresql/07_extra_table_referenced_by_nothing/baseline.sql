-- The env has a table the baseline lacks, referenced by nothing.
CREATE TABLE keep (id int PRIMARY KEY);
