"""SQLite persistence for studybot (aiosqlite, WAL, versioned migrations)."""
