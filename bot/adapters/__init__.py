"""Platform adapters: thin translations between a chat platform and the core."""
