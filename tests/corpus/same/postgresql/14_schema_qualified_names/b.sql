CREATE TABLE public.t (id int PRIMARY KEY, v int);
CREATE INDEX ix_v ON public.t USING btree (v);
