"""Fictional places, organisations, identifiers and contact details for synthetic local areas.

Identifier ranges (chosen so that nothing can be mistaken for a real body):

* DfE LA codes: 950-989, then 101-199, then 001-099 (238 in all). Real English LA codes run from
  201 to 943 (208-213 inner London ... 940-943 the 2021-23 unitaries), so none of these is real.
  991 and 992 are left to the test fixtures.
* ODS codes: every synthetic ODS code starts "ZZ", then a letter for the kind of body and the LA
  code: ICB ZZQ<la>, CCG ZZC<la>, PCT ZZP<la>, acute trust ZZR<la>1, community trust ZZR<la>2,
  GP practices ZZG<la><nnn>; the shared bodies are ZZE01 (NHS England) and ZZS<nn> (strategic health
  authorities). We know of no real ODS code that starts "ZZ" (the register was not checked).
* School and early-years URNs: 900000 upwards. Real school URNs are six-digit numbers currently
  below 160000.
* Postcodes: well-formed UK postcodes whose area (the leading letters) is not a real postcode area,
  one area per local authority (AA, AC, AD, ...), so every synthetic postcode is obviously invented.
* Telephone numbers: Ofcom's ranges reserved for drama (0161 496 0000-0999, 020 7946 0000-0999,
  01632 960000-960999); e-mail addresses: the reserved .example domain.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator


def _words(text: str) -> tuple[str, ...]:
    """A comma-separated list, as a tuple."""
    return tuple(word.strip() for word in text.split(",") if word.strip())


# Place names are built from these, never taken from a map.
_PLACE_PREFIXES = _words(
    "Brack, Corrie, Dun, Eld, Fenny, Gull, Ivy, Kestrel, Lanter, Morrow, Nettle, Otter, Pebble, Quarrow,"
    "Raven, Sorrel, Thistle, Umber, Vell, Willow, Yarrow, Wren, Heron, Bramble, Cinder, Fallow, Marl,"
    "Tansy, Ember, Larch, Alder, Bracken, Curlew, Sedge, Tarn, Hollin, Plover, Rush, Teasel, Whin"
)
_PLACE_SUFFIXES = _words(
    "mere, bridge, holm, combe, wick, stead, dale, ford, moor, field, by, minster, haven, cross, well"
)
_TOWN_QUALIFIERS = ("", "", "", "Upper ", "Lower ", "Great ", "Little ", "North ", "South ", "East ", "West ")

# The 153 English local authorities with children's services (and some recent predecessors). A
# synthetic place name must not be, or contain, any of them.
REAL_LA_NAMES = frozenset(
    name.lower()
    for name in _words(
        "City of London, Camden, Greenwich, Hackney, Hammersmith and Fulham, Islington, Kensington and Chelsea,"
        "Lambeth, Lewisham, Southwark, Tower Hamlets, Wandsworth, Westminster, Barking and Dagenham, Barnet,"
        "Bexley, Brent, Bromley, Croydon, Ealing, Enfield, Haringey, Harrow, Havering, Hillingdon, Hounslow,"
        "Kingston upon Thames, Merton, Newham, Redbridge, Richmond upon Thames, Sutton, Waltham Forest,"
        "Birmingham, Coventry, Dudley, Sandwell, Solihull, Walsall, Wolverhampton, Knowsley, Liverpool,"
        "St Helens, Sefton, Wirral, Bolton, Bury, Manchester, Oldham, Rochdale, Salford, Stockport, Tameside,"
        "Trafford, Wigan, Barnsley, Doncaster, Rotherham, Sheffield, Bradford, Calderdale, Kirklees, Leeds,"
        "Wakefield, Gateshead, Newcastle upon Tyne, North Tyneside, South Tyneside, Sunderland,"
        "Cambridgeshire, Derbyshire, Devon, Dorset, East Sussex, Essex, Gloucestershire, Hampshire,"
        "Hertfordshire, Kent, Lancashire, Leicestershire, Lincolnshire, Norfolk, North Yorkshire,"
        "Nottinghamshire, Oxfordshire, Somerset, Staffordshire, Suffolk, Surrey, Warwickshire, West Sussex,"
        "Worcestershire, Cumbria, Northamptonshire, Buckinghamshire, Cornwall, Isles of Scilly, Durham,"
        "Northumberland, Shropshire, Wiltshire, Cheshire East, Cheshire West and Chester, Bedford,"
        "Central Bedfordshire, Luton, Milton Keynes, Bracknell Forest, Reading, Slough, West Berkshire,"
        "Windsor and Maidenhead, Wokingham, Brighton and Hove, Portsmouth, Southampton, Isle of Wight, Medway,"
        "Thurrock, Southend-on-Sea, Peterborough, Bath and North East Somerset, Bristol, North Somerset,"
        "South Gloucestershire, Plymouth, Torbay, Swindon, Bournemouth, Christchurch and Poole, Herefordshire,"
        "Telford and Wrekin, Stoke-on-Trent, Derby, Leicester, Nottingham, Rutland, Kingston upon Hull,"
        "East Riding of Yorkshire, North East Lincolnshire, North Lincolnshire, York, Darlington, Hartlepool,"
        "Middlesbrough, Redcar and Cleveland, Stockton-on-Tees, Halton, Warrington, Blackburn with Darwen,"
        "Blackpool, North Northamptonshire, West Northamptonshire, Cumberland, Westmorland and Furness"
    )
)


def is_real_la_name(place: str) -> bool:
    lowered = place.lower()
    return any(real == lowered or re.search(rf"\b{re.escape(real)}", lowered) for real in REAL_LA_NAMES)


def place_names(rng: random.Random, taken: set[str]) -> Iterator[str]:
    """Fictional place names in a seeded order, skipping any in `taken` (and adding what it yields)."""
    combos = [p + s for p in _PLACE_PREFIXES for s in _PLACE_SUFFIXES]
    rng.shuffle(combos)
    for name in combos:
        if name not in taken and not is_real_la_name(name):
            taken.add(name)
            yield name
    raise RuntimeError("no more fictional place names")


def town_names(rng: random.Random, taken: set[str], count: int) -> list[str]:
    towns: list[str] = []
    for place in place_names(rng, taken):
        towns.append(rng.choice(_TOWN_QUALIFIERS) + place)
        if len(towns) == count:
            return towns
    return towns


# --- Identifiers ------------------------------------------------------------------------------

LA_CODES: tuple[str, ...] = (
    tuple(str(n) for n in range(950, 990))
    + tuple(str(n) for n in range(101, 200))
    + tuple(f"{n:03d}" for n in range(1, 100))
)

# Real postcode areas (and the non-geographic BF, BX, GIR, XX): synthetic areas avoid them all.
_REAL_POSTCODE_AREAS = frozenset(
    _words(
        "AB, AL, B, BA, BB, BD, BF, BH, BL, BN, BR, BS, BT, BX, CA, CB, CF, CH, CM, CO, CR, CT, CV, CW, DA,"
        "DD, DE, DG, DH, DL, DN, DT, DY, E, EC, EH, EN, EX, FK, FY, G, GL, GU, GY, HA, HD, HG, HP, HR, HS, HU,"
        "HX, IG, IM, IP, IV, JE, KA, KT, KW, KY, L, LA, LD, LE, LL, LN, LS, LU, M, ME, MK, ML, N, NE, NG, NN,"
        "NP, NR, NW, OL, OX, PA, PE, PH, PL, PO, PR, RG, RH, RM, S, SA, SE, SG, SK, SL, SM, SN, SO, SP, SR,"
        "SS, ST, SW, SY, TA, TD, TF, TN, TQ, TR, TS, TW, UB, W, WA, WC, WD, WF, WN, WR, WS, WV, YO, ZE"
    )
)
_FIRST_LETTERS = "ABCDEFGHIJKLMNOPRSTUWYZ"  # never Q, V or X first
_SECOND_LETTERS = "ABCDEFGHKLMNOPQRSTUVWXY"  # never I, J or Z second
POSTCODE_AREAS: tuple[str, ...] = tuple(
    a + b for a in _FIRST_LETTERS for b in _SECOND_LETTERS if a + b not in _REAL_POSTCODE_AREAS
)
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # never C, I, K, M, O or V in the inward code

assert len(POSTCODE_AREAS) >= len(LA_CODES)


def postcode_area(la_code: str) -> str:
    """The fictional postcode area used by every address in this local authority."""
    return POSTCODE_AREAS[LA_CODES.index(la_code)]


def postcode(area: str, district: int, rng: random.Random) -> str:
    return f"{area}{district} {rng.randint(1, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"


def ods(kind: str, la_code: str, serial: int | None = None) -> str:
    return f"ZZ{kind}{la_code}{'' if serial is None else serial}"


URN_START = 900_000


def phone(rng: random.Random) -> str:
    prefix = rng.choice(("0161 496 0", "020 7946 0", "01632 960"))
    return f"{prefix}{rng.randint(0, 999):03d}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def email(local: str, organisation_name: str) -> str:
    return f"{slug(local)}@{slug(organisation_name)}.example"


# --- Organisation and street names ------------------------------------------------------------

_NATURE = _words(
    "Acacia, Alder, Beech, Birch, Chestnut, Elm, Hawthorn, Hazel, Holly, Juniper, Larch, Laurel, Linden,"
    "Maple, Oak, Poplar, Rowan, Sycamore, Willow, Yew, Blackbird, Curlew, Heron, Kestrel, Lapwing, Linnet,"
    "Plover, Swallow, Wren, Cedar, Cherry, Primrose, Bluebell, Foxglove, Heather, Clover, Meadow, Orchard,"
    "Brook, Spring, Riverside, Ash, Skylark, Kingfisher, Harebell, Bramley"
)
_STREET_WORDS = _NATURE + _words(
    "Albert, Alexandra, Church, Mill, Station, Park, School, Victoria, Queen's, King's, St Mary's, Chapel,"
    "Bridge, Market, Well, Pinfold, Tannery, Foundry, Canal, Quarry, Garden, Nelson, Cromwell, Raleigh,"
    "Gladstone, Shelley, Brontë, Tennyson, Wordsworth, Darwin, Faraday, Stephenson, Brunel, Seacole,"
    "Pankhurst, Nightingale, Fry, Turing"
)
_STREET_TYPES = _words(
    "Road, Street, Lane, Close, Avenue, Way, Drive, Gardens, Crescent, Court, Grove, Place, Walk, Terrace,"
    "Rise, View, Mews"
)
_BUILDINGS = ("House", "Court", "Tower", "Lodge", "Point", "Heights")
_SAINTS = _words(
    "Mary, John, Peter, Paul, Joseph, Anne, Michael, Andrew, Margaret, Thomas, Bede, Chad, Hilda, Aidan,"
    "Patrick, Teresa, Bernadette, Augustine, Cuthbert, Wilfrid, Oswald"
)


def street_name(rng: random.Random) -> str:
    return f"{rng.choice(_STREET_WORDS)} {rng.choice(_STREET_TYPES)}"


def building_name(rng: random.Random) -> str:
    return f"{rng.choice(_NATURE)} {rng.choice(_BUILDINGS)}"


def gp_practice_name(town: str, rng: random.Random) -> str:
    return rng.choice(
        (
            f"{rng.choice(_STREET_WORDS)} Street Surgery",
            f"{town} Medical Centre",
            f"The {rng.choice(_NATURE)} Practice",
            f"{rng.choice(_NATURE)} House Surgery",
            f"{town} Health Centre",
            f"{rng.choice(_NATURE)} Family Practice",
        )
    )


def primary_school_name(town: str, rng: random.Random) -> str:
    return rng.choice(
        (
            f"{town} Primary School",
            f"{rng.choice(_NATURE)} Primary School",
            f"St {rng.choice(_SAINTS)}'s Church of England Primary School",
            f"St {rng.choice(_SAINTS)}'s Catholic Primary School",
            f"{rng.choice(_NATURE)} Primary Academy",
            f"{town} Infant and Nursery School",
            f"{rng.choice(_NATURE)} Junior School",
        )
    )


def secondary_school_name(town: str, rng: random.Random) -> str:
    return rng.choice(
        (
            f"{town} High School",
            f"{rng.choice(_NATURE)} Academy",
            f"{town} Community College",
            f"St {rng.choice(_SAINTS)}'s Catholic High School",
            f"{town} School",
            f"{rng.choice(_NATURE)} Park School",
        )
    )


def early_years_name(town: str, rng: random.Random) -> str:
    return rng.choice(
        (
            f"{rng.choice(_NATURE)} Day Nursery",
            f"Little {rng.choice(_NATURE)}s Pre-school",
            f"{town} Children's Centre Nursery",
            f"{rng.choice(_NATURE)} Montessori Nursery",
            f"{town} Playgroup",
        )
    )


def voluntary_names(place: str) -> tuple[str, ...]:
    return (
        f"{place} Women's Aid",
        f"{place} Young Carers",
        f"{place} Family Support Network",
        f"{place} Food Bank",
        f"{place} Youth Project",
        f"{place} Refugee Welcome",
    )
