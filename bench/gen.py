#!/usr/bin/env python3
"""Generates a realistic corpus of policy articles as NDJSON, any size.

usage: bench/gen.py [-n COUNT] [--seed N] [--annotated] > corpus.ndjson

Articles are made from templates and invented names: titles, 3-7 paragraphs
of policy prose with theme keywords, quotations attributed to officials in
the patterns news writers use ("...," said NAME, TITLE of ORG; NAME, TITLE
of the ORG, said that ...; according to NAME, ...), dates over ten years,
a few sources, some articles in Chinese.  Officials follow a Zipf-like
distribution, so a few are quoted very often, as in real news.

By default the records have no themes and quotes, so that importing them
runs extraction; --annotated adds them as the generator knows them.
200,000 articles take about a minute and a half on one core."""
import argparse
import datetime
import json
import random
import sys

SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "dor", "vel", "an", "ti", "mar", "os", "el",
             "bri", "cha", "no", "ul", "zan", "pe", "ri", "tor", "la", "gen", "fi", "hu",
             "ya", "ko", "be", "nis", "ar", "wen"]
TITLES = ["minister", "deputy minister", "director", "head", "spokesperson", "chair",
          "governor", "secretary", "chief economist", "commissioner", "president",
          "senior adviser"]
AGENCIES = ["National Planning Agency", "Ministry of Finance", "Ministry of Industry",
            "Central Bank", "Energy Regulator", "Trade Council", "Health Authority",
            "Statistics Office", "Competition Authority", "Ministry of Transport",
            "Digital Affairs Office", "Ministry of Agriculture", "Labour Office",
            "Environment Agency", "Ministry of Defence", "Foreign Ministry"]
DEPARTMENTS = ["Economic Forecast Department", "Policy Research Department",
               "Market Supervision Department", "Innovation Department",
               "Infrastructure Department", "Data Department"]
SOURCES = ["Policy Weekly", "The Ledger", "Economic Review", "Capital Dispatch",
           "Northern Herald"]
THEMES = {
    "digital-economy": ["digital economy", "digital platforms", "e-commerce", "data centres"],
    "artificial-intelligence": ["artificial intelligence", "machine learning", "AI models"],
    "energy": ["electricity grid", "renewable energy", "power plants", "natural gas"],
    "trade": ["tariffs", "exports", "free trade agreement", "imports"],
    "public-finance": ["budget deficit", "public debt", "tax revenue", "fiscal rules"],
    "health": ["hospitals", "public health", "vaccination", "health insurance"],
    "transport": ["railway", "ports", "public transport", "motorway"],
    "agriculture": ["farmers", "harvest", "food prices", "irrigation"],
    "labour": ["minimum wage", "unemployment", "trade unions", "labour market"],
    "climate-change": ["carbon emissions", "climate change", "net zero", "heatwave"],
    "housing": ["housing", "rents", "mortgage rates", "construction permits"],
    "technological-innovation": ["technological innovation", "research and development",
                                 "start-ups", "patents"],
    "finance": ["interest rates", "inflation", "banks", "bond market"],
    "defence": ["defence spending", "armed forces", "military procurement"],
    "education": ["schools", "universities", "teachers", "vocational training"],
}
VERBS = ["rose", "fell", "stabilised", "improved", "slowed", "accelerated", "recovered"]
CHINESE = ["国家信息中心经济预测部表示，数字经济与实体经济深度融合。",
           "人工智能和大数据推动产业升级，新型工业化稳步推进。",
           "中央经济工作会议强调高质量发展和现代化产业体系建设。"]


def name(rng, parts=2):
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        for _ in range(parts))


def people(rng, count):
    out = []
    for _ in range(count):
        agency = rng.choice(AGENCIES)
        dept = rng.choice(DEPARTMENTS) if rng.random() < 0.3 else None
        out.append({"name": name(rng), "title": rng.choice(TITLES), "agency": agency,
                    "dept": dept})
    return out


def pick_person(rng, ppl):
    # Zipf-like: a few are quoted very often
    return ppl[min(int(rng.paretovariate(1.1)) - 1, len(ppl) - 1)]


def sentence(rng, theme):
    kw = rng.choice(THEMES[theme])
    return rng.choice([
        f"Spending on {kw} {rng.choice(VERBS)} by {rng.randint(1, 30)} per cent last year.",
        f"The plan sets targets for {kw} until {rng.randint(2025, 2035)}.",
        f"Analysts expect {kw} to remain a priority for the government.",
        f"Officials met representatives of the sector to discuss {kw}.",
        f"A review of {kw} will be published before the end of the year.",
    ])


def quote(rng, p, theme, curly):
    o, c = ("“", "”") if curly else ('"', '"')
    kw = rng.choice(THEMES[theme])
    said = f"{kw.capitalize()} is where the next ten years will be decided"
    org = f"the {p['dept']} of the {p['agency']}" if p["dept"] else f"the {p['agency']}"
    style = rng.randrange(4)
    if style == 0:
        text = f"{o}{said},{c} said {p['name']}, {p['title']} of {org}."
        return text, said, "direct"
    if style == 1:
        clause = f"the government would double its support for {kw}"
        text = f"{p['name']}, {p['title']} of {org}, said that {clause}."
        return text, clause, "indirect"
    if style == 2:
        clause = f"Investment in {kw} has grown faster than expected"
        text = f"{clause}, according to {p['name']}, {p['title']} of {org}."
        return text, clause, "indirect"
    text = f"{o}{said},{c} {p['name']} told reporters."
    return text, said, "direct"


def article(rng, i, ppl, start, annotated):
    themes = rng.sample(sorted(THEMES), rng.randint(1, 3))
    published = start + datetime.timedelta(days=rng.randrange(3650))
    kw = rng.choice(THEMES[themes[0]])
    title = rng.choice([f"Government unveils plan for {kw}",
                        f"New figures on {kw} surprise economists",
                        f"Parliament debates reform of {kw}",
                        f"Regions call for more support on {kw}"]) + f" ({i})"
    paras, quotes = [], []
    for k in range(rng.randint(3, 7)):
        sents = [sentence(rng, rng.choice(themes)) for _ in range(rng.randint(2, 5))]
        para = " ".join(sents)
        if k in (1, 3) or rng.random() < 0.2:
            p = pick_person(rng, ppl)
            text, q, kind = quote(rng, p, rng.choice(themes), rng.random() < 0.5)
            offset = len("\n\n".join(paras + [para])) + 1 + text.index(q)
            para = para + " " + text
            org = ({"name": p["dept"], "parent": {"name": p["agency"]}} if p["dept"]
                   else {"name": p["agency"], "parent": None})
            quotes.append({"text": q, "kind": kind, "start": offset,
                           "end": offset + len(q), "official": {"name": p["name"]},
                           "title": p["title"], "organization": org})
        paras.append(para)
    zh = rng.random() < 0.02
    if zh:
        paras.append(rng.choice(CHINESE))
    rec = {"title": title, "published": published.isoformat(),
           "source": rng.choice(SOURCES),
           "url": f"https://news.example.org/{published.year}/{i:07d}",
           "language": "zh" if zh else "en", "body": "\n\n".join(paras)}
    if annotated:
        rec["themes"] = themes
        rec["quotes"] = quotes
    return rec


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--annotated", action="store_true")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    ppl = people(rng, max(50, args.n // 100))
    start = datetime.date(2015, 1, 1)
    out = sys.stdout
    for i in range(args.n):
        out.write(json.dumps(article(rng, i, ppl, start, args.annotated),
                             ensure_ascii=False))
        out.write("\n")


if __name__ == "__main__":
    main()
