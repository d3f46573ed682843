"""IG1xx: image references, wherever an image is named."""
