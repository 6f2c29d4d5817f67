"""The platform-free heart of studybot: questions, scoring, streaks, leaderboards and use cases."""
