"""Benchmarks: the race against PyTorch (`race`, its sides in `worker` processes started by `processes`, its
one-shot `probes`), its `targets`, the step's peak `memory`, and the committed results the page reads (`archive`)."""
