"""The ballots of the 2009 mayoral election of Burlington, Vermont, counted by instant runoff.

Burlington published every ballot's rankings after the count (the city's ballot image report,
republished by rangevoting.org and in the PrefLib library as dataset 00005-00000002, 8,980
ballots). Below, each entry is how many ballots ranked the candidates in that order:

    K Bob Kiss (Progressive)      M Andy Montroll (Democrat)   W Kurt Wright (Republican)
    Sm Dan Smith (Independent)    Si James Simpson (Green)     WI write-ins

Our ballot form refuses two candidates at one rank, and six of the city's ballots have one; each is
written as the ballot Burlington's rule counted it as (marked *): a ballot whose first rank names two
candidates counts for no one ("-", the four ballots the official count set aside in round 1);
"Montroll, Smith, Simpson+Wright, Kiss" reaches its third rank only after Simpson's exclusion, when
the mark can only mean Wright; "Wright, Smith, Kiss+Montroll" never leaves Wright.

The certified result, in rounds (Burlington excluded every candidate who could not win at once):

    round 1: Wright 2,951  Kiss 2,585  Montroll 2,063  Smith 1,306  write-ins 36  Simpson 35
    round 2: Wright 3,294  Kiss 2,981  Montroll 2,554                 (151 exhausted)
    round 3: Kiss 4,313  Wright 4,061                                 (606 exhausted)
"""

from __future__ import annotations

CANDIDATES = ["K", "M", "Si", "Sm", "W", "WI"]

OFFICIAL_ROUNDS = [
    {"W": 2951, "K": 2585, "M": 2063, "Sm": 1306, "WI": 36, "Si": 35},
    {"W": 3294, "K": 2981, "M": 2554},
    {"K": 4313, "W": 4061},
]
OFFICIAL_EXHAUSTED = [4, 151, 606]

