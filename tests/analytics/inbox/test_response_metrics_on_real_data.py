"""On the real TWCS sample, `mutuals inbox metrics` equals an independent pandas computation.

Definition (docs/inbox.md): an inbound tweet's first response is the earliest brand tweet whose
in_response_to_tweet_id is that tweet's id; medians and p90 are over the inbound tweets that got one,
with numpy's 'linear' percentile; the response rate is answered / inbound per brand. Which brand an
unanswered tweet belongs to follows the connector's documented rules, applied here by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

SAMPLE = "twcs/twcs_first5000rows_monalisapatra26.csv"


def _expected(path: Path) -> dict[str, dict[str, Any]]:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = df[df["inbound"].isin(["True", "False"])].copy()
    df["t"] = pd.to_datetime(df["created_at"], format="%a %b %d %H:%M:%S %z %Y")
    df["parent"] = df["in_response_to_tweet_id"].map(lambda s: str(int(float(s))) if s else "")
    brand_rows, inbound_rows = df[df["inbound"] == "False"], df[df["inbound"] == "True"]
    replies = brand_rows[brand_rows["parent"] != ""][["author_id", "parent", "t"]].merge(
        inbound_rows[["tweet_id", "t"]], left_on="parent", right_on="tweet_id", suffixes=("", "_in")
    )
    first = replies.sort_values("t").groupby("parent").first()
    first["delay"] = (first["t"] - first["t_in"]).dt.total_seconds()

    is_in = dict(zip(df["tweet_id"], df["inbound"] == "True", strict=True))
    author = dict(zip(df["tweet_id"], df["author_id"], strict=True))
    parent = dict(zip(df["tweet_id"], df["parent"], strict=True))
    brands = {a.lower(): a for a in brand_rows["author_id"]}

    def brand_of(tweet_id: str, text: str) -> str | None:
        if tweet_id in first.index:
            return str(first.loc[tweet_id, "author_id"])
        p = parent[tweet_id]
        if p in is_in and not is_in[p]:
            return author[p]
        for m in re.findall(r"@(\w+)", text):
            if m.lower() in brands:
                return brands[m.lower()]
        while is_in.get(p):
            p = parent[p]
        return author[p] if p in is_in else None

    inbound_rows = inbound_rows.assign(
        brand=[brand_of(r.tweet_id, r.text) for r in inbound_rows.itertuples()]
    )
    out = {}
    for brand, group in inbound_rows.dropna(subset=["brand"]).groupby("brand"):
        delays = first[first.index.isin(group["tweet_id"])]["delay"].to_numpy()
        out[str(brand)] = {
            "account": str(brand),
            "network": "x",
            "inbound": len(group),
            "answered": len(delays),
            "response_rate": round(len(delays) / len(group), 4),
            "median": float(np.percentile(delays, 50, method="linear")) if len(delays) else None,
            "p90": float(np.percentile(delays, 90, method="linear")) if len(delays) else None,
        }
    return out


def test_first_response_times_and_rates_per_brand_match_pandas(cli: Any, shared_data: Path) -> None:
    path = shared_data / SAMPLE
    assert cli("import", str(path), "--json").code == 0
    res = cli("inbox", "metrics", "--json")
    assert res.code == 0, res.err
    got = json.loads(res.out)
    expected = _expected(path)
    assert sorted(a["account"] for a in got["accounts"]) == sorted(expected)
    for acc in got["accounts"]:
        assert set(acc) == {
            "account",
            "network",
            "inbound",
            "answered",
            "response_rate",
            "first_response_seconds",
        }
        want = expected[acc["account"]]
        assert (acc["network"], acc["inbound"], acc["answered"], acc["response_rate"]) == (
            want["network"],
            want["inbound"],
            want["answered"],
            want["response_rate"],
        ), acc["account"]
        for key in ("median", "p90"):
            mine, theirs = acc["first_response_seconds"][key], want[key]
            if theirs is None:
                assert mine is None
            else:
                assert abs(mine - theirs) < 0.001, (acc["account"], key, mine, theirs)
    assert sum(a["inbound"] for a in got["accounts"]) == sum(w["inbound"] for w in expected.values())


def test_the_stock_response_detector_recognises_a_brands_earlier_reply(cli: Any, shared_data: Path) -> None:
    path = shared_data / SAMPLE
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    replies = df[(df["author_id"] == "AmazonHelp") & (df["in_response_to_tweet_id"] != "")]
    earlier = next(t for t in replies["text"] if len(t) > 80)
    # The same reply to somebody else: another handle, other numbers, other punctuation.
    draft = re.sub(r"@\w+", "@999999", earlier)
    draft = re.sub(r"\d", "7", draft).replace("!", ".").replace(",", "")
    assert cli("import", str(path), "--json").code == 0
    res = cli("inbox", "--account", "AmazonHelp", "--state", "all", "--json")
    cid = str(json.loads(res.out)["conversations"][0]["id"])
    res = cli("inbox", "reply", cid, "--text", draft, "--check-only", "--json")
    assert res.code == 0, res.err
    coach = json.loads(res.out)["coach"]
    assert coach["stock_response"] is True
    assert coach["closest"][0]["similarity"] >= 0.8
    fresh = "Could you tell us which Echo model it is and what the light ring shows when it stops?"
    res = cli("inbox", "reply", cid, "--text", fresh, "--check-only", "--json")
    assert json.loads(res.out)["coach"]["stock_response"] is False
