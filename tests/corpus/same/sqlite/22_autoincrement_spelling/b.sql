create table t (id integer primary key autoincrement, v int);
