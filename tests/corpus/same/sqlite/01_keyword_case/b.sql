create table t (id integer primary key, v text not null default 'x');
create index ix_v on t (v);
