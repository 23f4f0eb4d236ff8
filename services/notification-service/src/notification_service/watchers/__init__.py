"""Watchers: anyone may follow a contract, a team's contracts or everything."""
