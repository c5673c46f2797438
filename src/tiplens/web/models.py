"""Request and response models of the JSON API (they make /openapi.json)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

from tiplens.web.screening import normal_country

MAX_BATCH = 1000  # items per POST /api/v1/screen/batch


def _utf8(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text holds unpaired surrogate code points (not valid Unicode)") from None
    return text


def _country(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return normal_country(value)


Country = Annotated[StrictStr | None, Field(
    default=None, max_length=60, description="Country of the readers (ISO code such as ID, MY, SA, or a name): "
    "the hotlines in 'referral' for flagged texts, and the region for phone numbers without a country code.")]


class ScreenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: StrictStr = Field(description="The ad or post to screen (longer than 100,000 characters: the beginning "
                                        "is screened and the status says 'truncated').")
    country: Country = None
    id: StrictStr = Field(default="0", max_length=200, description="Your id for the text, echoed in the record.")

    _text = field_validator("text")(_utf8)
    _country = field_validator("country")(_country)


class BatchItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: StrictStr | None = Field(default=None, max_length=200, description="Your id (default: the item's position).")
    text: StrictStr
    country: Country = None

    _text = field_validator("text")(_utf8)
    _country = field_validator("country")(_country)


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[BatchItem] = Field(min_length=1, max_length=MAX_BATCH,
                                   description=f"Up to {MAX_BATCH:,} texts; larger sets: tiplens screen FILE.")
    country: Country = None  # for items without their own

    _country = field_validator("country")(_country)


class Indicator(BaseModel):
    id: str
    label: str
    ilo: str | None
    palermo: str | None
    start: int = Field(description="Offset of the evidence in the text (characters): text[start:end] == text.")
    end: int
    text: str


class Contact(BaseModel):
    kind: str
    value: str
    start: int | None
    end: int | None
    channel: str | None = None
    valid: bool | None = None


class Hotline(BaseModel):
    name: str
    number: str
    e164: str | None
    whatsapp: str | None
    type: str
    country: str
    region: str
    source: str


class ScreenRecord(BaseModel):
    """One record per text, as `tiplens screen` writes it."""

    id: str
    status: str = Field(description="screened, truncated, empty, binary or malformed")
    score: float | None
    flagged: bool
    level: str | None
    language: str
    indicators: list[Indicator]
    contacts: list[Contact]
    referral: list[Hotline]


class BatchResponse(BaseModel):
    count: int
    flagged: int
    records: list[ScreenRecord]


class TableList(BaseModel):
    title: str
    subtitle: str
    synthetic: bool
    tables: list[dict[str, Any]]


class TableRows(BaseModel):
    table: str
    title: str
    rows: list[dict[str, Any]]
