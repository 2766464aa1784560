CREATE TABLE authors (id int PRIMARY KEY);
CREATE TABLE drafts (id int PRIMARY KEY, author_id int CONSTRAINT fk_draft_author REFERENCES authors (id));
