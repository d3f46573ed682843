"""IG2xx: container runtime settings, in every format that declares containers."""
