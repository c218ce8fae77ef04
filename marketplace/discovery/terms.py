"""What a search query means in the site's own words: genres, moods, tools and creators, however spelt.

A query is read as known terms plus the rest. A known term is a genre, a mood, a tool or a creator,
recognised under any of its usual spellings ("lofi", "lo fi", "Lo-Fi" are one genre). A track matches
a term when it has that genre, mood, tool or creator, or says the word in its text; the rest of the
query stays full text (websearch syntax). This module only reads words; the database side is in
``marketplace.discovery.selectors``.
"""

import re
from dataclasses import dataclass, field

from marketplace.catalogue.vocabulary import GENRES, MOODS

MAX_QUERY_LENGTH = 200
MAX_TERM_WORDS = 3  # "rhythm and blues" is the longest spelling we know
MAX_SCANNED_WORDS = 12  # words of a query looked at for terms; the rest is full text anyway

# Spellings people type besides each label, by slug (the label and the slug are always known).
SPELLINGS = {
    "lo-fi": ["lofi", "lo fi", "low fi", "lofi hip hop"],
    "hip-hop": ["hiphop", "hip hop"],
    "r-and-b": ["rnb", "r n b", "r and b", "rhythm and blues"],
    "synthwave": ["synth wave", "synth-wave"],
    "electronic": ["electronica"],
    "classical": ["classic"],
    "chill": ["chilled", "chillout", "chill out"],
    "melancholic": ["melancholy"],
    "energetic": ["energy"],
}


def key(text):
    """The spelling-blind form of a name: lower case, "&" read as "and", only letters and digits."""
    return re.sub(r"[^0-9a-z]", "", (text or "").lower().replace("&", "and"))


@dataclass(frozen=True)
class Term:
    kind: str  # "genre", "mood", "tool" or "creator"
    value: object  # the genre/mood slug, the tool's id, the creator's id
    label: str
    words: tuple = ()  # what to look for in a track's text as well


@dataclass
class ParsedQuery:
    terms: list = field(default_factory=list)
    excluded: list = field(default_factory=list)  # "-lofi": terms a track must not have
    rest: str = ""


def _vocabulary():
    known = {}
    for kind, choices in (("genre", GENRES), ("mood", MOODS)):
        for slug, label in choices:
            words = (label, *SPELLINGS.get(slug, ()))
            term = Term(kind, slug, label, words)
            for spelling in (slug, *words):
                known.setdefault(key(spelling), term)
    return known


VOCABULARY = _vocabulary()


def vocabulary_rows():
    """(kind, slug, label, spelling) for every known spelling of a genre or mood: what suggestions match."""
    rows = []
    for kind, choices in (("genre", GENRES), ("mood", MOODS)):
        for slug, label in choices:
            for spelling in dict.fromkeys((label, *SPELLINGS.get(slug, ()))):
                rows.append((kind, slug, label, spelling))
    return rows


def tool_aliases(name, slug):
    """The keys a tool is known by: its name and slug, with or without a trailing "AI" ("Suno AI" → suno)."""
    aliases = {key(name), key(slug)}
    for alias in list(aliases):
        if alias.endswith("ai") and len(alias) > 5:
            aliases.add(alias[:-2])
    return {alias for alias in aliases if len(alias) >= 3}


def scanned_words(text):
    """The words of a query that may form terms, or [] when the query uses websearch's "or"/quotes
    (reading a term out of "lofi or jazz" would change what it asks)."""
    words = text.split()
    if '"' in text or any(word.lower() == "or" for word in words):
        return []
    return words[:MAX_SCANNED_WORDS]


def windows(words):
    """Every run of 1..MAX_TERM_WORDS words: [(start, length, phrase)], longest first at each start."""
    found = []
    for start in range(len(words)):
        for length in range(min(MAX_TERM_WORDS, len(words) - start), 0, -1):
            found.append((start, length, " ".join(words[start:start + length])))
    return found


def parse(text, known):
    """Split ``text`` into known terms (``known``: key → Term) and the rest, longest spelling first."""
    words = scanned_words(text)
    if not words:
        return ParsedQuery(rest=text)
    terms, terms_out, rest, used = [], [], [], set()
    start = 0
    while start < len(words):
        for length in range(min(MAX_TERM_WORDS, len(words) - start), 0, -1):
            chunk = words[start:start + length]
            if any(word.startswith("-") for word in chunk):
                excluded = known.get(key(chunk[0])) if length == 1 else None
                if excluded is not None:  # "-lofi": no Lo-Fi tracks (nor ones saying "lofi")
                    terms_out.append(excluded)
                    start += 1
                    break
                continue
            phrase = " ".join(chunk)
            term = known.get(key(phrase))
            if term is not None and (term.kind, term.value) not in used:
                used.add((term.kind, term.value))
                terms.append(Term(term.kind, term.value, term.label, tuple(dict.fromkeys((*term.words, phrase)))))
                start += length
                break
        else:
            rest.append(words[start])
            start += 1
    rest.extend(text.split()[MAX_SCANNED_WORDS:])
    return ParsedQuery(terms=terms, excluded=terms_out, rest=" ".join(rest))
