"""IG4xx: Kubernetes pods and cluster objects."""
