"""Benchmark: match synthetic sign-ups to a synthetic voter file, ours against Splink and a naive rule.

    uv run --group bench python benchmarks/match.py                    # 1,000,000 voters, 100,000 sign-ups
    uv run --group bench python benchmarks/match.py --voters 100000 --signups 10000

The voters are households of a city like the demo city (names from grassroots.demo.names):
families share a last name, an address and often a landline; some have twins (same
birth date, different first names) or a father and son of one name. Sign-ups are
derived from them with the damage forms bring: nicknames, typos in names and streets,
swapped first and last names, missing birth dates, phones and e-mails, units left out;
15% have moved; 20% are not on the roll at all, a good share of those living with a
voter (relatives, twins). The truth is known.

Each method runs in a subprocess of its own that loads the data (as columns of plain
Python values), then resets the peak-memory counter (Linux) and runs: the peak printed
(VmHWM, or ru_maxrss off Linux) is the process's peak while the method ran, the loaded data included
(printed apart as "data loaded"). The clock covers building the method's input from the
columns, training and matching (not generating the data). Methods:

* ours   — grassroots.voters.matching.match, links only (decision "link");
* splink — Splink 4 on DuckDB: names (Jaro-Winkler, term frequencies, a nickname-family
  level from our table), birth date, the address as one comparison, phone, e-mail;
  blocking like ours; u by random sampling, m by EM; the best candidate of each sign-up
  by match_weight, linked at probability >= 0.99;
* naive  — the Interstate Crosscheck rule: same first name, last name and birth date.

Precision = correct links / links; recall = correct links / sign-ups that are on the
roll. The last lines are machine-readable:

    RESULT method=ours precision=... recall=... f1=... seconds=... peak_mb=...
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from grassroots.demo.names import AVENUE_NAMES, GROUPS, STREET_NAMES, Group  # noqa: E402
from grassroots.voters import nicknames  # noqa: E402

WORKER_TAG = "WORKER "
METHODS = ("ours", "splink", "naive")
# A row: id, first, middle, last, birth date, birth year, street line, unit, ZIP, phone, e-mail.
Row = tuple[str, str, str, str, date | None, int | None, str, str, str, str, str]
Columns = list[list[Any]]  # the same, one list per field, dates as ordinals


def current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as stream:
            return int(stream.read().split()[1]) * resource.getpagesize() / (1024 * 1024)
    except OSError:
        return peak_rss_mb()


def reset_peak_rss() -> None:
    """Start the peak over from the current size (Linux); elsewhere the peak keeps the loading."""
    try:
        with open("/proc/self/clear_refs", "w") as stream:
            stream.write("5")
    except OSError:
        pass


def peak_rss_mb() -> float:
    """Peak resident size of this process. On Linux VmHWM: ru_maxrss would also count the parent's
    size at the fork that started this worker (the kernel carries it over exec)."""
    try:
        with open("/proc/self/status") as stream:
            for line in stream:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# The synthetic city -------------------------------------------------------------------------


class City:
    """Addresses, phones and e-mails, each handed out once."""

    def __init__(self, rng: random.Random, zips: int = 60) -> None:
        self.rng = rng
        self.zips = [f"{11000 + 7 * i:05d}" for i in range(zips)]
        suffixes = ("ST", "ST", "ST", "AVE", "AVE", "PL", "RD", "DR", "BLVD", "TER")
        names = [n.upper() for n in (*AVENUE_NAMES, *STREET_NAMES)]
        self.streets = {
            z: [f"{rng.choice(names)} {rng.choice(suffixes)}" for _ in range(40)] for z in self.zips
        }
        self.used_doors: set[tuple[str, str]] = set()
        self.used_phones: set[str] = set()
        self.used_emails: dict[str, int] = {}
        self.building: tuple[str, str, list[str]] | None = None

    def new_house(self, zipcode: str | None = None) -> tuple[str, str, str]:
        rng = self.rng
        while True:
            z = zipcode or rng.choice(self.zips)
            line = f"{rng.randint(1, 3999)} {rng.choice(self.streets[z])}"
            if (line, z) not in self.used_doors:
                self.used_doors.add((line, z))
                return line, "", z

    def new_home(self) -> tuple[str, str, str]:
        """A household's door: a house, or a free unit of an apartment building."""
        rng = self.rng
        if rng.random() < 0.55:
            return self.new_house()
        if self.building is None or not self.building[2]:
            line, _, z = self.new_house()
            floors, per_floor = rng.randint(2, 12), rng.randint(2, 12)
            units = [f"APT {f}{chr(65 + u)}" for f in range(1, floors + 1) for u in range(per_floor)]
            rng.shuffle(units)
            self.building = (line, z, units)
        line, z, units = self.building
        return line, units.pop(), z

    def phone(self) -> str:
        while True:
            area = self.rng.choice(("718", "347", "929", "917", "646"))
            number = f"+1{area}{self.rng.randint(2000000, 9999999)}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def email(self, first: str, last: str) -> str:
        base = f"{nicknames.compact(first).lower()}.{nicknames.compact(last).lower()}"
        n = self.used_emails.get(base, 0) + 1
        self.used_emails[base] = n
        domain = ("example.org", "example.com", "example.net")[n % 3]
        return f"{base}{n if n > 1 else ''}@{domain}"


