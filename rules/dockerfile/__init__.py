"""IG3xx: Dockerfile build hygiene."""
