"""One Textual screen or dialog per module."""
