"""Library views (inline editing and the all-years list come with the writing issue)."""
