"""Administration: accounts and roles, certificate revocation."""
