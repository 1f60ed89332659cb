"""The records the matcher reads, and their encoding into columns of integer codes.

Every text field is folded (case, accents, punctuation) and replaced by a code into a
vocabulary shared by both sides of a match, so that comparing two records is
comparing integers, and the few string comparisons left (Jaro-Winkler on names and
street lines) run once per distinct pair of strings, not once per pair of records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import jellyfish
import numpy as np

from grassroots.voters import nicknames

# Words of a name that say nothing about who a person is.
_SUFFIXES = frozenset({"JR", "SR", "II", "III", "IV", "V", "ESQ", "MD", "PHD"})
# Particles of a surname that two different surnames share ("DE LA CRUZ", "DE LOS SANTOS").
_PARTICLES = frozenset(
    {"DE", "LA", "DEL", "LOS", "LAS", "Y", "E", "VAN", "VON", "DER", "DA", "DI", "DOS", "DAS"}
)
# "APT 3", "# 3", "UNIT 3" and "3" are one unit; a floor or building letter stays.
_UNIT_WORDS = re.compile(r"^(?:APT|APARTMENT|UNIT|STE|SUITE|RM|ROOM|NO|NUM|#)\s*")
_NON_ALNUM = re.compile(r"[^0-9A-Z]+")
_NON_DIGIT = re.compile(r"[^0-9]+")
# How many families one name may belong to in the blocking and nickname arrays.
MAX_FAMILIES = 4


@dataclass(slots=True)
class MatchRecord:
    """One person as a source knows them: a voter-file row, a sign-up, a canvass contact.

    ``address_line`` is normalized as ``grassroots.lib.addresses`` does it ("123 ELM AVE"),
    ``phone`` is E.164. Empty strings and None mean unknown.
    """

    id: str
    first_name: str
    last_name: str
    middle_name: str = ""
    birth_date: date | None = None
    birth_year: int | None = None
    address_line: str = ""
    unit: str = ""
    postal_code: str = ""
    phone: str = ""
    email: str = ""


class Vocabulary:
    """Strings to dense integer codes, shared by both sides of a match; code -1 is "unknown"."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.strings: list[str] = []

    def code(self, text: str) -> int:
        if not text:
            return -1
        found = self.codes.get(text)
        if found is None:
            found = self.codes[text] = len(self.strings)
            self.strings.append(text)
        return found

    def __len__(self) -> int:
        return len(self.strings)


class NameVocabulary(Vocabulary):
    """Names (given, middle and family in one vocabulary, so that swapped names compare).

    A name is keyed by its letters alone ("DE LA CRUZ" = "DELACRUZ"); its words are kept for
    the shared-surname comparison.
    """

    def __init__(self) -> None:
        super().__init__()
        self.raw_codes: dict[str, int] = {}
        self.words: list[frozenset[str]] = []

    def name_code(self, raw: str) -> int:
        found = self.raw_codes.get(raw)
        if found is None:
            words = [w for w in nicknames.fold(raw).split() if w not in _SUFFIXES]
            key = "".join(words)
            found = self.code(key)
            if found >= 0 and found == len(self.words):
                self.words.append(frozenset(w for w in words if len(w) > 2 and w not in _PARTICLES))
            self.raw_codes[raw] = found
        return found

    def arrays(self) -> NameArrays:
        """Per-name facts the comparisons and blocking rules use, as arrays indexed by code."""
        n = len(self.strings)
        families = np.full((n, MAX_FAMILIES), -1, dtype=np.int32)
        phonetic = Vocabulary()
        phonetic_codes = np.empty(n, dtype=np.int32)
        stems = Vocabulary()
        stem_codes = np.empty(n, dtype=np.int32)
        initial = np.zeros(n, dtype=np.bool_)
        first_letter = np.zeros(n, dtype=np.int32)
        multi_word = np.zeros(n, dtype=np.bool_)
        for code, name in enumerate(self.strings):
            for slot, family in enumerate(sorted(nicknames.families_of(name))[:MAX_FAMILIES]):
                families[code, slot] = family
            phonetic_codes[code] = phonetic.code(jellyfish.metaphone(name) or name)
            # Daniel / Daniela, Francisco / Francisca: one stem, two people.
            stem_codes[code] = stems.code(name[:-1] if len(name) > 3 and name[-1] in "AO" else name)
            initial[code] = len(name) == 1
            first_letter[code] = ord(name[0])
            multi_word[code] = len(self.words[code]) > 1
        return NameArrays(families, phonetic_codes, stem_codes, initial, first_letter, multi_word)


@dataclass
class NameArrays:
    families: np.ndarray  # (names, MAX_FAMILIES) int32 family indexes, -1 padded
    phonetic: np.ndarray  # int32 code of the name's metaphone
    stem: np.ndarray  # int32 code of the name less a final A or O
    initial: np.ndarray  # bool: the name is a single letter
    first_letter: np.ndarray  # int32 code point of the first letter
    multi_word: np.ndarray  # bool: the name has two significant words ("PENA RODRIGUEZ")


@dataclass
class Vocabularies:
    names: NameVocabulary = field(default_factory=NameVocabulary)
    lines: Vocabulary = field(default_factory=Vocabulary)
    units: Vocabulary = field(default_factory=Vocabulary)
    houses: Vocabulary = field(default_factory=Vocabulary)
    phones: Vocabulary = field(default_factory=Vocabulary)
    emails: Vocabulary = field(default_factory=Vocabulary)
    line_house: list[int] = field(default_factory=list)  # house-number code of each street line


