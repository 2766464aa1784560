"""Plan: findings become operations (each with its inverse and safety verdict) per env."""
