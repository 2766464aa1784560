"""One package per database (mysql covers MySQL and MariaDB, postgresql, sqlite), each
holding its catalog reader, connection, CSV formats, DDL writers, usage evidence and plans;
``registry`` names them for every other stage, ``target`` answers version questions."""
