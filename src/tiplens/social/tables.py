"""The Ibis tables an analysis receives: the study's social tables, filtered once to the
account and date window of the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import ibis


@dataclass(frozen=True)
class SocialTables:
    posts: ibis.Table
    entities: ibis.Table  # the entities of the posts above
    interactions: ibis.Table  # the interactions of the posts above
    # every entity in the study, for an analysis that joins them to the posts itself (the join
    # keeps the window's; the semi-join behind ``entities`` would be a second pass on the post keys)
    study_entities: ibis.Table | None = None
    # every interaction in the study, likewise (for an analysis that joins them to the posts)
    study_interactions: ibis.Table | None = None


def social_tables(backend: Any, *, account: str | None = None, since: date | None = None,
                  until: date | None = None) -> SocialTables:
    posts = backend.table("posts")
    if account:
        posts = posts.filter(posts.account == account.lower().lstrip("@"))
    if since:
        posts = posts.filter(posts.created_at >= datetime.combine(since, datetime.min.time()))
    if until:
        posts = posts.filter(posts.created_at < datetime.combine(until, datetime.max.time()))
    keys = posts.select("post_id", "platform")
    study_entities = backend.table("post_entities")
    entities = study_entities.semi_join(keys, ["post_id", "platform"])
    study_interactions = backend.table("interactions")
    interactions = study_interactions.semi_join(keys, ["post_id", "platform"])
    return SocialTables(posts=posts, entities=entities, interactions=interactions, study_entities=study_entities,
                        study_interactions=study_interactions)
