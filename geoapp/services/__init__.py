"""The rules between the HTTP layer and the store."""
