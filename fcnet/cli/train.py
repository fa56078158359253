"""``python -m fcnet train``: the two-layer net on scikit-learn's digits.

A progress bar (epoch, loss, accuracy) goes to stderr; stdout gets a one-line
summary, or with ``--json`` one JSON object and nothing else.
"""

from __future__ import annotations

import json
import sys
import time

from .args import int_in, npz_out, real_in

#: The largest seed: scikit-learn's random_state (the split) takes 32 bits.
SEED_MAX = 2**32 - 1
#: The widest hidden layer: the full-batch evaluation holds a few (H, 1347) float64 arrays, 177 MB each at this H.
HIDDEN_MAX = 16_384


def add_arguments(parser) -> None:
    seed = int_in(0, SEED_MAX)
    parser.add_argument(
        "--seed", type=seed, default=0, help="seeds the initial weights and the minibatch order (default 0)"
    )
    parser.add_argument("--split-seed", type=seed, default=0, help="seeds the train/test split (default 0)")
    parser.add_argument("--epochs", type=int_in(1), default=40, help="passes over the training set (default 40)")
    parser.add_argument("--hidden", type=int_in(1, HIDDEN_MAX), default=128, help="H, the hidden width (default 128)")
    parser.add_argument("--lr", type=real_in(0, None, low_open=True), default=0.02, help="learning rate (default 0.02)")
    parser.add_argument(
        "--momentum", type=real_in(0, 1, high_open=True), default=0.9, help="momentum μ in [0, 1) (default 0.9)"
    )
    parser.add_argument("--batch-size", type=int_in(1), default=32, help="columns per minibatch (default 32)")
    parser.add_argument("--reg", type=real_in(0, None), default=1e-3, help="L2 strength λ >= 0 (default 1e-3)")
    parser.add_argument("--out", metavar="PATH.npz", type=npz_out, help="save the trained parameters there")
    parser.add_argument("--json", action="store_true", help="end by printing the final metrics as one JSON object")
    parser.add_argument(
        "--blas-threads",
        type=int_in(1, 256),
        default=1,
        help="BLAS threads (default 1: with matrices this small, a second thread costs more in synchronisation "
        "than it saves)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def run(args) -> int:
    from threadpoolctl import threadpool_limits
    from tqdm import tqdm

    from ..core.validate import NumericalOverflowError
    from ..training.checkpoint import save_params
    from ..training.data import load_digits_split
    from ..training.loop import train

    start = time.perf_counter()
    data = load_digits_split(seed=args.split_seed)
    bar = tqdm(total=args.epochs, desc="train", unit="epoch", file=sys.stderr, disable=args.no_progress, leave=True)

    def progress(epoch: int, metrics: dict[str, float]) -> None:
        bar.set_postfix(
            loss=f"{metrics['loss']:.4f}",
            train=f"{metrics['train_accuracy']:.3f}",
            test=f"{metrics['test_accuracy']:.3f}",
        )
        bar.update(1)

    try:
        with threadpool_limits(args.blas_threads, user_api="blas"):
            result = train(
                data.X_train,
                data.y_train,
                hidden=args.hidden,
                epochs=args.epochs,
                lr=args.lr,
                momentum=args.momentum,
                batch_size=args.batch_size,
                reg=args.reg,
                seed=args.seed,
                C=data.C,
                X_test=data.X_test,
                y_test=data.y_test,
                callback=progress,
            )
    except NumericalOverflowError as exc:
        bar.close()
        # the step is W ← (1 − lr·reg) W − lr·(data gradient): either flag can make it diverge
        print(f"error: --lr {args.lr:g} with --reg {args.reg:g} is too large for this run: {exc}", file=sys.stderr)
        return 2
    bar.close()
    if args.out is not None:
        try:
            save_params(args.out, result.params)
        except OSError as exc:
            print(
                f"error: --out {args.out}: could not write it ({exc.strerror or exc}); nothing saved", file=sys.stderr
            )
            return 1
    summary = {
        "train_accuracy": result.history["train_accuracy"][-1],
        "test_accuracy": result.history["test_accuracy"][-1],
        "final_loss": result.history["loss"][-1],
        "seconds": round(result.seconds, 3),
        "total_seconds": round(time.perf_counter() - start, 3),
        "epochs": args.epochs,
        "seed": args.seed,
        "out": args.out,
    }
    if args.json:
        print(json.dumps(summary))
    else:
        print(
            f"{args.epochs} epochs in {summary['seconds']:.1f} s: loss {summary['final_loss']:.4f}, "
            f"train accuracy {summary['train_accuracy']:.4f}, test accuracy {summary['test_accuracy']:.4f}"
            + (f"; parameters saved to {args.out}" if args.out else "")
        )
    return 0