class Table:
    """One side of a match as columns: every field an int array, -1 (or 0 for years) unknown."""

    def __init__(self, records: Iterable[MatchRecord], vocab: Vocabularies) -> None:
        ids: list[str] = []
        first: list[int] = []
        middle: list[int] = []
        last: list[int] = []
        birth: list[int] = []
        year: list[int] = []
        month: list[int] = []
        day: list[int] = []
        line: list[int] = []
        unit: list[int] = []
        zipcode: list[int] = []
        phone: list[int] = []
        email: list[int] = []
        name_code = vocab.names.name_code
        line_code = _LineCoder(vocab)
        unit_code = _CachedCoder(vocab.units, _fold_unit)
        zip_code = _zip_codes()
        phones, emails = vocab.phones.code, vocab.emails.code
        spelled: tuple[list[str], list[str], list[str]] = ([], [], [])
        for record in records:
            ids.append(record.id)
            first.append(name_code(record.first_name or ""))
            middle.append(name_code(record.middle_name or ""))
            last.append(name_code(record.last_name or ""))
            spelled[0].append(record.first_name)
            spelled[1].append(record.middle_name)
            spelled[2].append(record.last_name)
            when = record.birth_date
            if when is not None:
                birth.append(when.toordinal())
                year.append(when.year)
                month.append(when.month)
                day.append(when.day)
            else:
                birth.append(-1)
                year.append(record.birth_year or 0)
                month.append(0)
                day.append(0)
            line.append(line_code(record.address_line or ""))
            unit.append(unit_code(record.unit or ""))
            zipcode.append(zip_code(record.postal_code or ""))
            number = (record.phone or "").lstrip("+")
            phone.append(phones(number if number.isdigit() else _NON_DIGIT.sub("", number)))
            email.append(emails((record.email or "").strip().lower()))
        self.ids = ids
        self.size = len(ids)
        # The names as the source wrote them, for explanations.
        self.spelled_first, self.spelled_middle, self.spelled_last = spelled
        self.first = np.array(first, dtype=np.int32)
        self.middle = np.array(middle, dtype=np.int32)
        self.last = np.array(last, dtype=np.int32)
        self.birth = np.array(birth, dtype=np.int32)
        self.year = np.array(year, dtype=np.int16)
        self.month = np.array(month, dtype=np.int8)
        self.day = np.array(day, dtype=np.int8)
        self.line = np.array(line, dtype=np.int32)
        self.unit = np.array(unit, dtype=np.int32)
        self.zip = np.array(zipcode, dtype=np.int32)
        self.phone = np.array(phone, dtype=np.int32)
        self.email = np.array(email, dtype=np.int32)

    def house(self, vocab: Vocabularies) -> np.ndarray:
        """House-number code of each record's street line (-1 when unknown)."""
        lookup = np.array([*vocab.line_house, -1], dtype=np.int32)
        return lookup[self.line]  # code -1 picks the trailing -1


class _CachedCoder:
    """Raw strings to codes through a normalizing function, each distinct raw string normalized once."""

    def __init__(self, vocabulary: Vocabulary, normalize: Callable[[str], str]) -> None:
        self.vocabulary = vocabulary
        self.normalize = normalize
        self.cache: dict[str, int] = {}

    def __call__(self, raw: str) -> int:
        found = self.cache.get(raw)
        if found is None:
            found = self.cache[raw] = self.vocabulary.code(self.normalize(raw))
        return found


class _LineCoder:
    """Street lines to codes, noting each new line's house number."""

    def __init__(self, vocab: Vocabularies) -> None:
        self.vocab = vocab
        self.cache: dict[str, int] = {}

    def __call__(self, raw: str) -> int:
        found = self.cache.get(raw)
        if found is not None:
            return found
        text = " ".join(raw.upper().split())
        before = len(self.vocab.lines)
        code = self.vocab.lines.code(text)
        if code == before:
            number = text.split(" ", 1)[0]
            self.vocab.line_house.append(
                self.vocab.houses.code(number if any(c.isdigit() for c in number) else "")
            )
        self.cache[raw] = code
        return code


def _zip_codes() -> Callable[[str], int]:
    """Postal codes to ints (the first five digits); -1 when there are not five."""
    cache: dict[str, int] = {}

    def code(raw: str) -> int:
        found = cache.get(raw)
        if found is None:
            digits = _NON_DIGIT.sub("", raw)[:5]
            found = cache[raw] = int(digits) if len(digits) == 5 else -1
        return found

    return code


def _fold_unit(raw: str) -> str:
    text = " ".join(raw.upper().split())
    return _NON_ALNUM.sub("", _UNIT_WORDS.sub("", text))


def encode(
    left: Iterable[MatchRecord], right: Iterable[MatchRecord] | None = None
) -> tuple[Table, Table, Vocabularies]:
    """Both sides as tables over one vocabulary; the right side first, as it is usually the larger."""
    vocab = Vocabularies()
    if right is None:
        table = Table(left, vocab)
        return table, table, vocab
    right_table = Table(right, vocab)
    left_table = Table(left, vocab)
    return left_table, right_table, vocab
