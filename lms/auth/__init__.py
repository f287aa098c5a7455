"""Accounts, roles, login, profile and the permission rules."""
