"""The use cases: what a person can do with tactful, whichever face they use."""
