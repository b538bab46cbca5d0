"""The partner network: organisations that take on clients' barriers."""
