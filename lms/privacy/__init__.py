"""Data protection (DSGVO): the privacy notice, a copy of one's own data, deleting an account."""
