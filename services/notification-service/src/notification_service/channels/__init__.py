"""Delivery channels behind one interface: SMTP email and Slack incoming webhooks."""
