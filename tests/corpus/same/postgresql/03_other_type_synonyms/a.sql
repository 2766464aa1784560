-- varchar / character varying, bool / boolean, float8 / double precision, numeric / decimal, timestamp(tz).
CREATE TABLE t (a varchar(10), b bool, c float8, d numeric(10,0), e timestamp, f timestamptz, g char(2), h int[]);
