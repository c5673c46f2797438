"""Canonical social tables (see DESIGN.md). Unknown values are NULL, never 0."""

DDL = (
    """CREATE TABLE IF NOT EXISTS posts (
        post_id VARCHAR NOT NULL, platform VARCHAR NOT NULL, account VARCHAR, account_name VARCHAR,
        created_at TIMESTAMP, text VARCHAR, lang VARCHAR, kind VARCHAR, parent_id VARCHAR,
        parent_account VARCHAR, likes BIGINT, reposts BIGINT, replies BIGINT, quotes BIGINT,
        views BIGINT, has_media BOOLEAN, source_file VARCHAR, source_line BIGINT, import_id INTEGER)""",
    """CREATE TABLE IF NOT EXISTS post_entities (
        post_id VARCHAR NOT NULL, platform VARCHAR NOT NULL, kind VARCHAR, value VARCHAR, raw VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS interactions (
        post_id VARCHAR NOT NULL, platform VARCHAR NOT NULL, source_account VARCHAR,
        target_account VARCHAR, kind VARCHAR)""",
)

POST_COLUMNS = (
    "post_id", "platform", "account", "account_name", "created_at", "text", "lang", "kind",
    "parent_id", "parent_account", "likes", "reposts", "replies", "quotes", "views", "has_media",
    "source_file", "source_line", "import_id",
)
KINDS = ("original", "reply", "retweet", "quote")
ENTITY_KINDS = ("hashtag", "mention", "url", "media")
