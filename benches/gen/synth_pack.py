#!/usr/bin/env python3
"""A synthetic rule pack shaped like the built-in ones, to measure the engine at full load.

    python3 benches/gen/synth_pack.py OUT.toml [PATTERNS] [--seed N]

Writes a pack of about PATTERNS (default 300) case-insensitive patterns: `{you}` phrases, verbs and
nouns in alternations, amounts, merge fields of a kind, `unless` exceptions and `near` context, in
the proportions the real packs use. It is for `benches/run.sh --synthetic` only: the rules mean
nothing, and their examples are placeholders (do not run `rules test` on it).
"""

import argparse
import random

WORDS = """
size weight waist hips chest height dress shoe jeans bra inseam figure body shape belly skin acne
hair wrinkles pregnant baby nursery divorce breakup wedding engaged funeral loss grief diagnosis
chemo therapy clinic pharmacy prescription insulin fertility ovulation period migraine anxiety
depression rehab sober diet calories gym workout steps heartbeat sleep snoring browsing viewed
looked checked clicked hovered scrolled watched opened visited searched lingered paused abandoned
basket cart wishlist camera microphone listening overheard location street neighbourhood driveway
parking office commute route airport hotel gate store aisle nearby outside passed walked drove
ran arrived left stayed lunch dinner midnight morning evening minutes hours seconds yesterday
tonight friends contacts neighbours colleagues partner spouse kids family bureau broker partners
records data profile score religion church mosque synagogue temple faith prayer gay lesbian
queer trans ethnicity heritage accent immigrant visa citizenship disability wheelchair hearing
vision autism adhd union strike arrest record conviction parole bankruptcy eviction benefits
foodbank hardship redundancy laid fired unemployed retired pension age birthday teenager senior
""".split()

VERBS = """
spent viewed looked checked browsed searched visited clicked watched opened bought returned
tried stayed walked drove ran left arrived weighed measured ordered cancelled skipped missed
""".split()

KINDS = ["bench_body", "bench_health", "bench_location", "bench_life", "bench_attr"]


def alt(r, words, n):
    return "(?:" + "|".join(sorted(set(r.sample(words, n)))) + ")"


def pattern(r, kind):
    shape = r.randrange(8)
    w = lambda n: alt(r, WORDS, n)
    v = lambda n: alt(r, VERBS, n)
    if shape == 0:
        return rf"{{you}}(?:\x27ve|\s+have)?\s+{v(3)}\s+(?:the\s+|your\s+|our\s+)?{w(4)}\s+(?:{{amount}}|{{field:{kind}}}|\d+\s+(?:times|minutes|hours))"
    if shape == 1:
        return rf"(?:since|after|because|now that)\s+{{you}}\s+{v(3)}\s+(?:the\s+|your\s+|a\s+)?{w(5)}"
    if shape == 2:
        return rf"{{you}}r\s+(?:[a-z]+\s+)?{w(4)}\s+(?:is|was|came to|reached|hit)\s+(?:about\s+|over\s+)?(?:\d[\d,.]*|{{field:{kind}}})"
    if shape == 3:
        return rf"(?:we|our\s+(?:team|app|system|partners))\s+(?:noticed|saw|know|can see|spotted)\s+(?:that\s+)?{{you}}(?:\x27re|\s+are|\s+were)?\s+{w(4)}"
    if shape == 4:
        return rf"{w(3)}\s+(?:near|at|outside|around)\s+{{you}}r\s+(?:home|house|office|flat|street|{w(2)})"
    if shape == 5:
        return rf"{{field:{kind}}}\s+{w(3)}"
    if shape == 6:
        return rf"(?:for|to)\s+(?:someone|people|anyone)\s+(?:with|in)\s+{{you}}r\s+{w(5)}"
    return rf"(?:still|already|just)\s+{w(3)}\s+(?:after|since)\s+{w(3)}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("patterns", type=int, nargs="?", default=300)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    r = random.Random(args.seed)
    out = ['[pack]', 'name = "benchsynth"',
           'description = "Synthetic rules for the benchmark (not real rules)"', '']
    for kind in KINDS:
        names = ", ".join(f'"*{w}*"' for w in r.sample(WORDS, 6))
        out += ["[[fields]]", f'kind = "{kind}"', f"names = [{names}]", ""]
    written = rule = 0
    while written < args.patterns:
        n = r.randrange(2, 7)
        kind = r.choice(KINDS)
        pats = [pattern(r, kind) for _ in range(n)]
        out += ["[[rules]]", f'id = "benchsynth.rule-{rule:03d}"',
                f'severity = "{r.choice(["error", "warning", "info"])}"',
                'message = "Synthetic rule"', 'why = "Benchmark load."', 'suggest = "None."',
                "patterns = [" + ", ".join(f"'{p}'" for p in pats) + "]"]
        if r.random() < 0.3:
            out.append(rf"unless = ['\b(?:{alt(r, WORDS, 2)[3:-1]})\s+(?:guide|tips|faq)\b']")
        if r.random() < 0.15:
            out.append("near = { patterns = ['{you}'], within = 8 }")
        out += ['examples.bad = ["placeholder"]', 'examples.good = ["placeholder"]', ""]
        written += n
        rule += 1
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
