"""Spaced repetition for the core's `ReviewScheduler` port, computed by the `fsrs` package."""
