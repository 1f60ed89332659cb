"""Small, valid voter files in each state's layout: for tests, the demo and the benchmarks.

Each writer takes plain dicts with friendly keys and fills every other column with a
plausible value. The keys understood (all optional):

    voter_id, first_name, last_name, middle_name, suffix, birth_date (date or text),
    birth_year, gender, race, ethnicity, status, status_reason, party, registration_date
    (date or text), street_line, unit, city, state, zip, county, precinct, precinct_name,
    phone, email, congressional, state_senate, state_house

plus, per layout, any of its own column names (e.g. "precinct_desc" for North Carolina,
"Precinct Group" for Florida), which are written as given: that is how a test writes a
broken value. Streams are text streams opened with ``newline=""``.

``synthetic_nc_rows`` makes any number of realistic North Carolina voters, always the same
for one seed.
"""

from __future__ import annotations

import bisect
import csv
import itertools
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, TextIO

from grassroots.voters.layouts import fl, nc, ny, oh

Row = Mapping[str, Any]
# Ages are reckoned at the end of this year, so that files do not change with the calendar.
REFERENCE_YEAR = 2025


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _mdy(value: Any) -> str:
    if isinstance(value, date):
        return f"{value.month:02d}/{value.day:02d}/{value.year}"
    return str(value or "")


def _ymd(value: Any, sep: str = "") -> str:
    if isinstance(value, date):
        return f"{value.year}{sep}{value.month:02d}{sep}{value.day:02d}"
    return str(value or "")


def _year(row: Row) -> str:
    if row.get("birth_year"):
        return str(row["birth_year"])
    born = row.get("birth_date")
    if isinstance(born, date):
        return str(born.year)
    return ""


def _override(values: list[str], row: Row, positions: Mapping[str, int]) -> None:
    for key, value in row.items():
        at = positions.get(key)
        if at is not None:
            values[at] = "" if value is None else str(value)


# --- North Carolina ----------------------------------------------------------------------

_NC_AT = {name: i for i, name in enumerate(nc.COLUMNS)}
_NC_HISTORY_AT = {name: i for i, name in enumerate(nc.HISTORY_COLUMNS)}
_NC_REASONS = {
    "A": ("AV", "VERIFIED"),
    "I": ("IN", "CONFIRMATION NOT RETURNED"),
    "R": ("RL", "MOVED FROM COUNTY"),
    "D": ("DI", "UNAVAILABLE ESSENTIAL INFORMATION"),
    "S": ("SM", "MILITARY"),
}
_NC_TEMPLATE = dict.fromkeys(nc.COLUMNS, "") | {
    "county_id": "92",
    "county_desc": "WAKE",
    "status_cd": "A",
    "voter_status_desc": "ACTIVE",
    "reason_cd": "AV",
    "voter_status_reason_desc": "VERIFIED",
    "res_city_desc": "RALEIGH",
    "state_cd": "NC",
    "zip_code": "27601",
    "confidential_ind": "N",
    "race_code": "U",
    "ethnic_code": "UN",
    "party_cd": "UNA",
    "gender_code": "U",
    "birth_state": "NC",
    "drivers_lic": "Y",
    "precinct_abbrv": "01-01",
    "precinct_desc": "PRECINCT 01-01",
    "municipality_abbrv": "RAL",
    "municipality_desc": "RALEIGH",
    "cong_dist_abbrv": "2",
    "super_court_abbrv": "10A",
    "judic_dist_abbrv": "10",
    "nc_senate_abbrv": "16",
    "nc_house_abbrv": "34",
    "county_commiss_abbrv": "1",
    "county_commiss_desc": "COMMISSIONER DISTRICT 1",
    "school_dist_abbrv": "1",
    "school_dist_desc": "SCHOOL DISTRICT 1",
    "dist_1_abbrv": "10",
    "dist_1_desc": "PROSECUTORIAL DISTRICT 10",
    "vtd_abbrv": "01-01",
    "vtd_desc": "01-01",
}
_NC_DEFAULTS = list(_NC_TEMPLATE.values())


