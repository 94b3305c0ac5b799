"""The control plane under /__mock/: its routes, faults, the request journal and seeding."""
