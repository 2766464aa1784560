create table t (id int not null primary key, v varchar(10) not null default 'x');
create index ix_v on t (v);
