INSERT INTO "user" VALUES (1, 'a@x');
INSERT INTO post VALUES (1, NULL, 'hi');
