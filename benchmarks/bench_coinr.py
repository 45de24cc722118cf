"""middlepower's index engine beside R's COINr, on COINr's own ASEM example (51 units x 49 indicators).

Needs R and COINr (see "COINr side by side" in benchmarks/README.md for installing them); without
them it prints how to install them and exits 0. COINr's example data ship inside COINr: they are
exported to CSV through R at run time, into a temporary folder.

1. Agreement: each variant (min-max, z-score, geometric mean, arithmetic mean, COINr's default
   treatment with its log fallback, group-mean imputation, the example's whole construction with
   denominators) is built by COINr and by ``middlepower.index.run``; max |delta| over every
   normalised indicator and aggregate of every unit. Then the treatment edge cases (tied extremes,
   skew exactly 0, three points) through COINr's ``Treat()`` and middlepower's ``treat``.
2. Speed, in process: COINr's ``get_sensitivity`` (uncertainty analysis, the four inputs of its
   sensitivity vignette, N = 100) timed inside R, on the vignette's coin (``build_example_coin``)
   and on the CLI's COINr defaults, alternating with ``middlepower.index.uncertainty``
   on the same framework and inputs timed inside Python (N = 100 and N = 10,000, everything
   included: reading nothing, but the nominal run, every treatment and normalisation, all
   replications and the summary frame). COINr's cost grows linearly with N (each replication is a
   full ``Regen``), so its per-replication cost at N = 100 is the reference for both ratios.
3. Median ranks: ``middlepower index uncertainty --coinr iMeta.csv --data iData.csv -n 1000``
   (the CLI, default settings) against COINr's ``get_sensitivity`` with the same settings, N = 1000;
   Spearman correlation of the median ranks.

    PYTHONPATH=src python benchmarks/bench_coinr.py [--rounds 3] [--skip-ranks]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from middlepower.index import read_coinr, run, uncertainty
from middlepower.index.spec import make_method
from middlepower.index.treat import treat

INSTALL = """R and COINr are not installed, so the side-by-side benchmark is skipped.
To run it (Debian): apt-get install -y r-base-core r-base-dev r-cran-openxlsx r-cran-rlang r-cran-ggplot2 r-cran-readxl
then build COINr 1.1.14 from its public source repository (github.com/bluefoxr/COINr, tag v1.1.14):
R CMD INSTALL <unpacked source folder>"""

R_VARIANTS = r"""
suppressMessages(library(COINr))
args <- commandArgs(trailingOnly = TRUE); out <- args[1]
write.csv(ASEM_iData, file.path(out, "iData.csv"), row.names = FALSE, na = "")
write.csv(ASEM_iMeta, file.path(out, "iMeta.csv"), row.names = FALSE, na = "")
base <- new_coin(ASEM_iData, ASEM_iMeta, quietly = TRUE)
agg <- function(coin, dset, f_n = list(f_n = "n_minmax", f_n_para = list(c(0, 100))), f_ag = "a_amean") {
  coin <- Normalise(coin, dset = dset, global_specs = f_n)
  Aggregate(coin, dset = "Normalised", f_ag = f_ag)
}
v <- list()
v$minmax <- agg(base, "Raw")
v$zscore <- agg(base, "Raw", list(f_n = "n_zscore", f_n_para = list(c(0, 1))))
v$geometric <- agg(base, "Raw", list(f_n = "n_minmax", f_n_para = list(c(1, 100))), "a_gmean")
v$treated <- agg(Treat(base, dset = "Raw"), "Treated")
v$treated_winmax1 <- agg(Treat(base, dset = "Raw", global_specs = list(f1_para = list(winmax = 1))), "Treated")
v$group_mean <- agg(Impute(base, dset = "Raw", f_i = "i_mean_grp", use_group = "EurAsia_group"), "Imputed")
ex <- Denominate(base, dset = "Raw")
ex <- Impute(ex, dset = "Denominated", f_i = "i_mean_grp", use_group = "EurAsia_group")
v$example <- agg(Treat(ex, dset = "Imputed"), "Treated")
for (name in names(v)) {
  write.csv(get_dset(v[[name]], "Aggregated"), file.path(out, paste0(name, ".csv")), row.names = FALSE, na = "")
}
edge <- list(
  tie = list(x = c(1:30, 80, 200, 200), specs = list(f1_para = list(winmax = 2))),
  zero_skew = list(x = c(-5, -1, -1, -1, 0, 1, 1, 1, 5),
                   specs = list(f1_para = list(winmax = 1, skew_thresh = 0, kurt_thresh = 2), f2 = NULL,
                                f_pass_para = list(skew_thresh = 0, kurt_thresh = 2))),
  three_points = list(x = c(1, 2, 10), specs = list(f1_para = list(skew_thresh = 1),
                                                    f_pass_para = list(skew_thresh = 1, kurt_thresh = 3.5))))
