"""Authentication as ServiceStack does it: who is calling, the Authenticate service, its routes."""
