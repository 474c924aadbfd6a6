"""domain/randomization package."""
