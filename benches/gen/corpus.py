#!/usr/bin/env python3
"""Deterministic corpus of campaign templates for creeplint's benchmark.

    python3 benches/gen/corpus.py OUT_DIR MEGABYTES [--seed N]

Writes HTML emails, MJML, Liquid, Markdown with front matter, JSON push/in-app copy and CSV SMS
copy under OUT_DIR until about MEGABYTES MB are written. The same arguments always give the same
bytes (one seeded PRNG, no clocks, no hashing of dicts).

The copy is assembled from vocabulary below plus the labelled messages of tests/corpus/messages.tsv:
about 3% of sentences are creepy rows, the rest are benign rows and generated marketing prose.
Real copy is not ASCII: curly quotes, dashes, ellipses, emoji, entities and non-breaking spaces are
sprinkled in, because they decide which regex engine a search runs on.
"""

import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MESSAGES = os.path.join(HERE, "..", "..", "tests", "corpus", "messages.tsv")

CREEPY_SHARE = 0.03

BRANDS = ["Halden & Co", "Canopy Outdoor", "Basecamp Supply", "Bloom & Vine", "Northwind Coffee",
          "Aero Running", "Larkspur Home", "Tidewater Bank", "Pinecrest Pharmacy", "Juniper Kids",
          "Mosaic Books", "Ferro Cycles", "Ollie's Pet Pantry", "Solstice Travel", "Quill Stationery"]
PRODUCTS = ["rain shell", "trail shoe", "weighted blanket", "cold brew kit", "linen duvet",
            "hiking sock", "ceramic mug", "running vest", "wool beanie", "reading lamp",
            "picnic set", "travel pillow", "bike light", "notebook", "gift card", "sun hat",
            "yoga mat", "spice sampler", "desk plant", "water bottle"]
ADJ = ["new", "limited", "seasonal", "bestselling", "handmade", "lightweight", "cosy", "classic",
       "award-winning", "recycled", "small-batch", "everyday", "bright", "quiet", "sturdy"]
VERBS = ["discover", "explore", "meet", "shop", "try", "browse", "save on", "unwrap", "pick up",
         "treat yourself to", "find", "upgrade to", "rediscover"]
BENEFITS = ["free delivery over $50", "free returns for 60 days", "double points this weekend",
            "a free repair clinic every Saturday", "20% off your next order", "gift wrapping on us",
            "early access for members", "a two-year warranty", "next-day delivery",
            "price match on everything", "a free sample with every order"]
TIMES = ["this weekend", "until Sunday", "while stocks last", "this month", "before midnight",
         "all spring", "for a limited time", "from Friday", "starting today"]
OPENERS = ["Hi {{ first_name }},", "Hello there,", "Good news!", "Hey {{ customer.first_name }} \U0001F44B",
           "Dear *|FNAME|*,", "Hi %%FirstName%%,", "Welcome back!", "It\u2019s here.",
           "Spring has sprung \U0001F338", "Ready for the weekend?"]
CLOSERS = ["See you soon \u2014 the {brand} team", "Happy exploring!", "Thanks for being part of {brand}.",
           "Questions? Just reply to this email.", "With love, the {brand} crew \u2764\ufe0f"]
SUBJECTS = ["{adj} {product}s are here", "{Verb} the {adj} {product}", "{benefit} \u2014 {time}",
            "Your weekend reading from {brand}", "\u201c{adj} and {adj2}\u201d: meet the {product}",
            "Last chance: {benefit}", "New in: the {product} \u2728"]


