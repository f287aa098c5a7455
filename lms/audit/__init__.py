"""Who did what to whom: role changes, certificates, course publishing."""
