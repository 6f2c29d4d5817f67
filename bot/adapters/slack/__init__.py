"""The Slack adapter (slack-bolt): Socket Mode and HTTP mode, slash commands, Block Kit, threads, reactions."""