_GROUP_WEIGHTS = [g.weight for g in GROUPS]


def _name(rng: random.Random, group: Group, female: bool) -> str:
    return rng.choice(group.female if female else group.male)


def _surname(rng: random.Random, group: Group) -> str:
    name = rng.choice(group.surnames)
    if rng.random() < group.double_surname:
        name = f"{name} {rng.choice(group.surnames)}"
    return name


def _birth(rng: random.Random) -> date:
    return date(1930, 1, 1) + timedelta(days=rng.randint(0, 78 * 365))


def make_people(n_voters: int, rng: random.Random, city: City) -> tuple[list[dict[str, Any]], list[int]]:
    """Registered people, in households; returns the people and the household of each."""
    people: list[dict[str, Any]] = []
    household_of: list[int] = []
    household = 0
    sizes = (1, 2, 3, 4, 5, 6)
    size_weights = (28, 34, 15, 13, 6, 4)
    while len(people) < n_voters:
        group = rng.choices(GROUPS, weights=_GROUP_WEIGHTS)[0]
        size = rng.choices(sizes, weights=size_weights)[0]
        line, unit, z = city.new_home()
        landline = city.phone() if rng.random() < 0.3 else ""
        family_name = _surname(rng, group)
        members: list[dict[str, Any]] = []
        for k in range(size):
            female = rng.random() < 0.52
            person: dict[str, Any] = {
                "first": _name(rng, group, female),
                "middle": _name(rng, group, female) if rng.random() < group.middle_name else "",
                "last": family_name if rng.random() < 0.85 else _surname(rng, group),
                "birth": _birth(rng),
                "line": line,
                "unit": unit,
                "zip": z,
                "landline": landline,
                "group": group,
                "female": female,
            }
            if k == 1 and rng.random() < 0.03:  # twins
                person["birth"] = members[0]["birth"]
                person["last"] = members[0]["last"]
                while person["first"] == members[0]["first"]:
                    person["first"] = _name(rng, group, female)
            elif k == 1 and rng.random() < 0.02 and not members[0]["female"]:  # father and son, one name
                person.update(first=members[0]["first"], last=members[0]["last"], female=False)
                person["birth"] = members[0]["birth"] + timedelta(days=rng.randint(20 * 365, 35 * 365))
            else:  # otherwise no two people of a household share a first name
                while any(m["first"] == person["first"] for m in members):
                    person["first"] = _name(rng, group, female)
            person["cell"] = city.phone() if rng.random() < 0.7 else ""
            person["email"] = city.email(person["first"], person["last"]) if rng.random() < 0.9 else ""
            members.append(person)
        people.extend(members)
        household_of.extend([household] * len(members))
        household += 1
    return people[:n_voters], household_of[:n_voters]


def _voter_row(index: int, p: dict[str, Any], rng: random.Random) -> Row:
    """The voter file's row: upper case, no accents, phone sometimes, e-mail seldom."""
    phone = ""
    if rng.random() < 0.45:
        phone = p["cell"] or p["landline"]
    email = p["email"] if rng.random() < 0.15 else ""
    birth = p["birth"]
    return (
        f"V{index}",
        nicknames.fold(p["first"]),
        nicknames.fold(p["middle"]),
        nicknames.fold(p["last"]),
        birth,
        birth.year,
        p["line"],
        p["unit"],
        p["zip"],
        phone,
        email,
    )


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randint(1, len(text) - 1)
    kind = rng.randint(0, 3)
    if kind == 0:
        return text[:i] + rng.choice(_LETTERS) + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + rng.choice(_LETTERS) + text[i:]
    if i < len(text) - 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice(_LETTERS)


