"""DataPact notification service: events in, the right people notified once"""