def nc_values(row: Row, number: int = 1) -> list[str]:
    """The 67 column values of one North Carolina voter."""
    at = _NC_AT
    values = _NC_DEFAULTS[:]
    get = row.get
    voter_id = str(get("voter_id") or f"AA{number:06d}")
    values[at["ncid"]] = voter_id
    values[at["voter_reg_num"]] = f"{number:012d}"
    values[at["last_name"]] = get("last_name") or ""
    values[at["first_name"]] = get("first_name") or ""
    values[at["middle_name"]] = get("middle_name") or ""
    values[at["name_suffix_lbl"]] = get("suffix") or ""
    status = get("status") or "A"
    values[at["status_cd"]] = status
    if status in nc.STATUS:
        values[at["voter_status_desc"]] = nc.STATUS[status].split(" (")[0].upper()
        values[at["reason_cd"]], values[at["voter_status_reason_desc"]] = _NC_REASONS[status]
    if get("status_reason"):
        values[at["reason_cd"]] = str(get("status_reason"))
    street = get("street_line") or ""
    unit = get("unit") or ""
    values[at["res_street_address"]] = f"{street} {unit}" if unit else street
    city = get("city")
    if city:
        values[at["res_city_desc"]] = values[at["municipality_desc"]] = city
        values[at["municipality_abbrv"]] = city[:3]
    if get("state"):
        values[at["state_cd"]] = str(get("state"))
    if get("zip"):
        values[at["zip_code"]] = str(get("zip"))
    values[at["full_phone_number"]] = get("phone") or ""
    values[at["registr_dt"]] = _mdy(get("registration_date") or "01/15/2010")
    for key, column in (("race", "race_code"), ("ethnicity", "ethnic_code"), ("gender", "gender_code")):
        if get(key):
            values[at[column]] = str(get(key))
    values[at["party_cd"]] = get("party") or "UNA"
    year = _year(row)
    values[at["birth_year"]] = year
    values[at["age_at_year_end"]] = (
        str(REFERENCE_YEAR - int(year)) if year.isascii() and year.isdigit() else ""
    )
    county = get("county")
    if county:
        values[at["county_desc"]] = county
        values[at["county_id"]] = nc.COUNTY_IDS.get(county, values[at["county_id"]])
    precinct = get("precinct")
    if precinct:
        values[at["precinct_abbrv"]] = values[at["vtd_abbrv"]] = values[at["vtd_desc"]] = precinct
        values[at["precinct_desc"]] = get("precinct_name") or f"PRECINCT {precinct}"
    for key, column in (
        ("congressional", "cong_dist_abbrv"),
        ("state_senate", "nc_senate_abbrv"),
        ("state_house", "nc_house_abbrv"),
    ):
        if get(key):
            values[at[column]] = str(get(key))
    _override(values, row, at)
    return values


