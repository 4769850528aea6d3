"""Example snippets: the seed tutorial's six, exactly as a person copies them out of it."""