for (name in names(edge)) {
  e <- edge[[name]]
  treated <- suppressWarnings(Treat(data.frame(x = e$x), global_specs = e$specs))$x_treat$x
  write.csv(data.frame(x = e$x, treated = treated), file.path(out, paste0("edge_", name, ".csv")), row.names = FALSE)
}
"""

R_UNCERTAINTY = r"""
suppressMessages(library(COINr))
args <- commandArgs(trailingOnly = TRUE); out <- args[1]; N <- as.integer(args[2]); set.seed(as.integer(args[3]))
if (args[4] == "example") {  # the vignette's coin: Denominate, Impute, Screen, Treat, Normalise, Aggregate
  coin <- build_example_coin(quietly = TRUE)
} else {                     # the CLI's COINr defaults: Treat, Normalise, Aggregate
  coin <- new_coin(ASEM_iData, ASEM_iMeta, quietly = TRUE)
  coin <- Treat(coin, dset = "Raw", global_specs = list(f1_para = list(winmax = 5)))
  coin <- Normalise(coin, dset = "Treated", global_specs = list(f_n = "n_minmax", f_n_para = list(c(0, 100))))
  coin <- Aggregate(coin, dset = "Normalised", f_ag = "a_amean")
}
noisy <- get_noisy_weights(w = coin$Meta$Weights$Original,
                           noise_specs = data.frame(Level = c(2, 3), NoiseFactor = c(0.25, 0.25)), Nrep = 100)
specs <- list(
  Winmax = list(Address = "$Log$Treat$global_specs$f1_para$winmax", Distribution = 1:5, Type = "discrete"),
  Normalisation = list(Address = "$Log$Normalise$global_specs",
                       Distribution = list(list(f_n = "n_minmax", f_n_para = list(c(1, 100))),
                                           list(f_n = "n_zscore", f_n_para = list(c(10, 2)))),
                       Type = "discrete"),
  Weights = list(Address = "$Log$Aggregate$w", Distribution = noisy, Type = "discrete"),
  Aggregation = list(Address = "$Log$Aggregate$f_ag", Distribution = c("a_amean", "a_gmean"), Type = "discrete"))
t0 <- proc.time()
res <- suppressMessages(get_sensitivity(coin, SA_specs = specs, N = N, SA_type = "UA", dset = "Aggregated",
                                        iCode = "Index", quietly = TRUE, check_addresses = FALSE))