def write_nc(stream: TextIO, rows: Iterable[Row]) -> int:
    """A North Carolina ncvoter file: header, tab-delimited, every field quoted, CR-LF.

    Returns the number of rows written."""
    writer = csv.writer(stream, delimiter="\t", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(nc.COLUMNS)
    count = 0
    for count, row in enumerate(rows, start=1):
        writer.writerow(nc_values(row, count))
    return count


def write_nc_history(stream: TextIO, rows: Iterable[Row]) -> int:
    """A North Carolina ncvhis file. Keys: voter_id, election_date, election_name (the
    description, default "MM/DD/YYYY GENERAL"), method, party, county, precinct."""
    writer = csv.writer(stream, delimiter="\t", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(nc.HISTORY_COLUMNS)
    count = 0
    for count, row in enumerate(rows, start=1):
        when = _mdy(row.get("election_date") or "11/08/2022")
        county = row.get("county") or "WAKE"
        party = row.get("party") or ""
        precinct = row.get("precinct") or "01-01"
        values = [
            nc.COUNTY_IDS.get(county, "92"),
            county,
            f"{count:012d}",
            when,
            row.get("election_name") or f"{when} GENERAL",
            row.get("method") or "IN-PERSON",
            party,
            nc.PARTY.get(party, "").upper(),
            precinct,
            f"PRECINCT {precinct}",
            str(row.get("voter_id") or f"AA{count:06d}"),
            nc.COUNTY_IDS.get(county, "92"),
            county,
            precinct,
            precinct,
        ]
        _override(values, row, _NC_HISTORY_AT)
        writer.writerow(values)
    return count


# --- New York ----------------------------------------------------------------------------

_NY_AT = {name: i for i, name in enumerate((*ny.COLUMNS, ny.PHONE_COLUMN))}
_NY_COUNTY_CODES = {name.upper(): code for code, name in ny.COUNTIES.items()}


def _split_house_number(street_line: str) -> tuple[str, str]:
    number, _, rest = street_line.strip().partition(" ")
    if any(ch.isdigit() for ch in number) and rest:
        return number, rest
    return "", street_line.strip()


def write_ny(stream: TextIO, rows: Iterable[Row], with_phone: bool = False) -> int:
    """A New York State voter list: no header, comma-delimited, quoted, CR-LF; 45 fields (46 with the phone).

    Extra keys: ad, ed (or precinct as AD*1000+ED), ld, town, ward, voter_history."""
    writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    width = len(ny.COLUMNS) + (1 if with_phone else 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        get = row.get
        values = [""] * width
        at = _NY_AT
        number, street = _split_house_number(str(get("street_line") or f"{count} MAIN ST"))
        unit = str(get("unit") or "")
        if unit.upper().startswith("APT "):
            unit = unit[4:]
        ad, ed = str(get("ad") or ""), str(get("ed") or "")
        precinct = str(get("precinct") or "")
        if precinct.isascii() and precinct.isdigit() and not (ad or ed):
            ad, ed = str(int(precinct) // 1000), f"{int(precinct) % 1000:03d}"
        county = str(get("county") or "24")
        county = _NY_COUNTY_CODES.get(county.upper(), county)
        for column, value in (
            ("LASTNAME", get("last_name")),
            ("FIRSTNAME", get("first_name")),
            ("MIDDLENAME", get("middle_name")),
            ("NAMESUFFIX", get("suffix")),
            ("RADDNUMBER", number),
            ("RAPARTMENT", unit),
            ("RSTREETNAME", street),
            ("RCITY", get("city") or "BROOKLYN"),
            ("RZIP5", get("zip") or "11201"),
            ("DOB", _ymd(get("birth_date") or "19800101")),
            ("GENDER", get("gender") or "F"),
            ("ENROLLMENT", get("party") or "DEM"),
            ("COUNTYCODE", county),
            ("ED", ed or "012"),
            ("LD", get("ld") or ""),
            ("TOWNCITY", get("town") or ""),
            ("WARD", get("ward") or ""),
            ("CD", get("congressional") or "10"),
            ("SD", get("state_senate") or "26"),
            ("AD", ad or "52"),
            ("LASTVOTEDDATE", "20221108"),
            ("COUNTYVRNUMBER", str(count)),
            ("REGDATE", _ymd(get("registration_date") or "20100115")),
            ("VRSOURCE", "MAIL"),
            ("IDREQUIRED", "N"),
            ("IDMET", "Y"),
            ("STATUS", get("status") or "A"),
            ("REASONCODE", get("status_reason") or ""),
            ("SBOEID", get("voter_id") or f"NY{count:018d}"),
            ("VOTERHISTORY", get("voter_history") or "GE 20221108;PE 20220628"),
        ):
            values[at[column]] = "" if value is None else str(value)
        if with_phone:
            values[at[ny.PHONE_COLUMN]] = str(get("phone") or "")
        _override(values, row, at)
        writer.writerow(values)
    return count


# --- Florida -----------------------------------------------------------------------------

_FL_AT = {name: i for i, name in enumerate(fl.COLUMNS)}
_FL_HISTORY_AT = {name: i for i, name in enumerate(fl.HISTORY_COLUMNS)}


def write_fl(stream: TextIO, rows: Iterable[Row]) -> int:
    """A Florida voter extract: no header, tab-delimited, not quoted, CR-LF, 38 fields."""
    count = 0
    for count, row in enumerate(rows, start=1):
        get = row.get
        values = [""] * len(fl.COLUMNS)
        phone = "".join(ch for ch in str(get("phone") or "") if ch.isdigit())[-10:]
        for column, value in (
            ("County Code", get("county") or "ORA"),
            ("Voter ID", get("voter_id") or f"{100000000 + count}"),
            ("Name Last", get("last_name")),
            ("Name Suffix", get("suffix")),
            ("Name First", get("first_name")),
            ("Name Middle", get("middle_name")),
            ("Requested public records exemption", "N"),
            ("Residence Address Line 1", get("street_line") or f"{count} MAIN ST"),
            ("Residence Address Line 2", get("unit")),
            ("Residence City (USPS)", get("city") or "ORLANDO"),
            ("Residence State", get("state") or "FL"),
            ("Residence Zipcode", get("zip") or "32801"),
            ("Gender", get("gender") or "U"),
            ("Race", get("race") or "9"),
            ("Birth Date", _mdy(get("birth_date") or "01/01/1980")),
            ("Registration Date", _mdy(get("registration_date") or "01/15/2010")),
            ("Party Affiliation", get("party") or "NPA"),
            ("Precinct", get("precinct") or "101"),
            ("Voter Status", get("status") or "ACT"),
            ("Congressional District", get("congressional") or "10"),
            ("House District", get("state_house") or "45"),
            ("Senate District", get("state_senate") or "15"),
            ("County Commission District", "1"),
            ("School Board District", "1"),
            ("Daytime Area Code", phone[:3] if len(phone) == 10 else ""),
            ("Daytime Phone Number", phone[3:] if len(phone) == 10 else phone),
            ("Email address", get("email")),
        ):
            values[_FL_AT[column]] = "" if value is None else str(value)
        _override(values, row, _FL_AT)
        stream.write("\t".join(values) + "\r\n")
    return count


def write_fl_history(stream: TextIO, rows: Iterable[Row]) -> int:
    """A Florida voting history file. Keys: county, voter_id, election_date, election_type (GEN), code (Y)."""
    count = 0
    for count, row in enumerate(rows, start=1):
        values = [
            str(row.get("county") or "ORA"),
            str(row.get("voter_id") or f"{100000000 + count}"),
            _mdy(row.get("election_date") or "11/08/2022"),
            str(row.get("election_type") or "GEN"),
            str(row.get("code") or "Y"),
        ]
        _override(values, row, _FL_HISTORY_AT)
        stream.write("\t".join(values) + "\r\n")
    return count


# --- Ohio --------------------------------------------------------------------------------

_OH_AT = {name: i for i, name in enumerate(oh.COLUMNS)}
OH_ELECTIONS = ("PRIMARY-05/03/2022", "GENERAL-11/08/2022", "PRIMARY-03/19/2024", "GENERAL-11/05/2024")


def write_oh(stream: TextIO, rows: Iterable[Row], elections: Sequence[str] = OH_ELECTIONS) -> int:
    """An Ohio statewide voter file: header, comma-delimited (quoted where needed), CR-LF.

    The row's "history" maps election columns (named like "GENERAL-11/08/2022") to the ballot
    letter or X; ``elections`` are the election columns written."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow((*oh.COLUMNS, *elections))
    count = 0
    for count, row in enumerate(rows, start=1):
        get = row.get
        values = [""] * len(oh.COLUMNS)
        for column, value in (
            ("SOS_VOTERID", get("voter_id") or f"OH{count:010d}"),
            ("COUNTY_NUMBER", get("county") or "25"),
            ("COUNTY_ID", str(count)),
            ("LAST_NAME", get("last_name")),
            ("FIRST_NAME", get("first_name")),
            ("MIDDLE_NAME", get("middle_name")),
            ("SUFFIX", get("suffix")),
            ("DATE_OF_BIRTH", _ymd(get("birth_date") or "1980-01-01", "-")),
            ("REGISTRATION_DATE", _ymd(get("registration_date") or "2010-01-15", "-")),
            ("VOTER_STATUS", get("status") or "ACTIVE"),
            ("PARTY_AFFILIATION", get("party")),
            ("RESIDENTIAL_ADDRESS1", get("street_line") or f"{count} MAIN ST"),
            ("RESIDENTIAL_SECONDARY_ADDR", get("unit")),
            ("RESIDENTIAL_CITY", get("city") or "COLUMBUS"),
            ("RESIDENTIAL_STATE", get("state") or "OH"),
            ("RESIDENTIAL_ZIP", get("zip") or "43215"),
            ("RESIDENTIAL_COUNTRY", ""),
            ("CITY", "COLUMBUS"),
            ("CONGRESSIONAL_DISTRICT", get("congressional") or "03"),
            ("PRECINCT_NAME", get("precinct_name") or f"COLUMBUS {get('precinct') or '25-A'}"),
            ("PRECINCT_CODE", get("precinct") or "25-A"),
            ("STATE_REPRESENTATIVE_DISTRICT", get("state_house") or "18"),
            ("STATE_SENATE_DISTRICT", get("state_senate") or "15"),
            ("WARD", ""),
        ):
            values[_OH_AT[column]] = "" if value is None else str(value)
        _override(values, row, _OH_AT)
        history = get("history") or {}
        writer.writerow([*values, *(str(history.get(e, "")) for e in elections)])
    return count


# --- synthetic North Carolina voters ---------------------------------------------------------

_FEMALE = _words(
    "MARY PATRICIA JENNIFER LINDA ELIZABETH BARBARA SUSAN JESSICA SARAH KAREN LISA NANCY BETTY MARGARET "
    "SANDRA ASHLEY KIMBERLY EMILY DONNA MICHELLE CAROL AMANDA DOROTHY MELISSA DEBORAH STEPHANIE REBECCA "
    "SHARON LAURA CYNTHIA KATHLEEN AMY ANGELA SHIRLEY ANNA BRENDA PAMELA EMMA NICOLE HELEN SAMANTHA "
    "KATHERINE CHRISTINE DEBRA RACHEL CAROLYN JANET CATHERINE MARIA HEATHER DIANE RUTH JULIE OLIVIA JOYCE "
    "VIRGINIA VICTORIA KELLY LAUREN CHRISTINA JOAN EVELYN JUDITH MEGAN ANDREA CHERYL HANNAH JACQUELINE "
    "MARTHA GLORIA TERESA ANN SARA MADISON FRANCES KATHRYN JANICE JEAN ABIGAIL ALICE JUDY SOPHIA GRACE "
    "DENISE AMBER DORIS MARILYN DANIELLE BEVERLY ISABELLA THERESA DIANA NATALIE BRITTANY CHARLOTTE MARIE "
    "KAYLA ALEXIS LORI TAMEKA LATOYA SHANICE KEISHA YOLANDA GUADALUPE ROSA ALEJANDRA"
)
_MALE = _words(
    "JAMES ROBERT JOHN MICHAEL DAVID WILLIAM RICHARD JOSEPH THOMAS CHARLES CHRISTOPHER DANIEL MATTHEW "
    "ANTHONY MARK DONALD STEVEN PAUL ANDREW JOSHUA KENNETH KEVIN BRIAN GEORGE TIMOTHY RONALD EDWARD JASON "
    "JEFFREY RYAN JACOB GARY NICHOLAS ERIC JONATHAN STEPHEN LARRY JUSTIN SCOTT BRANDON BENJAMIN SAMUEL "
    "GREGORY ALEXANDER FRANK PATRICK RAYMOND JACK DENNIS JERRY TYLER AARON JOSE ADAM NATHAN HENRY DOUGLAS "
    "ZACHARY PETER KYLE ETHAN WALTER NOAH JEREMY CHRISTIAN KEITH ROGER TERRY GERALD HAROLD SEAN AUSTIN "
    "CARL ARTHUR LAWRENCE DYLAN JESSE JORDAN BRYAN BILLY JOE BRUCE GABRIEL LOGAN ALBERT WILLIE ALAN JUAN "
    "WAYNE ELIJAH RANDY ROY VINCENT RALPH EUGENE RUSSELL BOBBY MASON PHILIP LOUIS DEANDRE TERRELL"
)
_SURNAMES = _words(
    "SMITH JOHNSON WILLIAMS BROWN JONES GARCIA MILLER DAVIS RODRIGUEZ MARTINEZ HERNANDEZ LOPEZ GONZALEZ "
    "WILSON ANDERSON THOMAS TAYLOR MOORE JACKSON MARTIN LEE PEREZ THOMPSON WHITE HARRIS SANCHEZ CLARK "
    "RAMIREZ LEWIS ROBINSON WALKER YOUNG ALLEN KING WRIGHT SCOTT TORRES NGUYEN HILL FLORES GREEN ADAMS "
    "NELSON BAKER HALL RIVERA CAMPBELL MITCHELL CARTER ROBERTS GOMEZ PHILLIPS EVANS TURNER DIAZ PARKER "
    "CRUZ EDWARDS COLLINS REYES STEWART MORRIS MORALES MURPHY COOK ROGERS GUTIERREZ ORTIZ MORGAN COOPER "
    "PETERSON BAILEY REED KELLY HOWARD RAMOS KIM COX WARD RICHARDSON WATSON BROOKS CHAVEZ WOOD JAMES "
    "BENNETT GRAY MENDOZA RUIZ HUGHES PRICE ALVAREZ CASTILLO SANDERS PATEL MYERS LONG ROSS FOSTER JIMENEZ "
    "POWELL JENKINS PERRY RUSSELL SULLIVAN BELL COLEMAN BUTLER HENDERSON BARNES GONZALES FISHER VASQUEZ "
    "SIMMONS GRAHAM MCDONALD LOCKLEAR OXENDINE HUNT BLACKWELL PEARSON CHAVIS BYRD BATTLE WHITLEY STRICKLAND "
    "BRASWELL PENDERGRASS MCLAUGHLIN HONEYCUTT FAIRCLOTH BRITT MCNEILL O'NEAL DAUGHTRY HAYES MYRICK "
    "WOMACK TUCKER BLALOCK CRAWFORD BOYD MASON WARREN DIXON RAMSEY WALLACE WEST COLE HAYNES BRYANT "
    "HAMILTON GRIFFIN WOODS OWENS WASHINGTON FORD MARSHALL HOLLAND GIBSON ELLIS STEVENS MURRAY FREEMAN "
    "WELLS WEBB SIMPSON PORTER HUNTER HICKS GRANT BLACK HOLMES STONE MEYER BOYKIN LASSITER MCCRAY "
    "BULLOCK TYSON FAISON BARBEE CAUDLE SPIVEY JERNIGAN POPE WHITFIELD HARRELL GODWIN TART HOLT ALSTON "
    "EASON RAY TEW HOBBS HOLLOWAY FARMER LUCAS PITTMAN DAWSON KNIGHT COBB STOKES BOONE HUFF WALL "
    "CHAN WANG NGO TRAN PHAM SINGH SHAH KHAN ALI HASSAN"
)
_STREET_NAMES = _words(
    "MAIN OAK PINE MAPLE CEDAR ELM WALNUT HICKORY DOGWOOD MAGNOLIA CHESTNUT WILLOW POPLAR SYCAMORE BIRCH "
    "CHURCH MILL SPRING LAKE HILL RIDGE VALLEY MEADOW FOREST PARK RIVER CREEK BROOK GLEN HOLLOW "
    "WASHINGTON JEFFERSON FRANKLIN LINCOLN MADISON JACKSON MONROE HAYWOOD DAVIE GRAHAM BLOUNT FAYETTEVILLE "
    "HILLSBOROUGH GLENWOOD OBERLIN WADE PEACE JONES LANE MORGAN DAWSON MCDOWELL SALISBURY PERSON "
    "STRICKLAND BUCK JONES KILDAIRE TRYON FALLS NEUSE CAPITAL SIX FORKS LEESVILLE"
)
_STREET_SUFFIXES = ("ST", "RD", "DR", "AVE", "LN", "CT", "WAY", "CIR", "PL", "BLVD", "TRL")
# (city, ZIP codes, county, area code, precinct prefix)
_PLACES = (
    ("RALEIGH", _words("27601 27603 27604 27605 27606 27607 27608 27609 27610 27612"), "WAKE", "919", "01"),
    ("CARY", _words("27511 27513 27518 27519"), "WAKE", "919", "20"),
    ("DURHAM", _words("27701 27703 27704 27705 27707 27713"), "DURHAM", "919", "DU"),
    ("CHAPEL HILL", _words("27514 27516 27517"), "ORANGE", "919", "CH"),
    ("CHARLOTTE", _words("28202 28203 28204 28205 28206 28208 28209 28210 28211"), "MECKLENBURG", "704", "1"),
    ("GREENSBORO", _words("27401 27403 27405 27406 27407 27408"), "GUILFORD", "336", "G"),
    ("WINSTON SALEM", _words("27101 27103 27104 27105 27106"), "FORSYTH", "336", "W"),
    ("FAYETTEVILLE", _words("28301 28303 28304 28305 28306 28311"), "CUMBERLAND", "910", "CC"),
    ("WILMINGTON", _words("28401 28403 28405 28409 28411 28412"), "NEWHANOVER", "910", "W"),
    ("ASHEVILLE", _words("28801 28803 28804 28805 28806"), "BUNCOMBE", "828", "1"),
    ("LUMBERTON", _words("28358 28360"), "ROBESON", "910", "L"),
    ("COLUMBIA", _words("27925"), "TYRRELL", "252", "CO"),
)  # fmt: skip
_PLACE_WEIGHTS = (22, 8, 14, 5, 26, 12, 9, 8, 5, 5, 2, 1)
_STATUSES = (("A", 80.0), ("I", 9.0), ("R", 9.5), ("D", 1.0), ("S", 0.5))
_PARTIES = (
    ("UNA", 37.5),
    ("DEM", 31.0),
    ("REP", 30.5),
    ("LIB", 0.6),
    ("GRE", 0.1),
    ("CST", 0.1),
    ("NLB", 0.2),
)
_RACES = (("W", 62.0), ("B", 20.5), ("U", 7.5), ("O", 4.5), ("A", 2.5), ("M", 1.5), ("I", 1.2), ("P", 0.3))
_ETHNICITIES = (("NL", 78.0), ("UN", 16.0), ("HL", 6.0))
_SUFFIXES = ("JR", "SR", "II", "III", "IV")


def _picker(pairs: Sequence[tuple[str, float]]) -> tuple[tuple[str, ...], list[float]]:
    values = tuple(v for v, _ in pairs)
    cumulative = list(itertools.accumulate(w for _, w in pairs))
    return values, [c / cumulative[-1] for c in cumulative]


# Voters per address in synthetic_nc_rows, about as many as a state's file has (households of
# one to a few voters, and apartment buildings).
VOTERS_PER_ADDRESS = 2.0


def synthetic_nc_rows(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """``n`` realistic North Carolina voters for write_nc, the same ones for the same seed.

    Names are drawn from common given names and surnames; addresses from a few hundred
    streets in a dozen cities, one in ten with an apartment, about VOTERS_PER_ADDRESS voters at
    an address, a street crossing three precincts; statuses, parties, races and
    ages in roughly the state's shares. Voter ids are unique within one call.
    """
    rng = random.Random(seed)
    rand = rng.random
    pick = bisect.bisect_left
    streets = [f"{name} {suffix}" for name in dict.fromkeys(_STREET_NAMES) for suffix in _STREET_SUFFIXES]
    rng.shuffle(streets)
    streets = streets[:360]
    # House numbers per street, so that the addresses hold about VOTERS_PER_ADDRESS voters each
    # (a street of each city; numbers drawn uniformly: about 1.6 draws per number for 2.0).
    numbers = max(10, round(n / (len(streets) * len(_PLACES) * 1.6 * VOTERS_PER_ADDRESS / 2.0)))
    place_values = _PLACES
    place_totals = list(itertools.accumulate(_PLACE_WEIGHTS))
    place_cum = [c / place_totals[-1] for c in place_totals]
    statuses, status_cum = _picker(_STATUSES)
    parties, party_cum = _picker(_PARTIES)
    races, race_cum = _picker(_RACES)
    ethnicities, ethnicity_cum = _picker(_ETHNICITIES)
    n_female, n_male, n_surnames, n_streets = len(_FEMALE), len(_MALE), len(_SURNAMES), len(streets)
    for i in range(n):
        female = rand() < 0.53
        given = _FEMALE if female else _MALE
        first_name = given[int(rand() ** 1.6 * (n_female if female else n_male))]
        middle = rand()
        middle_name = (
            given[int(rand() * len(given))]
            if middle < 0.6
            else (chr(65 + int(rand() * 26)) if middle < 0.75 else "")
        )
        last_name = _SURNAMES[int(rand() ** 1.5 * n_surnames)]
        suffix = _SUFFIXES[int(rand() * 5)] if not female and rand() < 0.04 else ""
        city, zips, county, area, prefix = place_values[pick(place_cum, rand())]
        street_index = int(rand() * n_streets)
        street = streets[street_index]
        number = int(rand() * numbers) + 1
        unit = f"APT {int(rand() * 300) + 1}" if rand() < 0.1 else ""
        birth_year = 1925 + int((rand() + rand() + rand()) / 3 * 83)  # 1925-2007, most in mid-century
        first_year = max(birth_year + 18, 1970)
        year = first_year + int(rand() * (REFERENCE_YEAR - first_year))
        registered = f"{int(rand() * 12) + 1:02d}/{int(rand() * 28) + 1:02d}/{year}"
        status = statuses[pick(status_cum, rand())]
        yield {
            "voter_id": f"{county[:2]}{i + 1:08d}",
            "first_name": first_name,
            "middle_name": middle_name,
            "last_name": last_name,
            "suffix": suffix,
            "gender": "F" if female else ("M" if rand() < 0.97 else "U"),
            "race": races[pick(race_cum, rand())],
            "ethnicity": ethnicities[pick(ethnicity_cum, rand())],
            "status": status,
            "party": parties[pick(party_cum, rand())],
            "birth_year": birth_year,
            "registration_date": registered,
            "street_line": f"{number} {street}",
            "unit": unit,
            "city": city,
            "zip": zips[int(rand() * len(zips))],
            "county": county,
            # Neighbours vote together: a stretch of a street lies in one precinct, and a long
            # street crosses a few (a real file's streets are not spread over every precinct).
            "precinct": f"{prefix}-{(street_index * 7 + 3 * number // (numbers + 1)) % 40 + 1:02d}",
            "phone": f"{area}555{int(rand() * 10000):04d}" if rand() < 0.35 else "",
        }
