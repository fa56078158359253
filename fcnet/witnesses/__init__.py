"""Independent witnesses of the NumPy gradients: PyTorch autograd, finite differences and SymPy's exact values.

`registry` lists them; `torch_net` and `torch_mlp` import torch, `sympy_exact` imports SymPy.
"""
