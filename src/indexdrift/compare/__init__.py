"""Compare each env with the baseline: findings of every object kind (data, no text)."""
