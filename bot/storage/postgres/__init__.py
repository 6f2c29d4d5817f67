"""The store on PostgreSQL: the same queries as on SQLite, through a connection that speaks PostgreSQL."""
