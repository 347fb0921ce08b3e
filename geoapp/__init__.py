"""Participation map for Heeren-Werve (Kamen): residents pin wishes, planners moderate."""

__version__ = "0.1.0"
