"""Plans: communes' yearly plans, their units and tasks, and the units' result reports."""
