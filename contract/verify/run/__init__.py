"""How a run proceeds: set-up, preflight, the HTTP client and its guards, wire formats, the runner."""
