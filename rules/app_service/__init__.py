"""IG5xx: App Service and Function Apps."""
