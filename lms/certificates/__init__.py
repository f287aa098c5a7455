"""Certificates: issuing rules, codes, PDF, verification."""