def nickname(rng: random.Random, name: str) -> str | None:
    families = nicknames.families_of(name)
    if not families:
        return None
    family = nicknames.FAMILIES[rng.choice(sorted(families))]
    options = [n for n in family if n != nicknames.compact(name)]
    return rng.choice(options).title() if options else None


def _typed(rng: random.Random, text: str) -> str:
    """How a person types a name into a form."""
    roll = rng.random()
    if roll < 0.25:
        return text.lower()
    if roll < 0.5:
        return nicknames.fold(text).title()
    return text


def signup_row(ident: str, p: dict[str, Any], rng: random.Random, city: City, moved: bool) -> Row:
    first, last, middle = p["first"], p["last"], p["middle"]
    roll = rng.random()
    if roll < 0.12:
        first = nickname(rng, first) or first
    elif roll < 0.16:
        first = typo(rng, first)
    elif roll < 0.18 and middle:
        first, middle = middle, ""
    roll = rng.random()
    if roll < 0.04:
        last = typo(rng, last)
    elif roll < 0.07 and " " in last:
        last = rng.choice(last.split(" "))
    elif roll < 0.085 and p["female"]:
        last = _surname(rng, p["group"])  # married, new name
    if rng.random() < 0.01:
        first, last = last, first
    middle = middle if rng.random() < 0.2 else ""
    birth: date | None = p["birth"] if rng.random() < 0.6 else None
    if birth is not None and rng.random() < 0.03:
        if rng.random() < 0.5 and birth.day <= 12 and birth.day != birth.month:
            birth = date(birth.year, birth.day, birth.month)
        else:
            birth = birth + timedelta(days=rng.choice((-1, 1, 10, -10, 365, -365)))
    line, unit, z, landline = p["line"], p["unit"], p["zip"], p["landline"]
    if moved:
        line, unit, z = city.new_home() if rng.random() < 0.7 else city.new_house(z)
        landline = ""
    roll = rng.random()
    if roll < 0.05:
        number, _, street = line.partition(" ")
        line = f"{number} {typo(rng, street)}".upper()
    elif roll < 0.13:
        line, unit = "", ""
    elif roll < 0.16:
        line, unit, z = "", "", ""
    if unit and rng.random() < 0.25:
        unit = ""
    phone = ""
    if rng.random() < 0.75:
        phone = p["cell"] or landline
    email = p["email"] if rng.random() < 0.85 else ""
    if email and rng.random() < 0.02:
        email = typo(rng, email)
    return (
        ident,
        _typed(rng, first),
        _typed(rng, middle),
        _typed(rng, last),
        birth,
        None,
        line,
        unit,
        z,
        phone,
        email,
    )


