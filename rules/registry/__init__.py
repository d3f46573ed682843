"""IG7xx: Container Registry."""