def load_messages():
    creepy, ok = [], []
    with open(MESSAGES, encoding="utf-8") as f:
        next(f)
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 4:
                continue
            (creepy if parts[1] == "creepy" else ok).append(parts[3])
    if not creepy or not ok:
        sys.exit(f"error: {MESSAGES} has no labelled rows")
    return creepy, ok


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.creepy, self.ok = load_messages()
        self.creepy_written = 0

    def pick(self, xs):
        return xs[self.r.randrange(len(xs))]

    def fill(self, template, brand):
        adj, adj2 = self.pick(ADJ), self.pick(ADJ)
        return (template.replace("{adj}", adj).replace("{adj2}", adj2)
                .replace("{product}", self.pick(PRODUCTS)).replace("{brand}", brand)
                .replace("{benefit}", self.pick(BENEFITS)).replace("{time}", self.pick(TIMES))
                .replace("{Verb}", self.pick(VERBS).capitalize()))

    def prose_sentence(self, brand):
        r = self.r.random()
        if r < CREEPY_SHARE:
            self.creepy_written += 1
            return self.pick(self.creepy)
        if r < 0.25:
            return self.pick(self.ok)
        kind = self.r.randrange(6)
        product = self.pick(PRODUCTS)
        if kind == 0:
            return f"{self.pick(VERBS).capitalize()} our {self.pick(ADJ)} {product}s and get {self.pick(BENEFITS)} {self.pick(TIMES)}."
        if kind == 1:
            return f"The {product} you\u2019ve been waiting for is back in {self.r.randrange(2, 9)} colours \u2014 from ${self.r.randrange(9, 190)}."
        if kind == 2:
            return f"Members get {self.pick(BENEFITS)}, and everyone gets {self.pick(BENEFITS)}\u2026"
        if kind == 3:
            return f"Our {self.pick(ADJ)} {product} is made by a small team in {self.pick(['Porto', 'Leeds', 'Oaxaca', 'Kyoto', 'Denver'])}, and it shows."
        if kind == 4:
            return f"\u201cBest {product} I\u2019ve owned,\u201d says one of {self.r.randrange(120, 9000):,} five-star reviews."
        return f"Pop in to any {brand} store {self.pick(TIMES)} for {self.pick(BENEFITS)}."

    def paragraph(self, brand, n=None):
        n = n or self.r.randrange(2, 6)
        return " ".join(self.prose_sentence(brand) for _ in range(n))


