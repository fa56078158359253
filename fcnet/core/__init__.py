"""The chapter itself: the NumPy core (imports only NumPy and the standard library).

`layers` (affine, sigmoid), `activations` (the registry the L-layer net reads),
`losses` (softmax cross-entropy, L2), `net` (the notes' two-layer net),
`mlp` (the L-layer net), `workspace` (the arrays a step reuses from call to
call), `params` (parameter names and the one initialiser), `validate`
(argument checks with clear messages), `guards` (the building blocks'
argument checks), `overflow` (the nets' result guard, naming what
overflowed) and `examples` (the worked examples).
"""
