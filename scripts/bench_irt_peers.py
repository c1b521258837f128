#!/usr/bin/env python3
"""One peer's run of the IRT benchmark (see scripts/bench-irt).

Loads a data set written by `irt_peers generate` (crates/certprep-learning/examples/irt_peers.rs),
calibrates a 2PL by marginal maximum likelihood with one peer, scores abilities, and prints one
JSON object in the shape the Rust side prints: seconds (calibration plus abilities, excluding
loading), iterations, and rmse / correlation of a, b and theta against the truth.

    bench_irt_peers.py --tool girth|mirt --data DIR

The data set: responses.i8 is int8, row-major persons x items, 1 correct, 0 wrong, -1 missing.

- girth 0.8 wants items x persons (the transpose) and marks a missing response with
  girth.INVALID_RESPONSE (-99999), so the matrix is transposed and -1 is replaced by it.
  twopl_mml is girth's 2PL MML; it returns EAP abilities computed from the final quadrature
  pass ("Ability"), which are the ones scored here.
- mirt 1.2 wants persons x items and reads any negative code (or NaN) as missing, so the matrix
  is passed as it is. fit_mirt(model="2PL", estimation="EM") is its MML-EM (a native 2PL fast
  path) with 41 quadrature points like the others (its default 21 biases long tests);
  standard errors are switched off because certprep and girth compute none. Abilities
  are fscores(method="EAP").
"""

import argparse
import json
import os
import sys
import time

import numpy as np


def load(data_dir):
    with open(os.path.join(data_dir, "meta.json")) as f:
        meta = json.load(f)
    with open(os.path.join(data_dir, "truth.json")) as f:
        truth = json.load(f)
    responses = np.fromfile(os.path.join(data_dir, "responses.i8"), dtype=np.int8)
    responses = responses.reshape(meta["persons"], meta["items"])
    return meta, {k: np.asarray(v, dtype=float) for k, v in truth.items()}, responses


def recovery(estimate, truth):
    estimate = np.asarray(estimate, dtype=float).ravel()
    if not np.all(np.isfinite(estimate)):
        bad = int(np.sum(~np.isfinite(estimate)))
        return {"rmse": None, "r": None, "non_finite": bad}
    return {
        "rmse": float(np.sqrt(np.mean((estimate - truth) ** 2))),
        "r": float(np.corrcoef(estimate, truth)[0, 1]),
    }


GIRTH_MAX_ITERATIONS = 25  # girth's default_options()["max_iteration"]


def run_girth(responses):
    import girth
    from girth.utilities import latent_ability_distribution

    # girth reports no iteration count; its estimation loop calls LatentPDF once per
    # iteration with the iteration number, so count those calls.
    seen = {"iterations": 0}
    original_call = latent_ability_distribution.LatentPDF.__call__

    def counting_call(self, unweighted_integration, iteration):
        seen["iterations"] = max(seen["iterations"], iteration + 1)
        return original_call(self, unweighted_integration, iteration)

    latent_ability_distribution.LatentPDF.__call__ = counting_call

    dataset = responses.T.astype(np.int32)  # items x persons
    dataset[dataset < 0] = girth.INVALID_RESPONSE
    started = time.perf_counter()
    cpu_started = time.process_time()
    result = girth.twopl_mml(dataset)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    return {
        "tool": "girth",
        "version": getattr(girth, "__version__", None) or package_version("girth"),
        "method": "twopl_mml (2PL MML, defaults: 41 nodes on [-4.5, 4.5], max 25 iterations)",
        "theta_method": "EAP returned by twopl_mml (its 'Ability')",
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "iterations": seen["iterations"],
        # The loop stops early only when no discrimination moved by 1e-3.
        "converged": seen["iterations"] < GIRTH_MAX_ITERATIONS,
        "estimates": (result["Discrimination"], result["Difficulty"], result["Ability"]),
    }


# certprep and girth integrate over 41 nodes. mirt's default of 21 is too coarse for long tests:
# on 20,000 x 200 it shrank a by 15% and stretched b by 17% (a rmse 0.16 against 0.02 for the
# others, with r = 0.997 all the same), so mirt gets the same 41.
MIRT_QUADRATURE_POINTS = 41


def run_mirt(responses):
    import mirt

    data = responses.astype(np.int16)  # negative = missing, as mirt reads it
    started = time.perf_counter()
    cpu_started = time.process_time()
    fit = mirt.fit_mirt(
        data,
        model="2PL",
        estimation="EM",
        n_quadpts=MIRT_QUADRATURE_POINTS,
        compute_standard_errors=False,
    )
    scores = mirt.fscores(fit, data, method="EAP")
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    params = fit.model.parameters
    return {
        "tool": "mirt",
        "version": mirt.__version__,
        "method": "fit_mirt 2PL EM (MML; 41 quadrature points, defaults tol 1e-4, max 500)",
        "theta_method": "fscores EAP (49 points)",
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "iterations": int(fit.n_iterations),
        "converged": bool(fit.converged),
        "estimates": (
            params["discrimination"],
            params["difficulty"],
            np.asarray(scores.theta).reshape(len(data), -1)[:, 0],
        ),
    }


def missing_data_unsupported(tool):
    """Why the tool cannot take missing responses, or None when it can."""
    if tool == "girth":
        import girth

        if not hasattr(girth, "INVALID_RESPONSE"):
            return "this girth has no INVALID_RESPONSE marker for missing responses"
        return None
    from mirt.utils import data as mirt_data

    if not hasattr(mirt_data, "_missing_coded_responses"):
        return "this mirt does not read negative codes as missing responses"
    return None


def package_version(name):
    from importlib.metadata import version

    return version(name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", choices=["girth", "mirt"], required=True)
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    meta, truth, responses = load(args.data)
    if np.any(responses < 0):
        reason = missing_data_unsupported(args.tool)
        if reason is not None:
            print(json.dumps({"tool": args.tool, "not_supported": reason}))
            return 0
    report = run_girth(responses) if args.tool == "girth" else run_mirt(responses)
    a, b, theta = report.pop("estimates")
    report["a"] = recovery(a, truth["a"])
    report["b"] = recovery(b, truth["b"])
    report["theta"] = recovery(theta, truth["theta"])
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
