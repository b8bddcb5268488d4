"""Alerta Trata's Pelican plugins, one folder each."""
