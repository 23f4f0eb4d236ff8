"""Who hears about an event: publisher, affected subscribers, matching watchers."""
