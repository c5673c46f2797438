"""Generate a large twarc2 JSONL file (API v2 response pages of 100 tweets) for benchmarks.

Deterministic for a seed; shapes follow the real DocNow test pages (data, includes.users,
includes.tweets, meta, __twarc) with hashtags, mentions, replies, retweets and quotes.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

WORDS = ("migrant workers safe migration trafficking victims support campaign awareness prevention "
         "pekerja migran perdagangan orang korban pencegahan kampanye kerja sama policy report rescue").split()
TAGS = ["migration", "Indonesia", "covid19", "IOMAsiaPacific", "StopTrafficking", "AntiTPPO", "MigrasiAman",
        "HumanTrafficking", "PekerjaMigran", "BaliProcess"] + [f"tag{i}" for i in range(200)]


def generate(path: str | Path, posts: int, *, seed: int = 7, accounts: int = 2000) -> Path:
    rnd = random.Random(seed)
    path = Path(path)
    users = [{"id": str(10_000 + i), "username": f"user{i}", "name": f"User {i}",
              "public_metrics": {"followers_count": rnd.randint(0, 10000)}} for i in range(accounts)]
    start = datetime(2015, 7, 1, tzinfo=UTC)
    span = (datetime(2023, 3, 31, tzinfo=UTC) - start).total_seconds()
    with path.open("wb") as fh:
        n = 0
        while n < posts:
            page, refs, page_users = [], [], {}
            for _ in range(min(100, posts - n)):
                n += 1
                author = users[int(rnd.paretovariate(1.2)) % accounts]
                page_users[author["id"]] = author
                tags = rnd.sample(TAGS[:10] if rnd.random() < 0.7 else TAGS, k=rnd.randint(0, 3))
                mentioned = [users[rnd.randrange(accounts)] for _ in range(rnd.choice((0, 0, 1, 2)))]
                for u in mentioned:
                    page_users[u["id"]] = u
                words = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 30)))
                text = " ".join(["@" + u["username"] for u in mentioned] + [words] + ["#" + t for t in tags])
                when = start + timedelta(seconds=rnd.random() * span)
                tweet = {
                    "id": str(1_100_000_000_000_000_000 + n), "author_id": author["id"], "text": text,
                    "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "lang": rnd.choice(("en", "in")),
                    "conversation_id": str(1_100_000_000_000_000_000 + n), "source": "Twitter Web App",
                    "public_metrics": {"like_count": rnd.randint(0, 50), "retweet_count": rnd.randint(0, 20),
                                       "reply_count": rnd.randint(0, 5), "quote_count": rnd.randint(0, 2)},
                    "entities": {
                        "hashtags": [{"start": text.find("#" + t), "end": text.find("#" + t) + len(t) + 1, "tag": t} for t in tags],
                        "mentions": [{"start": text.find("@" + u["username"]), "end": 0, "username": u["username"], "id": u["id"]} for u in mentioned],
                    },
                }
                r = rnd.random()
                if r < 0.3:
                    target = users[rnd.randrange(accounts)]
                    page_users[target["id"]] = target
                    ref_id = str(1_000_000_000_000_000_000 + rnd.randrange(10**9))
                    kind = "retweeted" if r < 0.2 else ("replied_to" if r < 0.26 else "quoted")
                    tweet["referenced_tweets"] = [{"type": kind, "id": ref_id}]
                    if kind == "retweeted":  # as the API gives it: the retweeted tweet whole in includes
                        refs.append({"id": ref_id, "author_id": target["id"], "text": text,
                                     "entities": tweet["entities"]})
                        tweet["text"] = f"RT @{target['username']}: " + text
                        tweet["public_metrics"]["like_count"] = 0
                    else:
                        refs.append({"id": ref_id, "author_id": target["id"], "text": "referenced"})
                page.append(tweet)
            fh.write(orjson.dumps({"data": page, "includes": {"users": list(page_users.values()), "tweets": refs},
                                   "meta": {"result_count": len(page)},
                                   "__twarc": {"url": "synthetic", "version": "bench", "retrieved_at": "2023-04-01T00:00:00+00:00"}}))
            fh.write(b"\n")
    return path