dt <- proc.time() - t0
write.csv(res$RankStats, out, row.names = FALSE)
cat(dt[["user.self"]] + dt[["sys.self"]], dt[["elapsed"]], "\n")
"""


def rscript(script: str, *args: object, cwd: Path) -> str:
    path = cwd / "script.R"
    path.write_text(script)
    done = subprocess.run(["Rscript", str(path), *map(str, args)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"Rscript failed:\n{done.stderr[-2000:]}")
    return done.stdout


def coinr_available() -> bool:
    if shutil.which("Rscript") is None:
        return False
    probe = subprocess.run(["Rscript", "-e", "library(COINr); cat(as.character(packageVersion('COINr')))"],
                           capture_output=True, text=True, check=False)
    return probe.returncode == 0


VARIANTS = {  # name -> read_coinr keyword arguments (the same construction as the R side)
    "minmax": {"methods": {"treatment": "none"}},
    "zscore": {"methods": {"treatment": "none", "normalisation": "zscore"}},
    "geometric": {"methods": {"treatment": "none", "normalisation": {"method": "minmax", "low": 1, "high": 100},
                              "aggregation": "geometric"}},
    "treated": {},
    "treated_winmax1": {"methods": {"treatment": {"method": "winsorise", "winmax": 1}}},
    "group_mean": {"methods": {"treatment": "none", "imputation": "group_mean"}, "group": "EurAsia_group"},
    "example": {"methods": {"imputation": "group_mean"}, "group": "EurAsia_group", "denominate": True},
}

EDGE = {  # name -> treatment method of the R side's global_specs
    "tie": {"method": "winsorise", "winmax": 2},
    "zero_skew": {"method": "winsorise", "winmax": 1, "skew_thresh": 0.0, "kurt_thresh": 2.0, "fallback": "none"},
    "three_points": {"method": "winsorise", "skew_thresh": 1.0},
}


def agreement(folder: Path) -> float:
    worst = 0.0
    print(f"{'variant':<14}{'values':>8}{'max |delta|':>14}   notes")
    for name, options in VARIANTS.items():
        theirs = pd.read_csv(folder / f"{name}.csv").set_index("uCode")
        spec, data = read_coinr(folder / "iData.csv", folder / "iMeta.csv", uncertainty=[], **options)
        result = run(spec, data)
        deltas, count = [], 0
        for code in theirs.columns:
            ours = result.node_scores(code).iloc[:, 0].reindex(theirs.index)
            both = ours.notna() & theirs[code].notna()
            assert (ours.isna() == theirs[code].isna()).all(), (name, code)
            deltas.append(float((ours[both] - theirs[code][both]).abs().max()) if both.any() else 0.0)
            count += int(both.sum())
        logged = int(result.treatment_log.transformed.sum())
        winsorised = int((result.treatment_log.winsorised_points > 0).sum())
        note = f"{winsorised} indicators winsorised, {logged} log_CT" if spec.treatment.name != "none" else ""
        worst = max(worst, max(deltas))
        print(f"{name:<14}{count:>8}{max(deltas):>14.2e}   {note}")
    for name, params in EDGE.items():
        frame = pd.read_csv(folder / f"edge_{name}.csv")
        out, _ = treat(frame["x"].to_numpy(float).reshape(-1, 1, 1), make_method("treatment", params, name))
        delta = float(np.abs(out[:, 0, 0] - frame["treated"].to_numpy(float)).max())
        worst = max(worst, delta)
        print(f"{'edge ' + name:<14}{len(frame):>8}{delta:>14.2e}")
    print(f"max |delta| over every variant and edge case: {worst:.2e}")
    return worst


def _median_seconds(fn, repeats: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds of ``fn`` over ``repeats`` calls."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return float(np.median(wall)), float(np.median(cpu))


FRAMEWORKS = {  # name -> read_coinr keyword arguments matching the R side's coin
    "example": {"methods": {"imputation": "group_mean"}, "group": "EurAsia_group", "denominate": True},
    "defaults": {},
}


def speed(folder: Path, rounds: int, framework: str) -> None:
    """Alternating rounds on one framework: COINr's vignette coin (``example``: Denominate,
    Impute by EurAsia_group, Screen, Treat, Normalise, Aggregate) or the CLI's COINr defaults."""
    spec, data = read_coinr(folder / "iData.csv", folder / "iMeta.csv", **FRAMEWORKS[framework])
    uncertainty(spec, data, n=100, seed=0)  # warm-up
    rows = []  # per round, ms per replication: COINr wall, CPU; ours N=100 wall, CPU; N=10,000 wall, CPU
    for k in range(rounds):
        coinr_cpu, coinr_wall = map(float, rscript(R_UNCERTAINTY, folder / "coinr_ua.csv", 100, k, framework,
                                                   cwd=folder).split())
        ours_100 = _median_seconds(lambda k=k: uncertainty(spec, data, n=100, seed=k), 7)
        ours_10k = _median_seconds(lambda k=k: uncertainty(spec, data, n=10_000, seed=k), 3)
        rows.append((coinr_wall * 10, coinr_cpu * 10, ours_100[0] * 10, ours_100[1] * 10,
                     ours_10k[0] / 10, ours_10k[1] / 10))
        r = rows[-1]
        print(f"{framework} round {k + 1}: COINr {r[0]:.1f} ms/replication wall ({r[1]:.1f} CPU); middlepower "
              f"N=100 {r[2]:.4f} ({r[3]:.4f}), N=10,000 {r[4]:.4f} ({r[5]:.4f})")
    t = np.array(rows)
    print(f"{framework}: median of {rounds} alternating rounds, ms per replication (wall / CPU):")
    print(f"  COINr get_sensitivity N=100      {np.median(t[:, 0]):9.2f} / {np.median(t[:, 1]):.2f}")
    for label, w, c in (("N=100", 2, 3), ("N=10,000", 4, 5)):
        print(f"  middlepower uncertainty {label:<9}{np.median(t[:, w]):9.4f} / {np.median(t[:, c]):.4f}   "
              f"ratio x {np.median(t[:, 0] / t[:, w]):,.0f} wall, x {np.median(t[:, 1] / t[:, c]):,.0f} CPU")


def median_ranks(folder: Path) -> None:
    from scipy.stats import spearmanr

    ours_csv = folder / "ours_ua.csv"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from middlepower.cli import main; main()",
                    "index", "uncertainty", "--coinr", str(folder / "iMeta.csv"),
                    "--data", str(folder / "iData.csv"), "-n", "1000", "--out", str(ours_csv)],
                   check=True, capture_output=True)
    ours_s = time.perf_counter() - start
    coinr_s = float(rscript(R_UNCERTAINTY, folder / "coinr_ua_1000.csv", 1000, 1, "defaults", cwd=folder).split()[1])
    ours = pd.read_csv(ours_csv).set_index("unit")["median_rank"]
    theirs = pd.read_csv(folder / "coinr_ua_1000.csv").set_index("uCode")["Median"].reindex(ours.index)
    rho = spearmanr(ours, theirs).statistic
    print(f"N = 1000: CLI {ours_s:.2f} s end to end, COINr get_sensitivity {coinr_s:.1f} s; "
          f"Spearman of median ranks {rho:.5f}; max |median rank difference| {float((ours - theirs).abs().max()):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="alternating speed rounds (COINr ~30 s each)")
    parser.add_argument("--skip-ranks", action="store_true", help="skip the N = 1000 median-rank comparison")
    args = parser.parse_args()
    if not coinr_available():
        print(INSTALL)
        return
    with tempfile.TemporaryDirectory(prefix="bench-coinr-") as tmp:
        folder = Path(tmp)
        rscript(R_VARIANTS, folder, cwd=folder)
        agreement(folder)
        for framework in FRAMEWORKS:
            speed(folder, args.rounds, framework)
        if not args.skip_ranks:
            median_ranks(folder)


if __name__ == "__main__":
    main()
