"""The chapter itself: the NumPy core (imports only NumPy, the standard library and its own engine).

`layers` (affine, sigmoid), `activations` (the registry the L-layer net
reads), `losses` (softmax cross-entropy, L2): each block a formula and the
few NumPy lines that compute it.  `net` (the notes' two-layer net) and `mlp`
(the L-layer net) compose them plainly, every intermediate in an array of its
own (`net_steps`, `mlp_steps`), and hold the public doors
(`loss_and_grads`, `forward`, …), which check their arguments once and run
the memory-saving twin in `fcnet.engine`.  `params` (parameter names and the
one initialiser), `validate` (argument checks with clear messages), `guards`
(the blocks' own argument checks), `finite` (a block's guard when called on
its own), `overflow` (the nets' result guard, naming what overflowed) and
`examples` (the worked examples).
"""
