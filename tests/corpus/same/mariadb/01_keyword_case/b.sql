create table t (id int not null primary key, v varchar(10) not null default 'x', key ix_v (v)) engine=innodb;
