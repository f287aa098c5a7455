"""The course format: loading, rendering, syncing and the catalogue pages."""
