"""A faithful local simulator of the Acronis Account Management API v2 (see README.md)."""
