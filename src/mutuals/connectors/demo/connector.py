"""The demo workspace generator (see README.md). Seeded: the same records every run."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from mutuals.connectors.demo import formats as f
from mutuals.domain import (
    Account,
    Direction,
    FollowDirection,
    FollowEntry,
    FollowSnapshot,
    Identity,
    Interaction,
    InteractionKind,
    MediaType,
    Network,
    Post,
    PostKind,
    Record,
)

START = datetime(2026, 6, 1, tzinfo=UTC)
DAYS = 182
N_PEOPLE = 320

ACCOUNTS = {
    Network.X: Account(Network.X, "brewbird", platform_id="900001", display_name="Brewbird Coffee"),
    Network.MASTODON: Account(Network.MASTODON, "brewbird@coffee.social", display_name="Brewbird"),
    Network.BLUESKY: Account(Network.BLUESKY, "brewbird.example.com", display_name="Brewbird Coffee"),
    Network.INSTAGRAM: Account(Network.INSTAGRAM, "brewbird.coffee", display_name="Brewbird"),
}


@dataclass(frozen=True)
class DemoPerson:
    first: str
    last: str
    identities: dict[Network, Identity]
    joined_day: int
    left_day: int | None
    engagement: float
    is_customer: bool


def _pid(network: Network, handle: str) -> str:
    h = hashlib.sha1(f"{network}:{handle}".encode()).hexdigest()
    if network is Network.X:
        return str(int(h[:12], 16) % 10**15)
    if network is Network.BLUESKY:
        return "did:plc:" + h[:24]
    # Mastodon: "@user@host", the scheme both Mastodon connectors use (an address, not the actor URL).
    return "@" + handle.lower()


def _people(rng: random.Random) -> list[DemoPerson]:
    people: list[DemoPerson] = []
    used: set[str] = set()
    while len(people) < N_PEOPLE:
        first, last = rng.choice(f.FIRST), rng.choice(f.LAST)
        base = f"{first}{last}".lower()
        style = rng.random()
        handle = (
            base
            if style < 0.4
            else f"{first.lower()}_{last[0].lower()}"
            if style < 0.7
            else (f"{first.lower()}{rng.randint(1, 99)}")
        )
        if handle in used:
            continue
        used.add(handle)
        nets = [Network.X]
        for net, p in ((Network.INSTAGRAM, 0.45), (Network.MASTODON, 0.2), (Network.BLUESKY, 0.3)):
            if rng.random() < p:
                nets.append(net)
        if rng.random() < 0.15:
            nets.remove(Network.X)
            if not nets:
                nets = [Network.INSTAGRAM]
        idents = {}
        for net in nets:
            h = handle
            if net is Network.MASTODON:
                h = f"{handle}@{rng.choice(['mastodon.example', 'fosstodon.example', 'coffee.social'])}"
            elif net is Network.BLUESKY:
                h = f"{handle}.bsky.example"
            elif net is Network.INSTAGRAM and rng.random() < 0.3:
                h = f"{handle}.{rng.choice(['jpg', 'daily', 'brews'])}"
            name = f"{first} {last}" if rng.random() < 0.8 else first
            idents[net] = Identity(net, _pid(net, h), handle=h, display_name=name)
        joined = int(rng.triangular(-120, DAYS, 0))
        left = None
        if rng.random() < 0.12:
            left = min(DAYS - 1, max(joined, 0) + rng.randint(10, 150))
        people.append(DemoPerson(first, last, idents, joined, left, rng.random() ** 2, rng.random() < 0.35))
    return people


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        order=f"#{rng.randint(10000, 99999)}",
        n=rng.randint(5, 21),
        day=rng.randint(1, 28),
        weekday=rng.choice(f.WEEKDAYS),
        bean=rng.choice(f.BEANS),
        country=rng.choice(f.COUNTRIES),
    )


def records() -> Iterator[Record]:
    rng = random.Random(20260601)
    people = _people(rng)
    yield from ACCOUNTS.values()
    posts = list(_posts(rng))
    yield from posts
    yield from _snapshots(people)
    yield from _conversations(rng, people, posts)


def _posts(rng: random.Random) -> Iterator[Post]:
    for net, acc in ACCOUNTS.items():
        day = 0.0
        n = 0
        while day < DAYS:
            day += rng.uniform(1.5, 5)
            n += 1
            template, _promo = rng.choice(f.POST_TOPICS)
            media = rng.choice(
                [(), (MediaType.IMAGE,), (MediaType.IMAGE,), (MediaType.VIDEO,), (MediaType.GIF,)]
            )
            if net is Network.INSTAGRAM and not media:
                media = (MediaType.IMAGE,)
            when = START + timedelta(days=day, hours=rng.uniform(8, 18))
            yield Post(
                account=acc,
                platform_id=f"demo-{net.value}-post-{n}",
                kind=PostKind.ORIGINAL,
                published_at=when.replace(microsecond=0),
                text=_fill(template, rng),
                media_types=media,
                likes=rng.randint(3, 120),
                reposts=rng.randint(0, 30),
                replies=rng.randint(0, 15),
            )


def _snapshots(people: list[DemoPerson]) -> Iterator[Record]:
    """Monthly follower lists per account; people come and some leave."""
    for month in range(7):
        taken = (START + timedelta(days=30 * month)).replace(hour=6)
        day = 30 * month
        for net, acc in ACCOUNTS.items():
            yield FollowSnapshot(acc, FollowDirection.FOLLOWER, taken)
            for p in people:
                ident = p.identities.get(net)
                if ident is None or p.joined_day > day or (p.left_day is not None and p.left_day <= day):
                    continue
                yield FollowEntry(acc, FollowDirection.FOLLOWER, ident)
            if net is Network.X:
                yield FollowSnapshot(acc, FollowDirection.FOLLOWING, taken)
                for p in people:
                    ident = p.identities.get(net)
                    if ident is not None and p.engagement > 0.5 and p.joined_day <= day:
                        yield FollowEntry(acc, FollowDirection.FOLLOWING, ident)


def _conversations(rng: random.Random, people: list[DemoPerson], posts: list[Post]) -> Iterator[Record]:
    seq = 0

    def next_id(net: Network) -> str:
        nonlocal seq
        seq += 1
        return f"demo-{net.value}-{seq}"

    by_account: dict[Network, list[Post]] = {}
    for p in posts:
        by_account.setdefault(p.account.network, []).append(p)
    for person in people:
        n_events = int(1 + person.engagement * 40)
        for _ in range(n_events):
            net = rng.choice(list(person.identities))
            ident = person.identities[net]
            acc = ACCOUNTS[net]
            day = rng.uniform(max(person.joined_day, 0), DAYS - 0.5)
            when = (START + timedelta(days=day, hours=rng.uniform(0, 14))).replace(microsecond=0)
            roll = rng.random()
            account_posts = [p for p in by_account[net] if p.published_at <= when]
            post = account_posts[-1] if account_posts else None
            if roll < 0.45 and post is not None:
                kind = InteractionKind.LIKE if roll < 0.32 else InteractionKind.REPOST
                yield Interaction(
                    acc,
                    kind,
                    Direction.INBOUND,
                    when,
                    identity=ident,
                    post_ref=post.platform_id,
                )
                continue
            if roll < 0.62:
                topic = rng.choice(list(f.COMPLAINTS))
                text, intent = _fill(rng.choice(f.COMPLAINTS[topic]), rng), "complaint"
            elif roll < 0.8:
                text, intent = _fill(rng.choice(f.QUESTIONS), rng), "question"
            else:
                text, intent = _fill(rng.choice(f.PRAISE), rng), "praise"
            private = rng.random() < 0.2
            kind = (
                InteractionKind.DM
                if private
                else (
                    InteractionKind.COMMENT
                    if net is Network.INSTAGRAM
                    else InteractionKind.REPLY
                    if post is not None and rng.random() < 0.5
                    else InteractionKind.MENTION
                )
            )
            msg_id = next_id(net)
            handle = ident.handle or ""
            prefix = "" if private or net is Network.INSTAGRAM else f"@{acc.handle.split('@')[0]} "
            yield Interaction(
                acc,
                kind,
                Direction.INBOUND,
                when,
                identity=ident,
                platform_id=msg_id,
                text=prefix + text,
                is_public=not private,
                post_ref=post.platform_id
                if kind in (InteractionKind.REPLY, InteractionKind.COMMENT) and post
                else None,
                thread_ref=f"dm-{net.value}-{handle}" if private else None,
                extra={"demo_intent": intent},
            )
            if rng.random() < 0.78:
                delay = timedelta(minutes=rng.lognormvariate(4.2, 1.1))
                agent = rng.choice(f.AGENTS)
                if rng.random() < 0.35:
                    reply = rng.choice(f.STOCK_REPLIES)
                else:
                    name = person.first if rng.random() < 0.85 else f"@{handle}"
                    body = {
                        "complaint": "so sorry about this. I've checked and I'm sending a replacement today",
                        "question": "good question! Yes, and I'd recommend starting with a medium grind",
                        "praise": "this made our day, thank you. Which brew method do you use?",
                    }[intent]
                    reply = f"Hi {name}, {body}. – {agent}"
                out_kind = InteractionKind.DM if private else InteractionKind.REPLY
                yield Interaction(
                    acc,
                    out_kind,
                    Direction.OUTBOUND,
                    (when + delay).replace(microsecond=0),
                    identity=ident,
                    platform_id=next_id(net),
                    text=reply,
                    is_public=not private,
                    in_reply_to=msg_id,
                    thread_ref=f"dm-{net.value}-{handle}" if private else None,
                    extra={"agent": agent},
                )
        if person.is_customer and rng.random() < 0.3:
            when = (START + timedelta(days=rng.uniform(10, DAYS - 1))).replace(microsecond=0)
            kind = rng.choice([InteractionKind.EMAIL, InteractionKind.MEETING])
            ident = next(iter(person.identities.values()))
            yield Interaction(
                ACCOUNTS[ident.network],
                kind,
                Direction.OUTBOUND,
                when,
                identity=ident,
                is_public=False,
                text="Met at the roastery open day"
                if kind is InteractionKind.MEETING
                else "Sent the wholesale price list",
            )
