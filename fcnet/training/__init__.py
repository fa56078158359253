"""Training: the loop, the optimiser, the digits data and checkpoints."""
