"""What pins say at a glance: frequent terms and groups of similar pins, per language."""

from typing import Literal

from pydantic import BaseModel, Field


class ThemeTerm(BaseModel):
    text: str = Field(description="The term or short phrase as people wrote it most often.")
    count: int = Field(description="Pins whose text contains it (in a word form of its stem).")


class ThemePin(BaseModel):
    id: str
    lon: float | None = Field(description="WGS84; None for a pin without a place.")
    lat: float | None


class ThemeRepresentative(BaseModel):
    id: str
    category: str
    text: str


class ThemeGroup(BaseModel):
    number: int = Field(description="1 for the largest group of the language, and so on.")
    terms: list[str] = Field(description="Its most characteristic words and phrases.")
    count: int = Field(description="Pins in the group.")
    representative: ThemeRepresentative = Field(
        description="The pin most similar to all others of the group (its medoid)."
    )
    pins: list[ThemePin] = Field(description="The group's pins and where they are.")


class LanguageThemes(BaseModel):
    language: str = Field(description="The language of the form the pins were sent with.")
    pins: int = Field(description="Pins of this language analysed.")
    stemmed: bool = Field(description="Whether word forms were reduced to their stem.")
    terms: list[ThemeTerm]
    groups: list[ThemeGroup]
    ungrouped: int = Field(
        description="Pins in no group: too few to group, or no word left after stop words."
    )


class Themes(BaseModel):
    """The themes of one consultation's published pins, optionally of one topic or area."""

    consultation: str
    category: str | None = Field(description="The topic asked for, if any.")
    area: bool = Field(description="Whether only pins in a drawn area were analysed.")
    matched: int = Field(description="Published pins matching the topic and area, all of them.")
    analysed: int = Field(
        description="Of those, the newest ones analysed: at most max_texts, with at most "
        "max_words words together."
    )
    max_texts: int
    max_words: int
    max_features: int
    capped: bool = Field(description="True when more pins matched than were analysed.")
    message: Literal["no_pins", "too_few_to_group"] | None = Field(
        description="no_pins: nothing to analyse; too_few_to_group: terms only, no groups."
    )
    languages: list[LanguageThemes] = Field(description="German first, then by number of pins.")
