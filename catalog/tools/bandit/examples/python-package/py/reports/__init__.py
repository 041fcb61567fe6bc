"""A small report service: a Bandit fixture whose findings are all deliberate."""
