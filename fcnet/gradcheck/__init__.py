"""Gradient checking: finite differences, error measures, the check modes and planted bugs."""
