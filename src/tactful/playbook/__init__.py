"""The playbook engine: the etiquette as data (`playbook.toml`, read by `rules`), the planner that
applies it to a thread's history, and the guards that keep follow-ups from piling on. Pure."""
