"""What the bench prints: the table of times, the verdict against the target, the growth check
and where our cold build spends its time."""

import math
import statistics

COLUMNS = ["stock", "i18n", "hugo", "cold", "warm", "touch"]
TITLES = {
    "stock": "stock",
    "i18n": "+i18n_sub",
    "hugo": "hugo",
    "cold": "ours cold",
    "warm": "ours warm",
    "touch": "ours touch",
}
CORPORA = {"synthetic": "synthetic", "bundled": "+ bundled site"}
TARGET_RATIO = 0.5  # ours cold must take at most half the time of stock + i18n_subsites

# Parts of our build by the module their time is counted in (bench/timed_build.py), first match.
PARTS = [
    ("plugins.cards", "cards (Open Graph images)"),
    ("plugins.search", "search index (Pagefind)"),
    ("plugins.shelters.confidential", "leak scan"),
    ("plugins.shelters.leak", "leak scan"),
    ("plugins.pamphlets", "pamphlets (PDFs)"),
    ("plugins.images", "images"),
    ("plugins.icons", "icons"),
    ("plugins.checks", "content checks"),
    ("Markdown", "Markdown"),
    ("templates (Jinja)", "templates (Jinja)"),
    ("writing files", "writing files"),
    ("reading files", "reading files (Pelican, without Markdown)"),
    ("pelican.", "Pelican's generators"),
]
SHOWN_PARTS = 14


def median_seconds(runs):
    return statistics.median(run.seconds for run in runs) if runs else None


def cell(value, fmt, width):
    return (fmt.format(value) if value is not None else "–").rjust(width)


def row_name(key):
    pairs, corpus = key
    return f"{pairs:>8} {CORPORA[corpus]:<15}"


def print_table(results):
    header = (
        f"{'N pairs':>8} {'corpus':<15}"
        + "".join(f"{TITLES[c]:>12}" for c in COLUMNS)
        + f"{'RSS ours':>10}{'cold/i18n':>11}{'warm/stock':>12}"
    )
    print("\nBuild time, seconds (median); RSS in MiB")
    print(header)
    print("-" * len(header))
    for key, runs in results.items():
        times = {column: median_seconds(runs[column]) for column in COLUMNS}
        rss = max(run.rss_mib for c in ("cold", "warm", "touch") for run in runs[c])
        cold_ratio = times["cold"] / times["i18n"] if times["i18n"] else None
        warm_ratio = times["warm"] / times["stock"] if times["stock"] else None
        print(
            row_name(key)
            + "".join(cell(times[c], "{:.2f}", 12) for c in COLUMNS)
            + f"{rss:>10.0f}"
            + cell(cold_ratio, "{:.2f}×", 11)
            + cell(warm_ratio, "{:.2f}×", 12)
        )
    print("\nPeak RSS per build, MiB (largest of the runs)")
    print(f"{'N pairs':>8} {'corpus':<15}" + "".join(f"{TITLES[c]:>12}" for c in COLUMNS))
    for key, runs in results.items():
        peaks = {c: max((r.rss_mib for r in runs[c]), default=None) for c in COLUMNS}
        print(row_name(key) + "".join(cell(peaks[c], "{:.0f}", 12) for c in COLUMNS))


def print_verdicts(results):
    print()
    for (pairs, corpus), runs in results.items():
        cold, i18n = median_seconds(runs["cold"]), median_seconds(runs["i18n"])
        if i18n:
            ratio = cold / i18n
            verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
            print(
                f"{pairs} pairs, {CORPORA[corpus]}: ours cold / stock+i18n_subsites = "
                f"{ratio:.2f}× (target ≤ {TARGET_RATIO}×: {verdict})"
            )


def growth_exponent(points):
    """Slope of the least-squares line through (log N, log t): 1.0 means linear growth."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def print_growth(results):
    for corpus in CORPORA:
        sizes = {pairs: runs for (pairs, kind), runs in results.items() if kind == corpus}
        if not sizes:
            continue
        if len(sizes) < 2:
            print(f"Growth check ({CORPORA[corpus]}): give --sizes with two or more sizes.")
            continue
        # Each build pays about a second of start-up, so small sizes pull the exponent below 1.
        print(f"Growth check, {CORPORA[corpus]} (log-log fit of time against N; 1.00 = linear):")
        for column in COLUMNS:
            points = [(n, median_seconds(runs[column])) for n, runs in sizes.items()]
            if all(t for _, t in points):
                print(f"  {TITLES[column]:>11}: time ∝ N^{growth_exponent(points):.2f}")


def part_name(module):
    for prefix, name in PARTS:
        if module.startswith(prefix):
            return name
    return module


def breakdown(times, wall):
    """{part: seconds}, largest first, from timed_build.py's JSON and the build's wall time;
    what no wrapper counted is "start-up and the rest"."""
    parts = {}
    for module, counted in times["parts"].items():
        name = part_name(module)
        parts[name] = parts.get(name, 0.0) + counted["seconds"]
    ordered = dict(sorted(parts.items(), key=lambda item: -item[1]))
    ordered["start-up and the rest"] = max(wall - sum(parts.values()), 0.0)
    return ordered


def print_breakdown(key, times, wall):
    pairs, corpus = key
    print(
        f"\nWhere ours cold spends its time: {pairs} pairs, {CORPORA[corpus]} "
        f"(one more cold build, {wall:.1f} s, timed by bench/timed_build.py)"
    )
    parts = breakdown(times, wall)
    rest = parts.pop("start-up and the rest")
    shown = list(parts.items())[:SHOWN_PARTS]
    others = sum(seconds for _name, seconds in list(parts.items())[SHOWN_PARTS:])
    for name, seconds in [*shown, ("other plugins", others), ("start-up and the rest", rest)]:
        print(f"  {name:<44}{seconds:>8.2f} s{100 * seconds / wall:>6.0f} %")
