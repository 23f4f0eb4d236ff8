"""HTTP clients: the contract-service, the data services, the notification-service."""
