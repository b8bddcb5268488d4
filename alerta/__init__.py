"""The shared core of Alerta Trata: one application, many feature plugins.

This package is not a Pelican plugin. Every feature plugin in ``plugins/`` imports it, and no
feature plugin imports another. See docs/ARCHITECTURE.md for what lives where.
"""