def esc(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\u2019", "&rsquo;").replace("\u2014", "&mdash;"))


def html_email(g, brand):
    subject = g.fill(g.pick(SUBJECTS), brand)
    color = "#%06x" % g.r.randrange(0xFFFFFF)
    rows = []
    for _ in range(g.r.randrange(3, 9)):
        img = g.r.randrange(1000, 9999)
        rows.append(f"""        <tr>
          <td class="stack" style="padding:12px 24px;font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:22px;color:#333333;">
            <img src="https://cdn.example.com/{img}/hero@2x.jpg" width="552" alt="{esc(g.fill('{adj} {product}', brand))}" style="display:block;width:100%;height:auto;border:0;">
            <h2 style="margin:16px 0 8px;font-size:20px;">{esc(g.fill(g.pick(SUBJECTS), brand))}</h2>
            <p style="margin:0 0 12px;">{esc(g.paragraph(brand))}</p>
            {{% if customer.tags contains "vip" %}}<p style="margin:0 0 12px;">{esc(g.paragraph(brand, 2))}</p>{{% endif %}}
            <a class="btn" href="https://www.example.com/c/{img}?utm_source=email&amp;utm_medium=crm&amp;utm_campaign={img}" style="display:inline-block;padding:10px 18px;background:{color};color:#ffffff;text-decoration:none;border-radius:4px;">Shop now&nbsp;&rarr;</a>
          </td>
        </tr>""")
    body = "\n".join(rows)
    return f"""<!DOCTYPE html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(subject)}</title>
<style>
  body {{ margin: 0; padding: 0; background: #f4f1ec; }}
  a.btn:hover {{ background: {color} !important; }}
  @media only screen and (max-width: 600px) {{
    .stack {{ display: block !important; width: 100% !important; }}
  }}
</style>
</head>
<body style="margin:0;padding:0;background:#f4f1ec;">
<!-- Preheader -->
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">{esc(g.prose_sentence(brand))}&nbsp;&#8204;&nbsp;&#8204;</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f4f1ec;">
  <tr>
    <td align="center" style="padding:24px 12px;">
      <table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;max-width:100%;background:#ffffff;">
        <tr><td style="padding:24px;"><p>{esc(g.pick(OPENERS))}</p></td></tr>
{body}
        <tr><td style="padding:24px;font-size:12px;color:#777777;">{esc(g.fill(g.pick(CLOSERS), brand))}<br>
          {esc(brand)}, 12 Harbour Street. <a href="{{{{ unsubscribe_url }}}}">Unsubscribe</a> &middot; <a href="https://www.example.com/privacy">Privacy</a></td></tr>
      </table>
    </td>
  </tr>
</table>
</body>
</html>
"""


def mjml(g, brand):
    sections = []
    for _ in range(g.r.randrange(2, 6)):
        sections.append(f"""    <mj-section padding="20px 0">
      <mj-column>
        <mj-image src="https://cdn.example.com/{g.r.randrange(1000, 9999)}.png" alt="{esc(g.fill('{adj} {product}', brand))}" width="560px" />
        <mj-text font-size="15px" line-height="22px">{esc(g.paragraph(brand))}</mj-text>
        <mj-button href="https://www.example.com/shop">{esc(g.fill('{Verb} the {product}', brand))}</mj-button>
      </mj-column>
    </mj-section>""")
    return f"""<mjml>
  <mj-head>
    <mj-title>{esc(g.fill(g.pick(SUBJECTS), brand))}</mj-title>
    <mj-preview>{esc(g.prose_sentence(brand))}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text color="#333333" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#eef3ee" width="600px">
{chr(10).join(sections)}
  </mj-body>
</mjml>
"""


def liquid(g, brand):
    parts = [f"{{% assign first = customer.first_name | default: 'there' %}}\n<p>Hi {{{{ first }}}},</p>"]
    for _ in range(g.r.randrange(2, 7)):
        parts.append(f"""{{% if customer.orders_count > {g.r.randrange(1, 20)} %}}
<p>{esc(g.paragraph(brand))}</p>
{{% else %}}
<p>{esc(g.paragraph(brand, 2))}</p>
{{% endif %}}
{{% for product in recommendations limit: 3 %}}
  <div class="card"><a href="{{{{ product.url }}}}">{{{{ product.title }}}}</a> &ndash; {{{{ product.price | money }}}}</div>
{{% endfor %}}""")
    parts.append(f"<p>{esc(g.fill(g.pick(CLOSERS), brand))}</p>\n")
    return "\n".join(parts)


def markdown(g, brand):
    paras = []
    for i in range(g.r.randrange(3, 9)):
        if i % 3 == 1:
            paras.append(f"## {g.fill(g.pick(SUBJECTS), brand)}")
        if g.r.random() < 0.3:
            paras.append("\n".join(f"- **{g.fill('{adj} {product}', brand)}**: {g.prose_sentence(brand)}" for _ in range(3)))
        else:
            paras.append(g.paragraph(brand))
    subject = g.fill(g.pick(SUBJECTS), brand).replace('"', "'")
    preheader = g.prose_sentence(brand).replace('"', "'")
    return f"""---
subject: "{subject}"
preheader: "{preheader}"
from_name: {brand}
campaign_id: cmp-{g.r.randrange(10000, 99999)}
audience: all-subscribers
---

# {g.fill(g.pick(SUBJECTS), brand)}

{g.pick(OPENERS)}

{chr(10).join(p + chr(10) for p in paras)}
{g.fill(g.pick(CLOSERS), brand)}
"""


def json_copy(g, brand):
    items = []
    for i in range(g.r.randrange(10, 60)):
        title = g.fill(g.pick(SUBJECTS), brand).replace('"', "'")
        body = g.prose_sentence(brand).replace("\\", "").replace('"', '\\"')
        items.append(f"""  {{
    "id": "push-{i:03d}",
    "title": "{title}",
    "body": "{body}",
    "deeplink": "app://shop/{g.r.randrange(1000, 9999)}"
  }}""")
    return "[\n" + ",\n".join(items) + "\n]\n"


def csv_copy(g, brand):
    rows = ["id,segment,send_at,message"]
    for i in range(g.r.randrange(20, 120)):
        msg = f"{brand}: {g.prose_sentence(brand)} Reply STOP to opt out".replace('"', '""')
        seg = g.pick(["all", "vip", "lapsed_90d", "new_30d", "loyalty"])
        rows.append(f'sms-{i:04d},{seg},2025-0{g.r.randrange(1, 10)}-{g.r.randrange(10, 29)} 09:00,"{msg}"')
    return "\n".join(rows) + "\n"


KINDS = [  # (weight, extension, writer)
    (30, "html", html_email),
    (10, "mjml", mjml),
    (15, "liquid", liquid),
    (20, "md", markdown),
    (15, "json", json_copy),
    (10, "csv", csv_copy),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("megabytes", type=float)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    g = Gen(args.seed)
    target = int(args.megabytes * 1_000_000)
    weights = [k[0] for k in KINDS]
    written = files = 0
    while written < target:
        _, ext, writer = g.r.choices(KINDS, weights)[0]
        brand = g.pick(BRANDS)
        slug = brand.lower().replace(" & ", "-").replace("'", "").replace(" ", "-")
        d = os.path.join(args.out, slug, f"{files // 500:03d}")
        os.makedirs(d, exist_ok=True)
        data = writer(g, brand).encode("utf-8")
        with open(os.path.join(d, f"c{files:06d}.{ext}"), "wb") as f:
            f.write(data)
        written += len(data)
        files += 1
    print(f"{args.out}: {files} files, {written / 1e6:.1f} MB, {g.creepy_written} creepy sentences",
          file=sys.stderr)


if __name__ == "__main__":
    main()
