"""Test doubles for the services studybot talks to (see ``tests/fakes/discord`` for a fake Discord)."""
