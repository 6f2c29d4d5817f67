"""The Discord adapter (discord.py): app commands, threads, buttons, reactions."""
