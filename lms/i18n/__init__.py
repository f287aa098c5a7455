"""Locale selection, the language switcher and template helpers."""
