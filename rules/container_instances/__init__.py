"""IG6xx: Azure Container Instances container groups."""
