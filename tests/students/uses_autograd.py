"""Right, but not its own work: torch's autograd computes the gradients (imported inside the function)."""

import numpy as np


def loss_and_grads(params, X, y, reg):
    torch = __import__("torch")
    p = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    a1 = torch.sigmoid(p["W1"] @ torch.tensor(X) + p["b1"][:, None])
    z2 = p["W2"] @ a1 + p["b2"][:, None]
    logp = torch.log_softmax(z2, dim=0)
    loss = -logp[torch.tensor(y), torch.arange(len(y))].mean()
    loss = loss + 0.5 * reg * ((p["W1"] ** 2).sum() + (p["W2"] ** 2).sum())
    loss.backward()
    return float(loss), {k: np.asarray(v.grad) for k, v in p.items()}
