"""IG8xx: AKS clusters."""
