"""What a run reports: findings, the event stream, reporters, progress and the result."""
