"""The matching engine: people to voter records and to each other, without false matches.

No database: records are built in memory. Most tests match a few sign-ups against a
small synthetic voter file (``VOTERS``) that gives the model realistic frequencies
of names, birth dates and addresses to learn from.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from grassroots.demo.names import GROUPS
from grassroots.voters import nicknames
from grassroots.voters.matching import (
    FIELDS,
    MatchConfig,
    Matcher,
    MatchModel,
    MatchRecord,
    MatchResult,
    dedupe,
    match,
)


def make_voters(n: int, seed: int = 1) -> list[MatchRecord]:
    """A deterministic voter file of households: families share a last name, an address and a phone."""
    rng = random.Random(seed)
    zips = ["11368", "11369", "11372", "11373"]
    streets = ["ELM AVE", "OAK ST", "MAPLE ST", "CEDAR PL", "BIRCH RD", "WILLOW AVE"]
    voters: list[MatchRecord] = []
    while len(voters) < n:
        group = rng.choice(GROUPS)
        line = f"{rng.randint(1, 999)} {rng.choice(streets)}"
        postal_code = rng.choice(zips)
        landline = f"+1718{rng.randint(2000000, 9999999)}" if rng.random() < 0.4 else ""
        last = rng.choice(group.surnames)
        used: set[str] = set()
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            first = rng.choice(group.female + group.male)
            if first in used:
                continue
            used.add(first)
            voters.append(
                MatchRecord(
                    id=f"V{len(voters)}",
                    first_name=nicknames.fold(first),
                    last_name=nicknames.fold(last),
                    birth_date=date(1940, 1, 1) + timedelta(days=rng.randint(0, 60 * 365)),
                    address_line=line,
                    postal_code=postal_code,
                    phone=landline,
                )
            )
    return voters[:n]


VOTERS = make_voters(3000)


def voter(id: str, first: str, last: str, **fields: object) -> MatchRecord:
    return MatchRecord(id=id, first_name=first, last_name=last, **fields)  # type: ignore[arg-type]


def match_one(signup: MatchRecord, *extra_voters: MatchRecord, **options: object) -> MatchResult | None:
    """The result for one sign-up matched against the background voters plus extra_voters."""
    results = match([signup], [*VOTERS, *extra_voters], **options)  # type: ignore[arg-type]
    assert len(results) <= 1
    return results[0] if results else None


BILL_SMITH_HOME = {"birth_date": date(1980, 5, 1), "address_line": "123 ELM AVE", "postal_code": "11368"}


# Nicknames ---------------------------------------------------------------------------------


def test_nicknames_are_one_name_family() -> None:
    assert nicknames.same_name_family("Bill", "William")
    assert nicknames.same_name_family("Liam", "WILLIAM")
    assert nicknames.same_name_family("Peggy", "Margaret")
    assert nicknames.same_name_family("Paco", "Francisco")
    assert nicknames.same_name_family("Pancho", "francisco")
    assert nicknames.same_name_family("Lupe", "Guadalupe")
    assert nicknames.same_name_family("Chuy", "Jesús")
    assert nicknames.same_name_family("Pepe", "JOSE")


def test_nickname_lookups_ignore_accents_and_case() -> None:
    assert nicknames.same_name_family("José", "jose")
    assert nicknames.same_name_family("JESUS", "chuy")
    assert nicknames.fold("  María-José  ") == "MARIA JOSE"


def test_two_formal_names_sharing_a_short_form_are_not_one_name() -> None:
    assert nicknames.same_name_family("Beto", "Alberto")
    assert nicknames.same_name_family("Beto", "Roberto")
    assert not nicknames.same_name_family("Alberto", "Roberto")
    assert not nicknames.same_name_family("Don", "Donna")


def test_the_table_has_a_few_hundred_pairs() -> None:
    assert nicknames.pair_count() > 500


# Linking ---------------------------------------------------------------------------------


def test_a_nickname_links_bill_smith_to_william_smith() -> None:
    result = match_one(
        voter("S1", "Bill", "Smith", **BILL_SMITH_HOME),
        voter("V-WILLIAM", "WILLIAM", "SMITH", **BILL_SMITH_HOME),
    )
    assert result is not None
    assert result.right_id == "V-WILLIAM"
    assert result.decision == "link"
    assert result.probability > 0.99
    assert any(line.startswith("first name: nickname (Bill ≈ WILLIAM) +") for line in result.explanation)


def test_swapped_first_and_last_names_link() -> None:
    result = match_one(
        voter("S1", "Okonkwo", "Chiamaka", birth_date=date(1991, 3, 9), phone="+13475550142"),
        voter("V-CHIAMAKA", "CHIAMAKA", "OKONKWO", birth_date=date(1991, 3, 9), phone="+13475550142"),
    )
    assert result is not None
    assert result.right_id == "V-CHIAMAKA"
    assert result.decision == "link"
    assert result.explanation[0].startswith("first name: first and last names swapped")


def test_a_moved_voter_with_the_same_name_birth_date_and_phone_links() -> None:
    # It links: a birth date and a phone number that agree along with the name are out of
    # reach of chance for two different people, while a new address is what a fair share
    # of true matches show (people move), so the address counts only a little against it.
    home = {"birth_date": date(1975, 7, 9), "phone": "+17185550199"}
    result = match_one(
        voter("S1", "Maria", "Quispe", address_line="77 CEDAR PL", postal_code="11372", **home),
        voter("V-MARIA", "MARIA", "QUISPE", address_line="9 PINE PL", postal_code="11369", **home),
    )
    assert result is not None
    assert result.right_id == "V-MARIA"
    assert result.decision == "link"
    address = next(line for line in result.explanation if line.startswith("address:"))
    assert address.startswith("address: different -")


def test_twins_at_one_address_do_not_link_to_each_other() -> None:
    home = {
        "birth_date": date(1990, 2, 3),
        "address_line": "45 OAK ST",
        "unit": "APT 3",
        "postal_code": "11368",
    }
    john = voter("V-JOHN", "JOHN", "GARCIA", phone="+17185550123", **home)
    # James is not on the roll; his twin John is, with the same birth date, address and landline.
    result = match_one(voter("S-JAMES", "James", "Garcia", phone="+17185550123", **home), john)
    assert result is not None
    assert result.decision != "link"
    assert any("first name: different (James ≠ JOHN)" in line for line in result.explanation)


def test_of_twins_on_the_roll_each_links_to_their_own_record() -> None:
    home = {
        "birth_date": date(1990, 2, 3),
        "address_line": "45 OAK ST",
        "unit": "APT 3",
        "postal_code": "11368",
    }
    twins = [voter("V-JOHN", "JOHN", "GARCIA", **home), voter("V-JAMES", "JAMES", "GARCIA", **home)]
    results = match([voter("S-JOHN", "John", "Garcia", **home)], [*VOTERS, *twins])
    assert [(r.right_id, r.decision) for r in results] == [("V-JOHN", "link")]


def test_a_common_name_with_nothing_else_in_common_does_not_link() -> None:
    namesakes = [
        voter(f"V-JR{i}", "JOSE", "RODRIGUEZ", birth_date=date(1950 + i, 1 + i, 10), postal_code="11373")
        for i in range(5)
    ]
    signup = voter(
        "S1",
        "José",
        "Rodríguez",
        birth_date=date(1999, 12, 24),
        address_line="5 BIRCH RD",
        postal_code="11369",
    )
    result = match_one(signup, *namesakes)
    assert result is None or result.decision == "no"


def test_a_grey_zone_pair_goes_to_review() -> None:
    # A rare full name at the right ZIP code, with no street, birth date or phone to confirm it:
    # likely the same person, not beyond doubt.
    result = match_one(
        voter("S1", "Yokasta", "Liranzo", postal_code="11368"),
        voter(
            "V-YOKASTA",
            "YOKASTA",
            "LIRANZO",
            birth_date=date(1985, 4, 2),
            address_line="8 MAPLE ST",
            postal_code="11368",
        ),
    )
    assert result is not None
    assert result.right_id == "V-YOKASTA"
    assert result.decision == "review"
    assert 0.5 <= result.probability < 0.99


def test_two_equally_good_candidates_go_to_review_never_link() -> None:
    # The sign-up has no birth date and the roll holds a father and son of one name at one address.
    home = {"address_line": "12 WILLOW AVE", "postal_code": "11372"}
    father = voter("V-SR", "PEDRO", "ALMONTE", birth_date=date(1950, 1, 1), **home)
    son = voter("V-JR", "PEDRO", "ALMONTE", birth_date=date(1980, 1, 1), **home)
    result = match_one(voter("S1", "Pedro", "Almonte", **home), father, son)
    assert result is not None
    assert result.decision == "review"
    assert any("almost as likely" in line for line in result.explanation)


def test_a_sign_up_whose_records_are_all_far_off_is_not_linked() -> None:
    results = match([voter("S1", "Zebulon", "Quackenbush", postal_code="99999")], VOTERS)
    assert all(r.decision == "no" for r in results)


# Explanations ---------------------------------------------------------------------------------


def test_the_explanation_names_each_field_with_its_weight() -> None:
    result = match_one(
        voter("S1", "Bill", "Smith", unit="APT 2", **BILL_SMITH_HOME),
        voter("V-WILLIAM", "WILLIAM", "SMITH", unit="APT 4", **BILL_SMITH_HOME),
    )
    assert result is not None
    labels = [line.split(":", 1)[0] for line in result.explanation]
    for f in FIELDS:
        assert f.label in labels
    address = next(line for line in result.explanation if line.startswith("address:"))
    assert address.startswith("address: same building, different unit ")
    birth = next(line for line in result.explanation if line.startswith("birth date:"))
    assert birth.startswith("birth date: exact +")
    assert any(line.startswith("before the evidence:") for line in result.explanation)


def test_weights_and_probability_agree() -> None:
    result = match_one(
        voter("S1", "Bill", "Smith", **BILL_SMITH_HOME),
        voter("V-WILLIAM", "WILLIAM", "SMITH", **BILL_SMITH_HOME),
    )
    assert result is not None
    assert result.weight > 6.64  # log2(0.99 / 0.01)
    assert result.probability == pytest.approx(1 / (1 + 2**-result.weight), rel=1e-3)


# Blocking and scale ------------------------------------------------------------------------------


def test_blocking_never_compares_all_pairs() -> None:
    signups = [
        voter(
            f"S{i}",
            v.first_name.title(),
            v.last_name.title(),
            birth_date=v.birth_date,
            postal_code=v.postal_code,
        )
        for i, v in enumerate(VOTERS[:300])
    ]
    matcher = Matcher()
    results = matcher.match(signups, VOTERS)
    all_pairs = len(signups) * len(VOTERS)
    assert 0 < matcher.stats.comparisons < all_pairs / 50
    assert set(matcher.stats.pairs_by_rule) == set(MatchConfig().rules)
    # and the pairs that matter are among them
    found = {r.left_id: r.right_id for r in results if r.decision == "link"}
    assert sum(found.get(f"S{i}") == v.id for i, v in enumerate(VOTERS[:300])) >= 280


def test_an_unknown_blocking_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown blocking rule"):
        match(VOTERS[:2], VOTERS[:2], config=MatchConfig(rules=("names", "shoe_size")))


def test_results_are_deterministic_whatever_the_order_of_the_input() -> None:
    signups = [
        voter(f"S{i}", v.first_name, v.last_name, address_line=v.address_line, postal_code=v.postal_code)
        for i, v in enumerate(VOTERS[:200:3])
    ]

    def run(left: list[MatchRecord], right: list[MatchRecord]) -> list[tuple[str, str, float, str]]:
        return sorted((r.left_id, r.right_id, r.weight, r.decision) for r in match(left, right))

    first = run(signups, VOTERS)
    assert run(signups, VOTERS) == first
    shuffled = VOTERS[:]
    random.Random(5).shuffle(shuffled)
    again = run(list(reversed(signups)), shuffled)
    assert [(a, b, d) for a, b, _, d in again] == [(a, b, d) for a, b, _, d in first]
    assert [w for *_, w, _ in again] == pytest.approx([w for *_, w, _ in first], abs=0.05)


def test_a_trained_model_can_be_kept_and_reused() -> None:
    signup = voter("S1", "Bill", "Smith", **BILL_SMITH_HOME)
    william = voter("V-WILLIAM", "WILLIAM", "SMITH", **BILL_SMITH_HOME)
    matcher = Matcher()
    trained = matcher.match([signup], [*VOTERS, william])
    model = MatchModel.from_dict(matcher.stats.model.to_dict())  # type: ignore[union-attr]
    again = Matcher(model=model).match([signup], [*VOTERS, william])
    assert [(r.right_id, r.decision) for r in again] == [(r.right_id, r.decision) for r in trained]


def test_a_few_candidates_fetched_from_the_database_are_judged_against_the_whole_file() -> None:
    # Matching against only the candidates a query found would make any of them look likely;
    # population says how many people they were drawn from.
    signup = voter("S1", "Jose", "Rodriguez", postal_code="11368")
    candidates = [voter("V1", "JOSE", "RODRIGUEZ", birth_date=date(1970, 1, 1), postal_code="11368")]
    model = MatchModel.from_priors()
    alone = match([signup], candidates, model=model, population=1)
    in_city = match([signup], candidates, model=model, population=2_000_000)
    assert in_city[0].probability < alone[0].probability
    assert in_city[0].decision != "link"


def test_empty_inputs_give_no_results() -> None:
    assert match([], VOTERS[:10]) == []
    assert match(VOTERS[:10], []) == []
    assert dedupe([]) == []


# Dedupe ---------------------------------------------------------------------------------


def test_dedupe_finds_one_person_entered_twice_but_not_twins() -> None:
    home = {"address_line": "45 OAK ST", "postal_code": "11368"}
    people = [
        *VOTERS[:1500],
        # One man who signed two forms: a nickname on one, his address left out of the other.
        voter(
            "P-ROBERT", "Robert", "Kowalski", birth_date=date(1966, 8, 1), email="rk66@example.org", **home
        ),
        voter(
            "P-BOB",
            "Bob",
            "Kowalski",
            birth_date=date(1966, 8, 1),
            email="RK66@example.org",
            phone="+19175550100",
        ),
        voter("P-ANNA", "Anna", "Nowak", birth_date=date(2001, 6, 6), **home),
        voter("P-EWA", "Ewa", "Nowak", birth_date=date(2001, 6, 6), **home),
    ]
    results = dedupe(people)
    pairs = {frozenset((r.left_id, r.right_id)): r.decision for r in results}
    assert pairs.get(frozenset(("P-ROBERT", "P-BOB"))) == "link"
    assert pairs.get(frozenset(("P-ANNA", "P-EWA")), "no") != "link"
