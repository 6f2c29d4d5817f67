"""studybot: a Discord and Slack study bot for ML-interview study groups."""

__version__ = "0.1.0"
