"""Email: templates, the durable outbox, the dispatcher and the local mail catcher."""
