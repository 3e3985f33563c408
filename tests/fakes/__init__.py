"""Loopback stand-ins for the platforms' HTTP APIs, driven by the real client libraries."""
