"""Posting on schedule: one APScheduler cron job per channel, plus a sweeper that repairs what was missed."""
