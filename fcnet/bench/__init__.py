"""Benchmarks: the NumPy-against-PyTorch race (`race`), its worker process (`worker`) and its targets (`targets`)."""
