"""The chapter itself: the NumPy core (imports only NumPy and the standard library).

`layers` (affine, sigmoid), `activations` (the registry the L-layer net
reads), `losses` (softmax cross-entropy, L2), `net` (the notes' two-layer
net), `mlp` (the L-layer net), `steps` (every intermediate of the two-layer
net, each in an array of its own), `workspace` (the arrays a step reuses from
call to call), `blocks` (a tall array a block of rows at a time), `params`
(parameter names and the one initialiser), `validate` (argument checks with
clear messages), `guards` (the building blocks' argument checks), `finite`
(the building blocks' own guard), `overflow` (the nets' result guard, naming
what overflowed) and `examples` (the worked examples).
"""
