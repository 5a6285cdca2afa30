#!/usr/bin/env python3
"""Times lifelines' Kaplan–Meier fit on the CSV written by KMBench (same subjects).

Usage: python3 Benchmarks/lifelines_km.py CSV_PATH [REPEATS=7]
Timed: KaplanMeierFitter().fit(T, E) — builds the event table, survival function, log-log
confidence interval (lifelines' default) and median. Reading the CSV is not timed.
"""
import sys
import time
import warnings

import pandas as pd
from lifelines import KaplanMeierFitter, __version__ as lifelines_version
from lifelines.utils import median_survival_times

warnings.simplefilter("ignore")
path = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
df = pd.read_csv(path, float_precision="round_trip")
T = df["time"].to_numpy()
E = df["event"].to_numpy()

seconds = []
kmf = None
for _ in range(repeats):
    start = time.perf_counter()
    kmf = KaplanMeierFitter().fit(T, E)
    seconds.append(time.perf_counter() - start)

fmt = lambda x: "NA" if x is None or x == float("inf") else f"{x:.12f}"
ci = median_survival_times(kmf.confidence_interval_)
print(f"lifelines {lifelines_version} subjects={len(T)} events={int(E.sum())}")
print(f"checksum median={fmt(kmf.median_survival_time_)} median_ci=[{fmt(ci.iloc[0, 0])}, {fmt(ci.iloc[0, 1])}]")
for t in (6.0, 12.0, 24.0):
    s = kmf.survival_function_at_times(t).iloc[0]
    band = kmf.confidence_interval_.loc[:t].iloc[-1]
    at_risk = int((T >= t).sum())
    print(f"checksum S({int(t)})={fmt(s)} ci=[{fmt(band.iloc[0])}, {fmt(band.iloc[1])}] at_risk={at_risk}")
seconds.sort()
print(f"lifelines_km_seconds min={seconds[0]:.4f} median={seconds[len(seconds) // 2]:.4f} (repeats={repeats})")
