"""Word lists and patterns the text extractor reads with (what a count counts, who counted it,
where, and which words signal killing, injury, displacement, return or release).

Kept apart from the logic in :mod:`stats.ingest.text` so that they can be read and extended in
one place. Counter names come from :data:`stats.vocab.SOURCES`; place names from
:data:`stats.vocab.PLACES` plus the towns and neighbouring countries below.
"""

from __future__ import annotations

import re

from stats import vocab
from stats.ingest.numbers import one_of

# ---------------------------------------------------------------------------------------------
# The noun after a number: whose count is it?
# ---------------------------------------------------------------------------------------------
#: people nouns -> class (civilians, children, women, combatants, people, others, victims)
PEOPLE = {
    **dict.fromkeys(
        "civilians civilian non-combatants noncombatants demonstrators protesters protestors "
        "journalists doctors medics paramedics nurses students worshippers shoppers "
        "passengers farmers villagers volunteers demonstrator protester protestor journalist "
        "doctor medic paramedic nurse student farmer volunteer workers staff".split(),
        "civilians",
    ),
    **dict.fromkeys(
        "children child kids minors boys girls infants babies toddlers schoolchildren boy girl "
        "baby infant kid minor toddler".split(),
        "children",
    ),
    **dict.fromkeys("women woman".split(), "women"),
    **dict.fromkeys(
        "fighters fighter combatants combatant soldiers soldier troops militants militant rebels "
        "insurgents jihadists jihadis militiamen gunmen servicemen conscripts recruits "
        "mercenaries paramilitaries policemen guards officers personnel policeman officer "
        "militiaman gunman serviceman conscript guard".split(),
        "combatants",
    ),
    **dict.fromkeys(
        "people persons person individuals residents inhabitants syrians men man adults "
        "kurds alawites druze christians lebanese migrants evacuees "
        "family members".split(),
        "people",
    ),
    "others": "others",
    "patients": "patients",
    "patient": "patients",
    "victims": "victims",
    "members": "members",
}
#: nouns that are themselves a metric (class, event)
METRIC_NOUNS = {
    "dead": ("people", "killed"),
    "deaths": ("people", "killed"),
    "death": ("people", "killed"),
    "fatalities": ("people", "killed"),
    "killed": ("people", "killed"),
    "bodies": ("people", "killed"),
    "wounded": ("people", "injured"),
    "injured": ("people", "injured"),
    "injuries": ("people", "injured"),
    "displaced": ("people", "displaced"),
    "idps": ("people", "idps"),
    "refugees": ("people", "refugees"),
    "returnees": ("people", "returnees"),
    "prisoners": ("people", "prisoners"),
    "detainees": ("people", "prisoners"),
    "inmates": ("people", "prisoners"),
    "captives": ("people", "prisoners"),
    "vehicles": ("vehicles", "vehicles"),
    "tanks": ("vehicles", "vehicles"),
    "apcs": ("vehicles", "vehicles"),
    "armoured": ("vehicles", "vehicles"),
    "armored": ("vehicles", "vehicles"),
}
#: nouns that say the number is not a count of people
NOT_PEOPLE = set(
    """
    attacks attack strikes strike airstrikes airstrike air raids raid shells shelling rockets
    missiles bombs barrel drones drone massacres massacre incidents incident violations
    violation explosions clashes battles operations facilities facility hospitals hospital
    schools school centres centers centre center clinics communities community villages village
    towns town localities locality cities city sites site positions areas area districts
    sub-districts subdistricts governorates governorate provinces province neighbourhoods
    neighborhoods homes houses buildings shelters camps camp ngos organizations organisations
    organization organisation partners partner agencies groups factions trucks truck lorries
    convoys convoy tonnes tons meals kits dollars euros pounds usd percent per cent km kilometers
    kilometres miles metres meters hours hour days day weeks week months month years year decades
    decade times points crossings routes roads bridges families households cases calls reports
    statements videos images pages year-old years-old aircraft planes jets helicopters warplanes
    vessels ships boats weapons guns rifles depots sorties flights projects programmes programs
    sectors members-states countries nations states parties sides fronts frontlines miles
    sq square hectares items doses vaccines beds tents blankets litres liters gallons appeals
    million billion minutes seconds floors storeys rounds locations spaces units casualties
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday
    """.split()
)
#: after "members": these make them combatants
MEMBERS_COMBATANT = re.compile(
    r"^\s+of\s+(?:the\s+)?[^.;,]{0,40}?\b(?:forces|army|police|security|militias?|"
    r"brigades?|battalions?|units?|HTS|SDF|SNA|group|factions?)\b",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------------------------
# Events: which verb or noun says what happened to the people counted
# ---------------------------------------------------------------------------------------------
_COUNTRIES = (
    r"(?:Lebanon|T[üu]rkiye|Turkey|Jordan|Iraq|Israel|Egypt|Europe|Germany|Cyprus|Greece|"
    r"neighbouring\s+countries|neighboring\s+countries|abroad)"
)
#: event cues read after the count (first match wins by position; order breaks ties)
RIGHT_CUES = [
    (
        "refugees",
        re.compile(
            rf"\b(?:fled|flee(?:ing)?|crossed|escaped|arrived)\s+(?:\w+\s+){{0,3}}?"
            rf"(?:to|into|in|for)\s+(?:neighbouring\s+)?{_COUNTRIES}\b|\bsought\s+refuge\s+in\s+"
            rf"{_COUNTRIES}|\bcrossed\s+(?:the\s+)?border\b(?!\s+back)",
            re.IGNORECASE,
        ),
    ),
    (
        "returnees",
        re.compile(
            r"\b(?:returned|returning|return|went\s+back|gone\s+back|came\s+back|come\s+back|"
            r"coming\s+back|going\s+back|crossed\s+back|headed\s+back|back\s+home)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "idps",
        re.compile(
            r"\b(?:remain(?:ed|s)?\s+(?:internally\s+)?displaced|still\s+displaced|currently\s+"
            r"(?:displaced|hosted|sheltering)|(?:are|were)\s+(?:now\s+)?(?:being\s+)?hosted|"
            r"sheltering|(?:sought|taking|took|found|seeking)\s+shelter|living\s+in\s+"
            r"(?:camps|shelters|collective))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "killed",
        re.compile(
            r"\b(?:killed|died|dead|dying|die|lost\s+(?:their|his|her)\s+lives?|perished|slain|"
            r"executed|massacred|killing|deaths?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "injured",
        re.compile(r"\b(?:injured|wounded|hurt|injuries|wounding|injuring)\b", re.IGNORECASE),
    ),
    (
        "displaced",
        re.compile(
            r"\b(?:displaced|displacement|fled|flee(?:ing)?|uprooted|evacuated|forced\s+(?:\w+\s+)"
            r"{0,2}(?:to\s+flee|from|out|to\s+leave)|left\s+their\s+homes|on\s+the\s+(?:move|run))\b",
            re.IGNORECASE,
        ),
    ),
    ("released", re.compile(r"\b(?:released|freed|set\s+free|liberated)\b", re.IGNORECASE)),
    ("captured", re.compile(r"\b(?:captured|taken\s+(?:prisoner|captive))\b", re.IGNORECASE)),
]
#: the letters each cue can start with (a look-ahead of them skips the other words fast)
_RIGHT_FIRST = {
    "refugees": "fceas",
    "returnees": "rwgchb",
    "idps": "rscawtfl",
    "killed": "kdlpsem",
    "injured": "iwh",
    "displaced": "dfuelo",
    "released": "rfsl",
    "captured": "ct",
}
#: all event cues in one pattern (the leftmost wins, then the first listed)
ALL_RIGHT_CUES = re.compile(
    r"(?<!\w)(?=\w)(?:"
    + "|".join(f"(?P<{ev}>(?=[{_RIGHT_FIRST[ev]}])(?:{rx.pattern}))" for ev, rx in RIGHT_CUES)
    + ")",
    re.IGNORECASE,
)

#: a cue that directly governs the count before it ("killing 105 civilians", "deaths of five")
LEFT_CUE = re.compile(
    r"(?<!\w)(?=[kdblsemiwurfc])\b(?P<cue>kill(?:ed|ing|s)?|deaths?|dead|bodies|lives|slaughter(?:ed|ing)?|"
    r"execut(?:ed|ing)|"
    r"massacr(?:ed|ing)|injur(?:ed|ing|ies)|wound(?:ed|ing)|displac(?:ed|ing)|uproot(?:ed|ing)|"
    r"releas(?:ed|ing)|free(?:d|ing)|liberat(?:ed|ing)|captur(?:ed|ing)|evacuat(?:ed|ing)|"
    r"return(?:ed|ing)?)\b[\s“”\"'‘’]*(?:(?:of|the|a|total|another|an|additional|some|"
    r"reportedly|allegedly|respectively|were|was|are|is)[\s“”\"'‘’]+){0,4}$",
    re.IGNORECASE,
)
#: "the death toll rose to 311", "the number of fighters killed has risen to 218"
TOLL = re.compile(
    r"(?<!\w)(?=[cdtn])\b(?P<what>(?:(?P<civ>civilian)\s+)?(?:death\s+)?toll|number\s+of\s+(?P<noun>[a-z]+)\s+"
    r"(?P<ev>killed|dead|wounded|injured|displaced)|number\s+of\s+(?:newly\s+)?(?:internally\s+)?"
    r"(?P<ev2>displaced|dead|wounded|injured|refugees|returnees|IDPs)(?:\s+(?:people|persons|"
    r"Syrians|civilians))?)\b[^.;:]{0,100}?\b(?:to|at|of|reached|hit|"
    r"is|was|stood\s+at|stands\s+at)[\s“”\"]*$",
    re.IGNORECASE,
)
_LEFT_EVENT = {
    "kill": "killed",
    "deat": "killed",
    "dead": "killed",
    "bodi": "killed",
    "live": "killed",
    "slau": "killed",
    "exec": "killed",
    "mass": "killed",
    "inju": "injured",
    "woun": "injured",
    "disp": "displaced",
    "upro": "displaced",
    "evac": "displaced",
    "rele": "released",
    "free": "released",
    "libe": "released",
    "capt": "captured",
    "retu": "returnees",
}


def left_event(cue: str) -> str:
    """Event named by a cue word found before a count."""
    return _LEFT_EVENT[cue.lower()[:4]]


#: an event cue followed by "or"/"and" another event: one number for two metrics (not a claim)
TWO_METRICS = re.compile(
    r"\b(?:killed|dead|died|lives|deaths)\s+(?:or|and)\s+(?:got\s+|were\s+|been\s+)?"
    r"(?:injured|wounded)\b|\b(?:injured|wounded)\s+(?:or|and)\s+(?:killed|dead)\b|\bcasualties\b",
    re.IGNORECASE,
)

#: (class, event) -> metric; ``None`` when the vocabulary has no metric for it
METRIC_OF = {
    ("people", "killed"): "killed",
    ("others", "killed"): "killed",
    ("civilians", "killed"): "civilians_killed",
    ("children", "killed"): "children_killed",
    ("women", "killed"): "women_killed",
    ("combatants", "killed"): "combatants_killed",
    ("people", "injured"): "injured",
    ("patients", "killed"): "civilians_killed",
    ("patients", "injured"): "civilians_injured",
    ("others", "injured"): "injured",
    ("civilians", "injured"): "civilians_injured",
    ("children", "injured"): "children_injured",
    ("women", "injured"): "women_injured",
    ("combatants", "injured"): "injured",
    ("people", "displaced"): "displaced",
    ("civilians", "displaced"): "displaced",
    ("others", "displaced"): "displaced",
    ("people", "idps"): "idps",
    ("civilians", "idps"): "idps",
    ("people", "refugees"): "refugees",
    ("people", "returnees"): "returnees",
    ("civilians", "returnees"): "returnees",
    ("people", "released"): "prisoners_released",
    ("civilians", "released"): "prisoners_released",
    ("combatants", "released"): "prisoners_released",
    ("people", "captured"): "captured",
    ("combatants", "captured"): "captured",
    ("civilians", "captured"): "captured",
    ("vehicles", "vehicles"): "vehicles",
}

# ---------------------------------------------------------------------------------------------
# Subsets: "149 civilians, including 35 children and 16 women"
# ---------------------------------------------------------------------------------------------
SUBSET_INTRO = re.compile(
    r"(?:\b(?:including|included|includes|include|comprising|comprised\s+of|consisting\s+of|"
    r"among\s+(?:them|whom|those|these|the\s+\w+)|"
    r"of\s+whom|of\s+which|of\s+them|incl\.)\s*[:,]?\s*[“”\"]?|\(\s*|\s(?:--|—|–)\s*|:\s*)$",
    re.IGNORECASE,
)
LIST_CONT = re.compile(r"^\s*(?:,|,?\s*and|&|;)\s*(?:her|his|their)?\s*[“”\"]?$", re.IGNORECASE)
#: "a 10-year-old child", "one woman" (a count of one)
#: the nouns of :data:`ONE_PERSON` as whole words, in lower-case text (a fast first test)
ONE_PERSON_NOUN = re.compile(
    r"(?:child|boy|girl|baby|infant|woman|civilian|fighter|soldier|man|journalist|doctor|"
    r"nurse|paramedic|medic|rescuer|volunteer)\b"
)
ONE_PERSON = re.compile(
    r"(?<!\w)(?=[aAoO])(?:an?|one)\s+(?:(?:\d+|[a-z]+)[-\s](?:year|month)s?[-\s]old\s+)?"
    r"(?P<noun>child|boy|girl|baby|infant|woman|civilian|fighter|soldier|man|journalist|doctor|"
    r"nurse|paramedic|medic|rescuer|volunteer)\b",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------------------------
# Who counted
# ---------------------------------------------------------------------------------------------
_EXTRA_COUNTERS = {
    "UN": "UN",
    "U.N.": "UN",
    "UN agencies": "UN",
    "United Nations agencies": "UN",
    "rebels": "rebels",
    "rebel forces": "rebels",
    "the rebels": "rebels",
    "White Helmets": "White Helmets",
    "Syrian Civil Defense": "White Helmets",
    "SOHR": "SOHR",
    "OCHA": "OCHA",
    "UNHCR": "UNHCR",
    "IOM": "IOM",
    "SNHR": "SNHR",
    "Syrian Observatory": "SOHR",
    "Britain-based war monitor": "SOHR",
    "Britain-based Syrian Observatory": "SOHR",
    "UK-based monitor": "SOHR",
    "London-based monitor": "SOHR",
    "London-based war monitor": "SOHR",
    "war monitor": None,
}


def _counter_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for row in vocab.SOURCES.itertuples(index=False):
        for a in [row.name, row.full_name, *filter(None, str(row.aliases).split("|"))]:
            a = re.sub(r"^the\s+", "", a.strip(), flags=re.IGNORECASE)
            if len(a) >= 2:
                names[a] = row.name
    for a, n in _EXTRA_COUNTERS.items():
        if n:
            names.setdefault(a, n)
    return names


COUNTER_NAMES = _counter_names()
_alts = sorted(COUNTER_NAMES, key=len, reverse=True)


def _initials_first(alternatives: list[str], not_before: str) -> str:
    """Alternatives (regex source, each starting with a letter) grouped by their first letter,
    each group written as that letter, then a look-behind that the character before it is
    not ``not_before``, then the rest: the same matches as ``(?<!not_before)(?:...)``, but a
    pattern that starts with a letter lets the scan skip to the next possible first letter
    without trying each position (several times faster over a whole text)."""
    groups: dict[str, list[str]] = {}
    for a in alternatives:
        groups.setdefault(a[0], []).append(a[1:])
    return "|".join(f"{c}(?<!{not_before}{c})(?:{'|'.join(rests)})" for c, rests in groups.items())


_COUNTER_ALTS = [re.escape(a).replace(r"\ ", r"\s+") for a in _alts]
#: a named counter (case-sensitive: "UN" is not "un")
COUNTER = re.compile(
    (
        "(?:" + _initials_first(_COUNTER_ALTS, r"[\w-]") + ")"
        if all(a[0].isascii() and a[0].isalpha() for a in _COUNTER_ALTS)
        else r"(?<![\w-])(?:" + one_of(_COUNTER_ALTS) + ")"
    )
    + r"(?![\w-])"
)
#: a reference back to a counter named earlier
COUNTER_REF = re.compile(
    r"\b(?=[ti])(?:(?:this|the)\s+(?:NGO|monitor|war\s+monitor|monitoring\s+group|organi[sz]ation|group|"
    r"network|agency|report|body|office|(?:[A-Z][a-z]+|UK|U\.K\.)-based\s+(?:war\s+)?"
    r"(?:monitor(?:ing\s+group)?|group|organi[sz]ation|NGO))|(?<![\w-])it)\b",
    re.IGNORECASE,
)
#: what kind of counter a reference word refers back to (types of :data:`stats.vocab.SOURCES`)
REF_TYPES = {
    "ngo": {"monitor", "civil defence"},
    "monitor": {"monitor"},
    "monitoring group": {"monitor"},
    "observatory": {"monitor"},
    "network": {"monitor"},
    "organisation": {"monitor", "civil defence", "UN", "analysis", "event data"},
    "organization": {"monitor", "civil defence", "UN", "analysis", "event data"},
    "agency": {"UN", "government"},
    "office": {"UN", "government"},
    "group": {"monitor", "armed group", "civil defence"},
}
COUNTER_TYPES = dict(zip(vocab.SOURCES["name"], vocab.SOURCES["type"], strict=True))
#: a reference back to a counter after "according to (the)": "according to the monitor"
REF_BARE = re.compile(
    r"(?:(?:[A-Z][a-z]+|UK|U\.K\.)-based\s+(?:war\s+)?)?(?:NGO|monitor|war\s+monitor|monitoring\s+"
    r"group|organi[sz]ation|group|network|agency|report|body|office)\b",
    re.IGNORECASE,
)


def ref_types(ref: str) -> set[str] | None:
    """Kinds of counter a reference ("this NGO", "the agency") can mean; None for any."""
    words = ref.lower().split()
    for w in reversed(words):
        w = "organisation" if w.startswith("organi") else w
        if w in REF_TYPES:
            return REF_TYPES[w]
    return None


#: an organisation the vocabulary does not know, named after "according to (the)":
#: capitalised words ending in a word that names an organisation ("Health Cluster")
ORG_NAME = re.compile(
    r"(?:[A-Z][\w'’&.-]*\s+){0,5}(?:Cluster|Crescent|Cross|Ministry|Directorate|Network|Committee|"
    r"Council|Office|Organi[sz]ation|Agency|Authority|Authorities|Cent(?:er|re)|Watch|Programme|"
    r"Program|Fund|Commission|Department|Observatory|Defen[cs]e|Coalition|Government|Task\s+Force|"
    r"Union|Institute|Foundation|Society|Mission)\b(?:\s+(?:of|for)(?:\s+(?:the\s+)?"
    r"[A-Z][\w'’-]*){1,4})?"
)

#: unnamed source ("an NGO", "activists", "sources"): an attribution that names no counter
UNNAMED = re.compile(
    "(?:"
    + _initials_first(
        [
            r"an?\s+(?:NGO|monitor|war\s+monitor|rights\s+group|group|source|official|"
            r"(?:[A-Z][a-z]+|UK)-based\s+\w+)",
            *"activists sources witnesses residents medics officials AFP Reuters AP".split(),
            r"state\s+media",
            r"media\s+reports",
        ],
        r"\w",
    )
    + r")\b"
)
ATTR_VERB = (
    r"(?:said|says|say|reported|reports|report|stated|states|announced|announces|documented|"
    r"documents|recorded|records|estimated|estimates|added|adds|confirmed|confirms|noted|notes|"
    r"indicated|indicates|counted|tallied|registered|revealed|reveals|boasted|claimed|claims|"
    r"told|warned|put|puts|gave|cited|shows|showed|found|finds|affirmed|raised|updated|"
    r"published|issued|verified|tweeted|wrote)"
)
ACCORDING_TO = re.compile(
    r"\baccording\s+to\s+(?P<det>the\s+|an?\s+)?(?:(?:latest|new|most\s+recent|updated|"
    r"preliminary|initial|official)\s+)*(?:(?:figures|data|toll|count|tally|report|statement|"
    r"estimates?|numbers|information|reports|assessment|compilation|sources)\s+(?:from|by|of|"
    r"published\s+by|provided\s+by|compiled\s+by)\s+(?P<det2>the\s+|an?\s+)?)?",
    re.IGNORECASE,
)
VERB_AFTER = re.compile(
    r"\)?(?:\s*\([^)]{0,60}\))?(?:'s)?(?:\s+(?:activists|sources|teams?|correspondents|researchers|"
    r"figures|data|report|statement|records|officials|spokes(?:man|person|woman)|staff|"
    r"director|head|chief)(?:\s+(?-i:[A-Z])[\w'’-]+){0,4})?(?:\s+(?-i:[A-Z])[\w'’-]+){0,4}"
    r"(?:\s*,[^.;]{0,100}?,)?(?:\s+(?:in|on|at|from|with)\s+[^,.;]{0,40}?)?"
    r"\s+(?:has\s+|had\s+|have\s+|also\s+|"
    r"later\s+|previously\s+|separately\s+|further\s+|on\s+\w+\s+)*" + ATTR_VERB + r"\b",
    re.IGNORECASE,
)
VERB_BEFORE = re.compile(
    r"\b" + ATTR_VERB + r"(?:\s+on\s+\w+|\s+\w+day)?\s+(?:by\s+)?(?:the\s+|this\s+)?$",
    re.IGNORECASE,
)
#: counters known by the web site that published the report
DOMAIN_COUNTERS = {
    "snhr.org": "SNHR",
    "syriahr.com": "SOHR",
    "unocha.org": "OCHA",
    "unhcr.org": "UNHCR",
    "iom.int": "IOM",
    "who.int": "WHO",
    "wfp.org": "WFP",
    "unicef.org": "UNICEF",
    "acleddata.com": "ACLED",
    "airwars.org": "Airwars",
    "syriacivildefence.org": "White Helmets",
    "rojavainformationcenter.org": "RIC",
}

# ---------------------------------------------------------------------------------------------
# Where
# ---------------------------------------------------------------------------------------------
_EXTRA_PLACES = """
Syria Lebanon Türkiye Turkey Iraq Jordan Israel Aleppo Idlib Idleb Hama Homs Damascus Latakia
Lattakia Tartous Tartus Raqqa Hasakah Hasakeh Qamishli Manbij Kobani Afrin Ariha Saraqib
Rastan Talbiseh Masyaf Salamiyah Douma Saydnaya Sednaya Qusayr Palmyra Daraa Deraa Sweida
Suwayda Quneitra Azaz Jarablus Jisr al-Shughur Khan Sheikhoun Maarat al-Numan Tal Rifaat
Masnaa Deir ez-Zor Deir Ezzor Bab al-Hawa Bab al-Salam Nasib Jdeidet Yabous Al-Bab Abu Kamal
Albu Kamal Tishreen Tishrin Kessab Harem Sarmada Dana Atarib Anadan Nubl Zahraa Shaddadi
""".split()
GAZETTEER = {
    *(p.casefold() for p in _EXTRA_PLACES),
    *(re.sub(r"\s+", " ", k) for k in vocab._PLACE_ALIASES.index),  # noqa: SLF001
    *(p.casefold() for p in vocab.PLACES["name"]),
    "jisr al-shughur",
    "khan sheikhoun",
    "maarat al-numan",
    "tal rifaat",
    "deir ez-zor",
    "bab al-hawa",
    "bab al-salam",
    "jdeidet yabous",
    "abu kamal",
}
_CAP = r"(?:[A-Z][a-zà-ÿ'’]+|[A-Z]{2,})(?:-(?:[A-Z]?[a-zà-ÿ'’]+))*"
_LINK = r"(?:\s+(?:al|el|ez|ad|as|ash|az|ar|an|ul|bin|ibn)-?(?=[A-Z])|\s+|\s+(?:al|el|ez|ad)-)"
_DIR = (
    r"(?i:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?|north(?:east|west)ern|"
    r"south(?:east|west)ern|central|rural|coastal)"
)
#: a place name, optionally with a direction ("western Aleppo", "northwestern Syria"),
#: optionally two joined by "and" ("Idleb and western Aleppo")
PLACE = re.compile(
    r"(?<!\w)(?=[A-Za-z])"
    rf"(?:\b(?P<dir>{_DIR})\s+)?(?P<name>{_CAP}(?:{_LINK}{_CAP}){{0,2}})"
    rf"(?:\s+and\s+(?:(?P<dir2>{_DIR})\s+)?(?P<name2>{_CAP}(?:{_LINK}{_CAP}){{0,2}}))?"
)
_GAZ_FORMS = sorted(
    {
        *_EXTRA_PLACES,
        *(
            a.strip()
            for row in vocab.PLACES.itertuples(index=False)
            for a in [row.name, *str(row.aliases or "").split("|")]
            if a.strip()[:1].isupper()
        ),
        "Jisr al-Shughur",
        "Khan Sheikhoun",
        "Maarat al-Numan",
        "Tal Rifaat",
        "Deir ez-Zor",
        "Bab al-Hawa",
        "Bab al-Salam",
        "Jdeidet Yabous",
        "Abu Kamal",
    },
    key=len,
    reverse=True,
)
_SECOND = rf"(?:\s+and\s+(?:(?P<dir2>{_DIR})\s+)?(?P<name2>{_CAP}(?:{_LINK}{_CAP}){{0,2}}))?"
#: a known place (gazetteer), with an optional direction and a second place after "and"
GAZ_PLACE = re.compile(
    r"(?<!\w)(?=[A-Znsewcr])"
    rf"(?:\b(?P<dir>{_DIR})\s+)?(?=[A-Z])(?P<name>"
    + one_of([re.escape(g).replace(r"\ ", r"\s+") for g in _GAZ_FORMS])
    + rf")(?![\w-]){_SECOND}"
)
#: any capitalised name after "in", "around", "near", "across"... ("in Ariha")
LOCATIVE_PLACE = re.compile(
    "(?P<prep>"
    + _initials_first("in around near across throughout inside outside".split(), r"\w")
    + r")\s+(?:the\s+)?"
    r"(?:(?:city|town|village|province|governorate|district|countryside|outskirts)\s+of\s+)?"
    rf"(?:(?P<dir>{_DIR})\s+)?(?P<name>{_CAP}(?:{_LINK}{_CAP}){{0,2}}){_SECOND}"
)
LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|across|around|throughout|near|inside|within|outside|at|on\s+the\s+outskirts\s+of|"
    r"to|into|towards|toward|from|of)\s+(?:the\s+)?(?:(?:city|town|village|province|"
    r"governorate|region|area|countryside|district|outskirts|suburbs?)\s+of\s+)?"
    r"(?:(?:northern|southern|eastern|western|central|northwestern|northeastern|southwestern|"
    r"southeastern|coastal)\s+Syrian\s+(?:city|town|village|province)\s+of\s+)?$",
    re.IGNORECASE,
)
#: prepositions after which an unknown capitalised word is taken as a place ("in Ariha")
STRONG_LOCATIVE = re.compile(
    r"\b(?:in|around|near|across|throughout|inside|outside)\s+(?:the\s+)?(?:(?:city|town|"
    r"village|province|governorate|district|countryside|outskirts)\s+of\s+)?$",
    re.IGNORECASE,
)
#: prepositions whose place can carry over to the next sentences of a paragraph
AREA_LOCATIVE = re.compile(
    r"\b(?=[iatnw])(?:in|across|around|throughout|near|inside|within)\s+(?:the\s+)?$", re.IGNORECASE
)
CROSSING = re.compile(
    rf"\b(?=[tvaf])(?:through|via|at|from)\s+(?:the\s+)?(?P<name>{_CAP}(?:{_LINK}{_CAP}){{0,2}})\s+"
    r"(?:official\s+|main\s+|border\s+)*(?:crossing|border\s+point|crossing\s+point|"
    r"border\s+crossing|checkpoint)\b"
)
NOT_PLACE = set(
    """
    the a an this that these those he she it they we his her its their our on in of at and or
    but mr mrs ms dr president minister state government army forces regime rebels un
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday telegram twitter facebook
    according since from until during after before while when where which who what syrian
    syrians alawite alawites kurdish kurds arab arabs islamic islamist islamists
    """.split()
)
#: words that make a capitalised name an organisation, operation or building, not a place
NOT_PLACE_WORDS = set(
    """
    operation operations forces force command network observatory council ministry army office
    agency committee front brigade brigades cluster task coalition group party movement alliance
    union nations organization organisation government regime authority authorities crescent
    cross hospital university school centre center department directorate division battalion
    police court assembly commission fund programme program bank company media news report
    """.split()
)
#: adjectives of nationality ("Turkish", "Russian", "Israeli") are not places
DEMONYM = re.compile(r"(?:ish|ian|ians|ese|i|is)$")
#: a coordinator joining two counts ("180 fighters ... in addition to about 20 civilians")
COORD = re.compile(
    r"^[^.;:]{0,50}?(?:,|\band|\bas\s+well\s+as|\bin\s+addition\s+to|\bplus|\balong\s+with|"
    r"\bbut\s+also|\bor)\s*[“”\"]?$",
    re.IGNORECASE,
)
#: a count introduced as a reference to a total stated before ("Of the more than 700 killed")
OF_THE_TOTAL = re.compile(r"\b(?:of|among|from)\s+(?:the|these|those)\s*$", re.IGNORECASE)
PLACE_EXCLUDE_BEFORE = re.compile(
    r"(?=[-bfsica])(?:based\s+in|-based|from\s+Britain|(?:sources|informants|contacts|activists)\s+"
    r"(?:\w+\s+){0,3}(?:in|inside|across|throughout))\s*(?:the\s+)?$",
    re.I,
)
COUNTRY_WORDS = {
    "syria": "Syria",
    "syrian": "Syria",
    "syrians": "Syria",
    "lebanon": "Lebanon",
    "lebanese": "Lebanon",
    "iraq": "Iraq",
    "iraqi": "Iraq",
    "jordan": "Jordan",
    "türkiye": "Türkiye",
    "turkey": "Türkiye",
    "turkish": "Türkiye",
}
COUNTRY_RE = re.compile(
    r"\b(?:Syria|Syrian|Syrians|Lebanon|Lebanese|Iraq|Iraqi|Jordan|Türkiye|Turkey|Turkish)\b"
)
#: "in the north-west": a part of the country the document is about
THE_REGION = re.compile(
    r"\b(?=[iat])(?:in|across|throughout)\s+the\s+(?P<dir>north-?west|north-?east|south-?west|south-?east)"
    r"(?:ern)?\b(?!\s+of\b)(?!\s+(?-i:[A-Z]))",
    re.IGNORECASE,
)
THE_COUNTRY = re.compile(
    r"\b(?=[iat])(?:in|across|throughout)\s+(?:a|the)\s+country\b", re.IGNORECASE
)
#: "Of this total", "Among them": a sentence that continues the previous sentence's count
ANAPHORA = re.compile(
    r"^\W*(?:of\s+(?:this|that|the|these|those)\b|among\s+(?:them|these|those|the)\b|"
    r"in\s+addition\s+to\s+the\b|this\s+(?:includes|figure)\b|they\s+include\b)",
    re.IGNORECASE,
)
