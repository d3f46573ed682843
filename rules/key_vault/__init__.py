"""IG9xx: Key Vault."""
