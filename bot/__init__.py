"""Stretchbot: a Telegram companion for daily leg and back stretching."""

__version__ = "0.1.0"
