"""The coordinators' web interface: server-rendered German pages over the domain services."""
