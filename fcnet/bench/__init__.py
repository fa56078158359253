"""Benchmarks: the race against PyTorch (`race`, run in `worker` processes), its `targets`, the step's peak
`memory`, and the committed results the benchmarks page reads (`archive`)."""