def generate(n_voters: int, n_signups: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    city = City(rng)
    people, household_of = make_people(n_voters, rng, city)
    voters = [_voter_row(i, p, rng) for i, p in enumerate(people)]
    household_names: dict[int, list[str]] = {}
    for person, household in zip(people, household_of, strict=True):
        household_names.setdefault(household, []).append(person["first"])
    on_roll = int(n_signups * 0.8)
    chosen = rng.sample(range(n_voters), on_roll)
    signups: list[Row] = []
    truth: dict[str, str | None] = {}
    kinds: dict[str, int] = {"on roll": 0, "moved": 0, "relative": 0, "twin": 0, "stranger": 0}
    for index in chosen:
        ident = f"S{len(signups)}"
        moved = rng.random() < 0.15
        signups.append(signup_row(ident, people[index], rng, city, moved))
        truth[ident] = f"V{index}"
        kinds["moved" if moved else "on roll"] += 1
    while len(signups) < n_signups:
        ident = f"S{len(signups)}"
        roll = rng.random()
        if roll < 0.4:  # lives with a voter, is not registered
            host_index = rng.randrange(n_voters)
            host = people[host_index]
            taken = set(household_names[household_of[host_index]])
            group = host["group"]
            female = rng.random() < 0.52
            first = _name(rng, group, female)
            while first in taken:
                first = _name(rng, group, female)
            twin = rng.random() < 0.15
            person = dict(
                host,
                first=first,
                middle="",
                female=female,
                last=host["last"] if twin or rng.random() < 0.8 else _surname(rng, group),
                birth=host["birth"] if twin else _birth(rng),
                cell=city.phone() if rng.random() < 0.7 else "",
            )
            person["email"] = city.email(person["first"], person["last"])
            kinds["twin" if twin else "relative"] += 1
        else:
            group = rng.choices(GROUPS, weights=_GROUP_WEIGHTS)[0]
            female = rng.random() < 0.52
            line, unit, z = city.new_home()
            person = {
                "first": _name(rng, group, female),
                "middle": "",
                "last": _surname(rng, group),
                "birth": _birth(rng),
                "line": line,
                "unit": unit,
                "zip": z,
                "landline": "",
                "group": group,
                "female": female,
                "cell": city.phone(),
            }
            person["email"] = city.email(person["first"], person["last"])
            kinds["stranger"] += 1
        signups.append(signup_row(ident, person, rng, city, moved=False))
        truth[ident] = None
    rng.shuffle(signups)
    return {"voters": voters, "signups": signups, "truth": truth, "kinds": kinds}


# Methods ----------------------------------------------------------------------------------------


def rows(columns: list[list[Any]]) -> Iterator[Row]:
    """The rows of columnar data, one at a time (dates are stored as ordinals, -1 for none)."""
    for row in zip(*columns, strict=True):
        ordinal = row[4]
        yield (*row[:4], date.fromordinal(ordinal) if ordinal > 0 else None, *row[5:])


def match_records(columns: Columns) -> Iterator[Any]:
    """Our MatchRecords, made one at a time from the columns."""
    from grassroots.voters.matching import MatchRecord

    for ident, first, middle, last, birth, year, line, unit, z, phone, email in rows(columns):
        yield MatchRecord(
            id=ident,
            first_name=first,
            middle_name=middle,
            last_name=last,
            birth_date=birth,
            birth_year=year,
            address_line=line,
            unit=unit,
            postal_code=z,
            phone=phone,
            email=email,
        )


def run_ours(voters: Columns, signups: Columns) -> tuple[dict[str, str], dict[str, Any]]:
    from grassroots.voters.matching import Matcher

    matcher = Matcher()
    results = matcher.match(match_records(signups), match_records(voters))
    links = {r.left_id: r.right_id for r in results if r.decision == "link"}
    reviews = {r.left_id: r.right_id for r in results if r.decision == "review"}
    stats = matcher.stats
    return links, {
        "review": reviews,
        "timings": stats.timings,
        "comparisons": stats.comparisons,
        "training_pairs": stats.training_pairs,
        "prior_weight": round(stats.prior_weight, 2),
    }


def _frame(columns: Columns) -> Any:
    import jellyfish
    import pandas as pd

    def canon(name: str) -> str:
        formal = nicknames.formal_names(name)
        return formal[0] if formal else jellyfish.metaphone(name) or name

    fold = nicknames.fold
    data: dict[str, list[Any]] = {k: [] for k in ("unique_id", "first_name", "last_name", "birth_date")}
    for key in ("birth_year", "address_line", "unit", "zip", "house", "phone", "email"):
        data[key] = []
    for key in ("first_canon", "first_meta", "last_meta"):
        data[key] = []
    cache: dict[str, tuple[str, str, str]] = {}
    for ident, first, _middle, last, birth, year, line, unit, z, phone, email in rows(columns):
        f, la = fold(first) or None, fold(last) or None
        data["unique_id"].append(ident)
        data["first_name"].append(f)
        data["last_name"].append(la)
        data["birth_date"].append(birth)
        data["birth_year"].append(birth.year if birth else year)
        data["address_line"].append(line or None)
        data["unit"].append(unit or None)
        data["zip"].append(z or None)
        data["house"].append(line.split(" ", 1)[0] if line else None)
        data["phone"].append(phone or None)
        data["email"].append(email.lower() or None)
        for name, target in ((f, "first"), (la, "last")):
            if name is None:
                keys: tuple[str, str, str] = ("", "", "")
            else:
                keys = cache.get(name) or (canon(name), jellyfish.metaphone(name.replace(" ", "")), "")
                cache[name] = keys
            if target == "first":
                data["first_canon"].append(keys[0] or None)
                data["first_meta"].append(keys[1] or None)
            else:
                data["last_meta"].append(keys[1] or None)
    frame = pd.DataFrame(data)
    frame["birth_date"] = pd.to_datetime(frame["birth_date"])
    frame["birth_year"] = frame["birth_year"].astype("Int64")
    return frame


def run_splink(voters: Columns, signups: Columns) -> tuple[dict[str, str], dict[str, Any]]:
    import logging

    import duckdb
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    from splink.blocking_rule_library import CustomRule

    logging.getLogger("splink").setLevel(logging.WARNING)
    left, right = _frame(signups), _frame(voters)
    first = cl.CustomComparison(
        output_column_name="first_name",
        comparison_levels=[
            cll.NullLevel("first_name"),
            cll.ExactMatchLevel("first_name").configure(tf_adjustment_column="first_name"),
            cll.ExactMatchLevel("first_canon").configure(label_for_charts="Same nickname family"),
            cll.JaroWinklerLevel("first_name", 0.92),
            cll.JaroWinklerLevel("first_name", 0.85),
            cll.ElseLevel(),
        ],
    )
    address = cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.CustomLevel(
                "(address_line_l IS NULL AND zip_l IS NULL) OR (address_line_r IS NULL AND zip_r IS NULL)"
            ).configure(is_null_level=True),
            cll.CustomLevel(
                "address_line_l = address_line_r AND zip_l = zip_r "
                "AND coalesce(unit_l, '') = coalesce(unit_r, '')",
                "Exact address",
            ),
            cll.CustomLevel("address_line_l = address_line_r AND zip_l = zip_r", "Same building"),
            cll.CustomLevel(
                "zip_l = zip_r AND jaro_winkler_similarity(address_line_l, address_line_r) >= 0.9",
                "Same ZIP, similar street",
            ),
            cll.CustomLevel("zip_l = zip_r", "Same ZIP"),
            cll.ElseLevel(),
        ],
    )
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=[
            first,
            cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
            address,
            cl.ExactMatch("phone"),
            cl.ExactMatch("email"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_canon", "last_meta"),
            CustomRule("l.first_meta = r.last_meta AND l.last_meta = r.first_meta"),  # swapped names
            block_on("last_meta", "birth_year"),
            block_on("first_canon", "birth_date"),
            block_on("phone"),
            block_on("email"),
            block_on("zip", "house"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    connection = duckdb.connect()
    linker = Linker([left, right], settings, DuckDBAPI(connection=connection), input_table_aliases=["l", "r"])
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "birth_date")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("zip", "house"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    # The best candidate of each sign-up by match_weight (probabilities saturate at 1.0).
    window = "PARTITION BY unique_id_l ORDER BY match_weight DESC, unique_id_r"
    table = predictions.physical_name  # Splink's own table: no outside text reaches the SQL
    ranked = f"SELECT *, row_number() OVER ({window}) AS rank FROM {table}"  # noqa: S608
    best = connection.sql(
        f"SELECT unique_id_l, unique_id_r, match_probability FROM ({ranked}) WHERE rank = 1"  # noqa: S608
    ).fetchall()
    links = {str(a): str(b) for a, b, p in best if p >= 0.99}
    reviews = {str(a): str(b) for a, b, p in best if p < 0.99}
    return links, {"review": reviews}


def run_naive(voters: Columns, signups: Columns) -> tuple[dict[str, str], dict[str, Any]]:
    fold = nicknames.fold
    index: dict[tuple[str, str, date], str] = {}
    for ident, first, _m, last, birth, *_ in rows(voters):
        if birth is not None:
            index.setdefault((fold(first), fold(last), birth), ident)
    links = {}
    for ident, first, _m, last, birth, *_ in rows(signups):
        if birth is not None:
            found = index.get((fold(first), fold(last), birth))
            if found:
                links[ident] = found
    return links, {"review": {}}


RUNNERS = {"ours": run_ours, "splink": run_splink, "naive": run_naive}


def score(links: dict[str, str], truth: dict[str, str | None]) -> dict[str, float]:
    correct = sum(1 for left, right in links.items() if truth.get(left) == right)
    on_roll = sum(1 for right in truth.values() if right is not None)
    precision = correct / len(links) if links else 0.0
    recall = correct / on_roll if on_roll else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"links": len(links), "correct": correct, "precision": precision, "recall": recall, "f1": f1}


def _columns(rows: list[Row]) -> list[list[Any]]:
    """Rows as columns, dates as ordinals: several times smaller than tuples once unpickled."""
    columns: list[list[Any]] = [list(column) for column in zip(*rows, strict=True)]
    columns[4] = [d.toordinal() if d else -1 for d in columns[4]]
    return columns


def work(method: str, data_path: str) -> dict[str, Any]:
    with open(data_path, "rb") as stream:
        data = pickle.load(stream)  # noqa: S301 - our own file, written by the parent process
    gc.collect()
    reset_peak_rss()  # the peak of unpickling is the harness's, not the method's
    before = current_rss_mb()
    started = time.perf_counter()
    links, extra = RUNNERS[method](data["voters"], data["signups"])
    seconds = time.perf_counter() - started
    truth = data["truth"]
    result: dict[str, Any] = {
        "method": method,
        "seconds": seconds,
        "peak_mb": peak_rss_mb(),
        "rss_data_mb": before,
    }
    result.update(score(links, truth))
    reviews = extra.pop("review")
    result["review"] = len(reviews)
    result["review_correct"] = sum(1 for left, right in reviews.items() if truth.get(left) == right)
    # False links by the kind of sign-up (not on the roll, or linked to the wrong voter).
    result["false_links_not_on_roll"] = sum(1 for left in links if truth.get(left) is None)
    result["false_links_wrong_voter"] = sum(
        1 for left, r in links.items() if truth.get(left) not in (None, r)
    )
    result.update(extra)
    return result


# The driver --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--signups", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--methods", default=",".join(METHODS), help="comma-separated, of: " + ", ".join(METHODS)
    )
    parser.add_argument("--timeout", type=int, default=900, help="seconds each method may take")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(WORKER_TAG + json.dumps(work(args.worker, args.data)), flush=True)
        return

    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    started = time.perf_counter()
    data = generate(args.voters, args.signups, args.seed)
    print(
        f"generated {len(data['voters']):,} voters and {len(data['signups']):,} sign-ups "
        f"in {time.perf_counter() - started:.1f} s; sign-ups: "
        + ", ".join(f"{k} {v:,}" for k, v in data["kinds"].items()),
        flush=True,
    )
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="grassroots-match-") as folder:
        data_path = str(Path(folder) / "data.pickle")
        data["voters"], data["signups"] = _columns(data["voters"]), _columns(data["signups"])
        with open(data_path, "wb") as stream:
            pickle.dump(data, stream, protocol=pickle.HIGHEST_PROTOCOL)
        del data
        for method in methods:
            command = [sys.executable, __file__, "--worker", method, "--data", data_path]
            try:
                done = subprocess.run(
                    command, capture_output=True, text=True, timeout=args.timeout, check=False
                )
            except subprocess.TimeoutExpired:
                print(f"{method}: gave up after {args.timeout} s", flush=True)
                continue
            lines = [line for line in done.stdout.splitlines() if line.startswith(WORKER_TAG)]
            if done.returncode != 0 or not lines:
                print(f"{method}: failed (exit {done.returncode})\n{done.stderr[-3000:]}", flush=True)
                continue
            results[method] = json.loads(lines[-1][len(WORKER_TAG) :])
            r = results[method]
            print(
                f"{method:>7}: precision {r['precision']:.4f}  recall {r['recall']:.4f}  f1 {r['f1']:.4f}  "
                f"{r['seconds']:7.1f} s  peak {r['peak_mb']:6.0f} MB "
                f"(data loaded: {r['rss_data_mb']:.0f} MB)  "
                f"links {r['links']:,}  false links: not on roll {r['false_links_not_on_roll']:,}, "
                f"wrong voter {r['false_links_wrong_voter']:,}  review {r['review']:,} "
                f"({r['review_correct']:,} right)"
                + (f"  comparisons {r['comparisons']:,}  timings {r['timings']}" if "timings" in r else ""),
                flush=True,
            )
    print()
    header = f"{'':>8}" + "".join(f"{m:>12}" for m in results)
    print(header)
    for key, fmt in (
        ("precision", "{:.4f}"),
        ("recall", "{:.4f}"),
        ("f1", "{:.4f}"),
        ("seconds", "{:.1f}"),
        ("peak_mb", "{:.0f}"),
        ("links", "{:,}"),
        ("review", "{:,}"),
    ):
        print(f"{key:>8}" + "".join(f"{fmt.format(r[key]):>12}" for r in results.values()))
    print()
    for method, r in results.items():
        print(
            f"RESULT method={method} precision={r['precision']:.4f} recall={r['recall']:.4f} "
            f"f1={r['f1']:.4f} seconds={r['seconds']:.1f} peak_mb={r['peak_mb']:.0f}"
        )


if __name__ == "__main__":
    main()
