"""Access pages: break-glass, restriction and named access. See access/urls.py."""
