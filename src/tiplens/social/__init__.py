"""Social pillar: an organisation's posts from raw exports to campaign analytics."""
