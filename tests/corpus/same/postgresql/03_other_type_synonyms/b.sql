CREATE TABLE t (a character varying(10), b boolean, c double precision, d decimal(10), e timestamp without time zone,
  f timestamp with time zone, g character(2), h integer[]);
