"""The member's private, encrypted personal safety plan (Stanley-Brown safety planning)."""
