"""Pictures drawn with Pillow from the core's plain descriptions (`bot.core.pictures`): leaderboard and stats cards."""