TABLE = """
840 W              | 355 K M            | 326 K              | 271 W Sm
256 W M            | 234 K M Sm         | 200 M K            | 178 M
147 W M Sm         | 145 M K Sm         | 139 M Sm           | 125 K Sm
124 Sm             | 123 K M Sm W Si    | 122 W Sm M         | 121 K Sm M
120 K M Sm Si W    | 104 W M Sm Si K    | 103 K M Si Sm W    | 102 W M Sm K Si
101 W Sm M K Si    | 94 M W             | 93 M Sm K          | 93 Sm W
90 W Sm M Si K     | 90 Sm M            | 88 Sm K M          | 83 Sm M K
80 K Sm M Si W     | 80 W K             | 76 W Sm Si M K     | 72 M K Sm W Si
71 K M W Sm Si     | 69 W M K Sm Si     | 69 M Sm K W Si     | 66 K W
62 M Sm W          | 61 M K Sm Si W     | 60 M W Sm K Si     | 60 K M Sm W
58 Sm K M Si W     | 57 M W Sm          | 56 M W K Sm Si     | 55 K Sm M W Si
54 W M Sm K        | 53 M Sm K Si W     | 52 Sm W M K Si     | 52 W Sm K M Si
52 M Sm W K Si     | 52 K M Si          | 51 Sm K            | 50 M K W Sm Si
50 W K M Sm Si     | 50 Sm W M          | 48 K M W           | 46 M K W
46 W M K           | 45 W K Sm M Si     | 45 W Sm M K        | 43 Sm M K W Si
42 K M Sm Si       | 41 K M Si Sm       | 41 M Sm K W        | 39 K W M Sm Si
39 M W Sm Si K     | 38 Sm M K Si W     | 38 M K Sm W        | 37 M W Sm K
37 Sm M W          | 34 M W K           | 32 Sm K M W Si     | 32 M Sm W K
31 Sm M W K Si     | 31 K W M           | 30 W Sm K          | 29 K Sm M W
28 Sm W M Si K     | 27 M K Si Sm W     | 27 M Sm Si K W     | 27 Sm W K M Si
27 Sm K M W        | 27 Sm M W K        | 26 K Sm W M Si     | 26 Sm M K W
25 W Si            | 24 K Si M Sm W     | 24 M K W Sm        | 24 K M W Sm
24 W K M           | 23 M Sm W Si K     | 23 K Sm Si M W     | 22 M K Sm Si
21 K W Sm M Si     | 21 W K M Si Sm     | 21 K Sm M Si       | 21 W K Sm
20 M W K Sm        | 19 W M Si Sm K     | 19 W Sm K M        | 19 K Si
18 Sm M Si K W     | 17 W Sm K Si M     | 17 Sm W M K        | 16 Sm K W M Si
16 W Sm Si         | 16 K Si M          | 16 Sm W K          | 15 W Sm Si K M
15 Sm M Si W K     | 15 W M K Sm        | 15 K W Sm M        | 15 W K M Sm
15 K Sm W M        | 15 K Sm Si         | 14 K M W Si Sm     | 14 Sm K Si M W
13 K M Si W Sm     | 13 Sm M W Si K     | 13 M Sm K Si       | 13 Sm K M Si
13 K Sm W          | 12 K W M Si Sm     | 12 K Si Sm M W     | 12 M W Si Sm K
12 W K Sm Si M     | 12 Sm W Si M K     | 12 Sm W K M        | 12 K W M Sm
12 M K Si          | 12 K W Sm          | 11 W Si Sm M K     | 11 M K W Si Sm
11 M Sm Si W K     | 11 M K Si Sm       | 11 Sm K W          | 11 W WI
10 W Si Sm K M     | 10 Sm K W Si M     | 10 W Sm M Si       | 10 WI
9 K Sm M Si WI     | 9 M Si K Sm W      | 9 Sm Si M K W      | 9 K M Sm Si WI
9 W M K Si Sm      | 9 K Sm Si M        | 9 M Si Sm          | 8 M Si Sm K W
8 M Si Sm W K      | 8 Sm K W M         | 8 Sm M K Si        | 8 K Si M Sm
8 W Si Sm          | 8 K Si Sm          | 8 M Sm Si          | 7 W M Si K Sm
7 K Si M W Sm      | 7 W M Sm Si        | 7 M Si K           | 7 Sm K Si
6 K Sm Si W M      | 6 K Sm Si M WI     | 6 K W Sm Si M      | 6 M K Sm Si WI
6 K W Si Sm M      | 6 K Si Sm M        | 6 Sm Si            | 5 Sm Si K M W
5 Sm K M WI Si     | 5 Sm W K Si M      | 5 W Si M Sm K      | 5 K Sm W Si M
5 K W Si M Sm      | 5 Sm K Si M        | 5 W Sm Si M        | 5 W K Sm M
5 M W Sm Si        | 5 Sm Si M          | 5 Sm M Si          | 5 M WI
4 M K Si W Sm      | 4 Si Sm K M W      | 4 K WI M Sm Si     | 4 W Si M K Sm
4 K Sm M WI Si     | 4 W Si M K         | 4 Sm Si K M        | 4 M K W Si
4 K W M Si         | 4 M Sm W Si        | 4 M Sm W WI        | 4 W Sm WI
4 Sm W Si          | 4 W M WI           | 4 K WI             | 4 M Si
3 K M Si Sm WI     | 3 M K Sm W WI      | 3 K Si Sm W M      | 3 K Si W M Sm
3 K Sm WI M Si     | 3 M W K Si Sm      | 3 Sm Si M K WI     | 3 Sm M K WI Si
3 Sm W Si M        | 3 Sm W M Si        | 3 W Si WI          | 3 M W Si
3 M K WI           | 3 W M Si           | 3 Sm M WI          | 3 Si W
3 Si K             | 3 WI M             | 3 WI W             | 3 WI K
3 Si               | 2 W Si K M Sm      | 2 Sm K M WI W      | 2 Sm Si K W M
2 Sm K Si M WI     | 2 K Si M WI Sm     | 2 W K Si Sm M      | 2 M Sm W WI K
2 W Sm M Si WI     | 2 Sm W Si K M      | 2 WI M Sm Si K     | 2 W WI M Sm K
2 WI M Sm K Si     | 2 Sm M K W WI      | 2 M Sm W Si WI     | 2 M K Sm WI Si
2 M Si W K Sm      | 2 M WI K Sm Si     | 2 Si K M W Sm      | 2 Sm Si W M K
2 WI M Si Sm K     | 2 M Sm K Si WI     | 2 M Si W Sm K      | 2 Sm M K WI W
2 Sm K WI M Si     | 2 Sm M Si K        | 2 W M Si K         | 2 K M W WI
2 M Si Sm W        | 2 W WI M K         | 2 K W Sm Si        | 2 W K Sm Si
2 M Si K W         | 2 M Si K Sm        | 2 M Sm Si K        | 2 K Si Sm W
2 K Sm WI          | 2 W K Si           | 2 M Si W           | 2 Sm Si K
2 Sm Si W          | 2 K Si W           | 2 Sm W WI          | 2 WI M Sm
2 K M WI           | 2 Si K M           | 1 W Si Sm M WI     | 1 K WI W Si Sm
1 K M WI W Si      | 1 W Si Sm WI M     | 1 K M Si WI W      | 1 M WI Sm K Si
1 Sm K M W WI      | 1 W Sm Si M WI     | 1 WI K Sm Si M     | 1 K W Sm M WI
1 M Si W WI K      | 1 K Si W Sm M      | 1 M Si Sm K WI     | 1 Si K M Sm W
1 Sm Si WI M K     | 1 W Sm K M WI      | 1 Sm M K Si WI     | 1 Si Sm M K W
1 WI W Sm Si M     | 1 W M Sm K WI      | 1 Si M W K WI      | 1 Sm K M Si WI
1 M K Si Sm WI     | 1 W Sm WI M Si     | 1 Sm Si W K M      | 1 K WI Sm M Si
1 Si W K Sm M      | 1 W WI M Sm Si     | 1 Sm M W WI Si     | 1 K Si WI M W
1 M W Si K Sm      | 1 WI Sm K W M      | 1 Sm Si M WI K     | 4 - *
1 M K Sm WI W      | 1 M W WI Si K      | 1 K WI W Sm Si     | 1 Sm K W Si WI
1 K Sm Si WI M     | 1 W WI Sm M Si     | 1 Si K W M Sm      | 1 Si M W Sm K
1 M K Si WI Sm     | 1 M Sm Si W WI     | 1 Si K M W WI      | 1 K Si Sm WI W
1 Si Sm W M K      | 1 M K WI W Si      | 1 K Sm M WI W      | 1 K M Sm W WI
1 W M K Sm WI      | 1 WI W Si M K      | 1 W K Si M Sm      | 1 K Si M W WI
1 Sm W K M WI      | 1 K Si M Sm WI     | 1 WI M K Sm Si     | 1 W M WI Sm K
1 Sm M Si K WI     | 1 Sm Si M W K      | 1 K W Si M WI      | 1 W Si K Sm M
1 M Si WI Sm K     | 1 W Sm M WI K      | 1 W Sm M WI Si     | 1 Si M Sm W K
1 Si K Sm M WI     | 1 K M Si W         | 1 W M Si Sm        | 1 K W Si M
1 K Si Sm WI       | 1 M K WI W         | 1 Si K M Sm        | 1 K Sm M WI
1 WI K W M         | 1 M Si Sm K        | 1 Si K Sm W        | 1 Si K Sm M
1 Sm Si K W        | 1 Sm K Si W        | 1 M K Si W         | 1 K WI M Sm
1 W Si M Sm        | 1 M Si W K         | 1 K Sm W Si        | 1 K M Sm WI
1 W Sm WI M        | 1 W Sm WI Si       | 1 Sm Si M W        | 1 M WI Si Sm
1 M Sm W *         | 1 M Sm Si W        | 1 W M K Si         | 1 Sm M W Si
1 W K Si M         | 1 Sm K W Si        | 1 M W Sm WI        | 1 Sm Si M K
1 WI M K W         | 1 M W WI           | 1 W Si M           | 1 W Si K
1 W Sm *           | 1 WI K M           | 1 Sm Si WI         | 1 Si Sm M
1 Si Sm K          | 1 Si Sm W          | 1 K Si WI          | 1 Si M Sm
1 M WI Si          | 1 W WI M           | 1 W WI Si          | 1 W WI K
1 K WI M           | 1 K WI W           | 1 Si WI            | 1 Sm WI
1 WI Sm
"""


def ballots() -> list[list[str]]:
    """Every ballot, one ranking each (8,980 of them)."""
    found: list[list[str]] = []
    for entry in TABLE.replace("|", "\n").split("\n"):
        words = entry.replace("*", "").split()
        if words:
            count, ranking = int(words[0]), [w for w in words[1:] if w != "-"]
            found.extend([ranking] * count)
    return found
