"""Pseudonymisation for the anonymised view of every export: people's names, dates of birth, addresses,
NHS numbers and postcodes, dates to the month, and ids that hash only what the view shows.

`Redactor.from_case(case)` replaces the names listed in case.yml `people` ({name: pseudonym}, e.g.
"Kerry Brook": "Mother") and the child's name ("Child A") wherever they appear in text: full names
("Kerry Brook", "Brook, Kerry", "K. Brook", "Kerry B.", "BROOK, K.", run together or hyphenated as in
handles and e-mail addresses: "@kerrybrook", "Kerry-Brook"), first names and surnames alone
("Kerry", "Brook"), with or without a title ("Ms Brook"), any case, possessives kept ("Kerry's",
"KERRY'S" and "Kerrys" -> "Mother's"; "the Brooks" -> "the [name]s"). The pseudonym is written as
case.yml gives it, with its first letter in capitals where it starts a sentence ("maternal
grandmother" -> "Maternal grandmother said ..."), and all in capitals in a line written in capitals
("REFERRAL RE ALFIE BROOK" -> "REFERRAL RE CHILD A"). It also replaces the child's date of birth
written in any common format, and any date labelled as a date of birth ("DOB: 03/04/1990"), with
"[date of birth]", and gives every other date to the month (below). Every export (xlsx, csv, html,
docx, chart labels, manifest) takes the same redactor; `Redactor.from_case(case, active=False)` is the
named view and changes nothing, so one flag switches the view.

Decisions:
- whole words only: "Brookfield" is left alone when a surname is "Brook" (a place name, not a person).
  "_", "-" and "." separate words, as they do in file names: "kerry_brook_gp.csv" -> "Mother_gp.csv".
- a partial name shared by people with different pseudonyms (a surname shared by Mother, Father and the
  child) becomes "[name]": guessing which person is meant could name the wrong one.
- partial names that are also ordinary words ("Will", "Grace", "Brook", "Rose", ...) are replaced only
  when capitalised, so "a brook" or "will attend" keep their meaning; month and weekday names ("May",
  "June") are never replaced on their own, only inside a full name.
- a double-barrelled surname ("Smith-Jones") is one name: "Smith" alone is not replaced; it is also
  typed with a space, a dash or nothing ("Smith Jones", "Smith–Jones", "SmithJones"). A double-barrelled
  name with a listed part that the case does not list ("Keane-Jones", "Ryan Keane-Jones") is "[name]"
  whole (`_DOUBLE_BARRELLED`). Accents are optional ("Zoe" matches "Zoë") and so is the apostrophe
  ("O’Brien", "OBrien", "O Brien").
- a name the case does not list, set off by commas or brackets beside a family member's role word ("Spoke
  to partner, Dean said", "Mum's boyfriend, Kyle, was present", "the lodger (Gary) answered", "Kyle (mum's
  boyfriend)") is "[name]" (`_RELATION_THEN_NAME`, `_NAME_THEN_RELATION`); pseudonyms, roles, agencies'
  words, known abbreviations and everyday words are left ("partner, Mother said", "father (NFA)", "Mother's
  partner (RSO)"; three capitals in ordinary text are an abbreviation or initials, "partner (XYZ)" -> "partner
  ([initials])").
- capitals: a listed first name before another capitalised surname in ordinary text ("DEAN SMITH
  attended", "Dean O'BRIEN") is "[name]"; in a line in capitals the word after it is a surname unless it
  is an everyday word of such lines ("DEAN SMITH ARRESTED" -> "[name] ARRESTED", "DEAN ARRESTED" ->
  "MOTHER'S PARTNER ARRESTED", `_everyday_in_capitals`, with the verbs of a contact, `_CAPITALS_VERBS`) or a
  verb by its place, just before the person it was done to ("DEAN HIT KAI", "DEAN SHOVES HER" ->
  "MOTHER'S PARTNER SHOVES HER"; a possessive or a role after it keeps it a surname: "DEAN SMITH HER
  PARTNER", `Redactor._person_done_to`).
- known limit: a common-word name at the start of a sentence ("Will you ...") is replaced. A
  common-word name with an "s" after it ("Marks", "Bills") is the word's plural and is left alone;
  any other name with an "s" after it ("Kais cot") is taken for a possessive missing its apostrophe.
- dates to the month (`date_resolution="month"`, the default): an exact date beside an exact age
  gives the date of birth, so every date in text is given to the month ("on 14/03/2023" -> "in Mar
  2023") and `Redactor.table` gives every date column to the month, the child's age in whole months and
  the intervals between contacts in whole months (`month_table`). The flags' delays stay in days.
  A day and month with no year is given to the month too ("seen 14/03" -> "seen Mar", "on 14.3" -> "in
  Mar", "14th March" and "March 14th" -> "March"); digits are read as a day and month only after a date
  word ("on", "seen", "dated", "w/c", a weekday, ...) and when they make a valid day, so "3/4 of", "1/2
  dose", "EPDS 14/20" and "14:03" are left (see `_DAY_MONTH`). With no date word, a pair is read as a day
  and month when its form says so (`_BARE_DAY_MONTH`): a month with a leading zero ("review 21/06" ->
  "review Jun") or a day over 12 ("(14/3)" -> "(Mar)"), but not "/7" or "/12" ("14/7 history" is 14 days).
  A weekday beside a date goes with its day ("Mon 14/03" -> "Mar", "on Monday 14/03/2023" -> "in Mar
  2023", "14/03/2023 (Tuesday)" -> "Mar 2023"): a weekday and a month narrow the day to four or five; a
  weekday with a day of the month and no month becomes "[day]" ("on Friday the 14th" -> "on [day]").
  Days in words and other spellings go too: "born on the fourteenth of February" -> "born in February",
  "March the 21st" -> "March", "visited on 3rd;" -> "visited on [day];" (a day alone only after "on" and
  before the end of a clause: "on the 9th centile" is left), "2023/03/14" and "20230314" -> "2023-03",
  "14March2023" -> "March 2023", and the US "03/14/2023" (a month over 12 read as the day) -> "Mar 2023".
  Ages written in days or weeks are given in whole months, as the table gives the child's age
  (`_AGE_IN_DAYS`: "aged 17 days" -> "aged under 1 month", "6 weeks old" -> "1 month old", "at 3/52" ->
  "at <1/12", "a 10-day-old baby" -> "an under-1-month-old baby"); an injury's age ("bruise 3 days old")
  and a pregnancy's week ("scan at 20/52") are left; "at 2 weeks" is an age too ("born at 34 weeks",
  "review at 2 weeks" are left), and a day of life is the month of life ("day 5 of life" -> "month 1 of
  life", "NBV day 11" -> "NBV in month 1", `_DAY_OF_LIFE`). A named day is given to its month ("on
  Christmas Day" -> "in December"), or "[day]" when its date moves ("Easter Monday", `_NAMED_DAY`); a
  day and month with a dot and no date word only in two digits each ("sent 14.03" -> "sent Mar"; "at
  14.03", "weight 10.05", "£10.05" are left, `_BARE_DOT_DAY_MONTH`).
- schools, nurseries and colleges by name ("St Mary's Primary School", "Hillside Nursery") become their
  kind ("[primary school]", "[nursery]"): a school places the family's home (`school_text`). Two schools
  of one kind in a case are numbered in the order the chronology names them ("[primary school 1]",
  "[primary school 2]"; `Redactor.learn_schools`), the same in every output; a school named without its
  kind after the case named it with it ("attends Hillside") and one school written two ways ("Oakfield
  High School", "Oakfield Academy") take its label (`school_names`). Children's and family centres
  likewise ("Little Acorns Children's Centre" -> "[children's centre]"). A service named after schools ("Westmere
  School Nursing", "Eastborough School Health") is an agency, left as agencies' names are (`_SCHOOL_SERVICE_AFTER`).
- professionals: a name after a professional's title ("Dr Ryan", "PC Keane", "SW Dean", "Nurse Chloe")
  is "Dr [name]", never the family member who shares it (unless the listed person's pseudonym is a
  professional's, "GP 1"); "Mr Ryan" with a listed first name is "Mr [name]". A name after the role
  words its pseudonym ends with is dropped ("her partner Dean" -> "her partner", not "her partner
  Mother's partner"; "Mum Chloe" -> "Mum"), with the commas or brackets that set it off ("partner, Dean,
  was" -> "partner was"); the person's own role words in brackets or commas after their name go too
  ("Dean Fowler (partner)" -> "Mother's partner"); a name said to be its own role is "[name]" ("Gary Holt is
  mother's partner" -> "[name] is mother's partner", `Redactor._named_as_own_role`). After another family role word the pseudonym is in brackets
  ("assaulted partner Donna" -> "assaulted partner (Mother)"; not after a reporting verb: "told mother Dean was
  drunk" -> "told mother Mother's partner was drunk"). A listed first name before another surname is
  somebody else ("SW (Dean Smith)", "Dean Ashdown" -> "[name]"; a person listed by first name alone has
  no known surname, so any is another's; `_another_surname`). Lower-case titles count ("the nurse
  Chloe", "social worker Dean"; not after a reporting verb, `_REPORTED_TO`).
- professionals the case does not list: published reviews name them by their role, so a name after a
  professional's title or role is "Dr [name]", the title and the role kept ("Dr Khan", "HV Sarah Jones", "SW J.
  Brown", "DR KHAN", "GP Registrar Smith", "SW: Jane Smith", "DSL R Patel", "social worker Jane Smith" -> "SW
  [name]", ...; `_PROFESSIONAL_NAME`), and so is a name alone in brackets after the role ("DSL (R Patel)",
  "Key worker (Chloe)" -> "DSL ([name])"); probation and youth justice too ("PO Dunn", "OM Reid", "PSO", "YOT
  worker", "offender manager"). A police officer's collar number names the officer as surely:
  "PC 2231" -> "PC [collar number]", "PC 1234 Smith" -> "PC [collar number] [name]" (`_COLLAR`). Its words are read one by one and
  it ends at the first that is no name ("PC [name] Attended"); a title with no name after it is left ("HV
  Team", "GP Practice", "GP Larkfield Medical Practice"), initials after it are "[initials]" ("SW JB"), and
  after a colon only a first name and a surname are a name ("GP: Examined Mother" is left). A place named
  after a person is an institution and left, as an agency's name is ("Dr Gray's Hospital", "Dr Khan
  Surgery"; a judgment call: the name is the place's, and it locates no family).
- titles: a name the case does not list after "Mr", "Mrs", "Ms", "Miss" or "Mx" ("Mr Jones", "Mrs van der Berg",
  "Mr J. Jones", "MR JONES") is "Mr [name]" (`_TITLED_NAME`), a professional's too, their role kept ("Mr
  Smith (social worker)" -> "Mr [name] (social worker)", "class teacher Mrs Patel" -> "class teacher Mrs
  [name]").
- (s20) nicknames and street names: a name in quotes after "known as", "street name", "nicknamed", "alias",
  "aka", "goes by", or "called"/"named" after a word for a person ("made to hold drugs by a man called 'Dee'",
  "known as \"Trapz\"") is "[name]", listed or not (`_NICKNAME`); "a game called 'Fortnite'" is left. A nickname
  the text does not quote nor introduce so is not found: list it in case.yml `people`.
- particles: a surname's particles go with it ("Dean St John", "Dean van der Berg", "Dean Mc Donald" ->
  "[name]"; a listed "Maria van der Berg" is also "Van der Berg", never "the van"; `_SURNAME_PARTICLES`).
- a line in capitals: a name the case does not list beside a person with "AND" ("SEEN BY DEAN SMITH AND KERRY" ->
  "SEEN BY [name] AND [name]") or after a contact's verb and "BY", "WITH" or "TO" ("ASSAULTED BY KYLE") is
  "[name]"; abbreviations, roles, ranks, months and English words by their ending are left (`_capitals_names`).
  The same in ordinary text where the name is capitalised ("Seen by Kerry and Mother" -> "Seen by [name] and
  Mother", "Assaulted by Kyle last night"), not the first words of a longer proper name ("Mother and Toddler
  Group"). A name the case lists is its pseudonym in any case and any position ("KERRY PRESENT" ->
  "MATERNAL AUNT PRESENT" with "Kerry Brook: Maternal aunt" listed); these rules are for those it does not.
  A common given name (`GIVEN_NAMES`, data/given_names.csv: those that are also everyday words, "MAY",
  "WILL", "HOPE", "AMBER", are not in it) the case does not list is "[name]" anywhere in a line in
  capitals, with the names after it ("KERRY PRESENT", "KERRY JONES ATTENDED WITH CHILD" -> "[name] PRESENT",
  "[name] ATTENDED WITH CHILD"; `Redactor._capitals_given_names`), except in a well-known phrase that names
  no one (data/not_names_in_capitals.csv: "BOUGHT AT JOHN LEWIS", "PETER PAN COLLAR", "ST JOHN AMBULANCE"
  stay) unless the word after the phrase is a person's ("JOHN LEWIS PRESENT" -> "[name] PRESENT"). An
  uncommon name alone at the start of a sentence in capitals, before a word that makes it a person's
  (`_NAME_CONTEXT_WORDS`: PRESENT, ATTENDED, SAID, STATED, ...), is "[name]" too ("ZEPHYR PRESENT" -> "[name]
  PRESENT"; `Redactor._capitals_context_names`; "MOTHER PRESENT", "NO ONE PRESENT", "HE SAID" stay), and a
  name's possessive before a family member ("ZEPHYR'S MUM PRESENT" -> "[name]'S MUM PRESENT"), capitalised,
  in any text ("Zephyr's mum present", "with Zephyr Holt's Dad" -> "[name]'s mum present", "with [name]'s Dad";
  `_OWNER_THEN_FAMILY`; "Today's mum", "Monday's visit", "Doctor's mum", "Mum's partner" stay).
- initials: a listed person's ("KB" for Kerry Brook) become the pseudonym; anyone else's become
  "[initials]" where the text shows they are a person's ("seen by SW JB", "Mother (AB) said", "KL (HV)",
  "discussed with JB and KL", "J.B."); known abbreviations ("SW", "HV", "NFA", "BMI") are left
  (`KNOWN_ABBREVIATIONS`, `_initials_in_context`).
- the review's own people named in case.yml (`lead_reviewer`, `reviewer(s)`, `author(s)`) are replaced
  like `people` ("Lead reviewer", "Reviewer"), and a decision's author is a pseudonym, a role or
  "[reviewer]" (`Redactor.author`).
- addresses: case.yml `addresses` as written and with the kind of street abbreviated or spelt out
  ("12 Acacia Avenue" also matches "12, Acacia Ave."); a listed street beginning an organisation's name is
  the organisation, shown as its kind as a school is, since it places the family's home as a school's name
  does ("Mill Lane Medical Practice" -> "[medical practice]", "Mill Lane Surgery" -> "[surgery]", also as an
  agency's name; "Mill Lane Primary" -> "[primary school]", `_address_replacement`); postcodes in any case and spacing ("n1 9gu"); a
  house number and a street the case does not list ("22 Elm Road" -> "[address]", `_HOUSE_ADDRESS`; "2
  Family Court hearings" left; a street with no number or one word, "27 Kingsway", is a known limit); a
  named refuge or hostel ("Hope House refuge" -> "[refuge]") and a named house where the family lives
  ("lives at Hope House" -> "lives at [address]"), then wherever the case names it (`_RESIDENCE`; a name of
  three words or more too, "(Haven of Hope Refuge)" -> "([refuge])"); a
  one-word name the text marks ("Haven (refuge)", "Beacon, a hostel", "a refuge called Oasis") too, unless
  it is an everyday word ("Hope"). A school in a file's name keeps the kind the name gives
  ("oakfield_high_school.csv" -> "secondary_school.csv"), and one named only there is learned.
- references and case numbers ("CA/2023/0456", "crime ref 44/123456/23", "LS23C00456" -> "[reference]",
  `_REFERENCE`; "Ref: 21/06" is too short to find anything and is left).
- UK telephone numbers ("07700 900123", "+44 7700 900 456", "(01632) 960123" -> "[phone number]",
  `_PHONE`; a time "0800" or a reference "01/23/4567" is left) and e-mail addresses ("[email]").
- replacement is deterministic: the same text and case always give the same output.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from .config import CaseConfig

DEFAULT_CHILD_PSEUDONYM = "Child A"
MONTH, DAY = "month", "day"  # the resolution of the dates a view shows
AMBIGUOUS = "[name]"
DATE_OF_BIRTH = "[date of birth]"
ADDRESS = "[address]"
POSTCODE = "[postcode]"
NHS_NUMBER = "[NHS number]"
REVIEWER = "[reviewer]"
SCHOOL = "[school]"
INITIALS = "[initials]"
#: the columns that say who made a decision (`Redactor.author`)
AUTHOR_COLUMNS = frozenset({"author", "decided_by"})
#: the columns of problem and warning messages, which may name a decision's author (`Redactor._message`)
MESSAGE_COLUMNS = frozenset({"problem", "message", "reason", "note", "warning"})
_UNKNOWN_AUTHOR = re.compile(r"(\bauthor )'([^']*)'( is not one of the reviewers)")
#: a value quoted in a problem message, as `repr` quotes it ("unreadable date 'sometime'")
_QUOTED_VALUE = re.compile(r"(?<![\w'])'([^'\r\n]+)'(?![\w'])")
#: an author written as a role, kept in the anonymised view ("Lead reviewer", "Panel", "SCR panel chair")
_ROLE_WORDS = re.compile(r"(?i:\b(?:reviewers?|panel|chair|lead|team|board|group|partnership|author|"
                         r"practitioners?|manager|unknown)\b|\[(?:name|reviewer|initials)\])")

_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)
_MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

#: single-word names that are never replaced on their own (only as part of a full name)
NEVER_ALONE = frozenset(_MONTHS + _WEEKDAYS + ("mr", "mrs", "ms", "miss", "dr", "mx"))

#: names that are also everyday words: replaced alone only when capitalised
COMMON_WORDS = frozenset(
    """
    will mark bill frank grace hope faith joy rose lily daisy ruby amber dawn summer holly ivy jade pearl
    crystal iris heather violet sky rain river brook brooks dean guy jack jean gene sue pat rob bob art ray
    drew chase hunter cole miles wade lane reed read stone wood woods hill hall field fields bush king young
    white black brown green gray grey rich long short little bell park price cook baker mason turner fisher
    walker butler porter carter page rider marsh moss lamb fox wolf hart bird swan heath ash rowan sage
    penny sandy rusty dusty hazel olive poppy willow autumn winter spring sunny may june april august
    angel honey cherry berry storm gale win eve early hale hardy wise noble hope major baron earl
    """.split()
)

_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Master)\.?"
#: a professional's title or role written before a name ("Dr Ryan", "PC Keane", "Nurse Chloe", "SW Dean"): the
#: name after it is a professional's, not the listed family member's who shares it (`Redactor._name_replacement`)
_PROFESSIONAL_TITLES = (r"(?-i:Dr|DR|Doctor|DOCTOR|Prof|PROF|Professor|Nurse|NURSE|Midwife|MIDWIFE|PC|DC|DS|DI|DCI|"
                        r"PCSO|Sgt|SGT|Sergeant|Det|Insp|Inspector|Cllr|SW|HV|GP|MW|CPN|SN|DSL|DDSL|IRO|FSW|SENCO|SENCo|"
                        # probation and youth justice: a probation officer ("PO Dunn"), a probation services officer,
                        # an offender manager ("OM Reid")
                        r"PO|PSO|OM)\.?")
#: a professional's role written in lower case before a name ("the nurse Chloe", "social worker Dean", "health
#: visitor Chloe"): read as `_PROFESSIONAL_TITLES` are, unless a reporting verb comes before it ("Mother told the
#: health visitor Kai had a rash": the name is the subject of what was told, `_REPORTED_TO`)
_LOWER_PROFESSIONAL_TITLES = (r"(?i:social[^\S\r\n]+worker|health[^\S\r\n]+visitor|(?:family[^\S\r\n]+)?support[^\S\r\n]+worker|"
                              r"key[^\S\r\n]*worker|school[^\S\r\n]+nurse|police[^\S\r\n]+officer|community[^\S\r\n]+nurse|"
                              r"offender[^\S\r\n]+manager|probation[^\S\r\n]+officer|(?:YOT|YOS|YJS|probation)[^\S\r\n]+(?:case[^\S\r\n]+)?(?:worker|manager))|"
                              r"(?-i:nurse|midwife|doctor|dr|paediatrician|consultant|teacher|officer|sergeant|constable|"
                              r"detective|registrar|therapist|practitioner)")
#: roles written as their abbreviation before a name in social care, health and police chronologies ("TM S Rowe": a
#: team manager, "ATM", "SSW" senior, "PSW" principal, "ASW"/"CSW" social workers, "CMW" community midwife, "ANP"
#: advanced nurse practitioner, "HCA", "SHO", "AMHP", "IDVA", "ISVA", "LADO"): read as `_PROFESSIONAL_TITLES` are.
#: Only abbreviations that are no time or everyday word before a capitalised word: not "PM" (a time), "TA", "OT",
#: "PA", "HT", "EDT" (a team)
_ROLE_ABBREVIATION_TITLES = r"(?-i:TM|ATM|SSW|PSW|ASW|CSW|CMW|ANP|HCA|SHO|AMHP|IDVA|ISVA|LADO)\.?"
_PROFESSIONAL_TITLES = rf"(?:{_PROFESSIONAL_TITLES}|{_ROLE_ABBREVIATION_TITLES})"
_REPORTED_TO = re.compile(r"(?i:\b(?:told|tells|telling|informed|informs|advised|advises|reassured|assured|asked|asks|"
                          r"reminded|updated|explained\s+to|reported\s+to|said\s+to|disclosed\s+to|confirmed\s+to))"
                          r"[^\S\r\n]+(?:(?i:the|her|his|their|a)[^\S\r\n]+)?$")
#: words after a listed person's first name, capitalised, that are no surname ("Kai Monday", "Chloe And Dean",
#: "Kai DNA appointment"): `Redactor._name_replacement` reads the first name alone before them
_NOT_SURNAMES = frozenset("""
    and or but nor the a an to at in on of for from with by as was were is are be been has had have did does
    do not no nor yes said says told saw seen sees present attended attends visited visits rang phoned called
    arrived left lives living stayed staying came went home school nursery hospital ward clinic surgery
    house flat room mum mummy mother dad daddy father nan nana gran grandma grandad grandpa baby child brother
    sister aunt auntie uncle cousin partner boyfriend girlfriend family parents ok okay re fao cc via per
    please thanks thank note notes update visit contact meeting appointment appt review report referral
    assessment plan strategy conference core group discussion letter email call telephone text message
    also then there here he she they his her him them their it its this that these those who which when
    where what why how today tomorrow yesterday tonight morning afternoon evening night week weekend
    month year am pm dob nhs address
""".split())
#: the words that may stand, with a person's role word, in brackets or between commas after their name
#: ("Dean Fowler (mum's partner)", "Maureen, maternal grandmother,"): with the person's own role words only,
#: they say what the pseudonym already says and go with the name
_APPOSITION_FILLERS = frozenset("the her his their mum mum's mums mother mother's mothers mummy mummy's dad dad's "
                                "father father's maternal paternal subject index current".split())
#: the words of a pseudonym that say the person is a professional ("GP 1", "Lead reviewer", "Social worker
#: 2"): such a person keeps their pseudonym after a professional's title ("Dr Priya Ahmed" -> "GP 1")
_PROFESSIONAL_WORDS = frozenset("""
    gp gps dr doctor consultant paediatrician registrar surgeon nurse midwife hv visitor sw social worker
    officer pc dc ds police detective sergeant constable inspector teacher head headteacher senco dsl
    reviewer reviewers lead author chair panel practitioner therapist psychologist psychiatrist manager
    clinician cpn iro lado professional professor cllr councillor
""".split())
#: the words that may introduce a family member by their role just before their name ("her partner Dean",
#: "Mum Chloe", "maternal grandmother Maureen"), by the last word of a pseudonym ("partner" of "Mother's
#: partner"): the name after them is dropped, not replaced by the same role again
_ROLE_SYNONYMS = {
    "mother": ("mother", "mum", "mummy", "mom"), "father": ("father", "dad", "daddy"),
    "partner": ("partner", "boyfriend", "girlfriend"),
    "grandmother": ("grandmother", "grandma", "gran", "nan", "nana", "nanna"),
    "grandfather": ("grandfather", "grandad", "granddad", "grandpa"),
    "child": ("child", "baby", "infant"), "aunt": ("aunt", "auntie", "aunty"),
}
#: the particles of a surname written before it ("Dean St John", "van der Berg", "de Souza", "Le Roux", "Mc Donald"),
#: as `Redactor._build` reads another's surname after a listed first name (case-sensitive; `_CAPITAL_PARTICLES` in
#: a line in capitals): without them the particle was read as the surname and the rest left ("[name] John")
_SURNAME_PARTICLES = (r"(?:St\.?|Saint|[Vv]an|[Vv]on|[Dd]e|[Dd]a|[Dd]i|[Dd]u|[Dd]el|[Dd]ella|[Dd]er|[Dd]en|[Ll]e|[Ll]a|"
                      r"Mc|Mac|[Tt]en|[Tt]er|[Dd]os|[Dd]as)(?![\w'\u2019`\-])")
_CAPITAL_PARTICLES = r"(?:ST\.?|SAINT|VAN|VON|DE|DA|DI|DU|DEL|DELLA|DER|DEN|LE|LA|MC|MAC|TEN|TER|DOS|DAS)(?![\w'\u2019`\-])"
#: (the same, read as words: the words of a surname after them are its own)
_PARTICLE_WORDS = frozenset("st st. saint van von de da di du del della der den le la mc mac ten ter dos das".split())
# a name is a whole word, but "_" separates words too: file names join them with it ("chloe_ashdown_gp.csv")
_WORD_BEFORE = r"(?<![^\W_])"
_WORD_AFTER = r"(?![^\W_])"
#: between the parts of a full name: spaces, or the one "_" or "." of a file name or an e-mail address
_NAME_GAP = r"(?:\s+|[_.])"


@dataclass(frozen=True)
class _Target:
    """One way a name is written, and what replaces it."""

    key: str  # normalised form: casefolded, punctuation dropped, single spaces
    pattern: str  # regex for this form (without the optional title)
    tokens: int  # words in the form: longer forms are tried first


def _fold(text: str) -> str:
    """'Zoë' -> 'Zoe': names are often typed without their accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[.,_]", " ", _fold(text).replace("\u2019", "'")).split()).casefold()


#: the apostrophe of a name ("O'Brien") as it is also typed: "O\u2019Brien", "O`Brien", "O Brien", "OBrien"
_NAME_APOSTROPHE = "(?:['\u2019`\u00b4][^\\S\\r\\n]?|[^\\S\\r\\n])?"
#: the hyphen of a double-barrelled name ("Keane-Smith") as it is also typed: "Keane \u2013 Smith", "Keane Smith",
#: "KeaneSmith"
_NAME_HYPHEN = "(?:[^\\S\\r\\n]?[\\-\u2010\u2011\u2013\u2014][^\\S\\r\\n]?|[^\\S\\r\\n])?"


def _escape(spelling: str) -> str:
    return re.escape(spelling).replace("'", _NAME_APOSTROPHE).replace("\\-", _NAME_HYPHEN)


def _loose_key(key: str) -> str:
    """A name's key with its apostrophes, hyphens and spaces dropped: "o'brien", "o brien" and "obrien" are one
    name, and so are "keane-smith" and "keane smith" (`_escape`)."""
    return re.sub(r"[\s'\u2019`\u00b4\-\u2010\u2011\u2013\u2014]", "", key)


def _name_parts(name: str) -> list[str]:
    """A listed name's parts, a surname's particles kept with the word after them ("Dean St John" -> ["Dean", "St
    John"], "Maria van der Berg" -> ["Maria", "van der Berg"]): a particle alone is no name ("the van", "St
    Mary's" are not the person), and a name's first word is never a particle."""
    parts: list[str] = []
    pending: list[str] = []
    for word in (w for w in re.split(r"\s+", name.strip()) if w):
        if parts and _norm(word) in _PARTICLE_WORDS:
            pending.append(word)
        else:
            parts.append(" ".join(pending + [word]))
            pending = []
    if pending:  # (a particle last: a word of the name after all)
        parts.append(" ".join(pending))
    return parts


def _part_regex(part: str, *, capitalised_only: bool) -> str:
    """A name's part as a regex (`_token_regex`); a part of several words ("St John", "van der Berg") with any
    spaces between them, and "St" with or without its dot."""
    words = part.split()
    if len(words) == 1:
        return _token_regex(part, capitalised_only=capitalised_only)
    return r"[^\S\r\n]+".join(r"(?:St\.?|Saint)" if _norm(w) in ("st", "saint") else
                                _token_regex(w, capitalised_only=capitalised_only) for w in words)


def _token_regex(token: str, *, capitalised_only: bool) -> str:
    spellings = sorted({token, _fold(token)})
    if capitalised_only:
        spellings = sorted({f for s in spellings for f in (s, s[:1].upper() + s[1:], s[:1].upper() + s[1:].lower(), s.upper())})
        return "(?-i:" + "|".join(_escape(f) for f in spellings) + ")"
    return "(?:" + "|".join(_escape(f) for f in spellings) + ")"


#: how the anonymised view names a child whose rows were rejected as another child's (not in case.yml `people`)
OTHER_CHILD_PSEUDONYM = "Another child"
#: how the anonymised view names the other people whose rows ingest rejected, by whom the rows are about
#: (`review.ingest.identity.Verdict.who`): a child, an adult by date of birth, or a person the cells do not
#: show to be a child (a family adult case.yml does not list, under "Patient")
OTHER_PERSON_PSEUDONYMS = {"child": OTHER_CHILD_PSEUDONYM, "adult": "Another adult", "person": "Another person"}


@dataclass
class Redactor:
    """Replaces people's names and dates of birth in text and tables (the anonymised view).

    Build it with `Redactor.from_case(case)`; `active=False` gives the named view (no change).
    """

    # repr=False: a redactor printed in a log or a traceback must not print the names it hides
    people: dict[str, str] = field(default_factory=dict, repr=False)  # full name -> pseudonym
    date_of_birth: dt.date | None = field(default=None, repr=False)
    addresses: tuple[str, ...] = field(default=(), repr=False)  # as the chronologies write them
    active: bool = True
    child_pseudonym: str = DEFAULT_CHILD_PSEUDONYM  # how the anonymised view names the child
    #: "month": the anonymised view gives every date to the month, ages and the intervals between
    #: contacts in whole months, so that the date of birth cannot be worked out from a date and an age;
    #: "day" keeps exact dates (names and the date of birth are still replaced)
    date_resolution: str = MONTH
    #: the case's agencies (case.yml `files`): words of their names are no school's name alone ("Eastborough")
    agencies: tuple[str, ...] = field(default=(), repr=False)
    #: the case id (case.yml `case_id`): printed in titles, file names, the manifest and the case_id columns, it
    #: often names the child ("qa11_poppy"); redacted wherever it stands as a file's name is (`_case_id_shown`)
    case_id: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        self._replacements: dict[str, str] = {}
        self._targets: list[_Target] = []
        self._school_labels: dict[str, str] = {}  # school key -> label, numbered by `learn_schools`
        self._places_re: re.Pattern | None = None  # schools named without their kind, places of residence
        self._place_files_re: re.Pattern | None = None  # the same in files' names ("little_acorns_...")
        self._places: dict[str, str] = {}  # a place's name, normalised -> label (`learn_schools`)
        # (street, kind) -> label of the organisations named after a listed street, numbered by `learn_schools`
        # when two of one kind are ("[surgery 1]", "[surgery 2]")
        self._street_organisations: dict[tuple[str, str], str] = {}
        self._case_id_shown: tuple[str, str] | None = None
        self._build()
        self._case_id_shown = self._case_id_view()

    # -- construction ---------------------------------------------------------------------------------
    @classmethod
    def from_case(cls, case: CaseConfig, *, active: bool = True, date_resolution: str = MONTH,
                  other_children: Iterable[str] | Mapping[str, str] = ()) -> Redactor:
        """The redactor for a case: `people` from case.yml plus the child (pseudonym "Child A", or
        case.yml `child_pseudonym`), the reviewers case.yml names (`lead_reviewer`, `reviewer(s)`,
        `author(s)`: "Lead reviewer", "Reviewer"), and the child's date of birth; `other_children`, the
        names of the children whose rows ingest rejected as another child's (`IngestReport.other_children`)
        that case.yml does not list, are "Another child"; given as {name: whom} (`IngestReport.other_people`:
        "child", "adult" or "person"), an adult's is "Another adult" and a person's not shown to be a child
        (a family adult under "Patient") "Another person"."""
        people = dict(case.people)
        whom = other_children if isinstance(other_children, Mapping) else dict.fromkeys(other_children, "child")
        for name, who in whom.items():
            if name and name != case.child_name:
                people.setdefault(str(name), OTHER_PERSON_PSEUDONYMS.get(who, OTHER_PERSON_PSEUDONYMS["person"]))
        for name, shown in (getattr(case, "reviewers", None) or {}).items():
            people.setdefault(name, shown)  # the reviewer named in case.yml: "Lead reviewer"
        pseudonym = str((case.raw or {}).get("child_pseudonym") or DEFAULT_CHILD_PSEUDONYM)
        if case.child_name:
            pseudonym = people.setdefault(str(case.child_name), pseudonym)
        agencies = tuple(f.agency for f in (getattr(case, "files", ()) or ()) if getattr(f, "agency", None))
        return cls(people=people, date_of_birth=case.date_of_birth, addresses=tuple(getattr(case, "addresses", ()) or ()),
                   active=active, child_pseudonym=pseudonym, date_resolution=date_resolution, agencies=agencies,
                   case_id=str(getattr(case, "case_id", "") or ""))

    def _case_id_view(self) -> tuple[str, str] | None:
        """(case id, as the anonymised view shows it) when the two differ. The case id is redacted as a file's
        name is (`path`): a listed person's given name or surname as a word of it, in any case and whatever
        else the word means ("qa11_poppy" -> "qa11_Child A", "CSPR-Ashdown-2024" -> "CSPR-[name]-2024"): an
        everyday word that is the child's name ("poppy", "brook") is still the child's name in an id chosen
        for the case. `text` then replaces the case id wherever a text holds it (a title, a path, a message)."""
        if not self.active or not self.case_id:
            return None
        shown = self.path(self.case_id)
        return (self.case_id, shown) if shown != self.case_id else None

    def _case_id_text(self, text: str) -> str:
        """`text` with the case id as the anonymised view shows it: the whole text when it is the case id, else
        each whole occurrence of an id that is no plain word ("qa11_poppy", "CSPR-Ashdown-2024": a separator or a
        digit in it); an id that is one word ("poppy") is left to the name redaction in a longer text, where the
        word may mean something else ("a poppy field")."""
        case_id, shown = self._case_id_shown
        if text == case_id:
            return shown
        if case_id.isalpha():
            return text
        return re.sub(r"(?<![\w])" + re.escape(case_id) + r"(?![\w])", lambda m: shown, text)

    @property
    def months(self) -> bool:
        """Whether this view gives dates to the month (the anonymised view's default)."""
        return self.active and self.date_resolution == MONTH

    @property
    def view(self) -> str:
        return "anonymised" if self.active else "named"

    def _build(self) -> None:
        candidates: dict[str, set[str]] = {}  # normalised form -> pseudonyms
        partial: set[str] = set()  # forms that are a single name part
        forms: dict[str, tuple[str, int, bool]] = {}  # key -> (pattern, tokens, single part)

        def add(key: str, pattern: str, tokens: int, pseudonym: str, single: bool) -> None:
            candidates.setdefault(key, set()).add(pseudonym)
            forms.setdefault(key, (pattern, tokens, single))
            if single:
                partial.add(key)

        for name, pseudonym in sorted(self.people.items()):
            parts = _name_parts(name)
            if not parts:
                continue
            loose = [_part_regex(p, capitalised_only=False) for p in parts]
            if len(parts) > 1:
                add(_norm(name), _NAME_GAP.join(loose), len(parts), pseudonym, False)
                first, last = parts[0], parts[-1]
                # "Brook, Kerry" and "K. Brook"
                add(_norm(f"{last} {first}"), rf"{loose[-1]}\s*,\s*{loose[0]}", 2, pseudonym, False)
                add(_norm(f"{first[0]} {last}"), rf"{re.escape(first[0])}\.?\s+{loose[-1]}", 2, pseudonym, False)
                # "Chloe A." (the surname's initial) and "Ashdown, C." / "Ashdown C." (as records list
                # people); the initial in capitals only
                add(_norm(f"{first} {last[0]}"), rf"{loose[0]}\s+(?-i:{re.escape(last[0].upper())})\.", 2,
                    pseudonym, False)
                add(_norm(f"{last} {first[0]}"),
                    rf"{loose[-1]}(?:\s*,\s*(?-i:{re.escape(first[0].upper())})\.?|\s+(?-i:{re.escape(first[0].upper())})\.)",
                    2, pseudonym, False)
                # run together or hyphenated, as in user names, e-mail addresses and handles ("@kerrybrook",
                # "KerryBrook", "kerry-brook")
                if all(len(_norm(p)) >= 2 and " " not in p for p in (first, last)):
                    if {_norm(first), _norm(last)} & COMMON_WORDS:  # "markstone" may be a place: "MarkStone" only
                        joined = {f + g for f, g in ((first, last), (_fold(first), _fold(last)))}
                        joined = "(?-i:" + "|".join(sorted({_escape(j) for j in joined} | {_escape(j.upper()) for j in joined})) + ")"
                    else:
                        joined = loose[0] + loose[-1]
                    add(_norm(first + last), joined, 2, pseudonym, False)
                    add(_norm(f"{first}-{last}"), rf"{loose[0]}-{loose[-1]}", 2, pseudonym, False)
                if len(parts) > 2:  # "Kerry Ann Brook" is also written "Kerry Brook"
                    add(_norm(f"{first} {last}"), rf"{loose[0]}{_NAME_GAP}{loose[-1]}", 2, pseudonym, False)
            for part in parts:
                word = _norm(part)
                if word in NEVER_ALONE or len(word) < 2:
                    continue
                if " " in part:  # "St John", "van der Berg"; its last word alone too ("Berg"), as any surname
                    add(word, _part_regex(part, capitalised_only=False), len(part.split()), pseudonym, True)
                    part = part.split()[-1]
                    word = _norm(part)
                    if word in NEVER_ALONE or len(word) < 2:
                        continue
                pattern = _token_regex(part, capitalised_only=word in COMMON_WORDS)
                add(word, pattern, 1, pseudonym, True)

        self._replacements = {
            key: (next(iter(pseudonyms)) if len(pseudonyms) == 1 else AMBIGUOUS)
            for key, pseudonyms in candidates.items()
        }
        loose: dict[str, set[str]] = {}
        for key, pseudonym in self._replacements.items():
            loose.setdefault(_loose_key(key), set()).add(pseudonym)
        self._loose = {k: (next(iter(v)) if len(v) == 1 else AMBIGUOUS) for k, v in loose.items()}
        # a word of a file's name that is a listed person's given name or surname, whatever else it could mean
        # ("health_visiting_poppy.xlsx": "poppy" is a word too, but a file is named after the person): by the word
        # with its apostrophes and hyphens dropped (`_loose_key`), as the name alone is replaced in text
        self._file_name_words = {_loose_key(key): pseudonym for key, pseudonym in self._replacements.items()
                                 if key in partial and key not in NEVER_ALONE}
        self._targets = sorted(
            (_Target(key, pattern, tokens) for key, (pattern, tokens, _) in forms.items()),
            key=lambda t: (-t.tokens, -len(t.key), t.key),
        )
        # names that are only ever a first (or middle) name of the people listed: "Mr Ryan" is not Ryan Keane
        firsts = {_norm(p) for name in self.people for p in _name_parts(name)[:-1] if p}
        lasts = {_norm(_name_parts(name)[-1].split()[-1]) for name in self.people if name.strip()}
        self._first_names_only = frozenset(firsts - lasts)
        # pseudonyms that name a professional ("GP 1", "Lead reviewer"): "Dr Priya Ahmed" is then that person
        self._professionals = frozenset(p for p in self.people.values()
                                        if {w.casefold() for w in re.findall(r"[A-Za-z]+", p)} & _PROFESSIONAL_WORDS)
        # the role words that may come just before a person's name ("her partner Dean" for "Mother's partner")
        self._role_words: dict[str, frozenset[str]] = {}
        for pseudonym in set(self.people.values()):
            words = [w for w in re.findall(r"[A-Za-z]+", pseudonym) if len(w) >= 3]
            if words and pseudonym not in self._professionals:
                head = words[-1].casefold()
                self._role_words[pseudonym] = frozenset(_ROLE_SYNONYMS.get(head, (head,)))
        roles = sorted({w for ws in self._role_words.values() for w in ws}, key=lambda w: (-len(w), w))
        # a role word just before a name, read in `_name_replacement` (in the name's regex it would be tried
        # at every place in every text)
        # ("partner, Dean," and "partner (Dean)": the name set off by commas or brackets after them)
        self._role_before = (re.compile(rf"{_WORD_BEFORE}(?P<role>{'|'.join(map(re.escape, roles))})"
                                        r"(?P<open>[^\S\r\n]*[,(][^\S\r\n]*|[^\S\r\n]+)$",
                                        re.IGNORECASE) if roles else None)
        # the words that may stand with a person's role words in brackets or between commas after their name
        # ("Dean Fowler (partner)", "Maureen, maternal grandmother,")
        self._role_after = {pseudonym: words | _APPOSITION_FILLERS
                            | {w.casefold() for w in re.findall(r"[A-Za-z'\u2019]+", pseudonym)}
                            for pseudonym, words in self._role_words.items()}
        # a listed person's first name before a surname that is not theirs ("SW (Dean Smith)", "Dean Ashdown"):
        # somebody else, "[name]" (`_name_replacement`); the person's full names come first in the alternation
        whole = [p for name in self.people for p in [_name_parts(name)] if p and p[0]]
        self._surnames = frozenset(k for p in whole if len(p) > 1 for k in {_norm(p[-1]), _norm(p[-1].split()[-1])})
        self._loose_surnames = frozenset(_loose_key(k) for k in self._surnames)
        # the words of the agencies' names ("Eastborough" of "Eastborough Police"): no name beside a role word
        self._agency_words = frozenset(w for agency in self.agencies for w in _norm(agency).replace("'", "").split())
        self._name_words = frozenset(_norm(x) for p in whole for w in p for x in w.split() if _norm(x) not in _PARTICLE_WORDS)
        # the parts of the listed names, double-barrelled ones split ("keane", "smith" of "Keane-Smith"): a
        # double-barrelled name with one of them that is no listed name is somebody else's ("Keane-Jones")
        self._name_parts = frozenset(x for w in self._name_words for x in re.split(r"[\-\u2010\u2011\u2013]", w)
                                     if len(x) >= 2 and x not in NEVER_ALONE)
        first_names = sorted({p[0] for p in whole if _norm(p[0]) not in NEVER_ALONE and len(_norm(p[0])) >= 2},
                             key=lambda w: (-len(w), w))
        # another's surname: "Smith", "O'Brien", "O'brien", "McDonald", "Keane-Smith", "Keane-smith", "SMITH",
        # "O'BRIEN", "MCDONALD-JONES"
        title_case = r"[A-Z](?:[a-z]+|['\u2019`][A-Za-z][a-z]+)(?:[A-Z][a-z]+)?"
        capitals = r"(?:[A-Z]['\u2019`])?[A-Z]{3,}"
        # a surname with its particles ("St John", "van der Berg", "de Souza", "Mc Donald", "O'Neill-Van Dyke",
        # "ST JOHN"): the whole of it is the surname (`_SURNAME_PARTICLES`)
        gap = r"[^\S\r\n]+"
        other = (rf"(?P<other>(?-i:(?:{_SURNAME_PARTICLES}{gap}){{0,2}}{title_case}"
                 rf"(?:-(?:{_SURNAME_PARTICLES}{gap})?{title_case}|-[a-z]{{2,}})?"
                 rf"|(?:{_CAPITAL_PARTICLES}{gap}){{0,2}}{capitals}(?:-(?:{_CAPITAL_PARTICLES}{gap})?(?:[A-Z]['\u2019`])?[A-Z]{{2,}})?))")
        firsts = "|".join(_token_regex(w, capitalised_only=_norm(w) in COMMON_WORDS) for w in first_names)
        if self._targets:
            several = [f"(?:{t.pattern})" for t in self._targets if t.tokens > 1]
            single = [f"(?:{t.pattern})" for t in self._targets if t.tokens <= 1]
            combined = [rf"(?:{firsts or '(?!)'})[^\S\r\n]+{other}"]  # (the group is always there)
            alternation = "|".join(several + combined + single)
            fillers = sorted({w for ws in self._role_after.values() for w in ws}, key=lambda w: (-len(w), w))
            word = rf"(?:{'|'.join(re.escape(w) for w in fillers)})" if fillers else "(?!)"
            gap = r"[^\S\r\n]"
            after = (rf"(?P<after>{gap}*\({gap}*(?:{word}{gap}+){{0,2}}{word}{gap}*\)"
                     rf"|,{gap}*(?:{word}{gap}+){{0,2}}{word}(?:{gap}*,|(?={gap}*(?:[.;:\r\n]|$))))?")
            # a possessive ("Chloe's", "CHLOE'S", "James'") or a possessive or plural typed without its
            # apostrophe ("Kais cot", "the Ashdowns") is part of the match, so that it reads with the pseudonym
            self._name_re = re.compile(
                rf"{_WORD_BEFORE}(?:(?P<prof>{_PROFESSIONAL_TITLES}\s+)|(?P<lprof>(?:{_LOWER_PROFESSIONAL_TITLES})\s+)"
                rf"|(?P<title>{_TITLES}\s+))?"
                rf"(?P<name>{alternation})(?P<suffix>['\u2019]s|['\u2019]|s['\u2019]|s)?{_WORD_AFTER}"
                # not the first part of a double-barrelled name ("Ryan Keane-Smith": read as another's, "[name]")
                rf"(?![\-\u2010\u2011\u2013](?-i:[A-Z][a-z]|(?!{_abbreviation_after_a_hyphen()})[A-Z]{{2}})){after}",
                re.IGNORECASE,
            )
        else:
            self._name_re = None
        self._dob_re = _date_of_birth_regex(self.date_of_birth)
        self._address_re = _addresses_regex(self.addresses)
        # the same addresses in a file's name, their words joined by "_", "-" or "." ("gp_tanner_street_surgery.xlsx")
        self._address_files_re = _addresses_regex(self.addresses, in_file_names=True)
        # a listed person's initials ("KB", "K.B.", "KAB" for Kerry Ann Brook) -> their pseudonym; initials two
        # people share, or that are a known abbreviation ("SW" for Sam Wood), are left to `_initials_in_context`
        by_initials: dict[str, set[str]] = {}
        for name, pseudonym in self.people.items():
            parts = [p for p in re.split(r"[\s\-]+", _fold(name).strip()) if p and p[0].isalpha()]
            if len(parts) >= 2:
                for letters in {parts[0][0] + parts[-1][0], "".join(p[0] for p in parts[:3])}:
                    letters = letters.upper()
                    if 2 <= len(letters) <= 3 and letters not in KNOWN_ABBREVIATIONS:
                        by_initials.setdefault(letters, set()).add(pseudonym)
        self._initials = {k: (next(iter(v)) if len(v) == 1 else INITIALS) for k, v in by_initials.items()}
        self._initials_re = (re.compile(r"(?<![\w\[&/.])(?:" + "|".join(sorted(self._initials, key=len, reverse=True))
                                        + r")(?![\w&\]]|/\w|\.\w)") if self._initials else None)
        self._pseudonym_words = frozenset(w.upper() for p in self.people.values() for w in re.findall(r"[A-Za-z]+", p))
        # the pseudonyms that are a family member's role ("Mother", "Mother's partner", "Maternal grandmother"):
        # after another role word they are put in brackets (`_name_replacement`)
        self._role_pseudonyms = frozenset(p for p in self.people.values() if p not in self._professionals and any(
            _RELATION_WORD.fullmatch(w) for w in re.findall(r"[A-Za-z\-]+", re.sub(r"['\u2019]s\b", "", p))))

    # -- use ------------------------------------------------------------------------------------------
    def text(self, value):
        """`value` with names, dates of birth, the listed addresses, NHS numbers and postcodes replaced and
        (`months`) every other date given to the month; non-text values are returned unchanged."""
        if not self.active or not isinstance(value, str) or not value:
            return value
        out = value
        if self._case_id_shown is not None and self._case_id_shown[0] in out:
            out = self._case_id_text(out)  # the case id, redacted as a file's name (`_case_id_view`)
        if self._dob_re is not None:
            out = self._dob_re.sub(_dob_replacement, out)
        out = _LABELLED_DOB.sub(_dob_replacement, out)
        if "@" in out:
            out = _EMAIL.sub(EMAIL, out)
        if self._address_re is not None:
            if "." in out and _MAY_BE_FILE_NAME.search(out):
                out = _FILE_NAME_IN_TEXT.sub(self._address_file_name, out)
            out = _address_text(self._address_re, out, self._street_organisations)
        out = _HOUSE_ADDRESS.sub(_house_address_replacement, out)
        out = _NHS_NUMBER.sub(_nhs_replacement, out)
        out = _PHONE.sub(_phone_replacement, out)
        out = _POSTCODE.sub(_postcode_replacement, out)
        if _may_be_reference(out):
            out = _REFERENCE.sub(_reference_replacement, out)
        if _may_be_residence(out):
            out = _RESIDENCE.sub(_residence_replacement, out)
        if self.months:
            out = month_text(out)
        if _MAY_BE_SCHOOL.search(out):
            out = school_text(out, self._school_labels)
        if self._places_re is not None:
            out = self._places_re.sub(self._place_replacement, out)
            if "_" in out or "-" in out:
                out = self._place_files_re.sub(self._place_file_replacement, out)
        if ("'" in out or '"' in out or "\u2019" in out or "\u201d" in out) and _MAY_BE_NICKNAME.search(out):
            out = _NICKNAME.sub(_nickname_replacement, out)
        if self._name_re is not None:
            if ("-" in out or "\u2013" in out) and _MAY_BE_DOUBLE_BARRELLED.search(out):
                out = _DOUBLE_BARRELLED.sub(self._double_barrelled_replacement, out)
            out = self._name_re.sub(self._name_replacement, out)
            if _DROP in out:
                out = _DROPPED.sub("", out)
            if _DROP_APPOSED in out:
                out = _APPOSED.sub("", out).replace(_DROP_APPOSED, AMBIGUOUS)  # (never left: hidden all the same)
        if self._file_name_words and "." in out and _MAY_BE_FILE_NAME.search(out):
            out = _FILE_NAME_IN_TEXT.sub(self._file_name_replacement, out)
        if _MAY_BE_COLLAR.search(out):
            out = _COLLAR.sub(lambda m: m.group("rank") + COLLAR_NUMBER, out)
        if _MAY_BE_PROFESSIONAL_NAME.search(out):
            out = _PROFESSIONAL_NAME.sub(self._professional_name_replacement, out)
        if _MAY_BE_TITLED_NAME.search(out):
            out = _TITLED_NAME.sub(self._titled_name_replacement, out)
        if _MAY_BE_CAPITALS_NAME.search(out):
            out = self._capitals_names(out)
        if _GIVEN_NAME_IN_CAPITALS.search(out):
            out = self._capitals_given_names(out)
        if _MAY_BE_NAME_IN_CONTEXT.search(out):
            out = self._capitals_context_names(out)
        if _MAY_BE_MIXED_CASE_NAME.search(out):
            out = self._capitals_names(out, mixed=True)
        if _MAY_BE_RELATION_THEN_NAME.search(out):
            out = _RELATION_THEN_NAME.sub(self._apposed_name_replacement, out)
        if _MAY_BE_NAME_THEN_RELATION.search(out):
            out = _NAME_THEN_RELATION.sub(self._apposed_name_replacement, out)
        if ("'" in out or "\u2019" in out) and _MAY_BE_OWNER.search(out):
            out = _OWNER_THEN_FAMILY.sub(self._owner_replacement, out)
        if _MAY_BE_INITIALS.search(out):
            out = self._initials_text(out)
        return out

    def learn_schools(self, *sources) -> Redactor:
        """Number the schools the case names (`school_labels`), so that two schools of one kind keep apart
        ("[primary school 1]", "[primary school 2]") and one school has one label in every table and
        output. `sources` are the case's tables (as the pipeline gives them, before redaction) and texts,
        read in order: the chronology first, in its order (`seq`), row by row, then the others; the
        labels are those of the first appearances, so the same case always gives the same labels.
        Returns the redactor."""
        if not self.active:
            return self
        texts: list[str] = []
        for source in sources:
            texts += _texts_in_order(source)
        # a school named only in a file's name ("brookfield_academy.csv"), read after the texts (their numbers
        # stay those of the texts' first appearances)
        texts += [t for source in sources for t in _file_name_schools(source) if t not in texts]
        self._school_labels = school_labels(texts)
        if self._address_re is not None:  # the organisations named after the family's streets, numbered likewise
            self._street_organisations = street_organisation_labels(self._street_organisations_in(sources))
        # the words that name something else ("Eastborough" of "Eastborough Police", a listed person's name):
        # no school's name alone
        agencies = set(self.agencies)
        for source in sources:
            if isinstance(source, pd.DataFrame) and "agency" in source.columns:
                agencies.update(v for v in pd.unique(source["agency"].dropna()) if isinstance(v, str))
        keep = {w for agency in agencies if school_text(agency) == agency for w in _norm(agency).replace("'", "").split()}
        keep |= {w for name in self.people for w in _norm(name).replace("'", "").split()}
        places = school_names(self._school_labels, frozenset(keep))
        for text in texts:  # (`_texts_in_order` keeps the texts that may name a residence too)
            for name, label in residences_in(text):
                key = _place_key(name)
                if " " not in key and (key in COMMON_WORDS or key in _NOT_A_SCHOOL_NAME or len(key) < 4):
                    continue  # "Hope (refuge)": "Hope" alone elsewhere is the word
                if not set(key.split()) <= keep and places.get(key) in (None, ADDRESS):
                    places[key] = label  # "[refuge]" says more than "[address]"
        self._places = places
        if places:
            alternation = "|".join(_place_regex(name) for name in sorted(places, key=lambda n: (-len(n), n)))
            self._places_re = re.compile(rf"(?<![\w\[\-])(?P<place>{alternation})(?![\w\-]|['\u2019]\w{{2}}|(?-i:\s+[A-Z][a-z]))",
                                         re.IGNORECASE)
            # in a file's name, in any case, its words joined by "_" or "-" and with its kind after it
            # ("little_acorns_childrens_centre.docx" -> "childrens_centre.docx", as "chloe_ashdown_gp.csv" ->
            # "Mother_gp.csv")
            joined = "|".join(_place_regex(name, gap=r"[_\-]") for name in sorted(places, key=lambda n: (-len(n), n)))
            kinds = r"(?:[_\-](?:childrens|children|family|primary|secondary|high|infant|infants|junior|juniors|c[_\-]?of[_\-]?e|rc|" \
                    r"school|academy|nursery|pre[_\-]?school|playgroup|college|centre|center|house|refuge|hostel))*"
            self._place_files_re = re.compile(
                rf"(?<![A-Za-z0-9])(?P<place>{joined})(?P<kind>{kinds})(?=[_\-.][A-Za-z0-9]|$)", re.IGNORECASE)
        else:
            self._places_re = self._place_files_re = None
        return self

    def _street_organisations_in(self, sources) -> list[tuple[str, str]]:
        """The organisations named after a listed street in `sources` (`learn_schools`), in the order they are
        read, as (street, kind) keys (`_street_key`, `_kind_key`): in the texts as `text` reads them, and in
        files' names ("gp_tanner_street_surgery.xlsx")."""
        def gate(value: str) -> bool:
            return bool(self._address_re.search(value)) or (
                "." in value and bool(_MAY_BE_FILE_NAME.search(value)) and bool(self._address_files_re.search(value)))

        found = []
        for text in _texts_in_order(list(sources), gate):
            for match in self._address_re.finditer(text):
                organisation = _street_organisation(match)
                if organisation is not None:
                    found.append((_street_key(match.group(0)), _kind_key(organisation[0])))
            for name in _FILE_NAME_IN_TEXT.finditer(text) if "." in text else ():
                for match in self._address_files_re.finditer(name.group(0)):
                    if match.group("kind") and not _HOUSE_NUMBER.match(match.group("street")):
                        kind = " ".join(w for w in re.split(r"[_\-.]+", match.group("kind").casefold()) if w)
                        found.append((_street_key(match.group("street")), kind))
        return found

    def _apposed_name_replacement(self, match: re.Match) -> str:
        """A name the case does not list, set off by commas or brackets beside a word for a family member or
        someone in the household ("partner, Dean said", "Mum's boyfriend, Kyle, was present", "the lodger
        (Gary) answered", "Kyle (mum's boyfriend) was present"): "[name]" (`_RELATION_THEN_NAME`,
        `_NAME_THEN_RELATION`), unless a word of it is no name (a pseudonym, a role, an agency's name, an
        abbreviation, an everyday word: "partner, Mother said", "father (NFA)")."""
        group = "name" if match.group("name") is not None else "name_c"
        name = match.group(group)
        words = name.split()
        if words[-1] == AMBIGUOUS and len(words) > 1:
            words = words[:-1]  # "Kyle [name]": the first name goes with the surname hidden already
        if len(words) == 1 and re.fullmatch(r"[A-Z]{3}", words[0]) and not _in_capitals(match):
            # three capitals in ordinary text are an abbreviation or initials, not a name in capitals: "partner
            # (RSO)" is kept, "partner (XYZ)" left to the initials (`_initials_in_context`: "partner ([initials])")
            return match.group(0)
        if not self._may_be_a_name(words[0]):
            return match.group(0)
        if len(words) > 1 and not self._may_be_a_name(words[1]):
            if match.re is _NAME_THEN_RELATION:
                return match.group(0)
            # "partner, Kyle Present": the first word alone (the second is read as it is)
            start = match.start(group) - match.start()
            whole = match.group(0)
            return whole[:start] + AMBIGUOUS + whole[start + len(words[0]):]
        start, end = match.start(group) - match.start(), match.end(group) - match.start()
        whole = match.group(0)
        return whole[:start] + AMBIGUOUS + whole[end:]

    def _titled_name_replacement(self, match: re.Match) -> str:
        """A name the case does not list after a social title ("Mr Jones", "Mrs Patel", "Ms O'Brien", "Mr J. Jones",
        "Mrs van der Berg", "MR JONES"): "Mr [name]", the title kept (an initial before the surname goes too). A
        professional named so is hidden too, their role kept ("Mr Smith (social worker)" -> "Mr [name] (social
        worker)", "class teacher Mrs Patel" -> "class teacher Mrs [name]"), as a name after a professional's title
        is (`_professional_name_replacement`); a word that is no name is left ("Mr and Mrs", "MS DIAGNOSED",
        "Mrs Mother")."""
        title, name, second = match.group("title"), match.group("name"), match.group("second")
        if title.isupper() and not name.isupper():
            return match.group(0)  # "MS Clinic": the illness's abbreviation, not a title
        first = name[:len(name) - len(second)] if second else name
        if second and (not self._may_be_a_surname(second.split()[-1])
                       or _PROFESSIONAL_AFTER.match(match.string, match.start("second"))):
            end = match.start("name") + len(first)  # "Mrs Patel Health Visitor": "Patel" alone is the name
        else:
            end = match.end("name")
        if not self._may_be_a_surname(first.split()[-1]):
            return match.group(0)
        rest = match.string[end:match.end()] if end != match.end("name") else _kept_suffix(match.group("suffix") or "", name)
        return match.group("lead") + AMBIGUOUS + rest

    def _professional_name_replacement(self, match: re.Match) -> str:
        """A name the case does not list after a professional's title or role ("Dr Khan", "PC Smith", "HV Sarah
        Jones", "SW J. Brown", "DR KHAN", "social worker Jane Smith"): "Dr [name]", the role kept, as published
        reviews name professionals by their role (a listed name after a title is read by the names pass: "Dr
        Ryan" -> "Dr [name]"). Its words are read one by one and the name ends at the first that is no name
        ("PC Smith Attended", "HV Jones Eastborough Health Visiting"); a title followed by no name is left ("HV
        Team", "GP Practice", "SW Mother", "GP Larkfield Medical Practice"), and so is a place named after a
        person ("Dr Gray's Hospital", "Dr Khan Surgery": an institution, as an agency's name is)."""
        words = list(_PROFESSIONAL_NAME_WORD.finditer(match.group("name")))
        taken, surname = 0, False
        # after a person's title ("DI", "PC", "Sgt", "Dr", "PO"), a capitalised word that is also an everyday,
        # colour or nationality word is their surname ("DI White", "DS J. Black", "PC Sarah Long": `_SURNAMES_TOO`)
        personal = _PERSONAL_TITLE.fullmatch(match.group("lead").strip(" \t:(")) is not None
        if (not personal and words and match.group("lead").rstrip().endswith(".")
                and _sentence_after_a_stop(words[0].group(0))):
            # "Re-referred by GP. Weight 36.1kg": the full stop after a service's abbreviation ends a sentence,
            # and the word after it is a word of the chronologies' vocabulary, not a name (QA9 D15)
            return match.group(0)
        for word in words:
            written = word.group(0)
            if written == AMBIGUOUS or re.fullmatch(r"[A-Z]\.?", written):
                taken += 1  # "HV Sarah [name]", "SW J. Brown": an initial or a name hidden already
                surname = surname or written == AMBIGUOUS
                continue
            if personal and _surname_too(written, taken, match.string, match.start("name") + word.end()):
                taken += 1
                surname = True
                continue
            if not self._may_be_a_professionals_name(written):
                break
            taken += 1
            surname = True
        if not surname:
            return match.group(0)
        if match.group("bracket") and not re.match(r"[^\S\r\n]*\)", match.string[match.start("name") + words[taken - 1].end():]):
            # "DSL (R Patel)", "Key worker (Chloe)": in brackets the name is all there is; "GP (Larkfield
            # Medical Practice)" or "HV (Jones visiting)" is left
            return match.group(0)
        if match.group("colon") and (taken < 2 or any(_ENGLISH_ENDING.search(_norm(w.group(0))) for w in words[:taken])):
            # "SW: Jane Smith", but after a colon a sentence may start ("GP: Examined Kai"): a first name and a
            # surname only, no English word by its ending
            return match.group(0)
        # (the initials read after the last name are not the name's: "Dr Khan A." is "Dr [name] A.")
        while taken and re.fullmatch(r"[A-Z]\.?", words[taken - 1].group(0)):
            taken -= 1
        end = match.start("name") + words[taken - 1].end()
        if taken == 1 and words[0].group(0) == AMBIGUOUS:
            return match.group(0)  # "Dr [name]" already
        possessive = _PROFESSIONAL_POSSESSIVE.match(match.string, end)
        if _PLACE_AFTER_A_NAME.match(match.string, possessive.end() if possessive else end):
            return match.group(0)  # "Dr Gray's Hospital": a place's name
        # (a possessive after the name is left to follow it: "Dr Khan's letter" -> "Dr [name]'s letter")
        return match.group("lead") + AMBIGUOUS + match.string[end:match.end()]

    def _may_be_a_professionals_name(self, word: str) -> bool:
        """Whether a capitalised word after a professional's title may be (part of) their name: not a word this
        module knows as no name (a pseudonym's, a role, an abbreviation, an agency's name, a service or a place:
        "Team", "Practice", "Surgery", "Eastborough"); a word in capitals is read as `_may_be_a_capitals_name`
        reads it ("PC ATTENDED", "HV VISIT")."""
        base = re.sub(r"['\u2019]s?$", "", word, flags=re.IGNORECASE) if len(word) > 3 else word
        key = _norm(base)
        if len(key) < 2 or base.upper() in self._pseudonym_words or key in self._agency_words:
            return False
        if base.isupper():
            # (two or three capitals are initials, left to `_initials_in_context`: "seen by SW JB" -> "SW [initials]")
            return len(base) > 3 and base not in _ROLES and self._may_be_a_capitals_name(base)
        return not (key in _NOT_SURNAMES or key in _PROFESSIONAL_WORDS or key in _PERSON_WORDS or key in _FAMILY_WORDS
                    or key in _NOT_A_PROFESSIONALS_NAME or key in _NOT_APPOSED_NAMES or key in NEVER_ALONE
                    or key in _MONTH_ABBREVIATIONS or key in _PARTICLE_WORDS or key in _BEFORE_A_SCHOOL
                    or key in _CAPITALS_LINE_WORDS or base.upper() in _CAPITALS_VERBS)

    def _capitals_names(self, text: str, *, mixed: bool = False) -> str:
        """`text` with the names the case does not list in its lines in capitals hidden where the line shows they
        are a person's: beside a person with "AND" or "&" ("SEEN BY [name] AND KERRY", "MOTHER'S PARTNER AND
        KERRY PRESENT", "KERRY JONES & MOTHER") or after a verb of a contact and "BY", "WITH" or "TO" ("SEEN BY
        KERRY", "ASSAULTED BY KYLE SMITH", "SPOKE TO KERRY"): "[name]". A word that is no name is left
        (`_may_be_a_capitals_name`: "MOTHER AND GP", "SEEN BY DUTY SW", "CHILD AND ADOLESCENT", "A&E", "MASH").

        `mixed`: the lines in ordinary text instead, read as the same words in capitals, where the name is
        capitalised ("Seen by Kerry and Mother", "Mum and Kyle Smith present", "spoke to Kelly at home" is
        not: "to" after no verb of a contact)."""
        out, changed = [], False
        for line in (_LINES if mixed else _SENTENCES).split(text):
            if not line or line in ("\r\n", "\n", "\r") or \
                    bool(_LOWER_LETTERS.search(_PLACEHOLDER.sub("", line))) != mixed:
                out.append(line)
                continue
            reading = line
            if mixed:
                reading = line.upper().replace("[NAME]", AMBIGUOUS).replace("[INITIALS]", INITIALS)
                if len(reading) != len(line):
                    out.append(line)  # ("ß" -> "SS": the places would not be the line's)
                    continue
            tokens = list(_CAPITALS_TOKEN.finditer(reading))
            spans: list[tuple[int, int]] = []

            def joined(a: re.Match, b: re.Match) -> bool:  # only spaces between two tokens
                return not reading[a.end():b.start()].strip(" \t")

            def may_be_a_name(token: re.Match) -> bool:  # (in ordinary text, a name is capitalised)
                return self._may_be_a_capitals_name(token.group(0)) and (not mixed or line[token.start()].isupper())

            def name_at(i: int, step: int) -> tuple[int, int] | None:
                """The name that starts (step 1) or ends (step -1) at token i: one word or two ("KERRY JONES")."""
                if not 0 <= i < len(tokens) or not may_be_a_name(tokens[i]):
                    return None
                j = i + step
                if 0 <= j < len(tokens) and (joined(tokens[i], tokens[j]) if step > 0 else joined(tokens[j], tokens[i])) \
                        and may_be_a_name(tokens[j]) and not self._capitals_person(tokens[j].group(0)):
                    i, j = min(i, j), max(i, j)
                    return tokens[i].start(), tokens[j].end()
                return tokens[i].start(), tokens[i].end()

            for i, token in enumerate(tokens):
                word = token.group(0)
                if word in ("AND", "&") and 0 < i < len(tokens) - 1:
                    left, right = tokens[i - 1], tokens[i + 1]
                    if not (joined(left, token) and joined(token, right)):
                        continue
                    if self._capitals_person(left.group(0)):
                        found = name_at(i + 1, 1)
                    elif self._capitals_person(right.group(0)):
                        found = name_at(i - 1, -1)
                    else:
                        found = None
                elif word in ("BY", "WITH", "TO") and 0 < i < len(tokens) - 1 and tokens[i - 1].group(0) in _CAPITALS_VERBS \
                        and joined(tokens[i - 1], token) and joined(token, tokens[i + 1]):
                    found = name_at(i + 1, 1)
                else:
                    found = None
                if found is not None and mixed and not (
                        _CAPITALISED_NAME.fullmatch(line[found[0]:found[1]])
                        and not _NAME_IN_A_PROPER_NAME.match(line, found[1])):
                    # in ordinary text a capitalised name, not the first words of a longer proper name ("Mother and
                    # Toddler Group")
                    found = None
                if found is not None:
                    spans.append(found)
            if not spans:
                out.append(line)
                continue
            changed = True
            pieces, at = [], 0
            for start, end in sorted(set(spans)):
                if start < at:
                    continue
                written = line[start:end]
                suffix = re.search(r"['\u2019][Ss]$", written)
                pieces += [line[at:start], AMBIGUOUS + (suffix.group(0) if suffix else "")]
                at = end
            out.append("".join(pieces) + line[at:])
        return "".join(out) if changed else text

    def _capitals_given_names(self, text: str) -> str:
        """`text` with a known given name (`GIVEN_NAMES`) the case does not list, in a line in capitals, hidden
        wherever it stands ("KERRY PRESENT", "KERRY ATTENDED WITH CHILD" -> "[name] PRESENT", ...), with the
        surname after it ("KERRY JONES PRESENT" -> "[name] PRESENT"; not an everyday word: "KERRY ATTENDED").
        Only in a line in capitals (in ordinary text a capitalised word there may be a sentence's first) and
        only a word `_may_be_a_capitals_name` does not know as no name: a listed person's pseudonym, a role, an
        abbreviation or an everyday word of such lines stays ("HOME VISIT", "NFA", "MASH", "A&E")."""
        spans: list[tuple[int, int]] = []
        phrases = None  # the spans of the phrases that name no one ("JOHN LEWIS"), found on the first name
        for match in _GIVEN_NAME_IN_CAPITALS.finditer(text):
            if spans and match.start() < spans[-1][1]:
                continue
            if phrases is None:
                phrases = [(m.start(), m.end()) for m in _PHRASES_NOT_NAMES.finditer(text)]
            phrase = next(((a, b) for a, b in phrases if a <= match.start() < b), None)
            if phrase is not None and not _NAME_CONTEXT.match(text, phrase[1]):
                continue  # "BOUGHT AT JOHN LEWIS", "PETER PAN COLLAR": a shop, a collar (not "JOHN LEWIS PRESENT")
            starts, ends = _capitals_run(text, match.start(), match.end())
            if _LOWER_LETTERS.search(_PLACEHOLDER.sub("", text[starts:ends])):
                continue  # a sentence in ordinary text
            if len(_CAPITALS_TOKEN.findall(text, starts, ends)) < 2 and _LOWER_LETTERS.search(text):
                continue  # a word alone in capitals in ordinary text, no sentence in capitals ("Seen. WILL.")
            if not self._may_be_a_capitals_name(match.group(0), known_name=True):
                continue
            end = match.end()
            while not re.search(r"['\u2019]S$", text[match.start():end]):  # (a possessive ends the name)
                after = _CAPITALS_TOKEN.match(text, end + 1) if text[end:end + 1] == " " else None
                if after is None or after.group(0) in ("AND", "&") or self._capitals_person(after.group(0)) \
                        or not self._may_be_a_capitals_name(after.group(0)) \
                        or _everyday_in_capitals(re.sub(r"['\u2019]S$", "", after.group(0)).casefold()):
                    break
                end = after.end()  # "KERRY JONES", "KERRY ANNE SMITH": the other names go with it
                if _norm(re.sub(r"['\u2019]S$", "", after.group(0))) not in GIVEN_NAMES:
                    break  # a surname: the last of the name
            spans.append((match.start(), end))
        if not spans:
            return text
        pieces, at = [], 0
        for start, end in spans:
            suffix = re.search(r"['\u2019]S$", text[start:end])
            pieces += [text[at:start], AMBIGUOUS + (suffix.group(0) if suffix else "")]
            at = end
        return "".join(pieces) + text[at:]

    def _capitals_context_names(self, text: str) -> str:
        """`text` with a name the case does not list and `GIVEN_NAMES` does not know ("ZEPHYR"), alone at the
        start of a sentence (or clause) in capitals and followed by a word that makes it a person's
        (`_NAME_CONTEXT_WORDS`), hidden: "ZEPHYR PRESENT" -> "[name] PRESENT", "HOME VISIT. ZEPHYR HOLT
        ATTENDED" -> "HOME VISIT. [name] ATTENDED". One or two words, each one `_may_be_a_capitals_name`
        does not know as no name and not `_NOT_NAMES_IN_CONTEXT` ("MOTHER PRESENT", "POLICE ATTENDED", "NO
        ONE PRESENT", "HE SAID", "BRUISE PRESENT" stay)."""
        spans: list[tuple[int, int]] = []
        for context in _NAME_CONTEXT.finditer(text):
            starts, ends = _capitals_run(text, context.start(), context.end())
            if _LOWER_LETTERS.search(_PLACEHOLDER.sub("", text[starts:ends])):
                continue  # a sentence in ordinary text
            clause = max(starts, text.rfind(",", starts, context.start()) + 1)
            tokens = list(_CAPITALS_TOKEN.finditer(text, clause, context.start()))
            if not tokens or text[clause:tokens[0].start()].strip() \
                    or any(text[a.end():b.start()].strip(" \t") for a, b in zip(tokens, tokens[1:])):
                continue  # not words alone before the context word
            if 2 <= len(tokens) <= 3 and self._capitals_person(tokens[-1].group(0)) \
                    and not tokens[-1].group(0).startswith("["):
                # "ZEPHYR'S MUM PRESENT", "ZEPHYR HOLT'S DAD ATTENDED": a name's possessive before a family member
                owner = self._capitals_owner(tokens[:-1])
                if owner is not None:
                    spans.append(owner)
                continue
            if not 1 <= len(tokens) <= 2:
                continue  # not one or two words alone before the context word
            if any(t.group(0).startswith("[") or self._capitals_person(t.group(0))
                   or re.sub(r"['\u2019]S$", "", t.group(0)).casefold() in _NOT_NAMES_IN_CONTEXT
                   or not self._may_be_a_capitals_name(t.group(0)) for t in tokens):
                continue
            spans.append((tokens[0].start(), tokens[-1].end()))
        if not spans:
            return text
        pieces, at = [], 0
        for start, end in spans:
            pieces += [text[at:start], AMBIGUOUS]
            at = end
        return "".join(pieces) + text[at:]

    def _capitals_owner(self, tokens: list[re.Match]) -> tuple[int, int] | None:
        """The span of the name in `tokens`, one or two words in capitals whose last is a possessive ("ZEPHYR'S",
        "ZEPHYR HOLT'S", or "ZEPHYRS" typed without its apostrophe), before a family member's word: the name
        without its "'S" (kept, so that the line reads "[name]'S MUM PRESENT"), or None when a word of it is no
        name ("HIS MUM", "CHILD'S MUM", "PATIENT'S MUM", "MOTHER'S PARTNER", "PARENTS MUM")."""
        last = tokens[-1].group(0)
        possessive = re.search(r"['\u2019]S$", last)
        ending = len(possessive.group(0)) if possessive else 1 if last.endswith("S") and len(last) > 3 else 0
        if not ending:
            return None
        words = [t.group(0) for t in tokens[:-1]] + [last[:-ending]]
        if any(w.startswith("[") or self._capitals_person(w) or w.casefold() in _NOT_NAMES_IN_CONTEXT
               or not self._may_be_a_capitals_name(w) for w in words):
            return None
        if not possessive and not self._may_be_a_capitals_name(last):
            return None  # "PARENTS", "OTHERS": a plural, not a possessive without its apostrophe
        return tokens[0].start(), tokens[-1].end() - ending

    def _owner_replacement(self, match: re.Match) -> str:
        """A capitalised name the case does not list, with its possessive, before a family member's word in any
        text and any case ("Zephyr's mum present", "with Zephyr Holt's Dad", "ZEPHYR'S MUM"): "[name]'s", the
        possessive kept. A word that is no name keeps the text (`_may_be_an_owner`: "Today's mum", "Mum's
        partner", "Doctor's mum", "Everyone's mum", "Mother's partner", "It's mum"); a word before the name that
        is no name stays outside it ("Saw Holt's dad" -> "Saw [name]'s dad")."""
        name, first = match.group("name"), match.group("first")
        if not self._may_be_an_owner(name):
            return match.group(0)
        kept = ""
        if first is not None and not self._may_be_an_owner(first):
            kept = match.group(0)[:match.start("name") - match.start()]
        return kept + AMBIGUOUS + match.group("s")

    def _may_be_an_owner(self, word: str) -> bool:
        """Whether a capitalised word before a possessive and a family member's word may be a person's name:
        one `_may_be_a_capitals_name` does not know as no name (an abbreviation, a role, a pseudonym's word, a
        family member's, a professional's, an agency's, a month, a day, an everyday word, an English word by
        its ending; a known given name is never an English word), nor a pronoun, determiner or the words for
        a person (`_NOT_NAMES_IN_CONTEXT`: "Everyone's", "Patient's"), nor a time (`_NOT_OWNERS`: "Today's")."""
        key = _norm(word)
        if key in _NOT_NAMES_IN_CONTEXT or key in _NOT_OWNERS or key.replace("'", "") in _NOT_OWNERS:
            return False
        if word.isupper() and len(word) <= 3 and key not in GIVEN_NAMES:
            return False  # "GP's", "SW's", "JB's": an abbreviation or initials (`_initials_in_context`)
        return self._may_be_a_capitals_name(word.upper(), known_name=key in GIVEN_NAMES)

    def _capitals_person(self, word: str) -> bool:
        """Whether a word of a line in capitals is a person: a name already hidden ("[name]"), a pseudonym's word
        ("MOTHER", "PARTNER", "CHILD") or a family member's word ("MUM", "NAN")."""
        if word.startswith("["):
            return word in (AMBIGUOUS, INITIALS)
        base = re.sub(r"['\u2019]S$", "", word)
        return base in self._pseudonym_words or base.casefold() in _FAMILY_WORDS

    def _may_be_a_capitals_name(self, word: str, *, known_name: bool = False) -> bool:
        """Whether a word in capitals may be a person's name: none of the words this module knows as no name
        (abbreviations, roles, pseudonyms, family members', everyday and agencies' words, months, days, police
        ranks, `_CAPITALS_NOT_NAMES`), nor an English word by its ending ("SHOUTING", "ADOLESCENT"; not asked
        of a `known_name`, one of `GIVEN_NAMES`: "KELLY", "ALFRED")."""
        if word.startswith("[") or word == "&" or len(word) < 2:
            return False
        base = re.sub(r"['\u2019]S$", "", word)
        if base in KNOWN_ABBREVIATIONS or base in _ROLES or base in self._pseudonym_words or not base.isalpha() \
                and not re.fullmatch(r"[A-Z]+(?:['\u2019\-][A-Z]+)+", base):
            return False
        key = base.casefold()
        if key in _PERSON_WORDS or key.removesuffix("s") in _PERSON_WORDS or key in _FAMILY_WORDS \
                or key in _CAPITALS_NOT_NAMES or key in _NOT_SURNAMES or key in _CAPITALS_LINE_WORDS \
                or key in _BEFORE_A_SCHOOL or key in _PROFESSIONAL_WORDS or key in _NOT_APPOSED_NAMES \
                or key in NEVER_ALONE or key in _MONTH_ABBREVIATIONS or key in _APPOSITION_FILLERS \
                or key in _PARTICLE_WORDS or key in self._agency_words or key in _NOT_A_SCHOOL_NAME \
                or base in _CAPITALS_VERBS:
            return False
        return known_name or not _ENGLISH_ENDING.search(key)

    def _may_be_a_surname(self, word: str) -> bool:
        """Whether a capitalised word after a social title may be a surname: not a pseudonym's word, an
        abbreviation, a role or an everyday word ("Mr and", "MS DIAGNOSED", "Mrs Mother")."""
        key = _norm(word)
        if word.upper() in self._pseudonym_words or word in _ROLES or key in _NOT_SURNAMES:
            return False
        if word.isupper() and (word in KNOWN_ABBREVIATIONS or _everyday_in_capitals(key)):
            return False
        return key not in _PERSON_WORDS and key not in _PROFESSIONAL_WORDS

    def _may_be_a_name(self, word: str) -> bool:
        """Whether a capitalised word beside a family member's role word may be a person's name: not a word
        of a pseudonym, a role or a known abbreviation, an everyday word this module knows, or a word of an
        agency's name."""
        word = word.rstrip(".")
        key = _norm(word)
        if word.upper() in self._pseudonym_words or word.upper() in KNOWN_ABBREVIATIONS or word in _ROLES:
            return False
        if key in _NOT_APPOSED_NAMES or _everyday_in_capitals(key) or key in NEVER_ALONE or key in _MONTHS \
                or key in _WEEKDAYS or key in _MONTH_ABBREVIATIONS:
            return False
        return key not in self._agency_words

    def _double_barrelled_replacement(self, match: re.Match) -> str:
        """A double-barrelled name with a part of a listed name that is not a listed name itself ("Keane-Jones",
        "Smith-Keane", "KEANE-JONES", "Ryan Keane-Jones" with Ryan Keane listed): somebody else's name, or the
        listed person's under a name the case does not give: "[name]", whole (the names pass would replace
        the listed part and leave the other beside its pseudonym, "Father-Jones")."""
        whole = match.group("name")
        key = _norm(whole)
        if key in self._replacements or _loose_key(key) in self._loose:
            return match.group(0)  # a listed name ("Keane-Smith"): the names pass replaces it
        parts = [_norm(p) for p in re.split(r"[\-\u2010\u2011\u2013]", whole)]
        if not any(p in self._name_parts and not (p in COMMON_WORDS and whole.isupper()) for p in parts):
            return match.group(0)
        if any(p.upper() in KNOWN_ABBREVIATIONS for p in parts):
            return match.group(0)  # "Kai-CSC", "Keane-DNA": not a name
        first = match.group("first")
        if first is not None and _norm(first) not in self._name_words:
            return first + match.group("gap") + AMBIGUOUS  # "Kyle Keane-Jones": Kyle is no listed name, kept
        return AMBIGUOUS

    def _place_file_replacement(self, match: re.Match) -> str:
        label = self._places.get(_place_key(match.group("place").replace("_", " ").replace("-", " ")))
        if label is None:
            return match.group(0)
        if match.group("kind"):
            # the kind the file's name gives is the school's ("oakfield_high_school.csv" is the secondary school
            # when "Oakfield" names two; "hillside_primary.csv" is no nursery when "Hillside Nursery" is one)
            written = _file_words(match.group("place") + match.group("kind"))
            shown = school_text(written, self._school_labels) if _MAY_BE_SCHOOL.search(written) else written
            if shown != written and re.fullmatch(r"\[[^\[\]]+\]", shown):
                label = shown
        return re.sub(r"[^a-z0-9]+", "_", label.casefold().replace("'", "")).strip("_")

    def _address_file_name(self, match: re.Match) -> str:
        """A file's name in a text with the listed addresses in it replaced (`_address_in_file_name`)."""
        return self._address_files_re.sub(self._address_in_file_name, match.group(0))

    def _address_in_file_name(self, match: re.Match) -> str:
        """A listed address in a file's name as the name shows it: a street followed by an organisation's kind,
        that kind as `text` shows the organisation, written as a file's name is ("gp_tanner_street_surgery.xlsx"
        -> "gp_surgery.xlsx"; "gp_surgery_1.xlsx" when two surgeries are named after the family's streets);
        else "address" ("14_tanner_street_notes.csv" -> "address_notes.csv")."""
        kind = match.group("kind")
        if not kind or _HOUSE_NUMBER.match(match.group("street")):
            return "address" + (kind or "")
        key = " ".join(w for w in re.split(r"[_\-.]+", kind.casefold()) if w)
        label = self._street_organisations.get((_street_key(match.group("street")), key),
                                               _ORGANISATION_LABELS.get(key, f"[{key}]"))
        return re.sub(r"[^a-z0-9]+", "_", label.casefold().replace("'", "")).strip("_")

    def _file_name_replacement(self, match: re.Match) -> str:
        """A file's name with each word of its stem that is a listed person's given name or surname replaced by
        the pseudonym, in any case and whatever else the word means ("health_visiting_poppy.xlsx" ->
        "health_visiting_Sibling.xlsx"); the extension is kept."""
        stem, dot, extension = match.group(0).rpartition(".")
        return self._file_stem(stem) + dot + extension

    def _file_stem(self, stem: str) -> str:
        """A file's name without its extension (or a profile's name) with each word that is a listed person's
        given name or surname replaced by the pseudonym (`_file_name_words`)."""
        words = re.split(r"([_\-.]+)", stem)
        for i in range(0, len(words), 2):
            shown = self._file_name_words.get(_loose_key(_norm(words[i]))) if words[i] else None
            if shown is not None:
                words[i] = shown
        return "".join(words)

    def path(self, value):
        """A file's path or name (an input file, a profile's name or file) as the anonymised view shows it: as
        `text` redacts it, a school or place the case names written as in a file's name ("meadowbank",
        "profiles/meadowbank.yml" -> "primary_school", "profiles/primary_school.yml"), and a listed person's
        name as a word of it, whatever else the word means ("poppy_notes" -> "Sibling_notes")."""
        if not self.active or not isinstance(value, str) or not value:
            return value
        out = self.text(value)
        if self._address_files_re is not None:
            out = self._address_files_re.sub(self._address_in_file_name, out)
        if self._place_files_re is not None:
            out = self._place_files_re.sub(self._place_file_replacement, out)
        if self._file_name_words:
            parts = re.split(r"([/\\]+)", out)
            for i in range(0, len(parts), 2):
                stem, dot, extension = parts[i].rpartition(".") if "." in parts[i] else (parts[i], "", "")
                parts[i] = self._file_stem(stem) + dot + extension
            out = "".join(parts)
        return out

    def _place_replacement(self, match: re.Match) -> str:
        written = match.group("place")
        if not written[:1].isupper():
            return written  # "the hillside": a word, not the school's name
        return self._places.get(_place_key(written), written)

    def _initials_text(self, text: str) -> str:
        """`text` with people's initials replaced: a listed person's ("KB" for Kerry Brook) by their
        pseudonym anywhere, anyone else's where the text shows they are a person's (`_INITIALS_IN_CONTEXT`)."""
        def listed(match: re.Match) -> str:
            letters = match.group(0)
            return self._initials.get(letters, letters)

        if self._initials_re is not None:
            text = self._initials_re.sub(listed, text)
        return _initials_in_context(text, self._pseudonym_words)

    def _names_in(self, text: str, start: int, end: int) -> str:
        """`text[start:end]` with its names replaced, read in the whole text (what comes before and after)."""
        out, at = [], start
        for match in self._name_re.finditer(text, start, end):
            out += [text[at:match.start()], self._name_replacement(match)]
            at = match.end()
        return "".join(out) + text[at:end]

    def _alone(self, match: re.Match, end: int) -> str:
        """The match read only up to `end` (a first name without the word after it, a name without the
        words after it), and what follows up to the match's end with its own names replaced."""
        shorter = self._name_re.match(match.string, match.start(), end)
        if shorter is None or shorter.end() != end:  # (never: the first part is a name)
            return self._names_in(match.string, match.start(), match.end())
        return self._name_replacement(shorter) + self._names_in(match.string, end, match.end())

    def _another_surname(self, name: str, other: str, match: re.Match) -> bool:
        """Whether `other`, after the listed first name `name`, is a surname that is not the listed person's
        ("Dean Smith", "Dean Ashdown", "Dean St John", "Dean van der Berg"), so that the two are somebody else's
        name."""
        key = _norm(other)
        if key in self._surnames or _loose_key(key) in self._loose_surnames:
            return True  # a listed surname, not this person's (theirs is read with their full name)
        words = other.split()
        if len(words) > 1 and _norm(words[0]) in _PARTICLE_WORDS:
            if _norm(words[0]) in ("st", "st.", "saint") and match.group("suffix") and re.match(
                    r"[^\S\r\n]+[A-Z]", match.string[match.end("suffix"):]):
                return False  # "took Kai St Mary's Hospital": a saint's place, not a surname
            # "Dean St John", "Dean van der Berg": the surname is the word after the particles
            other = words[-1]
            key = _norm(other)
        if key in self._name_words or key in _NOT_SURNAMES or key in NEVER_ALONE or key in _PROFESSIONAL_WORDS:
            return False
        if other.isupper():
            # "Dean SMITH", "DEAN SMITH attended" (a surname in capitals, as police records write it); not an
            # abbreviation ("Kai DNA", "DEAN NFA")
            if other in KNOWN_ABBREVIATIONS or other.replace("\u2019", "'") in KNOWN_ABBREVIATIONS:
                return False
            if not name.isupper():
                return True
            # in capitals with the name ("DEAN SMITH ATTENDED", "INFORMED DEAN ARRESTED", and a sentence in capitals
            # in ordinary text: "Mother rang. DEAN HIT KAI."): a surname unless it is a
            # word such lines use after a name (a surname taken for a word would be left beside the pseudonym),
            # or a verb by its place: between the name and the person it was done to ("DEAN HIT KAI", "DEAN
            # SHOVES HER", "DEAN SLAPS MUM."), as no surname stands just before another person
            return not (_everyday_in_capitals(key) or self._person_done_to(match))
        return True

    def _person_done_to(self, match: re.Match) -> bool:
        """Whether the word after the match (in a line in capitals) is a person something is done to: a listed
        name's word ("KAI"), an object pronoun ("HIM", "HER", "THEM"), or a family member's or pseudonym's word
        that ends the clause ("MUM.", "MOTHER"); not a possessive ("DEAN SMITH KAI'S STEPFATHER", "DEAN SMITH HER
        PARTNER": the word before them is a surname)."""
        after = _NEXT_CAPITALS_WORD.match(match.string, match.end())
        if after is None or after.group("possessive"):
            return False
        word, rest = after.group("word"), after.group("rest")
        key = word.casefold()
        if key in ("him", "them", "me", "us") or key == "her" and not rest:
            return True
        if key in self._name_words and _norm(word) not in NEVER_ALONE:
            return True
        return not rest and (word in self._pseudonym_words or key in _FAMILY_WORDS)

    def _name_replacement(self, match: re.Match) -> str:
        if _not_a_name(match):
            return match.group(0)
        name, written = match.group("name"), match.group("suffix") or ""
        if match.group("other") is not None:
            first = name[:match.start("other") - match.start("name")].rstrip()
            if not self._another_surname(first, match.group("other"), match):
                return self._alone(match, match.start("name") + len(first))  # "Kai Monday", "Kai Chloe"
            # "SW (Dean Smith)": a listed person's first name and another's surname are somebody else's name
        key = _norm(name)
        pseudonym = self._replacements.get(key) or self._loose.get(_loose_key(key), AMBIGUOUS)
        title = match.group("title") or ""
        lower = match.group("lprof")
        if lower and (pseudonym in self._professionals
                      or _REPORTED_TO.search(match.string, max(0, match.start() - 40), match.start())):
            # "told the health visitor Kai had a rash": the role is not a title of the name after it
            return self._alone_after(match, match.start("name"))
        prof = match.group("prof") or lower
        if match.group("after") is not None:
            words = {w.casefold() for w in re.findall(r"[A-Za-z'\u2019]+", match.group("after"))}
            if written or title or prof or not words <= self._role_after.get(pseudonym, frozenset()) or not (
                    words & self._role_words.get(pseudonym, frozenset())):
                # "Dean, mother, said": another's role words, read as they are
                return self._alone(match, match.start("after"))
            # "Dean Fowler (partner)" -> "Mother's partner", not "Mother's partner (partner)"
        if prof and prof.rstrip().endswith(".") and _PERSONAL_TITLE.fullmatch(prof.strip(" \t:(")) is None \
                and pseudonym != AMBIGUOUS and pseudonym not in self._professionals:
            # "Statutory visit by new SW. Ollie in class": the full stop after a service's abbreviation ends a
            # sentence; the listed person's name starts the next (QA9 D15), shown by their pseudonym
            return self._alone_after(match, match.start("name"))
        if prof and pseudonym not in self._professionals:
            # "Dr Ryan (Larkfield)": a professional who shares a name with the father, not the father; the
            # name is hidden all the same, since it may be a family member's ("Dr [name]")
            return prof + AMBIGUOUS + _kept_suffix(written, name)
        if title and title.rstrip(". \t\r\n").casefold() != "master" and key in self._first_names_only:
            # "Mr Ryan": a title before a first name is somebody's surname, not the listed person's
            return title + AMBIGUOUS + _kept_suffix(written, name)
        if not title and not prof and self._role_before is not None and pseudonym in self._role_words:
            before = self._role_before.search(match.string, max(0, match.start() - 20), match.start())
            if before is not None and before.group("role").casefold() in self._role_words[pseudonym]:
                opening = before.group("open").strip()
                if not opening:
                    # "Mother's partner Dean" -> "Mother's partner", not "Mother's partner Mother's partner": the
                    # role words already say who it is (the space before the name goes too: `text`)
                    return _DROP + _possessive(written, name)
                rest = match.string[match.end("suffix") if written else match.end("name"):]
                if not written and not match.group("after") and re.match(
                        r"[^\S\r\n]*\)" if opening == "(" else r"[^\S\r\n]*(?:,|[.;:\r\n]|$)", rest):
                    # "Mother's partner, Dean, was present" -> "Mother's partner was present": the commas or
                    # brackets go with the name (`_APPOSED`)
                    return _DROP_APPOSED
        if not title and not prof and not written and match.group("after") is None and pseudonym in self._role_words \
                and self._named_as_own_role(match, pseudonym):
            # "Gary Holt is mother's partner" -> "[name] is mother's partner", not "Mother's partner is mother's
            # partner": the sentence gives the person's role, so the name is hidden without it
            return AMBIGUOUS
        shown = self._pseudonym_for(match, name, written, pseudonym, match.start("name") if not
                                    (prof or title) else
                                    match.start("prof") if match.group("prof") else
                                    match.start("lprof") if lower else match.start("title"))
        if not title and not prof and match.group("after") is None and pseudonym in self._role_pseudonyms:
            relation = _RELATION_BEFORE.search(match.string, max(0, match.start() - 30), match.start())
            if relation is not None and not _REPORTED_TO.search(match.string, max(0, relation.start() - 40),
                                                                 relation.start()):
                # "assaulted partner Donna" (Donna: "Mother") -> "assaulted partner (Mother)", not "partner Mother": a
                # role word before a role reads as one person's two roles ("told mother Dean was drunk" is two
                # people: as it was)
                return f"({shown})"
        return shown

    def _named_as_own_role(self, match: re.Match, pseudonym: str) -> bool:
        """Whether the text says that the listed person at `match` is what their pseudonym says, with "is" or
        "was" between the name and the pseudonym's role words ("Gary Holt is mother's partner", "Kerry is
        Leah's mother", "Her partner is Gary"; `_COPULA_AFTER`, `_COPULA_BEFORE`)."""
        roles, fillers = self._role_words[pseudonym], self._role_after[pseudonym]

        after = _COPULA_AFTER.match(match.string, match.end())
        if after is not None:
            words = after.group("words").split() + [after.group("rest").strip()]
            for i, role in enumerate(words[:-1]):
                if role.casefold() in roles:
                    # (the role itself: "is mother's partner.", not "is partner of", "is partner to")
                    return words[i + 1].casefold() not in ("of", "to") and all(
                        w.casefold() in fillers or re.fullmatch(r"[A-Za-z]+['\u2019]s", w) for w in words[:i])
        before = _COPULA_BEFORE.search(match.string, max(0, match.start() - 40), match.start())
        return before is not None and before.group("role").casefold() in roles

    def _alone_after(self, match: re.Match, start: int) -> str:
        """What comes before `start` in the match, as written, and the match from `start` read again."""
        text = match.string
        again = self._name_re.match(text, start, match.end())
        if again is None:
            return text[match.start():match.end()]
        return text[match.start():start] + self._name_replacement(again) + self._names_in(text, again.end(), match.end())

    def _pseudonym_for(self, match: re.Match, name: str, written: str, pseudonym: str, start: int) -> str:
        apostrophe = written[:1] if written[:1] in ("'", "\u2019") else "'"
        if written in ("'", "\u2019") and name[-1:].casefold() != "s":
            suffix = written  # "'Chloe' said": a closing quote, kept
        elif pseudonym == AMBIGUOUS and written[:1].casefold() == "s":
            suffix = written  # "the Ashdowns" -> "the [name]s", "the Ashdowns'" -> "the [name]s'": it cannot be told
        elif written:
            suffix = apostrophe + "s"  # "Chloe's", "CHLOE'S", "James'", "Kais cot" -> "Mother's"
        else:
            suffix = ""
        if name.endswith(".") and match.group("after") is None and _ends_sentence(match):
            suffix += "."  # "I saw Chloe A. She left": the initial's dot also ended the sentence
        if pseudonym == AMBIGUOUS:
            # "Mrs [name]": the title helps the reader
            return (match.group("title") or match.group("prof") or match.group("lprof") or "") + pseudonym + suffix
        if _in_capitals(match):
            return (pseudonym + suffix).upper()  # "REFERRAL RE KAI ASHDOWN" -> "REFERRAL RE CHILD A"
        if _starts_sentence(match, start):
            pseudonym = pseudonym[:1].upper() + pseudonym[1:]  # "maternal grandmother" -> "Maternal grandmother said"
        return pseudonym + suffix  # "Ms Brook" -> "Mother"

    def frame(self, frame: pd.DataFrame, columns=None) -> pd.DataFrame:
        """A copy of `frame` with every text column (or only `columns`) redacted."""
        if not self.active:
            return frame.copy()
        out = frame.copy()
        names = list(columns) if columns is not None else [
            c for c in out.columns
            if pd.api.types.is_string_dtype(out[c].dtype) or out[c].dtype == object
        ]
        for column in names:
            series = out[column]
            uniques = pd.unique(series.dropna())
            redact = (self.author if column in AUTHOR_COLUMNS else self._role if column in INITIALS_COLUMNS
                      else self._message if column in MESSAGE_COLUMNS else self.text)
            mapping = {v: redact(v) for v in uniques if isinstance(v, str)}
            changed = {k: v for k, v in mapping.items() if k != v}
            if changed:
                out[column] = series.map(lambda v, m=changed: m.get(v, v) if isinstance(v, str) else v).astype(series.dtype)
        return out

    def _message(self, value):
        """A problem or warning message: redacted as any text, and the author a decision problem names ("author
        'Priya Natt' is not one of the reviewers case.yml names (...)", `review.decisions`) as `author` shows
        a decision's author: a name case.yml does not list is no name the text redaction knows."""
        if isinstance(value, str) and _UNKNOWN_AUTHOR.search(value):
            value = _UNKNOWN_AUTHOR.sub(lambda m: m.group(1) + repr(str(self.author(m.group(2)))) + m.group(3), value)
        if isinstance(value, str) and "'" in value:
            # a cell's value quoted in the message ("unreadable date 'MICHELLE FROM CAMHS PRESENT'") is read as the
            # cell was: a line in capitals there is one, though the message around it is in ordinary text
            value = _QUOTED_VALUE.sub(lambda m: "'" + self.text(m.group(1)) + "'", value)
        shown = self.text(value)
        if self.months and isinstance(shown, str) and _MAY_BE_TIME.search(shown):
            # a message is about a contact's date and time cells: the view drops the time as its date columns do
            # ("the date 'Mar 2024' has time [time] but the time column says [time]")
            shown = _TIME_OF_DAY.sub(TIME, shown)
        return shown

    def _role(self, value):
        """A practitioner's role cell: redacted as any text, and a cell that is only initials ("JB") too."""
        shown = self.text(value)
        stripped = shown.strip() if isinstance(shown, str) else ""
        if re.fullmatch(_CAPS, stripped) and stripped not in KNOWN_ABBREVIATIONS and stripped not in self._pseudonym_words:
            return INITIALS
        staff = _ROLE_INITIAL_NAME.match(shown) if isinstance(shown, str) else None
        if staff is not None and self._may_be_a_professionals_name(staff.group("surname")):
            # a role cell that is a staff member's initial and surname ("R. Dace", "K Patel (night staff)"):
            # their name, hidden as "Dr [name]" is in a text (QA9 D15: the care log's Staff column)
            return shown[:staff.start("name")] + AMBIGUOUS + shown[staff.end("name"):]
        return shown

    def author(self, value):
        """Who made a decision (a decisions table's `author`, a flag's `decided_by`) as the anonymised view
        shows it: the pseudonym of a person case.yml lists ("Jane Smith" -> "Lead reviewer", her initials
        "JS" too), a role kept ("Lead reviewer", "Panel"), anyone else "[reviewer]": a reviewer's name
        is not the child's, but names the review and its area."""
        if not self.active or not isinstance(value, str) or not value.strip():
            return value
        shown = self.text(value)
        pseudonyms = {p.casefold() for p in self.people.values()}
        if shown.strip().casefold() in pseudonyms or _ROLE_WORDS.search(shown):
            return shown
        return REVIEWER

    def table(self, frame: pd.DataFrame) -> pd.DataFrame:
        """`frame` as the anonymised view shows it: names replaced in its text (`frame`) and, when dates
        are given to the month, every date to its month (`month_table`)."""
        if not self.active:
            return frame.copy()
        out = self.frame(frame)
        return month_table(out) if self.months else out

    def names_found(self, text: str) -> list[str]:
        """The people's names (and the child's date of birth) still present in `text`, as written,
        in order of appearance. Empty after `text()` when redaction worked."""
        if not isinstance(text, str):
            return []
        found = []
        if self._name_re is not None:
            found += [(m.start(), m.group("name")) for m in self._name_re.finditer(text) if not _not_a_name(m)]
        if self._dob_re is not None:
            found += [(m.start(), m.group(0)) for m in self._dob_re.finditer(text)]
        if self._address_re is not None:
            found += [(m.start(), m.group(0)) for m in self._address_re.finditer(text)]
        found += [(m.start(), m.group(0)) for m in _NHS_NUMBER.finditer(text) if _nhs_replacement(m) != m.group(0)]
        found += [(m.start(), m.group(0)) for m in _POSTCODE.finditer(text) if _is_postcode(m)]
        return [s for _, s in sorted(found)]

    def describe(self) -> dict:
        """What the manifest records about the view: no real names, only the pseudonyms used."""
        return {
            "view": self.view,
            "people_pseudonymised": len(self.people) if self.active else 0,
            "pseudonyms": sorted(set(self.people.values())) if self.active else [],
            "date_of_birth_redacted": bool(self.active and self.date_of_birth),
            "addresses_redacted": len(self.addresses) if self.active else 0,
            "dates": self.date_resolution if self.active else DAY,
        }


def _place_key(written: str) -> str:
    """A place's name as `Redactor._places` keys it: "St Mary's", "ST MARYS", "Saint Marys" -> "st marys"."""
    words = _norm(written).replace("'", "").split()
    return " ".join("st" if w in ("saint", "st.") else w for w in words)


def _place_regex(name: str, gap: str = r"\s+") -> str:
    """A learned place's name ("st marys", "hope house") as a regex for the ways it is written ("St Mary's",
    "St. Marys", "Saint Mary’s", "HOPE HOUSE"; with `gap` between the words)."""
    parts = []
    for word in name.split():
        if word == "st":
            parts.append(r"(?:st\.?|saint)")
        elif len(word) > 2 and word.endswith("s"):
            parts.append(re.escape(word[:-1]) + r"['\u2019]?s")
        else:
            parts.append(re.escape(word))
    return gap.join(parts)


#: a file's name, as the timeline's `source_file` gives it ("oakfield_primary_school.csv")
_FILE_NAME = re.compile(r"[^\s/\\]+\.(?i:xlsx|xlsm|xls|csv|tsv|docx|doc|ods|odt|rtf|txt|pdf|html?|json|xml)")
_LOWER_WORDS = frozenset("of and the de la le".split())
#: a file's name in a text (the case's own files too: "profiles/meadowbank.yml"), and a quick test for one
_FILE_EXTENSIONS = r"(?i:xlsx|xlsm|xls|csv|tsv|docx|doc|ods|odt|rtf|txt|pdf|html?|json|xml|ya?ml)"
_FILE_NAME_IN_TEXT = re.compile(rf"(?<![^\s/\\(\[\"'])[^\s/\\\"']+\.{_FILE_EXTENSIONS}(?![A-Za-z0-9])")
_MAY_BE_FILE_NAME = re.compile(rf"\.{_FILE_EXTENSIONS}(?![A-Za-z0-9])")



def _file_words(stem: str) -> str:
    """A file's name (without its extension) as the words a text would write: "st_marys_c_of_e_primary" ->
    "St Marys C of E Primary", "little_acorns_childrens_centre" -> "Little Acorns Childrens Centre"."""
    words = [w for w in re.split(r"[_\-.\s]+", stem) if w]
    out = []
    for i, word in enumerate(words):
        low = word.casefold()
        if low == "school" and out and out[-1] == "Pre":
            out[-1] = "Pre-School"
        elif low in _LOWER_WORDS and i:
            out.append(low)
        else:
            out.append(low[:1].upper() + low[1:])
    return " ".join(out)


def _file_name_schools(source) -> list[str]:
    """The files' names in `source` (a table's text cells, a text, a list of them) that name a school, as
    words ("oakfield_primary_school.csv" -> "Oakfield Primary School")."""
    if isinstance(source, str):
        values = [source]
    elif isinstance(source, pd.DataFrame):
        values = []
        for column in source.columns:
            series = source[column]
            if pd.api.types.is_string_dtype(series.dtype) or series.dtype == object:
                try:
                    values += [v for v in pd.unique(series.dropna()) if isinstance(v, str) and "." in v and len(v) < 200]
                except TypeError:
                    continue
    elif isinstance(source, (list, tuple)):
        return [t for item in source for t in _file_name_schools(item)]
    else:
        return []
    found = []
    for value in values:
        if _FILE_NAME.fullmatch(value.strip()):
            words = _file_words(value.strip().rsplit(".", 1)[0])
            if _MAY_BE_SCHOOL.search(words) and words not in found:
                found.append(words)
    return found


def _texts_in_order(source, gate=None) -> list[str]:
    """The texts that may name a school or a place of residence in a table (row by row in `seq` order when it has one, its
    columns left to right), a text, or a list of texts, in the order they are read. Per unique text: the
    first row a text is in places it. `gate`: which texts are kept (default: those that may name a school or a
    place of residence)."""
    if isinstance(source, str):
        return [source] if gate is None or gate(source) else []  # (a text given alone is read whole)
    if gate is None:
        def gate(value: str) -> bool:
            return bool(_MAY_BE_SCHOOL.search(value)) or _may_be_residence(value)
    if isinstance(source, pd.DataFrame):
        frame = source.sort_values("seq", kind="mergesort") if "seq" in source.columns else source
        found: list[tuple[int, int, str]] = []
        for column_number, column in enumerate(frame.columns):
            series = frame[column]
            if not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
                continue
            try:
                values = series.reset_index(drop=True).drop_duplicates()  # first rows kept: their order
            except TypeError:  # unhashable cells (lists): no text to read
                continue
            values = values[values.map(lambda v: isinstance(v, str))]
            kept = values.map(gate).astype(bool)
            found += [(row, column_number, text) for row, text in values[kept].items()]
        return [text for _, _, text in sorted(found, key=lambda f: (f[0], f[1]))]
    if isinstance(source, (list, tuple)):
        return [t for item in source for t in _texts_in_order(item, gate)]
    return []


def _not_a_name(match: re.Match) -> bool:
    """A name that is also a word, with an "s" after it ("Marks", "Bills", "Deans"): the plural of the
    word, not the name missing its apostrophe, and left alone."""
    key = _norm(match.group("name"))
    return (match.group("suffix") or "")[:1].casefold() == "s" and (key in COMMON_WORDS or len(key) < 3)


_OPENERS = " \t\"'([{\u201c\u2018*\u2022-"


#: a double-barrelled name, capitalised ("Keane-Jones", "O'Brien-Smith", "McDonald-Jones", "KEANE-JONES"), with the
#: capitalised word before it (a first name, "Ryan Keane-Jones"): read in `Redactor._double_barrelled_replacement`
_NAME_PART = r"(?:[A-Z](?:[a-z]+|['\u2019][A-Z][a-z]+)(?:[A-Z][a-z]+)?|(?:[A-Z]['\u2019])?[A-Z]{2,})"
_DOUBLE_BARRELLED = re.compile(
    rf"(?<![\w\-\u2010\u2011\u2013'\u2019.@])(?:(?P<first>(?-i:[A-Z][a-z]+|[A-Z]{{2,}}))(?P<gap>[^\S\r\n]+))?"
    rf"(?P<name>(?-i:{_NAME_PART}(?:[\-\u2010\u2011\u2013]{_NAME_PART})+))(?![\w\-\u2010\u2011\u2013@]|\.\w)"
)


_MAY_BE_DOUBLE_BARRELLED = re.compile(r"[A-Za-z][\-\u2010\u2011\u2013][A-Z]")


def _abbreviation_after_a_hyphen() -> str:
    """(the abbreviations after a hyphen that do not make a name double-barrelled: "Kai-CSC", "KAI-A&E")"""
    return "(?:" + "|".join(sorted((re.escape(a) for a in KNOWN_ABBREVIATIONS), key=len, reverse=True)) + ")(?![A-Za-z])"


#: what a name dropped after its role words leaves, removed with the space before it ("partner \uffff said"):
#: a noncharacter, never in a text
_DROP = "\uffff"
_DROPPED = re.compile(r"[^\S\r\n]*\uffff")
#: what a name set off by commas or brackets after its role words leaves ("partner, \ufffe, was"), removed
#: with the commas or brackets around it ("partner was", "partner (Dean) said" -> "partner said")
_DROP_APPOSED = "\ufffe"
_APPOSED = re.compile(r"[^\S\r\n]*(?:\([^\S\r\n]*\ufffe[^\S\r\n]*\)|,[^\S\r\n]*\ufffe[^\S\r\n]*,|,[^\S\r\n]*\ufffe)")


def _kept_suffix(written: str, name: str) -> str:
    """What follows "[name]" for a name written with `written` after it: a possessive stays one ("Dr Ryan's"
    -> "Dr [name]'s"), a plural or a closing quote as written."""
    if written[:1].casefold() == "s" or written in ("'", "\u2019") and name[-1:].casefold() != "s":
        return written
    return written[:1] + "s" if written else ""


def _possessive(written: str, name: str) -> str:
    """The possessive a dropped name leaves to the role words before it ("partner Dean's car" -> "partner's
    car"); nothing for a plain name or a closing quote."""
    if not written or written in ("'", "\u2019") and name[-1:].casefold() != "s":
        return ""
    return (written[:1] if written[:1] in ("'", "\u2019") else "'") + "s"


def _starts_sentence(match: re.Match, start: int | None = None) -> bool:
    """Whether the match (or what starts at `start`) begins a sentence: the start of the text or of a
    line, or after ".", "!" or "?", with only spaces, opening quotes, brackets or a bullet between."""
    text, i = match.string, match.start() if start is None else start
    while i > 0 and text[i - 1] in _OPENERS:
        i -= 1
    return i == 0 or text[i - 1] in "\n\r.!?\u2026"


def _ends_sentence(match: re.Match) -> bool:
    """Whether what follows the match starts a new sentence (or nothing follows)."""
    rest = match.string[match.end():]
    return not rest.strip() or bool(re.match(r"\s*(?:[\r\n]|[\"'\u201c\u2018(]?[A-Z])", rest))


#: words a line in capitals (a police log's) writes after a name, that are no surname ("DEAN ARRESTED", "KAI
#: UPSET"): with `_NOT_SURNAMES` and the other everyday words this module knows (`_everyday_in_capitals`)
_CAPITALS_LINE_WORDS = frozenset("""
    states stated reports reported denies denied admits admitted claims claimed alleges alleged wants wanted
    says tells asks refuses refused agrees agreed confirms confirmed explains explained arrested aggressive
    abusive drunk hostile calm compliant upset angry distressed crying shouting violent threatening
    intoxicated absent unknown known arrives arrived leaves returns returned attends stays lives located
    found missing outside inside upstairs downstairs again only just currently out away gone back went came
    got gave took made spoken interviewed cautioned charged released bailed detained warned advised
    fine well safe unharmed injured hurt asleep awake ok okay also still now then not never always
    would could should will can may must might shall did does do has had have was were is are be been
    being whilst while when after before during since until via per
""".split())


#: the word after a name in a line in capitals (`Redactor._person_done_to`): "rest" is set when another word follows
#: it in the clause (not the end of the line, nor a full stop, comma, semicolon, colon, bracket or dash)
_NEXT_CAPITALS_WORD = re.compile(r"[^\S\r\n]+(?P<word>[A-Z][A-Z]*)(?P<possessive>['\u2019]?S(?![A-Z]))?"
                                 r"(?P<rest>[^\S\r\n]+[A-Z\[])?")


def _everyday_in_capitals(key: str) -> bool:
    """Whether a word written in a line in capitals after a listed first name is an everyday word, not a
    surname: one this module knows as no name ("ATTENDED", "PRESENT", "MOTHER", "SCHOOL"), or a past
    participle or adverb ("SHOUTED", "VERBALLY")."""
    if key in _NOT_SURNAMES or key in _CAPITALS_LINE_WORDS or key in _PERSON_WORDS or key in _NOT_A_SCHOOL_NAME \
            or key in _BEFORE_A_SCHOOL or key in _PROFESSIONAL_WORDS or key.upper() in _CAPITALS_VERBS:
        return True
    # (not the names that end so: "KELLY", "HOLLY", "EMILY", "ALFRED", "AHMED", "MOHAMMED")
    if len(key) < 5 or not key.endswith(("ed", "ly")):
        return False
    return not (len(key) == 5 and key.endswith(("lly", "ily")) or key.endswith(("fred", "ammed", "hmed")))


# A name the case does not list, beside the word for a family member or someone in the household and set off by
# commas or brackets ("Spoke to partner, Dean said he was out", "Mum's boyfriend, Kyle, was present", "the lodger
# (Gary) answered", "Kyle (mum's boyfriend) was present", "PARTNER (KYLE) PRESENT"): the text marks it as a
# person's name, and the person as one of the family's circle -> "[name]". After the role word the name is
# closed by a comma or a bracket, or followed by the end of a clause or a verb ("said", "was", "who"); before
# it, the role word (with "the", "her", "mum's", ...) is closed by a comma or a bracket. A word that is no
# name is left (`Redactor._may_be_a_name`: "partner, Mother said", "father (NFA)", "sister, However, ...").
_RELATION_WORDS = (
    r"(?:ex[\-\s]?)?(?:partner|boyfriend|girlfriend|husband|wife|fianc[eé]e?|lodger|friend|neighbou?r|flatmate|"
    r"housemate|uncle|aunt|auntie|aunty|cousin|(?:half[\-\s]?|step[\-\s]?)?(?:brother|sister|sibling|father|mother|dad|"
    r"mum|son|daughter)|grandmother|grandfather|grandma|grandad|granddad|grandpa|great[\-\s]grandmother|nan|nana|"
    r"nanna|gran|father|mother|dad|daddy|mum|mummy|mom|carer|babysitter|childminder|relative|associate)"
)
_RELATION_WORD = re.compile(_RELATION_WORDS, re.IGNORECASE)
#: a person's role said of their name with "is" or "was", after it ("Gary Holt is mother's partner") or before it
#: ("Her partner is Gary"), up to three words before the role word (`Redactor._named_as_own_role`)
_COPULA_AFTER = re.compile(r"[^\S\r\n]+(?i:is|was)[^\S\r\n]+(?P<words>[A-Za-z'\u2019]+(?:[^\S\r\n]+[A-Za-z'\u2019]+){0,3})"
                           r"(?P<rest>[^\S\r\n]*[\w\-]*)")
_COPULA_BEFORE = re.compile(r"(?<![\w'\u2019])(?P<role>[A-Za-z]+)[^\S\r\n]+(?i:is|was)[^\S\r\n]+$")#: a word for a family member just before a name ("assaulted partner Donna", "her sister Kerry"), read before
#: the name's position (`Redactor._name_replacement`)
_RELATION_BEFORE = re.compile(rf"{_WORD_BEFORE}{_RELATION_WORDS}[^\S\r\n]+$", re.IGNORECASE)
#: a capitalised name: "Dean", "O'Brien", "McDonald", "Keane-Smith", "KYLE", "O'BRIEN"
_APPOSED_WORD = (r"(?-i:[A-Z](?:[a-z]+|['\u2019][A-Z][a-z]+)(?:[A-Z][a-z]+)?(?:-[A-Z](?:[a-z]+|['\u2019][A-Z][a-z]+))?"
                 r"|(?:[A-Z]['\u2019])?[A-Z]{3,}(?:-[A-Z]{2,})?)")
#: (after a title, kept: "partner (Mr Smith)" -> "partner (Mr [name])"; a surname already "[name]" goes with it)
_APPOSED_NAME = (rf"(?:(?-i:Mr|Mrs|Ms|Miss|Mx|MR|MRS|MS|MISS)\.?[^\S\r\n]+)?"
                 rf"(?P<name>{_APPOSED_WORD}(?:[^\S\r\n]+(?:{_APPOSED_WORD}|\[name\]))?)")
#: what may follow a name set off by a comma only (no closing comma): a verb or a clause's end
_AFTER_AN_APPOSED_NAME = (
    r"(?=[^\S\r\n]*(?:[.;:!?\r\n]|$)|[^\S\r\n]+(?i:said|says|stated|states|reported|reports|was|is|were|are|has|had|"
    r"have|did|does|denied|denies|confirmed|confirms|explained|explains|told|tells|advised|advises|agreed|agrees|"
    r"refused|refuses|declined|declines|answered|answers|attended|attends|arrived|arrives|left|leaves|came|comes|"
    r"went|goes|appeared|appears|would|will|could|can|cannot|can't|who|present|not|also|then|became|admitted|"
    r"admits|disclosed|discloses|called|calls|phoned|rang|spoke|speaks|asked|asks|wanted|wants|claimed|claims|"
    r"alleged|alleges|returned|returns|opened|shouted|lives|lived|stays|stayed|and|reportedly|apparently)\b)"
)
_RELATION_THEN_NAME = re.compile(
    rf"(?<![\w\-])(?i:{_RELATION_WORDS})(?:"
    rf"(?P<b>[^\S\r\n]*\([^\S\r\n]*){_APPOSED_NAME}(?=[^\S\r\n]*\))"
    rf"|[^\S\r\n]*,[^\S\r\n]*{_APPOSED_NAME.replace('P<name>', 'P<name_c>')}(?:(?=[^\S\r\n]*,)|{_AFTER_AN_APPOSED_NAME}))"
)
_NAME_THEN_RELATION = re.compile(
    rf"(?<![\w\-'\u2019])(?-i:{_APPOSED_NAME})(?:[^\S\r\n]*,[^\S\r\n]*|[^\S\r\n]*\([^\S\r\n]*)"
    r"(?:(?i:the|her|his|their|a|an|mum['\u2019]?s|mother['\u2019]?s|dad['\u2019]?s|father['\u2019]?s|maternal|paternal|"
    r"family|old|new|ex|former|current|child['\u2019]?s|kai['\u2019]?s)[^\S\r\n]+){0,3}"
    rf"(?i:{_RELATION_WORDS})(?=[^\S\r\n]*[,)])"
)
#: (the gates: a comma or an opening bracket, then a capital; a capitalised word, then a comma or a bracket)
_MAY_BE_RELATION_THEN_NAME = re.compile(r"[,(][^\S\r\n]*[A-Z]")
_MAY_BE_NAME_THEN_RELATION = re.compile(r"[A-Z][\w'\u2019\-]*[^\S\r\n]*[,(]")
#: capitalised words after a comma or in brackets that are no name: words that begin a clause
_NOT_APPOSED_NAMES = frozenset("""
    however although though unfortunately additionally furthermore therefore meanwhile subsequently consequently
    initially finally previously currently recently apparently reportedly allegedly notably overall separately
    similarly likewise otherwise instead indeed nonetheless nevertheless moreover sadly thankfully fortunately
    hopefully eventually afterwards later earlier again aged age dob unknown unnamed name names police
    social services health hospital school nursery council housing probation court children's childrens
    english polish romanian urdu arabic british irish scottish welsh white black asian mixed other
    none nil nothing nobody someone somebody anyone everyone all both either neither each another
""".split())


def _line_in_capitals(match: re.Match) -> bool:
    """Whether the line of the match has no lower-case letter ("DEAN SMITH ARRESTED", "DEAN SMITH")."""
    text = match.string
    start = max(text.rfind("\n", 0, match.start()), text.rfind("\r", 0, match.start())) + 1
    end = min((i for i in (text.find("\n", match.end()), text.find("\r", match.end())) if i >= 0), default=len(text))
    return not any(c.islower() for c in text[start:end])


def _capitals_run(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence of `text[start:end]` within its line: from the last line break or sentence end
    (".", "!", "?", ";" or ":" before a space) before `start` to the first after `end`. A line in ordinary text
    may hold a sentence written in capitals ("Return to school. KERRY MET WITH DSL"), read as a line in
    capitals."""
    at = 0
    for boundary in _SENTENCE_BOUNDARY.finditer(text, 0, start):
        at = boundary.end()
    after = _SENTENCE_BOUNDARY.search(text, end)
    return at, after.start() if after is not None else len(text)


def _in_capitals(match: re.Match) -> bool:
    """Whether the name is written in capitals within a sentence written in capitals ("REFERRAL RE KAI
    ASHDOWN", "Return to school. KAI MET WITH DSL"; `_capitals_run`): the pseudonym is then written in
    capitals too. A name in capitals in ordinary text ("Officers spoke to FOWLER") takes the pseudonym as it
    is."""
    name = match.group("name")
    if not any(c.isalpha() for c in name) or name != name.upper():
        return False
    text = match.string
    start, end = _capitals_run(text, match.start(), match.end())
    around = text[start:match.start()] + " " + text[match.end():end]
    letters = [c for c in around if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


# ---------------------------------------------------------------------------------------------------
# Addresses, postcodes, NHS numbers
# ---------------------------------------------------------------------------------------------------
#: a house or flat number before an address ("12 ", "Flat 3, ", "12a "): the street is also matched without it
_HOUSE_NUMBER = re.compile(r"^(?:(?:flat|apartment|apt\.?|unit|room)\s+\w+\s*,?\s*|\d+[a-z]?\s*,?\s+)", re.IGNORECASE)


def _addresses_regex(addresses, *, in_file_names: bool = False) -> re.Pattern | None:
    """case.yml `addresses`, each as written and its first lines alone ("12 Acacia Avenue, Eastborough
    EB1 2XY" also matches "12 Acacia Avenue"), with and without the house or flat number ("Acacia
    Avenue"), in any case, accents and spacing optional ("Flat 3, Brontë Court" matches "BRONTE COURT").
    A town alone (a last line) is not matched: agencies are named after towns. `in_file_names`: the addresses as a
    file's name writes them, their words joined by "_", "-" or "." ("tanner_street"), as group ``street``, with an
    organisation's kind after them as group ``kind`` ("_surgery", "-medical-practice": `_ORGANISATION_NOUNS`)."""
    forms = set()
    for address in addresses or ():
        lines = [" ".join(part.split()) for part in str(address).split(",") if part.strip()]
        for n in range(1, len(lines) + 1):
            form = ", ".join(lines[:n])
            street = _HOUSE_NUMBER.sub("", form)
            if len(re.sub(r"[\W\d_]", "", street)) < 4:
                continue  # "Flat 3" alone is no address
            for each in (form, street):
                forms.add(tuple(w for w in re.split(r"[\s,]+", each) if w))
    if not forms:
        return None
    ordered = sorted(forms, key=lambda words: (-len(words), words))
    # between words: spaces, a comma, or an abbreviation's dot ("12, Acacia Ave., Eastborough"); in a file's name
    # "_", "-" or "."
    gap = r"[_\-.]+" if in_file_names else r"(?:\.?[\s,]+)"
    alternatives = [gap.join(_address_word(w, first=i == 0) for i, w in enumerate(words)) for words in ordered]
    if in_file_names:
        return re.compile(rf"{_WORD_BEFORE}(?P<street>{'|'.join(alternatives)})(?P<kind>{_KIND_IN_FILE_NAME})?{_WORD_AFTER}",
                          re.IGNORECASE)
    return re.compile(rf"{_WORD_BEFORE}(?:{'|'.join(alternatives)}){_WORD_AFTER}", re.IGNORECASE)


#: an organisation named after a street ("Mill Lane Medical Practice", "Mill Lane Surgery", "Mill Lane Primary"):
#: the words after the street, capitalised as a name's ("Mill Lane surgery" is read as the address). A noun
#: alone, or a modifier and a noun ("Health Centre", "Children's Centre", "Police Station")
_ORGANISATION_NOUNS = frozenset("""
    surgery practice clinic pharmacy chemist gp primary infants juniors school academy nursery pre-school preschool
    playgroup college library church mosque chapel temple gurdwara synagogue
""".split())
_ORGANISATION_MODIFIERS = frozenset("""
    medical health dental community children's childrens children’s family leisure sports police fire day
    baptist methodist catholic
""".split())
_ORGANISATION_PAIRED = frozenset("practice surgery centre center clinic station hub group".split())
_ORGANISATION_WORD = re.compile(r"[^\S\r\n]+(?P<word>[A-Za-z][\w'\u2019\-]*)")
#: an organisation's kind after a street in a file's name ("_surgery", "-medical-practice", "_childrens_centre")
_KIND_IN_FILE_NAME = (r"[_\-.]+(?:(?:" + "|".join(sorted({m.replace("'", "").replace("\u2019", "")
                                                          for m in _ORGANISATION_MODIFIERS}, key=len, reverse=True))
                      + r")[_\-.]+(?:" + "|".join(sorted(_ORGANISATION_PAIRED, key=len, reverse=True)) + r")|"
                      + "|".join(re.escape(n) for n in sorted(_ORGANISATION_NOUNS, key=len, reverse=True)) + ")")
#: a school's kinds: the organisation is then left to `school_text` ("[primary school]"), which places the
#: family's home as the street would
_SCHOOL_NOUNS = frozenset("primary infants juniors school academy nursery pre-school preschool playgroup college".split())
_SCHOOL_CENTRES = frozenset({"children's centre", "childrens centre", "family centre"})
#: words before a street that make it the family's address whatever follows ("lives at", "address:", "moved to")
_RESIDENCE_CUE = re.compile(r"(?i:\b(?:lives?|living|lived|resides?|residing|resided|moved|moving|move|address(?:es)?|"
                            r"home|staying|stays|tenancy)\b[^\S\r\n]*(?:at|on|in|to|is|was|:)?[^\S\r\n]*(?:the[^\S\r\n]+)?$)")


def _organisation_after(text: str, end: int) -> tuple[str, int] | None:
    """The organisation's kind ("surgery", "primary", "medical practice", "children's centre"), casefolded, and
    where its words end, when the words at `end`, capitalised as a name's, make what comes before them an
    organisation's name ("Medical Practice", "Surgery", "Primary"), else None."""
    first = _ORGANISATION_WORD.match(text, end)
    if first is None:
        return None
    word = first.group("word")
    if not (word[:1].isupper() and (word[1:].islower() or word.isupper())):
        return None
    key = word.casefold()
    if key in _ORGANISATION_NOUNS:
        return key, first.end()
    if key in _ORGANISATION_MODIFIERS:
        second = _ORGANISATION_WORD.match(text, first.end())
        if second is not None and second.group("word")[:1].isupper() \
                and second.group("word").casefold() in _ORGANISATION_PAIRED:
            return f"{key.replace(chr(0x2019), chr(39))} {second.group('word').casefold()}", second.end()
    return None


#: how an organisation named after the family's street is shown: its kind, as a school's is ("Mill Lane Surgery"
#: -> "[surgery]", "Mill Lane Medical Practice" -> "[medical practice]"); "GP" alone is the practice
_ORGANISATION_LABELS = {"gp": "[GP practice]", "childrens centre": "[children's centre]",
                        "children\u2019s centre": "[children's centre]", "center": "[centre]",
                        "childrens center": "[children's centre]"}


def _address_text(pattern: re.Pattern, text: str, labels: Mapping[tuple[str, str], str] | None = None) -> str:
    """`text` with the listed addresses (`pattern`, `_addresses_regex`) replaced (`_address_replacement`;
    `labels`: the organisations' numbered labels, `Redactor.learn_schools`)."""
    pieces, at = [], 0
    for match in pattern.finditer(text):
        if match.start() < at:
            continue  # (inside an organisation's name already shown as its kind)
        shown, end = _address_replacement(match, labels)
        pieces += [text[at:match.start()], shown]
        at = end
    if not pieces:
        return text
    return "".join(pieces) + text[at:]


def _street_organisation(match: re.Match) -> tuple[str, int] | None:
    """The kind of the organisation a listed street's name begins (`_organisation_after`) and where its words end,
    when `_address_replacement` shows it as its kind (not a school's, which `school_text` shows), else None."""
    text = match.string
    if _HOUSE_NUMBER.match(match.group(0)) or _RESIDENCE_CUE.search(text, max(0, match.start() - 30), match.start()):
        return None
    found = _organisation_after(text, _street_end(match))
    if found is None or found[0] in _SCHOOL_NOUNS or found[0] in _SCHOOL_CENTRES:
        return None
    return found


def _street_end(match: re.Match) -> int:
    """Where a listed street's name ends, with the dot of an abbreviated kind of street ("Tanner St. Surgery")."""
    end = match.end()
    if match.string.startswith(".", end):
        last = _fold(re.split(r"[\s,]+", match.group(0))[-1]).casefold()
        if last in _STREET_KIND and _STREET_KIND[last][0] != last:
            return end + 1
    return end


def _street_key(written: str) -> str:
    """A listed street as written in a text or a file's name, as one key however it is written ("Tanner St",
    "TANNER STREET", "tanner_street" -> "tanner street"; the house number dropped)."""
    words = [_fold(w).rstrip(".").casefold() for w in re.split(r"[\s,_\-.]+", _HOUSE_NUMBER.sub("", written)) if w]
    return " ".join(_STREET_KIND[w][0] if i and w in _STREET_KIND else w for i, w in enumerate(words))


def _kind_key(kind: str) -> str:
    """An organisation's kind as one key however it is written ("children's centre", "childrens centre")."""
    return kind.replace("'", "").replace("\u2019", "")


def street_organisation_labels(found: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """{(street, kind): label} of the organisations named after the family's streets, `found` in the order the
    case names them ((`_street_key`, `_kind_key`) pairs): the kind's label ("[surgery]"), numbered in that
    order when the case names two or more of one kind ("[surgery 1]", "[surgery 2]"), as schools are."""
    order: dict[str, list[str]] = {}
    for street, kind in found:
        streets = order.setdefault(kind, [])
        if street not in streets:
            streets.append(street)
    labels = {}
    for kind, streets in order.items():
        label = _ORGANISATION_LABELS.get(kind, f"[{kind}]")
        for n, street in enumerate(streets, start=1):
            labels[(street, kind)] = label if len(streets) == 1 else f"{label[:-1]} {n}]"
    return labels


def _address_replacement(match: re.Match, labels: Mapping[tuple[str, str], str] | None = None) -> tuple[str, int]:
    """What a listed address is shown as, and where what it replaces ends: "[address]"; but a street's name
    that begins an organisation's ("Mill Lane Medical Practice", "Mill Lane Surgery") is the organisation, shown
    as its kind with the organisation's words ("[medical practice]", "[surgery]"): named after the family's
    street, it would place their home, as a school's name would, and a school's is left to `school_text` ("Mill
    Lane Primary" -> "[primary school]"). With a house number ("7 Mill Lane Surgery") or after words that say it
    is where the family lives ("lives at", "address:", "moved to") it is the address; and a school's name the
    school reading does not take is the address too (a leak is worse than a word too many hidden). `labels`: the
    organisations' labels numbered by `street_organisation_labels` ("[surgery 1]", "[surgery 2]")."""
    written = match.group(0)
    if _HOUSE_NUMBER.match(written):
        return ADDRESS, match.end()
    text = match.string
    if _RESIDENCE_CUE.search(text, max(0, match.start() - 30), match.start()) is None:
        own = _listed_organisation(written)
        if own is not None:
            return own, match.end()
    found = _organisation_after(text, _street_end(match))
    if found is None or _RESIDENCE_CUE.search(text, max(0, match.start() - 30), match.start()):
        return ADDRESS, match.end()
    kind, end = found
    if kind in _SCHOOL_NOUNS or kind in _SCHOOL_CENTRES:
        line_end = text.find("\n", match.end())
        if not school_text(text[match.start():line_end if line_end >= 0 else len(text)]).startswith("["):
            return ADDRESS, match.end()  # no school the school reading takes whole: the street stays hidden
        return written, match.end()
    if labels:
        shown = labels.get((_street_key(written), _kind_key(kind)))
        if shown is not None:
            return shown, end
    return _ORGANISATION_LABELS.get(_kind_key(kind), f"[{kind}]"), end


def _listed_organisation(written: str) -> str | None:
    """How a listed address that is itself an organisation's name is shown, else None: a child's home at a
    residential school ("Hollybrook School" of "Hollybrook School, Moor Lane" in `addresses:`, QA9 D15) is an
    agency's name, in the agency column too. A school the school reading takes whole is left to it ("[school]",
    `school_text`, run after the addresses); another organisation is shown as its kind ("Oak Surgery" ->
    "[surgery]"). A street or a house number in it keeps it the address ("Hollybrook School, Moor Lane")."""
    words = re.findall(r"[\w'\u2019\-]+", written)
    if len(words) < 2 or _HOUSE_NUMBER.match(written):
        return None
    last = words[-1].casefold()
    if any(_fold(w).rstrip(".").casefold() in _STREET_KIND for w in words[1:]):
        return None
    if last in _SCHOOL_NOUNS:
        shown = school_text(written)
        return written if shown.startswith("[") and shown.endswith("]") else None
    if last in _ORGANISATION_NOUNS:
        return _ORGANISATION_LABELS.get(last, f"[{last}]")
    return None


#: the kinds of street, full and abbreviated as agencies write them: a listed "Acacia Avenue" is also
#: "Acacia Ave", "Acacia Ave." or "ACACIA AV"
_STREET_KINDS = (
    ("avenue", "ave", "av"), ("road", "rd"), ("street", "st"), ("close", "cl"), ("lane", "ln"),
    ("crescent", "cres", "cresc"), ("drive", "dr", "drv"), ("gardens", "gdns", "gdn"), ("place", "pl"),
    ("square", "sq"), ("court", "ct"), ("terrace", "terr", "ter"), ("grove", "gr", "gro"),
)
_STREET_KIND = {spelling: kind for kind in _STREET_KINDS for spelling in kind}


def _address_word(word: str, *, first: bool) -> str:
    """One word of a listed address as a regex: a kind of street in any of its spellings ("Avenue",
    "Ave", "Av"), except as an address's first word ("St Mary's Road": "St" is Saint there); a
    trailing dot is optional ("Ave." is "Ave")."""
    key = _fold(word).rstrip(".").casefold()
    if not first and key in _STREET_KIND:
        return "(?:" + "|".join(sorted(_STREET_KIND[key], key=len, reverse=True)) + ")"
    return _token_regex(word.rstrip(".") or word, capitalised_only=False)


#: a UK postcode in the shapes the Royal Mail gives them, in any case, with or without the space ("EB1 2XY",
#: "SW1A1AA", "n1 9gu", "N19GU", "n1  9gu"): a shape ordinary words never have (an outward code with a
#: digit, an inward code of a digit and two letters)
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?P<code>GIR[ \t]{0,3}0AA|(?P<outward>[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)[ \t]{0,3}"
    r"(?P<inward>\d[ABD-HJLNP-UW-Z]{2}))(?![A-Za-z0-9])",
    re.IGNORECASE,
)
#: a lower-case inward code that is a word: an ordinal or a unit ("room b12 1st floor", "b12 5mg")
_NOT_AN_INWARD_CODE = re.compile(r"\d(?:st|nd|rd|th|mg|ml|mm|hr|wk|am|pm|lb)")


def _is_postcode(match: re.Match) -> bool:
    """Whether a match of `_POSTCODE` is a postcode: an inward code not in capitals must not be an
    ordinal or a unit ("room b12 1st floor", "vitamin b12 5mg"; "B12 1ST" is taken)."""
    inward = match.group("inward")
    return not (inward and inward == inward.lower() and _NOT_AN_INWARD_CODE.fullmatch(inward))


def _postcode_replacement(match: re.Match) -> str:
    return POSTCODE if _is_postcode(match) else match.group(0)
#: an NHS number: 10 digits (3-3-4, spaced, hyphenated or not), after an "NHS" label or with a valid check digit
_NHS_NUMBER = re.compile(
    r"(?P<label>\bNHS\s*(?:no\.?|number|num|#)?\s*[:\-]?\s*)?(?<![\d\-/.])(?P<number>\d{3}[ \-]?\d{3}[ \-]?\d{4})(?![\d\-/]|[.\-]\d)",
    re.IGNORECASE,
)


#: an e-mail address names its owner ("chloe.ashdown@gmail.com", "deanf88@hotmail.co.uk", a worker's
#: "sjones@nhs.net") -> "[email]"; a handle with no domain ("@kerrybrook") is a name's (`Redactor._build`)
EMAIL = "[email]"
_EMAIL = re.compile(r"(?<![\w.+\-])[A-Za-z0-9][\w.+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+")
#: a UK telephone number, as chronologies write them ("07700 900123", "01632 960 456", "0161 496 0000",
#: "(01632) 960123", "+44 7700 900 456", "07700900789") -> "[phone number]": a 0 and ten digits (or nine
#: after 01), in groups split by spaces or hyphens; not a time ("0800"), a date ("05/06/2023") nor a
#: reference joined by other marks ("23-06-2023-0456")
PHONE = "[phone number]"
_PHONE = re.compile(
    r"(?<![\w+/.:\-])(?P<number>(?:\+44\s?(?:\(0\)\s?)?|\(0|0)\d{2,4}\)?(?:[ \-]?\d{3,4}){1,2})"
    r"(?![\w/:]|[.\-]\d)"
)


# A reference or case number ("CA/2023/0456", "crime ref 44/123456/23", "court case no LS23C00456", "URN
# 12AB3456789") can name the family (initials in it: "CA" for Chloe Ashdown) and is looked up in an
# agency's records or a court list: "[reference]". Labelled ("ref", "reference", "case no", "crime no",
# "incident number", "URN", "CRN", "log no"), with five letters and digits or more ("Ref: 21/06", "case no
# 03/04" are left); unlabelled, capitals and digits joined by two or more "/" or "-" with a letter and four
# digits among them ("CA/2023/0456"), or a family court's case number ("LS23C00456").
REFERENCE = "[reference]"
_REFERENCE_LABEL = (r"(?i:\b(?:(?:crime|police|incident|case|court|claim|job|log|file|referral|occurrence|cris|"
                    r"storm|niche|athena|mosaic|liquidlogic|lcs|our|your|their)\s+)?(?:ref(?:erence)?s?|no|nos|number|"
                    r"num)\b\.?|\b(?:URN|CRN|case\s+id|crime\s+number)\b)")
#: a word with a digit in it, as a reference is written ("CA/2023/0456", "12AB3456789", "44/123456/23"): found
#: first (a regex that starts with a label would try its words at every word of every text), then its label
#: looked for just before it
_REFERENCE = re.compile(r"(?<![\w/\-])(?=[A-Za-z/\-]*\d)(?P<ref>[A-Za-z0-9]+(?:[/\-][A-Za-z0-9]+)*)(?![\w/\-])")
_REFERENCE_LABEL_BEFORE = re.compile(rf"{_REFERENCE_LABEL}\s*[:#]?\s*$")
_REFERENCE_SHAPED = re.compile(r"(?=[A-Z0-9/\-]*[A-Z])[A-Z0-9]+(?:[/\-][A-Z0-9]+){2,}|[A-Z]{2}\d{2}[A-Z]\d{5}")
#: (the gate, words looked for in the text before any regex: most texts have none)
_REFERENCE_WORDS = ("ref", "urn", "crn", "case", "crime", "incident", "log", "job", "claim", "court", "number",
                    "no.", "no:", "no ", "nos", "num")
_REFERENCE_SHAPE = re.compile(r"[A-Z0-9][/\-][A-Z0-9]+[/\-]|[A-Z]{2}\d{2}[A-Z]\d")


_A_DIGIT = re.compile(r"\d")
#: a date and time as software writes them ("2024-03-14T10:30:00"), which the reference shape would otherwise take
_ISO_DATE_TIME = re.compile(r"\d{4}-\d{1,2}-\d{1,2}T\d{1,2}$")
#: a time of day in a message (a rejected row's reason, a warning: "has time 10:30:00", "unreadable time '25:61'",
#: "'10:30pm'", "10.30 am"), which the anonymised view shows as TIME
TIME = "[time]"
_TIME_OF_DAY = re.compile(r"(?<![\w:.+\-])\d{1,2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?(?:[^\S\r\n]?(?i:[ap]\.?m\b\.?))?"
                          r"|\.\d{2}[^\S\r\n]?(?i:[ap]\.?m\b\.?)|[^\S\r\n]?(?i:[ap]\.?m\b\.?))(?![\w:])")
_MAY_BE_TIME = re.compile(r"\d[:.]\d\d|\d[^\S\r\n]?(?i:[ap]\.?m)\b")


def _may_be_reference(text: str) -> bool:
    if not _A_DIGIT.search(text):
        return False
    low = text.casefold()
    return any(w in low for w in _REFERENCE_WORDS) or bool(_REFERENCE_SHAPE.search(text))


def _reference_replacement(match: re.Match) -> str:
    ref = match.group("ref")
    if _ISO_DATE_TIME.match(ref) and match.string.startswith(":", match.end()):
        return ref  # "2024-03-14T10:30:00": a date and time, given to the month by `month_text`
    if _REFERENCE_SHAPED.fullmatch(ref) and (sum(c.isdigit() for c in ref) >= 4 or "/" not in ref and "-" not in ref):
        return REFERENCE  # "CA/2023/0456", a court's "LS23C00456"
    if sum(c.isalnum() for c in ref) < 5 or not re.search(r"\d.*\d|\d[A-Za-z]|[A-Za-z]\d", ref):
        return ref  # "Ref: 21/06", "no 1": too short to look anything up
    if ref.isdigit() and len(ref) == 4 and 1900 <= int(ref) <= 2099:
        return ref  # "no 2023": a year
    before = match.string[max(0, match.start() - 40):match.start()]
    low = before.casefold()
    if any(w in low for w in _REFERENCE_WORDS) and _REFERENCE_LABEL_BEFORE.search(before):
        return REFERENCE
    return ref


# A place of residence written without a house number: a named refuge or hostel ("Hope House refuge", "the
# Riverside Hostel") is "[refuge]" or "[hostel]" (the reader needs the kind), and a named house, lodge or
# block where the family lives ("lives at Hope House", "moved to Brook Lodge", "staying at Mill Court") is
# "[address]". The names learned so (`Redactor.learn_schools`) are replaced wherever the case names them
# again ("Hope House staff said" -> "[refuge] staff said").
_RESIDENCE_NOUNS = r"(?:House|Lodge|Court|Hostel|Refuge|Foyer|Mansions|Heights|Tower|Towers|Cottage|Cottages|Farm|Villa|Flats|Apartments|Hall)"
_PLACE_WORD = r"(?:St\.?|[A-Z][\w\u2019'\-]*)"
#: a refuge's or a hostel's kind beside its one-word name ("Haven (refuge)", "refuge called Haven")
_RESIDENCE_KIND = r"(?i:refuge|hostel|night[^\S\r\n]+shelter|shelter|safe[^\S\r\n]+house)"
#: the one- or two-word name of a place marked as a refuge or hostel ("Haven", "The Beacon", "St Anne's")
#: (the lower-case words between the capitalised words of a place's name: "Haven of Hope", "Sisters of the Sun")
_PLACE_LINK = r"(?:of|the|on|upon)"
_MARKED_PLACE = (r"(?-i:(?:St\.?[^\S\r\n]+)?[A-Z][\w\u2019'\-]*"
                 rf"(?:[^\S\r\n]+(?:{_PLACE_LINK}[^\S\r\n]+){{0,2}}[A-Z][\w\u2019'\-]*){{0,3}})")
_RESIDENCE = re.compile(
    # "Hope House refuge", "Hope House Refuge", "Eastborough Women's Refuge", "Riverside Hostel", "Bridge
    # Street hostel"
    rf"(?<![\w\[])(?P<name>{_PLACE_WORD}(?:\s+(?:{_PLACE_LINK}\s+){{0,2}}{_PLACE_WORD}){{0,4}}?)\s+(?P<kind>(?i:refuge|hostel|night\s+shelter))(?![\w\-])"
    # "lives at Hope House", "moved into Brook Lodge", "staying at the Foyer"
    r"|(?P<cue>\b(?i:lives|living|lived|live|moved|moving|move|staying|stayed|stays|stay|resides|residing|resident|"
    r"placed|accommodated|housed|rehoused|address(?:\s+is)?|returned|returning|back)\s+(?:at|to|in|into|back\s+to|is)?\s*"
    r"(?:the\s+)?)(?P<house>(?-i:(?:St\.?|[A-Z][\w\u2019'\-]*)(?:\s+(?:St\.?|[A-Z][\w\u2019'\-]*)){0,2}?\s+"
    rf"{_RESIDENCE_NOUNS}))(?P<kind2>\s+(?i:refuge|hostel))?(?![\w\-])"
    # a one-word name the text marks as a refuge's or a hostel's: "Haven (refuge)", "Beacon, a hostel", ...
    rf"|(?<![\w\[])(?P<bname>{_MARKED_PLACE})(?:[^\S\r\n]*\([^\S\r\n]*(?:(?i:a|the)[^\S\r\n]+)?{_RESIDENCE_KIND}[^\S\r\n]*\)"
    rf"|,[^\S\r\n]*(?i:a|the)[^\S\r\n]+(?:(?i:women['\u2019]?s|local|family|homeless(?:ness)?)[^\S\r\n]+)?{_RESIDENCE_KIND}(?![\w\-]))"
    # ... "a refuge called Haven", "refuge (Oasis)", "Refuge: Sanctuary", "hostel, Beacon,"
    rf"|(?<![\w\-])(?P<kind3>{_RESIDENCE_KIND})(?P<mark>[^\S\r\n]+(?i:called|named|known[^\S\r\n]+as)[^\S\r\n]+(?:(?i:the)[^\S\r\n]+)?"
    rf"|[^\S\r\n]*\([^\S\r\n]*(?=(?:(?i:the)[^\S\r\n]+)?{_MARKED_PLACE}[^\S\r\n]*\))(?:(?i:the)[^\S\r\n]+)?"
    rf"|[^\S\r\n]*[:,][^\S\r\n]*(?=(?:(?i:the)[^\S\r\n]+)?{_MARKED_PLACE}[^\S\r\n]*(?:[,.;:)\r\n]|$))(?:(?i:the)[^\S\r\n]+)?)"
    rf"(?P<cname>{_MARKED_PLACE})(?![\w\-])"
)
_RESIDENCE_WORDS = ("House", "Lodge", "Court", "Foyer", "Mansions", "Heights", "Tower", "Cottage", "Farm", "Villa",
                    "Flats", "Apartments", "Hall", "efuge", "ostel", "helter", "EFUGE", "OSTEL", "HELTER", "afe house",
                    "AFE HOUSE")


def _may_be_residence(text: str) -> bool:
    """(the gate: a residence's noun in the text, looked for before any regex)"""
    return any(w in text for w in _RESIDENCE_WORDS)
#: words of a residence's name that are no name ("the", "a", "women's", "local", "Salvation Army"'s kind)
_NOT_A_PLACE_NAME = frozenset("the a an at to in into from with her his their our its this that same new local "
                              "women's womens mens men's family council emergency temporary aid".split())


def _residence_name(match: re.Match) -> tuple[str, str, str] | None:
    """(the words before it that stay, the label, the name as written) of a place of residence found by
    `_RESIDENCE`, or None."""
    marked = match.group("bname") or match.group("cname")
    if marked is not None:
        words = marked.split()

        def no_name(w: str) -> bool:
            return (_norm(w).replace("'", "") in _NOT_A_PLACE_NAME or _norm(w) in _BEFORE_A_SCHOOL or _norm(w) in _PERSON_WORDS
                    or _norm(w) in _NOT_SURNAMES or _norm(w) in _NOT_APPOSED_NAMES or _norm(w) in NEVER_ALONE
                    or w.upper() in KNOWN_ABBREVIATIONS)

        keep = 0
        if match.group("bname"):
            # "Mother went to Haven of Hope (refuge)": the words before the name are read as they are
            # ("Kai To Haven (refuge)": the name is what follows the last word that is none)
            bad = [i for i, w in enumerate(words) if no_name(w) and not re.fullmatch(_PLACE_LINK, w)]
            keep = bad[-1] + 1 if bad else 0
            while keep < len(words) and re.fullmatch(_PLACE_LINK, words[keep]):
                keep += 1
        named = words[keep:]
        if not named or no_name(named[0]) or any(no_name(w) for w in named if not re.fullmatch(_PLACE_LINK, w)):
            return None  # "refuge, Mother said", "hostel (MASH referral)"
        before = ""
        if keep:
            at = [m.start() for m in re.finditer(r"\S+", marked)][keep]
            before, marked = marked[:at], marked[at:]
        kind = match.group(0) if match.group("bname") else match.group("kind3")
        label = "[hostel]" if re.search(r"(?i:hostel|shelter)", kind) else "[refuge]"
        # "refuge (Haven of Hope Refuge)": the name learned is "Haven of Hope", as "Haven of Hope Refuge" gives
        marked = re.sub(r"[^\S\r\n]+(?i:refuge|hostel|night[^\S\r\n]+shelter)$", "", marked) or marked
        if match.group("bname"):
            return before, label, marked  # "Haven (refuge)" -> "[refuge]"
        # "a refuge called Haven" -> "a refuge called [refuge]": the words before the name stay
        return match.group(0)[:match.start("cname") - match.start()], label, marked
    if match.group("house") is not None:
        house = match.group("house")
        if house.split()[0].casefold() in _NOT_A_PLACE_NAME or re.search(r"(?i:\b(?:family|crown|county|"
                                                                          r"magistrates|youth|high|town|city)\s+(?:court|hall)\b)", house):
            return None
        kind = (match.group("kind2") or house.split()[-1]).strip().casefold()  # "Riverside Hostel" is a hostel
        return match.group("cue"), {"refuge": "[refuge]", "hostel": "[hostel]"}.get(kind, ADDRESS), house
    words = match.group("name").split()
    keep = 0
    while keep < len(words) and (words[keep].casefold() in _NOT_A_PLACE_NAME or words[keep].casefold() in _BEFORE_A_SCHOOL
                                 or re.fullmatch(_PLACE_LINK, words[keep])):
        keep += 1
    named = words[keep:]
    if not named or all(w.casefold() in _NOT_A_PLACE_NAME for w in named):
        return None
    kind = match.group("kind").casefold()
    label = "[refuge]" if kind == "refuge" else "[hostel]"
    return " ".join(words[:keep]) + (" " if keep else ""), label, " ".join(named)


def _residence_replacement(match: re.Match) -> str:
    found = _residence_name(match)
    if found is None:
        return match.group(0)
    before, label, _ = found
    return before + label


def residences_in(text) -> list[tuple[str, str]]:
    """(name as written, label) of the places of residence `text` names ("Hope House refuge" -> ("Hope
    House", "[refuge]")): what `Redactor.learn_schools` learns, to replace the name wherever it comes again."""
    if not isinstance(text, str) or not _may_be_residence(text):
        return []
    found = (_residence_name(m) for m in _RESIDENCE.finditer(text))
    return [(name, label) for _, label, name in (f for f in found if f is not None)]


def _phone_replacement(match: re.Match) -> str:
    written = match.group("number")
    digits = re.sub(r"\D", "", written)
    if written.startswith("+"):
        digits = "0" + digits[2:]
    if len(digits) == 11 and digits[1] in "1235789" or len(digits) == 10 and digits[1] == "1":
        return PHONE
    return match.group(0)


#: a house's number and its street, for addresses case.yml does not list ("22 Elm Road", "7b Mill Lane",
#: "4 Oak Tree Close", "12, Acacia Avenue") -> "[address]"; a court is no street when it is a court of
#: law ("2 Family Court hearings")
_STREET_NAMES = (r"Road|Rd|Street|Avenue|Ave|Close|Lane|Crescent|Drive|Gardens|Place|Square|Court|Terrace|"
                 r"Grove|Way|Walk|Mews|Rise|Parade")
_HOUSE_ADDRESS = re.compile(
    rf"(?<![\w/.:\-£$])\d{{1,4}}[A-Za-z]?,?\s+(?P<words>(?:[A-Z][\w'\u2019\-]*\s+){{1,3}})"
    rf"(?P<kind>{_STREET_NAMES})\b"
)
_NOT_A_STREET = frozenset("family crown county magistrates magistrates' youth high coroner's coroners appeal "
                          "supreme juvenile district civil".split())


def _house_address_replacement(match: re.Match) -> str:
    if match.group("kind") == "Court" and any(w.casefold().rstrip("'\u2019") in _NOT_A_STREET or w.casefold() in _NOT_A_STREET
                                              for w in match.group("words").split()):
        return match.group(0)
    return ADDRESS


def _nhs_check(digits: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _nhs_replacement(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group("number"))
    if match.group("label") or _nhs_check(digits):
        return (match.group("label") or "") + NHS_NUMBER
    return match.group(0)


# ---------------------------------------------------------------------------------------------------
# Dates of birth
# ---------------------------------------------------------------------------------------------------
_MONTH_NAME = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_ANY_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    r"|\d{4}-\d{2}-\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?[\s\-]+{_MONTH_NAME}[\s\-,]+(?:\d{{4}}|\d{{2}})"
    rf"|{_MONTH_NAME}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
_LABELLED_DOB = re.compile(
    rf"(?P<label>\b(?:DOB|D\.O\.B\.?|date\s+of\s+birth|born(?:\s+on)?)\s*[:\-]?\s*)(?P<date>{_ANY_DATE})(?![\w/])",
    re.IGNORECASE,
)


#: around a date written with digits: not inside a longer number or word ("Ref 122/05/2016"), but "_"
#: separates, as in file names ("kai_14-02-2023.csv")
_DATE_BEFORE = r"(?<![^\W_])(?<![/.\-])"
_DATE_AFTER = r"(?![^\W_]|/|[.\-]\d)"


def _dob_replacement(match: re.Match) -> str:
    label = match.groupdict().get("label") or ""
    return label + DATE_OF_BIRTH


def _date_of_birth_regex(dob: dt.date | None) -> re.Pattern | None:
    """The child's date of birth in the ways people write dates: 22/05/2016, 22/5/16, 22.05.2016,
    2016-05-22, 2016/05/22, 22 May 2016, 22nd of May 2016, 22-May-16, 22May2016, May 22, 2016, and the US
    05/22/2016 (when the day is over 12)."""
    if dob is None:
        return None
    d, m, y = dob.day, dob.month, dob.year
    day = rf"0?{d}" if d < 10 else str(d)
    month = rf"0?{m}" if m < 10 else str(m)
    year = rf"(?:{y}|{y % 100:02d})"
    full, abbr = _MONTHS[m - 1], _MONTH_ABBREVIATIONS[m - 1]
    month_name = rf"(?:{full}|{abbr}{'|sept' if m == 9 else ''})\.?"
    ordinal = r"(?:st|nd|rd|th)?"
    forms = [
        rf"{day}\s*[/.\-]\s*{month}\s*[/.\-]\s*{year}",
        rf"{y}(?P<sep>[\-/.]){month}(?P=sep){day}",  # 2016-05-22, 2016/5/22
        rf"{day}{ordinal}{month_name}{year}",  # run together: 22May2016
        rf"{y}{m:02d}{d:02d}",  # 20160522
        rf"{day}{ordinal}(?:\s+of)?[\s\-]+{month_name}[\s\-,]+{year}",
        rf"{month_name}\s+{day}{ordinal},?\s+{y}",
    ]
    if d > 12:  # written the US way (month/day/year): no other date reads so when the day is over 12
        forms.append(rf"{month}\s*/\s*{day}\s*/\s*{year}")
    return re.compile(_DATE_BEFORE + r"(?:" + "|".join(forms) + r")" + _DATE_AFTER, re.IGNORECASE)


# ---------------------------------------------------------------------------------------------------
# Dates to the month
# ---------------------------------------------------------------------------------------------------
# A date to the day beside the child's age lets a reader work the date of birth out (date minus age),
# and so does a date to the day beside an interval in days from the birth. The anonymised view gives
# every date to the month, the child's age in whole months and the intervals between contacts (time
# since the previous contact, since the child was seen, from a concern to its escalation) in whole
# months; the flags' delays (their findings) stay in days. Texts are treated like the tables: a date to
# the day written in a description, an explanation or a file name is given to the month.
#
# Why months for the intervals, not weeks: intervals link contacts to one another, and contacts a few
# days apart on either side of a month's end then place each other to the day; the child's age in
# whole months at a contact placed to the day says on which side of the day of birth it fell. Combining
# them all, a reader can narrow the date of birth down. On the sample case an exhaustive search over
# every date consistent with the anonymised view narrows it to 6 days from the flags' delays alone (days
# or weeks make no difference); intervals in whole weeks on top narrow it to 2 days, in whole months
# not at all (tests/test_redact_dates_s8.py).
#: the average month, for intervals in whole months (an interval is not tied to a calendar month)
MONTH_DAYS = 30.4375
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NUMBER = {name: i for i, name in enumerate(_MONTHS, start=1)} | {
    name: i for i, name in enumerate(_MONTH_ABBREVIATIONS[:9] + _MONTH_ABBREVIATIONS[10:], start=1)} | {"sept": 9}
_ORDINAL = r"(?:st|nd|rd|th)?"
#: a time written straight after a date the way software writes it ("2023-02-14T08:12:00Z", "14/02/2023 08:12"):
#: dropped with the day (a time in prose, "at 14:00", is kept)
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?(?![\w:]))?"
_ON = r"(?P<on>\b[Oo]n\s+(?:the\s+)?)?"
_DAY_DATES = re.compile(
    _ON + r"(?:"
    # 2023-02-14, 2023-02-14T08:12:00Z, 2023/02/14, 2023.02.14
    rf"{_DATE_BEFORE}(?P<iy>\d{{4}})(?P<isep>[-/.])(?P<im>\d{{1,2}})(?P=isep)(?P<id>\d{{1,2}}){_TIME}{_DATE_AFTER}"
    # 14/02/2023, 14.2.23, 14-02-2023 14:30
    rf"|{_DATE_BEFORE}(?P<nd>\d{{1,2}})\s*[/.\-]\s*(?P<nm>\d{{1,2}})\s*[/.\-]\s*(?P<ny>\d{{4}}|\d{{2}}){_TIME}{_DATE_AFTER}"
    # 14 Feb 2023, 14th of February 2023, 14-Feb-23
    rf"|\b(?P<wd>\d{{1,2}}){_ORDINAL}(?:\s+of)?[\s\-]+(?P<wm>{_MONTH_NAME})[\s\-,]+(?P<wy>\d{{4}}|\d{{2}})\b"
    # 20230314 (a year 1980-2039, a month and a day run together, as in file names and references)
    rf"|{_DATE_BEFORE}(?P<ky>19[89]\d|20[0-3]\d)(?P<km>0[1-9]|1[0-2])(?P<kd>0[1-9]|[12]\d|3[01]){_DATE_AFTER}"
    # 14Feb2023, 14thMarch23 (run together)
    rf"|\b(?P<cd>\d{{1,2}}){_ORDINAL}(?P<cm>{_MONTH_NAME})(?P<cy>\d{{4}}|\d{{2}})\b"
    # February 14, 2023
    rf"|\b(?P<am>{_MONTH_NAME})\s+(?P<ad>\d{{1,2}}){_ORDINAL},?\s+(?P<ay>\d{{4}})\b"
    # 14 February, 3rd of May (no year; the month's name in capitals, so "3 may" is left)
    rf"|\b(?P<yd>\d{{1,2}}){_ORDINAL}(?:\s+of)?\s+(?-i:(?P<ym>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*))\b(?!\s*[\-,]?\s*\d)"
    r")",
    re.IGNORECASE,
)
#: two dates to the day written as a range with no space around the dash ("03/04/2023-05/04/2023",
#: "3/4/23-5/4/23", "2023-04-03/2023-04-05"): each date's edges (no "-" and a digit beside it) would
#: otherwise keep both to the day
_NUMERIC_DATE = r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*(?:\d{4}|\d{2}))"
_DATE_RANGE = re.compile(
    rf"{_DATE_BEFORE}(?P<first>{_NUMERIC_DATE}){_TIME}(?P<sep>\s*[\-\u2013\u2014/]\s*)(?P<second>{_NUMERIC_DATE}){_TIME}{_DATE_AFTER}"
)
#: a day before a date's day, as in a range or a list of days: "21-23/06/2023", "3-5 April 2023",
#: "3rd, 4th and 5th April", "between 3 and 5 April", "3 Apr - 5 Apr 2023" (the days go, a month's name
#: stays); the month's name capitalised, so that "3 and 5 may be" is left
_CAPITAL_MONTH = r"(?-i:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*|(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*)\.?"
#: a range's dash or "to", or a list's "and", "&" or "or" (commas only before one of those, or between
#: ordinals, "2nd, 3rd April": the "16, " of "score 16, 3 April" is no day)
_LIST_SEPARATOR = r"\s*(?:[&\-\u2013\u2014]|\band\b|\bto\b|\bor\b)\s*"
_DAY_ITEM = rf"\d{{1,2}}{_ORDINAL}(?:\s+(?:of\s+)?{_CAPITAL_MONTH}(?![a-zA-Z]))?"
_DAYS_BEFORE_A_DATE = re.compile(
    rf"{_DATE_BEFORE}(?P<days>{_DAY_ITEM}(?:\s*,\s*{_DAY_ITEM})*\s*,?{_LIST_SEPARATOR}"
    r"|(?:\d{1,2}(?:st|nd|rd|th)\s*,\s*)+(?=\d{1,2}(?:st|nd|rd|th)))"
    rf"(?=\d{{1,2}}{_ORDINAL}(?:\s+of)?[\s\-]+{_CAPITAL_MONTH}(?![a-zA-Z])"
    rf"|\d{{1,2}}\s*/\s*\d{{1,2}}\s*/\s*(?:\d{{4}}|\d{{2}})(?![\d/]))",
    re.IGNORECASE,
)
_A_DAY = re.compile(rf"\b\d{{1,2}}{_ORDINAL}(?:\s+of)?\s*", re.IGNORECASE)
#: an age to the day as the chronology and the rules write it: "7m 12d", "1y 0m 13d"
_AGE_TO_THE_DAY = re.compile(r"\b(?P<months>(?:\d+y )?\d+m) \d+d\b")

# A day and month with no year ("seen 14/03", "on 14.3", "March 14th"; "14th March" is taken by
# `_DAY_DATES`) narrows a contact to the day as much as a full date does (the year is in the table
# beside it). Digits are read as a day and month only where the text says it is a date, because "3/4 of",
# "1/2 dose", "EPDS 14/20", "2.5 mg" and times ("14:03", "at 10.30") are not: the pair must be a valid
# day of a month (29/02 allowed), follow a date word ("on", "seen", "dated", "from", "w/c", a weekday,
# ...; with "." only the words that cannot come before a time or a decimal: "on", "dated", "w/c", a
# weekday, "DOB"), and not be followed by a unit, "of" or "ago" (clinical shorthand: "seen 3/7 ago" is
# three days, "2/12 history" two months). A month's name needs no such word, but must be
# capitalised ("March 14th", "Mar 3"), as in "14th March"; a day with no ordinal after it is taken only
# after "on" or before punctuation or a linking word ("seen March 3 at home", but "In March 3 visits"). The day goes and the month stays, written as
# for a date with a year ("14/03/2023" -> "Mar 2023", so "14/03" -> "Mar"; "on" -> "in").
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_NOT_A_DATE_AFTER = (
    r"(?!\d|\s*[/.:\-]\s*\d|\s*(?:%|of\b|mg|mcg|ml|mls\b|g\b|kg|l\b|litres?|cm|mm|km|miles?|oz|lbs?|percent|"
    r"units?|hours?|hrs?|h\b|mins?|minutes?|secs?|seconds?|days?|weeks?|wks?|months?|years?|yrs?|times|x\b|"
    r"doses?|tablets?|tabs?|strength|scale|score|points?|pts|centile|th\b|portions?|cups?|bottles?|pints?|"
    r"[a-z]*(?:teaspoon|spoon)s?|ago\b|later\b|earlier\b|before\b|prior\b|previously\b|post\b|hx\b|history\b"
    r"|old\b|duration\b))"
)
_WEEKDAY_WORD = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?\.?"
#: words after which "d.m" reads as a date ("on 14.3"), not a time or a decimal
_STRONG_DATE_CUE = (rf"(?:on|dated|date|w/c|w/e|wc|we|week\s+(?:commencing|beginning|ending|starting)|{_WEEKDAY_WORD}"
                    r"|dob|d\.o\.b\.?|born(?:\s+on)?|birthday)")
#: words after which "d/m" reads as a date ("seen 14/03")
_DATE_CUE = (rf"(?:{_STRONG_DATE_CUE}|seen|from|until|till|since|before|after|between|visit(?:ed)?|attended|appt|"
             r"appointment|admitted|discharged|called|phoned|rang|contacted|reviewed|due)")
_SLASH_PAIR = r"\d{1,2}\s*/\s*\d{1,2}"
_DOT_PAIR = r"\d{1,2}\.\d{1,2}"
_PAIR_LINK = r"\s*(?:[\-\u2013\u2014&,]|\band\b|\bto\b|\bor\b|\buntil\b|\btill\b)\s*"
_DAY_MONTH = re.compile(
    r"(?<![\w/.\-])(?P<cue>"
    rf"(?P<strong>{_STRONG_DATE_CUE})(?P<gap1>\s*[:\-]?\s*(?:the\s+)?)(?P<dots>{_DOT_PAIR}(?:{_PAIR_LINK}{_DOT_PAIR})*){_NOT_A_DATE_AFTER}"
    rf"|(?P<word>{_DATE_CUE})(?P<gap2>\s*[:\-]?\s*(?:the\s+)?)(?P<slashes>{_SLASH_PAIR}(?:{_PAIR_LINK}{_SLASH_PAIR})*){_NOT_A_DATE_AFTER}"
    r")",
    re.IGNORECASE,
)
_A_PAIR = re.compile(r"(?P<d>\d{1,2})\s*[/.]\s*(?P<m>\d{1,2})")
#: "March 14th", "Mar 3", "on March 14th-16th" (the month's name capitalised; no year after it)
_MONTH_THEN_DAY = re.compile(
    _ON + rf"(?<![\w\-/])(?P<month>{_CAPITAL_MONTH})\s+(?P<day>\d{{1,2}})(?P<ordinal>st|nd|rd|th)?"
    rf"(?P<more>(?:{_PAIR_LINK}\d{{1,2}}(?:st|nd|rd|th)?(?![\d/]|[.:]\d))*)(?![\w/]|[.:\-]\d|\s*,?\s*\d)"
    # what follows a day with no ordinal: "March 3 visits" is a count, "seen March 3 at home" a day
    r"(?P<after>(?=\s*(?:$|[.;:)\],!?]|\s(?:at|by|with|when|and|as|in|for|from|to|was|were|is|the|until|till)\b)))?"
)


#: what `_MONTH_THEN_DAY` and `_DAY_MONTH` need to find anything: a capitalised month's first letters and
#: a day, or two numbers joined by "/" or "." (tested first: most texts have neither)
_MAY_BE_MONTH_THEN_DAY = re.compile(r"(?-i:\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC))[A-Za-z]*\.?\s+\d")
_MAY_BE_DAY_MONTH = re.compile(r"\d\s*[/.]\s*\d")


def _valid_day(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]


def _in_for_on(cue: str) -> str:
    """"on" and "on the" before a date given to the month read "in" ("On" -> "In")."""
    return ("In" if cue[:1] == "O" else "in") if cue.casefold() == "on" else cue


def _day_month_replacement(match: re.Match) -> str:
    pairs_text = match.group("dots") or match.group("slashes")
    pairs = [(int(m.group("d")), int(m.group("m"))) for m in _A_PAIR.finditer(pairs_text)]
    if not pairs or not all(_valid_day(d, m) for d, m in pairs):
        return match.group(0)  # "seen 14/20": not a day and month
    cue = match.group("strong") or match.group("word")
    gap = match.group("gap1") if match.group("strong") else match.group("gap2")
    if cue.casefold() == "on":
        cue, gap = _in_for_on(cue), " "
    shown = _A_PAIR.sub(lambda m: _MONTH_ABBR[int(m.group("m")) - 1], pairs_text)
    return cue + gap + shown


def _month_then_day_replacement(match: re.Match) -> str:
    month = _month_of(match.group("month"))
    days = [int(match.group("day"))] + [int(d) for d in re.findall(r"\d{1,2}", match.group("more") or "")]
    if month is None or not all(_valid_day(d, month) for d in days):
        return match.group(0)
    on = match.group("on") or ""
    if not (on or match.group("ordinal") or match.group("more") or match.group("after") is not None):
        return match.group(0)  # "In March 3 visits": a count after the month, not a day
    if on:
        on = ("In " if on[:1] == "O" else "in ")
    return on + match.group("month")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # two-digit years as the readers take them: 00-69 are 2000-2069, 70-99 1970-1999
        year += 2000 if year < 70 else 1900
    return year


def _month_of(name: str) -> int | None:
    key = name.rstrip(".").casefold()
    return _MONTH_NUMBER.get(key) or _MONTH_NUMBER.get(key[:3])


def _month_replacement(match: re.Match) -> str:
    g = match.groupdict()
    on = g.get("on") or ""
    if g["iy"] is not None:
        month, text = int(g["im"]), None
        if not 1 <= month <= 12 or not 1 <= int(g["id"]) <= 31:
            return match.group(0)
        text = f"{g['iy']}-{month:02d}"  # written the ISO way: kept the ISO way
    elif g["nd"] is not None:
        day, month = int(g["nd"]), int(g["nm"])
        if 13 <= month <= 31 and 1 <= day <= 12:
            day, month = month, day  # "03/14/2023": a US month/day/year, a date all the same
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return match.group(0)  # not a day/month/year: left as it is
        text = f"{_MONTH_ABBR[month - 1]} {_year(g['ny'])}"
    elif g["wd"] is not None:
        text = f"{_month_word(g['wm'])} {_year(g['wy'])}"
    elif g["ky"] is not None:
        text = f"{g['ky']}-{g['km']}"
    elif g["cd"] is not None:
        text = f"{_month_word(g['cm'])} {_year(g['cy'])}"
    elif g["am"] is not None:
        text = f"{_month_word(g['am'])} {g['ay']}"
    else:
        text = g["ym"]
    if on:
        on = ("In " if on[:1] == "O" else "in ")  # "on 14 May 2023" -> "in May 2023"
    return on + text


def _month_word(written: str) -> str:
    """The month's name as written ("February", "feb.") in the view's form ("February", "Feb")."""
    word = written.rstrip(".")
    if word.casefold() in _MONTHS:
        return word[:1].upper() + word[1:].lower()
    return _MONTH_ABBR[_month_of(word) - 1]


def _range_replacement(match: re.Match) -> str:
    first, second = (_DAY_DATES.sub(_month_replacement, match.group(name)) for name in ("first", "second"))
    return first + match.group("sep") + second


def _days_replacement(match: re.Match) -> str:
    """The days of a range or list before a date go; a month's name among them stays ("3 Apr - " ->
    "Apr - ", "3rd, 4th and " -> "")."""
    rest = _A_DAY.sub("", match.group("days"))
    return rest if re.search(r"[A-Za-z]{3}", re.sub(r"\b(?:and|to|or)\b", "", rest)) else ""


# A weekday beside a date given to the month ("Mon 14/03" -> "Mon Mar", "Monday 14/03/2023" -> "Monday Mar
# 2023") narrows the month to four or five days, and with the contacts' order often to the day: the weekday
# goes with the day. A weekday in full is read in any case; an abbreviated one ("Mon", "Sat", "Sun", "Wed")
# only capitalised or in capitals, so that "sat with", "wed in 2019" are left; the date beside it is a
# month's name (capitalised), a month written "2023-03", or "[date of birth]".
_WEEKDAY_NAME = (r"(?:(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
                 r"|(?-i:(?:Mon|Tue|Tues|Wed|Weds|Thu|Thur|Thurs|Fri|Sat|Sun)|(?:MON|TUE|TUES|WED|WEDS|THU|THUR|THURS|FRI|SAT|SUN))\.?)")
_SHOWN_DATE = rf"(?:{_CAPITAL_MONTH}(?![A-Za-z])|\d{{4}}-\d{{2}}(?![\d\-])|\[date of birth\])"
_WEEKDAY_BEFORE_A_DATE = re.compile(
    # "Monday Mar 2023", "on Mon, Mar", "Tuesday the March"
    rf"(?P<on>\b[Oo]n\s+)?(?<![\w\-])(?P<weekday>{_WEEKDAY_NAME})(?![\w\-])\s*,?\s*(?:the\s+)?(?={_SHOWN_DATE})"
)
_WEEKDAY_AFTER_A_DATE = re.compile(
    # "Mar 2023 (Monday)", "Mar 2023, Mon.", "2023-03 Tue": the weekday ends the text, a clause or a bracket
    rf"(?<![\w\-])(?P<date>{_CAPITAL_MONTH}(?:\s+\d{{4}})?|\d{{4}}-\d{{2}}|\[date of birth\])"
    rf"(?:\s*,?\s*\(\s*{_WEEKDAY_NAME}\s*\)|\s*,?\s+{_WEEKDAY_NAME}(?=\s*(?:$|[.,;:!?)\]\n])))"
)
#: a weekday and a day of the month with no month ("Friday 14th", "on Fri the 3rd"): the table's month makes it
#: a date to the day; both become "[day]"
_WEEKDAY_AND_DAY = re.compile(
    rf"(?<![\w\-])(?P<weekday>{_WEEKDAY_NAME})(?![\w\-])\s*,?\s*(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)(?![\w\-])"
)
WEEKDAY = "[day]"
_MAY_BE_WEEKDAY = re.compile(r"(?i:\b(?:mon|tues?|weds?|thur?s?|fri|sat|sun)(?:[a-z]*day)?\b)")


def _weekday_replacement(match: re.Match) -> str:
    on = match.group("on") or ""
    return ("In " if on[:1] == "O" else "in ") if on else ""


def drop_weekdays(text: str) -> str:
    """`text` without the weekdays written beside a date the view gives to the month ("Monday Mar 2023" ->
    "Mar 2023", "on Mon Mar" -> "in Mar", "Mar 2023 (Tuesday)" -> "Mar 2023"), and a weekday with a day of
    the month but no month as "[day]" ("on Friday the 14th" -> "on [day]")."""
    if not isinstance(text, str) or not _MAY_BE_WEEKDAY.search(text):
        return text
    out = _WEEKDAY_BEFORE_A_DATE.sub(_weekday_replacement, text)
    out = _WEEKDAY_AND_DAY.sub(lambda m: WEEKDAY if 1 <= int(m.group("day")) <= 31 else m.group(0), out)
    return _WEEKDAY_AFTER_A_DATE.sub(r"\g<date>", out)


# A day written in words ("the fourteenth of March", "twenty-first March 2023", "March the 21st") or a
# day of the month alone after "on" ("visited on 3rd", "on the 14th": the table gives the month) is a date
# to the day too. Ordinal words are read before a capitalised month ("of" optional; "first", "second"
# and "third" only after "the" or before "of", so "first March visit" is left), after one with "the"
# ("March the twenty-first"), and alone after "on the" ("on the fourteenth"); a day alone with digits
# only after "on" and before the end of a clause ("visited on 3rd;", "on the 14th at home"), so "on the
# 9th centile" and "on 2nd thoughts" are left. The day goes ("[day]" when no month is written).
_UNITS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_ORDINAL_WORDS = (
    _UNITS + ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
              "eighteenth", "nineteenth", "twentieth", "thirtieth")
    + tuple(f"twenty[\\s\\-]?{u}" for u in _UNITS) + ("thirty[\\s\\-]?first",)
)
_ORDINAL_WORD = "(?:" + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True)) + ")"
_LOOSE_ORDINAL = r"(?:first|second|third)"  # also everyday words: a date only with "the" before or "of" after
_CLAUSE_END = r"(?=\s*(?:$|[.;:)\],!?\n]|\s(?:at|by|with|when|and|as|in|for|from|to|was|were|is|the|until|till|but)\b))"
_DAY_IN_WORDS = re.compile(
    rf"(?P<on>\b[Oo]n\s+)?(?<![\w\-])(?:"
    # "the fourteenth of March", "twenty-first March 2023", "14th of March" is `_DAY_DATES`
    rf"(?P<the>the\s+)?(?P<word>{_ORDINAL_WORD})(?P<of>\s+of)?\s+(?=(?P<month>{_CAPITAL_MONTH})(?![A-Za-z]))"
    # "March the 21st", "March the twenty-first"
    rf"|(?P<month2>{_CAPITAL_MONTH})\s+the\s+(?:\d{{1,2}}(?:st|nd|rd|th)|{_ORDINAL_WORD})(?![\w\-])"
    # "on the fourteenth", "on 3rd", "on the 14th"
    rf"|(?<=[Oo]n\s)(?P<alone>(?:the\s+)?(?:{_ORDINAL_WORD}|(?P<digits>\d{{1,2}})(?:st|nd|rd|th))){_CLAUSE_END}"
    r")",
    re.IGNORECASE,
)
_MAY_BE_DAY_IN_WORDS = re.compile(r"(?i:\d(?:st|nd|rd|th)\b|first|second|third|th\b|tieth)")


def _day_in_words_replacement(match: re.Match) -> str:
    on = match.group("on") or ""
    if match.group("month2"):
        return on + match.group("month2")
    if match.group("alone") is not None:
        digits = match.group("digits")
        if digits and not 1 <= int(digits) <= 31:
            return match.group(0)
        return on + WEEKDAY
    word = match.group("word")
    if re.fullmatch(_LOOSE_ORDINAL, word, re.IGNORECASE) and (
            not (match.group("the") or match.group("of"))
            or re.search(r"\b(?:a|one|two)\s+$", match.string[:match.start()], re.IGNORECASE)):
        return match.group(0)  # "first March visit", "a third of March babies": not a date
    if not match.group("month")[:1].isupper():
        return match.group(0)
    return ("In " if on[:1] == "O" else "in ") if on else ""


def month_text(text):
    """`text` with every date written to the day given to the month ("seen on 14/02/2023" -> "seen in
    Feb 2023", "2023-02-14T08:12:00Z" -> "2023-02", "14th February" -> "February") and ages written to
    the day in whole months ("aged 7m 12d" -> "aged 7m"). Non-text values are returned unchanged."""
    if not isinstance(text, str) or not text:
        return text
    out = _DATE_RANGE.sub(_range_replacement, text)
    out = _DAYS_BEFORE_A_DATE.sub(_days_replacement, out)
    out = _DAY_DATES.sub(_month_replacement, out)
    if _MAY_BE_MONTH_THEN_DAY.search(out):  # cheap gates: most texts have neither (their full dates are gone)
        out = _MONTH_THEN_DAY.sub(_month_then_day_replacement, out)
    if _MAY_BE_DAY_MONTH.search(out):
        out = _DAY_MONTH.sub(_day_month_replacement, out)
        out = _BARE_DAY_MONTH.sub(_bare_day_month_replacement, out)
        out = _BARE_DOT_DAY_MONTH.sub(_bare_dot_day_month_replacement, out)
    if _may_be_named_day(out):
        out = _NAMED_DAY.sub(_named_day_replacement, out)
    if _MAY_BE_DAY_IN_WORDS.search(out):
        out = _DAY_IN_WORDS.sub(_day_in_words_replacement, out)
        out = _DAY_AFTER_A_CUE.sub(_day_after_a_cue_replacement, out)
    out = drop_weekdays(out)
    if _MAY_BE_AGE_IN_DAYS.search(out):
        out = _AGE_IN_DAYS.sub(_age_in_days_replacement, out)
        out = _A_UNDER.sub(r"\1n", out)  # "a 3 week old boy" -> "an under 1 month old boy"
    if _MAY_BE_DAY_OF_LIFE.search(out):
        out = _DAY_OF_LIFE.sub(_day_of_life_replacement, out)
    return _AGE_TO_THE_DAY.sub(r"\g<months>", out)


# A day and month with no date word before them ("review 21/06", "(14/3)") is read as a date when its form
# says so: the month written with a leading zero ("21/06", "3/04": no count, score or fraction is written so),
# or a day over 12 with a month that no clinical shorthand uses ("14/3", "21/6"; "14/7" is fourteen days
# and "15/12" fifteen months, "24/7" round the clock: left). Always a valid day of the month, never inside
# a longer number or date, a time or a decimal, and not followed by a unit, "of" or "ago" (as
# `_DAY_MONTH`): "1/2 tablet", "3/4 of", "EPDS 14/20", "Apgar 9/10", "power 4/5", "3/52", "at 14:30" are left.
_BARE_DAY_MONTH = re.compile(
    rf"(?<![\w/.\-:])(?P<d>\d{{1,2}})\s?/\s?(?P<m>\d{{1,2}})(?![\w/]|[.:\-]\d){_NOT_A_DATE_AFTER}"
)


#: a word before a number that makes it a reference, not a date ("Ref: 21/06", "case no 03/04", "PIN 03/04")
_REFERENCE_BEFORE = re.compile(
    r"(?i:\b(?:ref|reference|refs|no|nos|number|num|case|crime|crn|pin|id|code|version|v|page|pages|pp?|room|"
    r"bed|ward|flat|unit|house|apt|item|section|s|para|paragraph|rule|reg|regulation|policy|form|file|order|"
    r"log|incident|job|ticket|account|acc|a/c|hb|plt|inr)\.?\s*[:#]?\s*$|#\s*$)")


def _bare_day_month_replacement(match: re.Match) -> str:
    day, month = int(match.group("d")), int(match.group("m"))
    if not _valid_day(day, month) or _REFERENCE_BEFORE.search(match.string[max(0, match.start() - 20):match.start()]):
        return match.group(0)
    zero_padded = len(match.group("m")) == 2 and match.group("m").startswith("0")
    if zero_padded or (day > 12 and month not in (7, 12)):
        return _MONTH_ABBR[month - 1]
    return match.group(0)


# A day and month written with a dot and no date word ("letter sent 14.03", "review 21.06.") is read as a
# date only in the form decimals and times take least: two digits each side, a valid day, a month 01-12,
# not after a word that makes it a time ("at", "@", "approx", "between", "from", "until"), a measure
# ("weight", "temp", "Hb", "£") or a reference, and not followed by a unit, "hrs", "am" or "pm" (as
# `_NOT_A_DATE_AFTER`): "at 14.03", "weight 10.05", "14.03 hrs", "10.05kg", "£10.05" are left.
_BARE_DOT_DAY_MONTH = re.compile(
    rf"(?<![\w/.\-:£$€])(?P<d>\d{{2}})\.(?P<m>0[1-9]|1[0-2])(?![\w/]|[.:\-]\d)"
    rf"(?!\s*(?i:hrs?\b|hours?\b|h\b|am\b|pm\b|a\.m|p\.m|[\-\u2013]\s*\d|to\s+\d|and\s+\d)){_NOT_A_DATE_AFTER}"
)
_NOT_A_DOT_DATE_BEFORE = re.compile(
    r"(?i:\b(?:at|@|approx\.?|approximately|about|around|circa|c\.|by|from|until|till|between|and|to|time|"
    r"timed|start(?:ed|s)?|end(?:ed|s)?|weight|weighed|weighing|wt|weighs|length|height|ht|hc|ofc|temp|"
    r"temperature|t|hb|bmi|score|scored|result|level|levels|crp|inr|glucose|bm|sats|kg|cost|costs|paid|"
    r"£|\$|€)\s*[:=]?\s*$|[@£$€]\s*$)")


def _bare_dot_day_month_replacement(match: re.Match) -> str:
    day, month = int(match.group("d")), int(match.group("m"))
    before = match.string[max(0, match.start() - 20):match.start()]
    if not _valid_day(day, month) or _NOT_A_DOT_DATE_BEFORE.search(before) or _REFERENCE_BEFORE.search(before):
        return match.group(0)
    return _MONTH_ABBR[month - 1]


# A named day ("Christmas Day", "Boxing Day", "New Year's Eve") is a date to the day: given to its month as
# other dates are ("on Christmas Day" -> "in December"); a day whose date moves with the year ("Easter
# Sunday", "Mother's Day") becomes "[day]". "over Christmas", "at Easter" (a season) are left.
_FIXED_NAMED_DAYS = (
    (r"(?:Christmas|Xmas)\s+(?:Day|Eve)|Boxing\s+Day|New\s+Year['\u2019]?s\s+Eve|Hogmanay", "December"),
    (r"New\s+Year['\u2019]?s\s+Day", "January"), (r"(?:St\.?\s+)?Valentine['\u2019]?s\s+Day", "February"),
    (r"St\.?\s+Patrick['\u2019]?s\s+Day", "March"), (r"Hallowe['\u2019]?en", "October"),
    (r"(?:Bonfire|Guy\s+Fawkes)\s+Night", "November"),
)
_MOVING_NAMED_DAYS = (r"Easter\s+(?:Sunday|Monday|Saturday|Day)|(?-i:Good|GOOD)\s+Friday|Shrove\s+Tuesday|Pancake\s+Day|"
                      r"(?-i:Mother['\u2019]?s\s+Day|Father['\u2019]?s\s+Day|Mothering\s+Sunday)")
_NAMED_DAY = re.compile(
    r"(?P<on>\b[Oo]n\s+)?(?<![\w\-])(?:"
    + "|".join(f"(?P<fixed{i}>{pattern})" for i, (pattern, _) in enumerate(_FIXED_NAMED_DAYS))
    + rf"|(?P<moving>{_MOVING_NAMED_DAYS}))(?![\w\-])",
    re.IGNORECASE,
)
#: (the gate: a named day written in any case, "Christmas Day", "BOXING DAY", "boxing day"; "Good Friday"
#: capitalised only: "had a good friday")
_NAMED_DAY_WORDS = ("hristmas", "HRISTMAS", "mas", "MAS", "Boxing", "BOXING", "Year", "YEAR", "Hogmanay", "HOGMANAY",
                    "Valentine", "VALENTINE", "Patrick", "PATRICK", "Hallowe", "HALLOWE", "Bonfire", "BONFIRE",
                    "Fawkes", "FAWKES", "Easter", "EASTER", "Friday", "FRIDAY", "Shrove", "SHROVE", "Pancake",
                    "PANCAKE", "s Day", "S DAY", "Mothering", "boxing", "ew year", "hogmanay", "valentine", "patrick",
                    "hallowe", "bonfire", "fawkes", "easter", "shrove", "pancake")


def _may_be_named_day(text: str) -> bool:
    return any(w in text for w in _NAMED_DAY_WORDS)


def _named_day_replacement(match: re.Match) -> str:
    on = match.group("on") or ""
    if match.group("moving") is not None:
        return on + WEEKDAY  # "on Easter Monday" -> "on [day]"
    month = next(month for i, (_, month) in enumerate(_FIXED_NAMED_DAYS) if match.group(f"fixed{i}") is not None)
    written = match.group(0)[len(on):]
    if written.isupper():
        month = month.upper()
    return (("In " if on[:1] == "O" else "in ") if on else "") + month


#: a day of the month alone after a date word other than "on" ("seen the 3rd.", "visited 14th at home",
#: "dated 21st"), before the end of a clause, as `_DAY_IN_WORDS` reads it after "on"
_DAY_AFTER_A_CUE = re.compile(
    r"(?<![\w/])(?P<cue>(?i:seen|visited|dated|from|until|till|since|w/c|reviewed|attended|called|phoned|rang))"
    rf"\s+(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)(?![\w\-]){_CLAUSE_END}"
)


def _day_after_a_cue_replacement(match: re.Match) -> str:
    if not 1 <= int(match.group("day")) <= 31:
        return match.group(0)
    return f"{match.group('cue')} {WEEKDAY}"


# ---------------------------------------------------------------------------------------------------
# Ages in days or weeks
# ---------------------------------------------------------------------------------------------------
# The anonymised view gives the child's age in whole months (`month_age`: "0m 17d" -> "0m"); an age in
# days or weeks written in the text ("aged 17 days", "6 weeks old", "a 10-day-old baby", "at 3/52") beside
# a contact's month narrows the date of birth as much as an age to the day, so it is given in whole months
# too (30.4 days): "aged 17 days" -> "aged under 1 month", "6 weeks old" -> "1 month old", "aged 6/52" ->
# "aged 1/12", "at 3/52" -> "at <1/12", "a 10-day-old baby" -> "an under-1-month-old baby", "6w 3d old" ->
# "1m old". Read as an age only after "aged"/"age", before "old", and "at N/52" (the clinical shorthand
# for an age in weeks); "N days/weeks old" is left after an injury's word ("bruise approx 3 days old",
# "fracture 2-3 weeks old": the injury's age, a finding), and "at N/52" in a text about a pregnancy
# ("booking at 12/52", "scan at 20/52", "36/52 gestation"). Durations ("for 3 days", "review in 2/52",
# "seen 3/7 ago") are not ages and are left. "at 2 weeks", "at 6 weeks check" (an age in words after "at")
# are ages too, unless a birth, a pregnancy or a time to come back says otherwise (`_an_age_at`); a day of
# life ("day 5 of life", "NBV day 11") is `_DAY_OF_LIFE`.
#: a number of days or weeks in words ("twelve days old", "a three-week-old baby")
_NUMBER_WORDS = {w: n for n, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split(), start=1)}
_NUMBER_WORDS_ALT = "(?i:" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_AGE_PART = r"\d{1,3}(?:[\s\-]?(?:days?|weeks?|wks?)|(?:d|w|/52|/7))(?![A-Za-z0-9/])"
_AGE_QTY = (rf"(?:\d{{1,3}}\s*(?:-|\u2013|to)\s*)?{_AGE_PART}"
            r"(?:,?\s*(?:and\s+|\+\s*)?\d{1,2}[\s\-]?(?:days?|d|/7)(?![A-Za-z0-9/]))?")
_AGE_IN_DAYS = re.compile(
    rf"(?P<cue>(?:\b(?:[Aa]ged?|AGED?)\b(?:\s+(?i:at|on)\s+[A-Za-z][A-Za-z ]{{0,20}}?(?=\s*:))?"
    rf"|\b(?i:baby|infant|child|boy|girl|neonate|newborn)\s+of(?=\s+\d))\s*:?\s*(?:(?:about|approx\.?|approximately|around|just|only|now)\s+)?)(?P<qty>{_AGE_QTY})"
    rf"|(?<![\w/\-.])(?P<qty2>{_AGE_QTY})(?P<old>\s+old\b)"
    rf"|(?P<article>\b[Aa]n?\s+)?(?<![\w/\-.])(?P<hn>\d{{1,3}}|{_NUMBER_WORDS_ALT})-(?P<hu>day|week)s?-old\b"
    rf"|(?<![\w/\-.])(?P<wn>{_NUMBER_WORDS_ALT})[\s\-](?P<wu>days?|weeks?)(?P<old2>\s+old\b)"
    r"|(?P<at>\bat\s+)(?P<qty3>\d{1,2}/52)(?![\w/])"
    # "at 2 weeks", "at 10 days", "at 6 weeks check": an age written in words after "at" (checked in
    # `_age_in_days_replacement`: "born at 34 weeks", "review at 2 weeks" are left)
    r"|(?P<at4>\b(?:[Aa]t|AT)\s+)(?P<qty4>\d{1,2}(?:\s*(?:-|\u2013|to)\s*\d{1,2})?[\s\-]?(?:days?|weeks?|wks?)"
    r"(?:,?\s*(?:and\s+|\+\s*)?\d{1,2}[\s\-]?days?)?)(?![A-Za-z0-9/'\u2019])"
)
_MAY_BE_AGE_IN_DAYS = re.compile(r"(?i:\d[\s\-]?(?:days?|weeks?|wks?)\b|\d(?:d|w)\b|\d/52|\d/7|(?:day|week)s?[\s\-]old)")
#: what has an age that is not the child's ("bruise approx 3 days old", "the photos were 2 weeks old"): an
#: age in days after one of these words, among the five words before it, is left
_INJURY_BEFORE = re.compile(
    r"(?i:\b(?:bruis\w*|injur\w*|marks?|burns?|fractur\w*|wounds?|scars?|lesions?|cuts?|graze[sd]?|"
    r"scratch(?:es)?|swellings?|bites?|callus|heal\w*|abrasions?|lacerations?|bleed\w*|ha?ematomas?|petechia\w*|"
    r"sores?|ulcers?|rash(?:es)?|infections?|pain|symptoms?|cough|cold|fever|temperature|illness|vomit\w*|"
    r"diarrh\w*|history|hx|photos?|photographs?|images?|videos?|footage|messages?|texts?|e-?mails?|voicemails?|"
    r"letters?|notes?|reports?|referrals?|info|information|incidents?|records?|entry|entries|data|milk|"
    r"formula|bottles?|food|nappy|nappies|clothes|clothing|prescriptions?|medications?|meds|samples?|swabs?|"
    r"tests?|results?|scans?|x-?rays?)\b)")
_PREGNANCY = re.compile(
    r"(?i:gest|pregnan|antenatal|ante-natal|\bA/?N\b|booking|scan\b|EDD\b|LMP\b|f(?:o)?etal|f(?:o)?etus|trimester|"
    r"midwi|primip|multip|\bG\dP\d)")
_AGE_PAIR = re.compile(r"(?P<n>\d{1,3})[\s\-]?(?P<unit>days?|weeks?|wks?|d|w|/52|/7)", re.IGNORECASE)


_A_UNDER = re.compile(r"\b([Aa])(?= under[ \-]1[ \-]month)")


def _whole_months_of(days: float) -> int:
    return int(days // MONTH_DAYS)


def _age_days(quantity: str) -> tuple[float, float, str]:
    """(fewest days, most days, the way it was written: "words", "letters" or "slash") of an age written
    "17 days", "6 weeks 3 days", "2-3 weeks", "6/52", "6w 3d"."""
    pairs = list(_AGE_PAIR.finditer(quantity))
    low_only = re.match(r"\s*(\d{1,3})\s*(?:-|\u2013|to)\s*(?=\d)", quantity)
    first_unit = pairs[0].group("unit").casefold()
    per = 7 if first_unit.startswith("w") or first_unit == "/52" else 1
    high = sum(int(p.group("n")) * (7 if p.group("unit").casefold().startswith("w") or p.group("unit") == "/52" else 1)
               for p in pairs)
    low = high - int(pairs[0].group("n")) * per + int(low_only.group(1)) * per if low_only else high
    style = "slash" if first_unit.startswith("/") else "letters" if first_unit in ("d", "w") else "words"
    return low, high, style


def _months_shown(low: float, high: float, style: str) -> str:
    lo, hi = _whole_months_of(low), _whole_months_of(high)
    if style == "slash":
        return "<1/12" if hi == 0 else f"{lo}/12" if lo == hi else f"{lo}-{hi}/12"
    if style == "letters":
        return "<1m" if hi == 0 else f"{lo}m" if lo == hi else f"{lo}-{hi}m"
    if hi == 0:
        return "under 1 month"
    if lo == hi:
        return f"{lo} month" + ("s" if lo != 1 else "")
    return f"{lo}-{hi} months"


def _age_in_days_replacement(match: re.Match) -> str:
    text, start = match.string, match.start()
    if match.group("hn") is not None:  # "a 10-day-old baby"
        hn = match.group("hn")
        count = int(hn) if hn.isdigit() else _NUMBER_WORDS[hn.casefold()]
        days = count * (7 if match.group("hu").casefold() == "week" else 1)
        months = _whole_months_of(days)
        shown = "under-1-month-old" if months == 0 else f"{months}-month-old"
        article = match.group("article") or ""
        if article:
            article = (article[0] + ("n" if shown[0] == "u" else "")) + " "
        return article + shown
    before = text[max(0, start - 60):start]
    before = re.split(r"[.;!?\n]", before)[-1]  # the clause it is in
    near = " ".join(before.split()[-5:])  # its last five words
    if match.group("wn") is not None:  # "twelve days old"
        if _INJURY_BEFORE.search(near):
            return match.group(0)
        days = _NUMBER_WORDS[match.group("wn").casefold()] * (7 if match.group("wu")[:1] in "wW" else 1)
        return _months_shown(days, days, "words") + match.group("old2")
    if match.group("qty2") is not None:
        if _INJURY_BEFORE.search(near):
            return match.group(0)  # "bruise approx 3 days old": the injury's age
        low, high, style = _age_days(match.group("qty2"))
        return _months_shown(low, high, style) + match.group("old")
    if match.group("qty3") is not None:
        after = text[match.end():match.end() + 40]
        if _PREGNANCY.search(text) or re.match(r"\s*(?:review|post|f/u|follow)", after, re.IGNORECASE) or \
                re.search(r"(?i:\b(?:review|reviewed|f/u|follow[\s\-]?up|recall|again|rv|appt|appointment)\s*$)", before):
            return match.group(0)  # a pregnancy's week, or a time to come back
        low, high, style = _age_days(match.group("qty3"))
        return match.group("at") + _months_shown(low, high, style)
    if match.group("qty4") is not None:
        if not _an_age_at(text, match.start(), match.end(), before):
            return match.group(0)
        low, high, style = _age_days(match.group("qty4"))
        return match.group("at4") + _months_shown(low, high, style)
    low, high, style = _age_days(match.group("qty"))
    return match.group("cue") + _months_shown(low, high, style)


#: before "at N weeks": what makes it no age of the child's (a birth's gestation, a time to come back or
#: to do something again, a treatment's week)
_NOT_AN_AGE_AT_BEFORE = re.compile(
    r"(?i:\b(?:born|delivered|delivery|birth(?!\s+visit)|induced|induction|gestation|pregnant|pregnancy|booking|booked|scan|"
    r"scanned|review|reviewed|"
    r"f/u|follow[\s\-]?up|followed\s+up|recall|again|rv|appt|appointment|repeat|repeated|recheck|re-check|"
    r"re-?assess\w*|re-?test\w*|re-?scan\w*|chase|chased|due|plan(?:ned)?|expected|booked|book|"
    r"treatment|course|dose|doses|antibiotics|discharge|post-?op\w*|sessions?|placement|notice|"
    r"intervals?)\b[\s\w/]{0,12}$)")
#: after "at N weeks": the same ("at 34 weeks gestation", "at 2 weeks post op", "at 2 weeks' notice")
_NOT_AN_AGE_AT_AFTER = re.compile(
    r"(?i:\s*(?:gest|pregnan|post|review|f/u|follow|intervals?|notice|apart|later|earlier|before|after|from|"
    r"into|in\b|of\b(?!\s+(?:age|life)\b)|['\u2019]))")


def _an_age_at(text: str, start: int, end: int, before: str) -> bool:
    """Whether "at N weeks" (at `start`..`end` of `text`) is the child's age ("seen at 2 weeks", "at 6 weeks
    check", "at 2 weeks of age"): not in a clause about a pregnancy or a birth's gestation ("born at 34
    weeks", "scan at 20 weeks"), not a time to come back or to do again ("review at 2 weeks", "repeat at 2
    weeks"), not a treatment's or an interval's ("at 2 weeks post op", "at 2 weeks' notice"). The clause,
    not the whole text: "Born at 38 weeks gestation. Seen at 2 weeks" has an age in its second."""
    clause = before + text[start:end] + re.split(r"[.;!?\n]", text[end:end + 80])[0]
    if _PREGNANCY.search(clause) or _NOT_AN_AGE_AT_BEFORE.search(before):
        return False
    return not _NOT_AN_AGE_AT_AFTER.match(text[end:end + 20])


# A day of the child's life ("day 5 of life", "seen on day 11 of life", "NBV day 11", "new birth visit on
# day 14", "day 5 postnatal", "the 5th day of life") is an age in days too: given as the month of life it
# falls in ("month 1 of life", "in month 1"), "on"/"at" before it read "in". A day of anything else ("day
# 3 of admission", "day 5 of antibiotics", "day 2 post-op") is left.
_DAY_OF_LIFE = re.compile(
    r"(?P<on>\b(?:[Oo]n|[Aa]t|ON|AT)\s+(?:the\s+)?)?"
    r"(?<![\w\-/])(?P<day>[Dd]ay|DAY)\s*(?P<n>\d{1,3})(?![\w/])"
    r"(?=\s*(?i:of\s+(?:life|age)\b|post[\s\-]?natal(?:ly)?\b|post[\s\-]?(?:birth|partum|delivery)\b|"
    r"after\s+birth\b|(?:of\s+)?(?:NBV|new\s+birth\s+visit)\b))"
    r"|(?P<visit>\b(?:NBV|[Nn]ew\s+[Bb]irth\s+[Vv]isit|NEW\s+BIRTH\s+VISIT)\b(?:\s*[:(\-]\s*|\s+))"
    r"(?P<on2>(?:[Oo]n|[Aa]t|ON|AT)\s+(?:the\s+)?)?(?P<day2>[Dd]ay|DAY)\s*(?P<n2>\d{1,3})(?![\w/])"
    r"|(?P<the>\b(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir)\s+)(?P<nth>\d{1,3})(?:st|nd|rd|th)\s+(?P<day3>day)(?=\s+of\s+life\b)"
)
_MAY_BE_DAY_OF_LIFE = re.compile(r"(?i:\bday\s*\d|\d(?:st|nd|rd|th)\s+day)")


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _day_of_life_replacement(match: re.Match) -> str:
    if match.group("nth") is not None:  # "the 5th day of life" -> "the 1st month of life"
        return match.group("the") + _ordinal(_whole_months_of(int(match.group("nth"))) + 1) + " month"
    visit = match.group("visit")
    day, n = (match.group("day2"), match.group("n2")) if visit is not None else (match.group("day"), match.group("n"))
    on = (match.group("on2") if visit is not None else match.group("on")) or ""
    month = _whole_months_of(int(n)) + 1  # day 0 to day 30: month 1
    if on or (visit is not None and not re.search(r"[:(\-]", visit)):
        # "on day 11 of life" -> "in month 1 of life", "NBV day 11" -> "NBV in month 1"
        phrase, written = "in month", on or "in"
    else:
        phrase, written = "month", day
    if day.isupper() and (not on or on.strip().isupper()):
        phrase = phrase.upper()  # "ON DAY 5 OF LIFE" -> "IN MONTH 1 OF LIFE"
    elif written[:1].isupper():
        phrase = phrase[:1].upper() + phrase[1:]  # "Day 5 of life" -> "Month 1 of life"
    return (visit or "") + f"{phrase} {month}"


# ---------------------------------------------------------------------------------------------------
# Schools
# ---------------------------------------------------------------------------------------------------
# A school's, nursery's or college's name ("St Mary's Primary School", "Brookford Academy", "Hillside
# Nursery", "Little Stars Day Nursery", "St Joseph's RC Primary School") places the child's home within a
# mile or two: the anonymised view writes its kind instead ("[primary school]", "[secondary school]",
# "[nursery]", "[college]", or "[school]": "Brookford Academy"), which the reader needs. A name is the capitalised words before the kind of
# school (any of "of", "and", "&", "the", "C of E" among them); words that only say what kind of school
# it is ("Primary School", "the Nursery", "Secondary School", "Local Academy") are no name and are left,
# and so are the roles and services named after schools ("School Nurse", "Nursery Nurse": the word after
# the kind is kept, "Hillside Nursery staff" -> "[school] staff"). Agencies named "Royal College ..." are
# left. Capitalised words before the name that are no part of it ("Today", "Spoke", "Letter", a day, a
# month, "HV": `_BEFORE_A_SCHOOL`) stay outside it ("Today Hillside Nursery rang" -> "Today [nursery]
# rang"). Two schools of one kind in a case are numbered ("[primary school 1]", "[primary school 2]") in
# the order the chronology first names them (`school_labels`, `Redactor.learn_schools`), so that they do
# not share a label nor, as agencies, a swimlane lane. A school named without its kind ("attends
# Hillside"), once the case has named it with it, takes its label (`school_names`), and one school written
# two ways ("Oakfield High School", "Oakfield Academy") is one school. Known limit: a sentence-initial
# word not in `_BEFORE_A_SCHOOL` just before a name ("Worried Hillside Nursery rang") goes with it.
#: children's centres and family centres ("Little Acorns Children's Centre", "Riverside Family Centre") place the
#: family's home as a school does: "[children's centre]", "[family centre]"
_CENTRE_KINDS = (r"Children['\u2019]?s\s+Centre|Childrens\s+Centre|CHILDREN['\u2019]?S\s+CENTRE|Family\s+Centre|"
                 r"FAMILY\s+CENTRE")
_SCHOOL_KINDS = (r"(?:School|Academy|Nursery|Pre-?[Ss]chool|Playgroup|College|SCHOOL|ACADEMY|NURSERY|COLLEGE|"
                 rf"{_CENTRE_KINDS})")
#: a school named by its phase without "School" ("Oakfield Primary", "Hillcrest Secondary", "St Joseph's
#: Catholic Primary", "Greenfield Infants"), not before a capitalised word or "to" ("Primary Care", "Primary
#: Mental Health Worker", "Anaemia Secondary to ..."); "High" and "Junior" alone are left ("Risk High")
_BARE_SCHOOL_KINDS = r"(?:Primary|Secondary|Infants|Juniors)"
_MAY_BE_SCHOOL = re.compile(rf"(?-i:{_SCHOOL_KINDS}|{_BARE_SCHOOL_KINDS})(?![a-z])")
_SCHOOL_WORD = r"(?:St\.?|Saint|[A-Z][\w\u2019'\-]*\.?|C\s+of\s+E|CofE)"
#: a service named after schools, capitalised after the kind ("Westmere School Nursing", "Eastborough School Health
#: Service", "Oakshire School Admissions"): an agency's name, the area's service, not a school's, and left as agencies'
#: names are ("Westmere CAMHS"); the school's own nurse stays the school's ("Hillside School Nurse" -> "[school] Nurse")
_SCHOOL_SERVICE_AFTER = (r"(?![^\S\r\n]+(?-i:Nursing|NURSING|Health|HEALTH|Admissions|ADMISSIONS|"
                         r"Transport|TRANSPORT|Improvement|Effectiveness|Services?|SERVICES?)(?![\w\-]))")
_SCHOOL_NAME = re.compile(
    rf"(?<![\w\[])(?P<name>{_SCHOOL_WORD}(?:\s+(?:(?:of|and|&|the|de|la|le)\s+)?{_SCHOOL_WORD})*?)"
    rf"\s+(?:(?P<kind>{_SCHOOL_KINDS})(?![\w\-]){_SCHOOL_SERVICE_AFTER}"
    rf"|(?P<bare>{_BARE_SCHOOL_KINDS})(?:\s+(?P<lower>school|academy))?(?![\w\-]|['\u2019](?!s\b))"
    rf"(?!\s*(?:[A-Z][a-z]|to\b|care\b|mental\b|health\b|schools\b|education\b|phase\b|age\b|years?\b)))"
)
#: words that say what kind of school it is, or begin a sentence, and are no school's name
_NOT_A_SCHOOL_NAME = frozenset("""
    the a an at to from in into of for by with via per re and or her his their its our your my this that
    these those which whose same new old current previous former local nearest
    primary secondary infant infants junior juniors first middle high grammar community special free
    church catholic faith independent private state day pre nursery school schools academy college
    sixth form upper lower village early years boarding residential alternative provision unit pupil
    referral mainstream further education attends attended attending attend started starts start
    left leaving moved moving excluded exclusion called phoned rang contacted emailed visited visit
    spoke referral referred informed letter email call contact meeting staff child mother father
    mum dad parent parents carer carers sibling siblings brother sister says said reports reported
    no not never still also then when while after before during since until
    royal sunday saturday weekend summer holiday easter half term breakfast evening night forest home
    virtual hospital police nursing medical dental art drama dance music driving language training
    army naval military bible open sports sport football swimming
""".split())


#: capitalised words that are no part of a school's name when they come just before it: time words, days,
#: months, and the verbs and nouns that begin a chronology's entries ("Today Hillside Nursery rang",
#: "Spoke Hillside Nursery", "Letter Oakfield High School") -- checked with `_NOT_A_SCHOOL_NAME`
_BEFORE_A_SCHOOL = frozenset("""
    today yesterday tomorrow tonight morning afternoon earlier later now
    monday tuesday wednesday thursday friday mon tue tues weds thu thur thurs fri
    january february march april june july august september october november december jan feb mar apr
    jun jul aug sep sept oct nov dec
    spoke speak speaking spoken call calls calling telephoned telephone tel tc t/c phone phoned phoning
    rang ring ringing email emails emailing e-mail mail text texted message messaged letter letters
    wrote written writes visit visits visited visiting saw seen see met meet meets meeting attended
    contact contacted contacting liaised liaison liaise discussed discussion discuss update updated
    updates info information received receive sent send sending report reports reporting concern
    concerns noted note notes documented recorded logged advised advice confirmed confirm informed
    inform told tell asked ask chased chase checked check completed complete closed agreed arranged
    planned booked cancelled declined requested request collected dropped picked took taken
    transferred transfer transition joined joining enrolled enrolment registered registration admitted
    discharged returned return reviewed review referred refer referral strategy telecon telephone
    safeguarding welfare concern contacts dsl designated head headteacher teacher teachers manager
    keyworker key worker officer nurse lead worker staff
    she he they we i it you him her them us mum mummy dad daddy mother father child baby
    re fw fwd subject cc via per update urgent note nb ps
""".split())


def _school_match(match: re.Match) -> tuple[str, str, str] | None:
    """(the words before the name that stay, the school's kind as the view writes it, a key for the school
    itself) for a match of `_SCHOOL_NAME`, or None when it names no school ("the Primary School", "Sunday
    School", "Royal College of Nursing")."""
    words = match.group("name").split()
    # leading words that are no name ("Attends", "The", "Primary", "Today", "Spoke", "HV") stay outside it
    keep = 0
    while keep < len(words) and _before_the_name(words[keep]):
        keep += 1
    named = words[keep:]
    if any(w.rstrip(".").casefold() == "royal" for w in words) or not named:
        return None
    if all(w.rstrip(".").casefold() in _NOT_A_SCHOOL_NAME or w in ("C", "E", "RC", "CE", "CofE") for w in named):
        return None
    if re.fullmatch(r"[A-Z]{2,5}", named[0]) and len(named) == 1 and named[0] in KNOWN_ABBREVIATIONS:
        return None  # "SEN School" names a kind, "NHS College" an agency
    kind = match.group("kind")
    if kind is None:  # "Oakfield Primary" is "Oakfield Primary School", one school however written
        kind, named = "School", named + [match.group("bare")]
        if all(w.rstrip(".").casefold() in _NOT_A_SCHOOL_NAME or w in ("C", "E", "RC", "CE", "CofE") for w in named[:-1]):
            return None
    label = _school_label(kind, named)
    return " ".join(words[:keep]), label, _school_key(label, named, kind)


def _before_the_name(word: str) -> bool:
    """Whether a word at the front of a school's name is no part of it: a word that says what kind of
    school it is or begins a sentence ("The", "Primary", "Attends"), a time, day or month ("Today",
    "Monday", "March"), a verb or noun that begins an entry ("Spoke", "Letter"), or a role's abbreviation
    ("HV", "DSL"; not "ST", Saint in capitals)."""
    key = word.rstrip(".,:;").casefold()
    if word == "&" or key in _NOT_A_SCHOOL_NAME or key in _BEFORE_A_SCHOOL:
        return True
    bare = word.rstrip(".,:;")
    return bare.isupper() and bare in KNOWN_ABBREVIATIONS and bare not in ("ST", "RC", "CE")


def _school_key(label: str, named: list[str], kind: str) -> str:
    """The same school however it is written: case, accents, apostrophes, "Saint"/"St", "C of E"/"CofE"
    and "the" do not matter ("St Mary's CofE Primary School" is "ST MARYS C OF E PRIMARY SCHOOL")."""
    text = _fold(" ".join(named)).casefold().replace("\u2019", "'")
    text = re.sub(r"\bc\s*of\s*e\b|\bce\b", "cofe", text)
    words = [w for w in re.split(r"[^\w&]+", text.replace("'", "")) if w and w != "the"]
    words = ["st" if w == "saint" else w for w in words]
    kind = re.sub(r"[^a-z]", "", kind.casefold())
    return f"{label}|{' '.join(words)}|{kind}"


def _school_label(kind: str, words: list[str]) -> str:
    """What the view writes for a school: its kind, which the reader needs ("[nursery]", "[primary
    school]", "[secondary school]", "[college]", "[school]"), not its name."""
    kind = kind.casefold()
    said = {w.rstrip(".").casefold() for w in words}
    if kind.startswith("children"):
        return "[children's centre]"
    if kind.startswith("family"):
        return "[family centre]"
    if kind.startswith(("nursery", "pre", "playgroup")):
        return "[nursery]"
    if kind == "college":
        return "[college]"
    if said & {"primary", "infant", "infants", "junior", "juniors", "first"}:
        return "[primary school]"
    if said & {"secondary", "high", "grammar", "upper"}:
        return "[secondary school]"
    return SCHOOL


def schools_in(text) -> list[tuple[str, str]]:
    """The schools `text` names, in order, as (kind as the view writes it, key of the school): what
    `school_labels` numbers."""
    if not isinstance(text, str) or not _MAY_BE_SCHOOL.search(text):
        return []
    found = (_school_match(m) for m in _SCHOOL_NAME.finditer(text))
    return [(label, key) for _, label, key in (f for f in found if f is not None)]


def school_labels(texts) -> dict[str, str]:
    """{school key: label} for the schools `texts` name, in the order they are first named: a kind named
    for one school only keeps its plain label ("[primary school]"); two or more schools of one kind are
    numbered in that order ("[primary school 1]", "[primary school 2]"), so that the view does not merge
    them (a reader can tell the child moved school) and gives one school the same label everywhere."""
    seen: list[tuple[str, str]] = []  # (label, key) in the order first named
    for text in texts:
        for label, key in schools_in(text):
            if (label, key) not in seen:
                seen.append((label, key))
    # one school written two ways ("Oakfield High School", "Oakfield Academy"): the same name with the same
    # kind, or with a kind that says less ("[school]" of an academy), is one school, of the kind said most
    same: dict[str, str] = {}  # key -> the key of the school it is
    kind_of: dict[str, str] = {}  # a school's key -> its label
    for label, key in seen:
        name = _school_distinctive(key)
        match = next((k for k in kind_of if name and _school_distinctive(k) == name
                      and (kind_of[k] == label or SCHOOL in (kind_of[k], label))), None)
        if match is None:
            same[key], kind_of[key] = key, label
        else:
            same[key] = match
            if kind_of[match] == SCHOOL:
                kind_of[match] = label
    order: dict[str, list[str]] = {}
    for key, label in kind_of.items():
        order.setdefault(label, []).append(key)
    numbered = {}
    for label, keys in order.items():
        for n, key in enumerate(keys, start=1):
            numbered[key] = label if len(keys) == 1 else f"{label[:-1]} {n}]"
    return {key: numbered[school] for key, school in same.items()}


#: the words of a school's name that say its kind, not which school it is ("Primary", "C of E", "RC")
_SCHOOL_KIND_WORDS = frozenset("primary secondary infant infants junior juniors first middle high grammar community "
                               "special free church catholic rc cofe ce c e of methodist academy school nursery college "
                               "upper lower village day pre and the &".split())


def _school_distinctive(key: str) -> str:
    """The part of a school's key ("[primary school]|hillside primary|school") that names it ("hillside"), or
    "" when nothing does."""
    words = key.split("|")[1].split() if key.count("|") >= 2 else []
    return " ".join(w for w in words if w not in _SCHOOL_KIND_WORDS)


def school_names(labels: dict[str, str], keep=frozenset()) -> dict[str, str]:
    """{a school's name without its kind ("hillside", "st marys"): its label} for the schools of `labels`
    (`school_labels`), so that a school named without its kind ("attends Hillside") is replaced too: a name
    two schools share ("Oakfield" of "Oakfield Primary" and "Oakfield High") is "[school]". Left out: a name
    of one word that is an everyday word or shorter than four letters ("Park", "Oak"), and a name whose
    words all name something else in the case (`keep`: the words of the agencies' names, "Eastborough")."""
    by_name: dict[str, set[str]] = {}
    for key, label in labels.items():
        name = _school_distinctive(key)
        if not name or name in ("st",):
            continue
        words = name.split()
        if len(words) == 1 and (len(name) < 4 or name in COMMON_WORDS or name in _NOT_A_SCHOOL_NAME):
            continue
        if all(w in keep for w in words):
            continue
        by_name.setdefault(name, set()).add(label)
    return {name: (next(iter(found)) if len(found) == 1 else SCHOOL) for name, found in by_name.items()}


def _another(label: str) -> str:
    """"[primary school]" -> "[another primary school]": a school the case's texts did not name, of a kind
    they did (it must not take the label of the one they named)."""
    return "[another " + label[1:]


def school_text(text, labels: dict[str, str] | None = None):
    """`text` with the names of schools, nurseries and colleges as their kind ("St Mary's Primary School
    says" -> "[primary school] says", "attends Brookford Academy" -> "attends [school]"); "the Primary
    School", "School Nurse" are left. With `labels` (`school_labels` of the case's texts) a school is
    written as the case numbers it ("[primary school 2]"), and a school they do not name, of a kind they
    do, "[another primary school]"."""
    if not isinstance(text, str) or not _MAY_BE_SCHOOL.search(text):
        return text
    kinds = {key.split("|", 1)[0] for key in labels} if labels else set()

    def replace(match: re.Match) -> str:
        found = _school_match(match)
        if found is None:
            return match.group(0)
        prefix, label, key = found
        if labels:
            label = labels.get(key) or (_another(label) if label in kinds else label)
        return (prefix + " " if prefix else "") + label

    return _SCHOOL_NAME.sub(replace, text)


# ---------------------------------------------------------------------------------------------------
# Initials
# ---------------------------------------------------------------------------------------------------
# Practitioners and family members are often written by their initials ("seen by SW JB", "Mother (AB)
# said", "KL (HV) visited"). A listed person's initials ("KB" for Kerry Brook) become their pseudonym
# anywhere (`Redactor`); other two or three capitals are a person's initials only where the text shows it
# (`_initials_in_context`), and never when they are an abbreviation the chronologies use (`KNOWN_ABBREVIATIONS`:
# "SW", "HV", "GP", "A&E", "NFA", ...) or part of a pseudonym: in brackets alone ("Mother (AB)"), beside a
# role ("SW JB", "JB SW", "KL (HV)", "HV: KL"), after "by", "with", "from", "per", "cc", "signed", "spoke
# to" ("discussed with JB and KL"), at the end of an entry after its last sentence ("Advice given. JB"), a
# whole cell ("JB", a worker column), or with dots ("J.B.") -> "[initials]".
KNOWN_ABBREVIATIONS = frozenset("""
    SW HV GP PC DC DS DI DCI PCSO MW CMW SN PN OT SLT SALT IRO FSW SSW TM PSW ASW CSW CPN FNP ANP HCA TA DSL
    EDT ED AE AED ENT ICU NICU PICU SCBU HDU OPD MAU PAU CAU CDU ANC CDC CAMHS LAC CLA CIN CP CPP ICPC RCPC
    CPC TAC TAF CAF EHA EH FGM CSE CCE DV DA DVA IDVA ISVA MARAC MAPPA MASH LADO NFA NFAT NAI NAD DNA WNB
    DNB UTI URTI LRTI RSV BCG MMR DTP HIB IPV CT MRI EEG ECG BP HR RR GCS ADHD ASD ASC SEN SEND EHCP SENCO
    NHS UK US USA EU GB DOB NI NHSE CQC OFSTED DFE DHSC NICE RCPCH BMA GMC NMC HCPC SCR SAR CSPR LSCB LSCP
    PA CEO MP QC KC CPS YOT YOS YJS ASB ASBO DWP HMRC HB JSA ESA PIP DLA UC CTB IT TV PE RE RS PSHE MFL DT
    AM PM OK NB PS CC BCC RE FW FWD NA TBC TBA ETA ASAP ID IQ IVF STI HIV HEP TB OD ODD EUPD BPD PTSD OCD
    CBT DBT ECT IAPT MHA CMHT CRHT AMHP SHO SPR SPECIALTY CT1 CT2 ST FY FY1 FY2 HO REG CNS ANNP NNU RN RGN
    RMN RSCN NNEB NVQ GCSE OT PT SLP SSP DOH DOJ LA LEA LAS AFA BSL EAL ESOL DHT HT AHT SLT SLCN
    ON AT TO IN IS IT AN OR NO OF AS BE BY DO GO HE IF ME MY SO UP US WE AND THE FOR ARE BUT NOT YOU ALL
    ANY CAN HER WAS ONE OUR OUT DAY GET HAS HIM HIS HOW MAN NEW NOW OLD SEE TWO WAY WHO BOY DID ITS LET
    PUT SAY SHE TOO USE MUM DAD NAN SON GAN YES HAD SIR MRS MR MS DR MX MISS VIA PER REF RES ETC APP
    AKA AGE LOW MED OUT PRN BD TDS QDS OD ON STAT MG ML KG CM MM PO IM IV SC NG PEG TPN OTC
    BMI OFC HC WT SATS CRP FBC LFT UE XR CXR AXR USS INR SGA IUGR FTT NEC GOR GORD CMPA SUDI SIDS ALTE BRUE
    PLO SGO CAO EPO ICO IPO CCG ICB PCT ICS SAB SAC ACE ACES DWP ESW EWO PRU AP LSA EP SEMH MLD SLD PMLD
    NEET CME EHE IEP PEP VSH CIC CLA SGO FGC FGCS LGA EHC SPOC POC SPA ASK NSPCC RSPCC DBS CRB
    OOH NBV ABE NOK MGM MGF PGM PGF GM GF BF SIL BIL LD MH SU FH PMH SH HPC OE LO DD SDH RH SS ICH TBI ABI
    CGL WDP CRC NPS HMP PPO MOJ SPOC SAF CPIS CME PIC CSC CYP SPN
    SVD NVD LSCS ELCS EMCS PV PR PPH PND PPD GAD FII GDD NN CG CID BTP GMP WMP MPS YAS UTC NAA RHI RHA
    ABH GBH RUI BWV PNC CIS SBR CRT GUM SM BBA ARM
    DASH RIC CAD OIC DVPN DVPO DVDS PPN BCU
    RSO RSHO SOPO SHPO SRO SOR VISOR MOSOVO OMU PPU PPIU CSODS OM PSO ISP
    A&E A&amp;E N/A
""".split())
_ROLES = frozenset("""
    SW HV GP PC DC DS DI DCI PCSO MW CMW SN PN OT SLT SALT IRO FSW SSW TM PSW ASW CSW CPN FNP ANP HCA TA DSL
    EDT SENCO HT DHT AHT SHO REG CNS RN RGN RMN DHT FW LADO IDVA ISVA AMHP SPR NN PO PSO OM
""".split())
_CAPS = r"[A-Z]{2,3}"
#: (s20) a nickname or street name in quotes after the words that give it ("made to hold drugs by a man called
#: 'Dee'", "known as \"Trapz\"", "street name 'Smokey'"): a person's name, listed or not, so "[name]". "called" and
#: "named" only after a word for a person ("a man called", "an older male named"): "a game called 'Fortnite'" is left
_NICKNAME_CUES = (r"(?:known\s+as|also\s+known\s+as|street\s+names?|nick-?named|nick-?names?|goes\s+by|go\s+by|"
                  r"calls\s+(?:himself|herself|themselves)|alias|a\.?k\.?a\.?|(?:man|male|males|woman|female|boy|girl|lad|"
                  r"lads|youth|person|adult|someone|somebody|guy|dealer|friend|boyfriend|girlfriend)\s+(?:called|named))")
_NICKNAME = re.compile(r"(?i:\b" + _NICKNAME_CUES + r")(\s*:?\s*)(['\"\u2018\u201c])([^'\"\u2018\u2019\u201c\u201d\r\n\[\]]{1,30})"
                       r"(['\"\u2019\u201d])")
_MAY_BE_NICKNAME = re.compile(r"(?i:\b" + _NICKNAME_CUES + r")")


def _nickname_replacement(match: re.Match) -> str:
    return match.group(0)[: match.start(3) - match.start(0)] + AMBIGUOUS + match.group(4)


_MAY_BE_INITIALS = re.compile(r"(?<![A-Za-z])[A-Z]{2,3}(?![A-Za-z])|\b[A-Z]\.\s?[A-Z]\.")
_ROLE_ALT = "|".join(sorted(_ROLES, key=len, reverse=True))
_INITIALS_IN_CONTEXT = re.compile(
    # initials and a role: "JB SW", "KL (HV)", "JB, SW", "JB/HV"
    rf"(?<![\w&\[])(?P<r2>{_CAPS})(?=(?:\s*,\s*|\s*/\s*|\s*\(\s*|\s+)(?:{_ROLE_ALT})(?![\w&]))"
    # "(AB)" alone in brackets after a person ("Mother (AB)", "social worker (AB)", "Ms Brook (KB)"; checked
    # in `_initials_in_context`: "bleed (SDH)" is left)
    rf"|(?P<open>(?P<before>[\w\]'\u2019.]+)\s*\(\s*)(?:(?:{_ROLE_ALT})\s*\)\s*(?P<b2>{_CAPS})(?![\w&])"
    rf"|(?P<b>{_CAPS})(?=\s*\)))"
    # ... and a role in brackets then initials: "Reviewing Officer (IRO) PD", "Nursery Nurse (NN) KT"
    # a role and initials: "SW JB", "HV: KL", "SW - JB", "SW/JB"
    rf"|(?<![\w&])(?P<role1>(?:{_ROLE_ALT}))(?P<gap1>\s*[:\-/]\s*|\s+)(?P<r1>{_CAPS})(?![\w&])"
    # after a word that introduces a person: "by JB", "discussed with JB and KL", "spoke to JB"
    rf"|(?P<cue>(?:\b(?i:by|with|from|per|cc|signed|author|spoke\s+to|spoken\s+to|speak\s+to|talked\s+to|"
    rf"handed\s+to|passed\s+to|and)|&|\b(?:Dr|Mr|Mrs|Ms|Miss|Mx)\.?)\s*:?\s+)(?!(?:{_ROLE_ALT})(?![\w&]))(?P<c>{_CAPS})(?![\w&])"
    # with dots: "J.B.", "J. B.", "A.B.C."
    r"|(?<![\w.])(?P<dots>[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)?)(?!\w)"
    # at the end of an entry, after its last sentence or a dash: "Advice given. JB", "... - KL"
    rf"|(?:(?<=[.;!?]\s)|(?<=\s[\-\u2013]\s)|^)(?P<end>{_CAPS})(?=\s*\.?\s*$)"
)


# A name the case does not list after a social title ("Mr Jones", "Mrs Patel", "Ms O'Brien", "Miss Smith", "Mr J.
# Jones", "Mrs Kerry Jones", "Mr St John", "MR JONES") is a person's: "Mr [name]" (`Redactor._titled_name_replacement`),
# a professional's too ("Mr Smith (social worker)" -> "Mr [name] (social worker)"), as the names after a
# professional's title are ("Dr Khan" -> "Dr [name]", `_PROFESSIONAL_NAME`).
_SURNAME_TITLE_CASE = (rf"(?:{_SURNAME_PARTICLES}[^\S\r\n]+){{0,2}}[A-Z](?:[a-z]+|['\u2019`][A-Za-z][a-z]+)(?:[A-Z][a-z]+)?"
                       rf"(?:-(?:{_SURNAME_PARTICLES}[^\S\r\n]+)?[A-Z](?:[a-z]+|['\u2019`][A-Za-z][a-z]+)(?:[A-Z][a-z]+)?)?")
_SURNAME_CAPITALS = (rf"(?:{_CAPITAL_PARTICLES}[^\S\r\n]+){{0,2}}(?:[A-Z]['\u2019`])?[A-Z]{{2,}}"
                     rf"(?:-(?:{_CAPITAL_PARTICLES}[^\S\r\n]+)?(?:[A-Z]['\u2019`])?[A-Z]{{2,}})?")
_A_SURNAME = rf"(?:{_SURNAME_TITLE_CASE}|{_SURNAME_CAPITALS})(?![\w\-])"
_TITLED_NAME = re.compile(
    r"(?<![\w\-'\u2019\[])(?P<lead>(?P<title>(?-i:Mr|Mrs|Ms|Miss|Mx|MR|MRS|MS|MISS|MX))\.?[^\S\r\n]+)"
    r"(?:(?-i:[A-Z])\.?[^\S\r\n]+(?=[A-Z]))?"  # an initial: "Mr J Jones", "Mr J. Jones"
    rf"(?P<name>{_A_SURNAME}(?P<second>[^\S\r\n]+{_A_SURNAME})?)(?P<suffix>['\u2019]s?(?!\w))?"
)
_MAY_BE_TITLED_NAME = re.compile(r"(?<![\w\-])(?-i:Mr|Mrs|Ms|Miss|Mx|MR|MRS|MS|MISS|MX)\.?[^\S\r\n]+[A-Za-z]")
_PROFESSIONAL_ROLE = (
    rf"(?:{_LOWER_PROFESSIONAL_TITLES}|(?i:head[^\S\r\n]*teacher|class[^\S\r\n]+teacher|deputy[^\S\r\n]+head|"
    r"teacher|senco|dsl|(?:team[^\S\r\n]+)?manager|paediatrician|consultant|registrar|psychologist|psychiatrist|"
    r"therapist|clinician|solicitor|barrister|judge|magistrate|interpreter|advocate|gp|iro|lado|idva|isva|"
    r"police|pc|dc|ds|sgt|inspector|health[^\S\r\n]+visiting|social[^\S\r\n]+care|school)"
    rf"|(?-i:{_ROLE_ALT}))"
)
#: what a police officer's collar (shoulder) number becomes: it names the officer as surely as their name does
#: ("PC 2231" -> "PC [collar number]", "PC 1234 Smith" -> "PC [collar number] [name]")
COLLAR_NUMBER = "[collar number]"
COLLAR_NUMBER_PATTERN = re.escape(COLLAR_NUMBER)
#: a collar number after a police rank ("PC 2231", "DC 4455", "PCSO 7781", "Sgt. 120"): two to six digits, as a
#: word (not "PC 2231/19", a reference, nor "DS 2" in "DS 2 days")
_COLLAR = re.compile(r"(?<![\w\-'\u2019])(?P<rank>(?-i:PC|DC|DS|PCSO|Sgt|SGT|Sergeant|Constable|Insp|Inspector)\.?"
                     r"[^\S\r\n]*(?:no\.?[^\S\r\n]*)?)(?P<number>\d{2,6})(?![\w/\-.]|\.\d)")
_MAY_BE_COLLAR = re.compile(r"(?-i:PC|DC|DS|PCSO|Sgt|SGT|Sergeant|Constable|Insp)\.?[^\S\r\n]*(?:no\.?[^\S\r\n]*)?\d")


_PROFESSIONAL_AFTER = re.compile(rf"[^\S\r\n]*(?:[(,:\-\u2013][^\S\r\n]*)?(?:(?i:the|a|duty|named|allocated)[^\S\r\n]+)?"
                                 rf"{_PROFESSIONAL_ROLE}(?![\w])")


# A name the case does not list after a professional's title or role ("Dr Khan", "PC Smith", "HV Sarah Jones", "SW J.
# Brown", "social worker Jane Smith") is "Dr [name]", the role kept (`Redactor._professional_name_replacement`): up to
# three words, each a capitalised word, an initial or a name hidden already ("[name]"); a title or another
# professional's title is no name ("GP Dr Khan" -> "GP Dr [name]", "SW Mr Smith": read by `_TITLED_NAME`).
#: a professional's role written after their title, before their name ("GP Registrar Smith", "Nurse Practitioner
#: Jones", "SW Team Manager Smith", "Dr Khan" is not one)
_ROLE_AFTER_A_TITLE = (r"(?-i:Registrar|Practitioner|Consultant|Paediatrician|Specialist|Team|Manager|Senior|Student|"
                       r"Trainee|Locum|Duty|Named|Designated|Lead|Safeguarding|Staff|Community|Advanced|Assistant|"
                       r"Nurse|Visitor|Worker|Officer|Social|Health|Support|Family|School)(?![\w'\u2019\-])")
_ANY_TITLE = (rf"(?:{_PROFESSIONAL_TITLES}|(?-i:Mr|Mrs|Ms|Miss|Mx|Master|MR|MRS|MS|MISS|MX|MASTER)\.?)"
              r"(?![\w'\u2019\-])")
#: the titles of a person, not of a role or a service, before a surname ("DI White", "PC Long", "Dr Young", "PO
#: Bell"): the capitalised word after one is a surname whatever else it means (`_surname_too`); not "GP", "HV", "SW",
#: "DSL" ("GP May appointment", "SW White British family")
_PERSONAL_TITLE = re.compile(r"(?-i:Dr|DR|Doctor|DOCTOR|Prof|PROF|Professor|PC|DC|DS|DI|DCI|DSI|PCSO|Sgt|SGT|Sergeant|"
                             r"Det|Insp|Inspector|Cllr|PO|PSO|OM)\.?")
#: words that are surnames as well as everyday, colour, nationality or calendar words ("White", "Black", "English",
#: "Welsh", "Young", "May"): a surname after a person's title (`_PERSONAL_TITLE`); in a line in capitals only the
#: colour and nationality words and the adjectives ("DI WHITE", not "PC WILL ATTEND", "DC MAY ATTEND")
_SURNAMES_TOO = (COMMON_WORDS | frozenset(_MONTHS) | frozenset("white black brown green grey gray english welsh irish "
                                                               "scott french german holland england wales".split()))
_SURNAMES_TOO_IN_CAPITALS = frozenset("white black brown green grey gray english welsh irish scott french long short "
                                      "young little rich noble hardy early wise".split())
#: everyday words of `_SURNAMES_TOO` that are verbs or modals after a first name or an initial ("Dr Khan will
#: review"): a surname only right after the title
_SURNAMES_TOO_NOT_AFTER_A_NAME = frozenset("will may mark chase drew read rob bill frank hope win".split())


def _surname_too(written: str, position: int, text: str, end: int) -> bool:
    """Whether `written`, a capitalised word after a person's title (`_PERSONAL_TITLE`) and `position` words of
    their name, is their surname though it is also an everyday word ("DI White", "DS J. Black", "DC May"): a
    word of `_SURNAMES_TOO`, not before a number ("Dr May 2021" is a date), not a verb or modal after a first
    name ("Dr Khan Will ..." is left to the other readings)."""
    key = written.casefold()
    if key not in _SURNAMES_TOO or re.match(r"[^\S\r\n]*\d", text[end:]):
        return False
    if written.isupper() and len(written) > 1:
        return key in _SURNAMES_TOO_IN_CAPITALS
    if not written[0].isupper():
        return False
    return position == 0 or key not in _SURNAMES_TOO_NOT_AFTER_A_NAME


#: a role cell that starts with a person's initial(s) and surname ("R. Dace", "K Patel", "S.Lowe", "A. B. Smith
#: (night staff)"), read by `Redactor._role`
_ROLE_INITIAL_NAME = re.compile(
    rf"^[^\S\r\n]*(?P<name>(?:(?-i:[A-Z])\.[^\S\r\n]*|(?-i:[A-Z])[^\S\r\n]+|\[initials\]\.?[^\S\r\n]*){{1,2}}(?P<surname>{_A_SURNAME}))"
    r"(?=[^\S\r\n]*(?:$|[(,/\-\u2013]))")
_PROFESSIONAL_NAME_WORD = re.compile(rf"\[name\]|(?-i:[A-Z])\.?(?![\w'\u2019\-])|{_A_SURNAME}")
_PROFESSIONAL_NAME = re.compile(
    rf"(?<![\w\-'\u2019\[])(?P<lead>(?:{_PROFESSIONAL_TITLES}|{_LOWER_PROFESSIONAL_TITLES})"
    r"(?:(?P<colon>[^\S\r\n]*:)?[^\S\r\n]+|[^\S\r\n]*(?P<bracket>\()[^\S\r\n]*)"  # "DSL (R Patel)", "Key worker (Chloe)"
    rf"(?:(?:\d{{2,6}}|{COLLAR_NUMBER_PATTERN})[^\S\r\n]+(?=[A-Z]))?"  # a police officer's collar number: "PC 1234 Smith"
    rf"(?:{_ROLE_AFTER_A_TITLE}[^\S\r\n]+){{0,2}})"  # the role's other words: "GP Registrar Smith"
    rf"(?!{_ANY_TITLE})(?P<name>(?:{_PROFESSIONAL_NAME_WORD.pattern})"
    rf"(?:[^\S\r\n]+(?!{_ANY_TITLE})(?:{_PROFESSIONAL_NAME_WORD.pattern})){{0,3}})"
)
_MAY_BE_PROFESSIONAL_NAME = re.compile(
    rf"(?<![\w\-'\u2019\[])(?:{_PROFESSIONAL_TITLES}|{_LOWER_PROFESSIONAL_TITLES})(?:[^\S\r\n]*:?[^\S\r\n]+|[^\S\r\n]*\([^\S\r\n]*)"
    rf"(?:\d|(?-i:[A-Z\[])|{_SURNAME_PARTICLES})")
#: a possessive after a professional's name ("Dr Khan's letter" -> "Dr [name]'s letter")
_PROFESSIONAL_POSSESSIVE = re.compile(r"['\u2019][sS]?(?![\w])")
#: a place named after a person, after the name ("Dr Gray's Hospital", "Dr Khan Surgery", "Dr Smith Medical Centre"):
#: an institution's name, left as an agency's is
_PLACE_AFTER_A_NAME = re.compile(
    r"[^\S\r\n]+(?-i:Hospital|HOSPITAL|Surgery|SURGERY|Practice|PRACTICE|Medical|MEDICAL|Health|HEALTH|Centre|CENTRE|"
    r"Center|Clinic|CLINIC|Unit|UNIT|Ward|WARD|Wing|WING|Hospice|HOSPICE|House|HOUSE|Hall|HALL|Institute|Trust|TRUST|"
    r"Foundation|Building|School|SCHOOL|Academy|ACADEMY|Nursery|NURSERY|College|COLLEGE|Road|Street|Lane|Avenue|"
    r"Children['\u2019]s|Memorial|Infirmary|INFIRMARY)(?![\w])")
#: capitalised words after a professional's title that name a service, a team or a kind of contact, not a person
#: ("HV Team", "GP Practice", "SW Assessment", "Nurse Practitioner", "Dr Registrar")
_NOT_A_PROFESSIONALS_NAME = frozenset("""
    box team teams unit units service services practice practices surgery surgeries clinic clinics centre center ward
    wards department dept office hub duty triage assessment assessments booking bookings visit visits review reviews
    appointment appointments appt letter letters report reports referral referrals record records notes note
    led liaison ooh locum bank agency on-call oncall trainee student students registrar practitioner practitioners
    hospital hospitals medical health trust community specialist specialists named designated lead safeguarding
    paediatric paediatrics emergency urgent primary secondary acute general out hours county city borough district
    north south east west central new old royal university infirmary memorial children's childrens family
    contact call calls phone telephone email update updates plan plans consultation consultations check checks
    house home school nursery main other same all both each another
""".split())


# Names in a line in capitals (`Redactor._capitals_names`).
_LINES = re.compile(r"(\r\n|\r|\n)")
#: a line break or a sentence's end (`_capitals_run`); `_SENTENCES` splits a text into its sentences, keeping
#: the breaks
_SENTENCE_BOUNDARY = re.compile(r"\r\n|\r|\n|(?<=[.!?;:])[^\S\r\n]+")
_SENTENCES = re.compile(r"(\r\n|\r|\n|(?<=[.!?;:])[^\S\r\n]+)")
_PLACEHOLDER = re.compile(r"\[(?:name|initials)\]")
_LOWER_LETTERS = re.compile(r"[^\W\d_A-Z]")
_CAPITALS_TOKEN = re.compile(r"\[(?:name|initials)\]|&|(?<![\w'\u2019\-])[A-Z][A-Z'\u2019\-]*[A-Z](?![\w'\u2019\-])")


def _given_names() -> frozenset[str]:
    """The given names of data/given_names.csv, casefolded (lines starting "#" are comments)."""
    from importlib import resources

    text = resources.files("review").joinpath("data", "given_names.csv").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return frozenset(_norm(line) for line in lines[1:])  # (the header: "name")


@lru_cache(maxsize=1)
def _vocabulary_words() -> frozenset[str]:
    """The words of data/vocab.yml's keywords and phrases, casefolded ("weight", "bruising", "referred"): the
    words chronologies are written in, read by `_sentence_after_a_stop`."""
    from importlib import resources

    import yaml

    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            found.update(w.casefold() for w in re.findall(r"[A-Za-z]{3,}", value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(yaml.safe_load(resources.files("review").joinpath("data", "vocab.yml").read_text(encoding="utf-8")))
    return frozenset(found)


def _sentence_after_a_stop(word: str) -> bool:
    """Whether `word`, capitalised after a service's abbreviation and a full stop ("GP. Weight", "SW. Visit"),
    starts a sentence rather than names the professional: a word of the vocabulary (`_vocabulary_words`) that
    is neither a common given name nor a name that is also an everyday word ("SW. Mark", "HV. Grace" stay
    names). A person's title with its full stop ("Dr. Weight") is read as before."""
    key = word.casefold()
    if not word[:1].isupper() or word.isupper() or key in COMMON_WORDS or key in GIVEN_NAMES:
        return False
    return key in _vocabulary_words()


#: common given names (data/given_names.csv; names that are also everyday words left out): one the case does
#: not list, in a line in capitals, is a person's name wherever it stands (`Redactor._capitals_given_names`)
GIVEN_NAMES = _given_names()
#: a given name of `GIVEN_NAMES` in capitals, as a word (a possessive kept with it: "KERRY'S")
_GIVEN_NAME_IN_CAPITALS = re.compile(
    r"(?<![\w'\u2019\-])(?:" + "|".join(sorted((re.escape(n.upper()) for n in GIVEN_NAMES), key=len, reverse=True))
    + r")(?:['\u2019]S)?(?![\w'\u2019\-])")
_MAY_BE_CAPITALS_NAME = re.compile(r"(?-i:[A-Z\]][^\S\r\n]+(?:AND|&|BY|WITH|TO)[^\S\r\n]+[A-Z\[])")


def _phrases_not_names() -> re.Pattern:
    """The phrases of data/not_names_in_capitals.csv ("JOHN LEWIS", "PETER PAN", "ST JOHN"), in capitals, as
    one pattern of whole words (its spaces any run of spaces; lines starting "#" are comments)."""
    from importlib import resources

    text = resources.files("review").joinpath("data", "not_names_in_capitals.csv").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    phrases = sorted({" ".join(line.upper().split()) for line in lines[1:]}, key=len, reverse=True)
    body = "|".join(r"[^\S\r\n]+".join(re.escape(w) for w in p.split()) for p in phrases)
    return re.compile(r"(?<![\w'\u2019\-])(?:" + body + r")(?![\w'\u2019\-])")


#: well-known phrases holding a common given name that name no person (a shop, a brand, a charity: "BOUGHT
#: AT JOHN LEWIS", "PETER PAN COLLAR"): `Redactor._capitals_given_names` leaves them unless the word after
#: them is a person's (`_NAME_CONTEXT_WORDS`: "JOHN LEWIS PRESENT")
_PHRASES_NOT_NAMES = _phrases_not_names()
#: words after which the word(s) before are a person's, in a sentence in capitals ("ZEPHYR PRESENT", "JOHN
#: LEWIS SAID"): verbs whose subject is a person in a chronology (not "REFUSED", "CONFIRMED", "DENIED": "ACCESS
#: REFUSED", "DATE CONFIRMED", "ENTRY DENIED")
_NAME_CONTEXT_WORDS = ("PRESENT", "ATTENDED", "SAID", "STATED", "DISCLOSED", "ARRESTED", "SPOKE", "PHONED", "RANG",
                       "EXPLAINED")
_NAME_CONTEXT = re.compile(r"(?-i:[^\S\r\n]+(?:" + "|".join(_NAME_CONTEXT_WORDS) + r")(?![\w'\u2019\-]))")
#: (the gate of `Redactor._capitals_context_names`: a word in capitals, then a context word)
_MAY_BE_NAME_IN_CONTEXT = re.compile(r"(?-i:[A-Z][^\S\r\n]+(?:" + "|".join(_NAME_CONTEXT_WORDS)
                                     + r")(?![\w'\u2019\-]))")
#: words in capitals before a context word that are no name, besides those `Redactor._may_be_a_capitals_name`
#: knows: pronouns and determiners ("HE SAID", "NO ONE PRESENT", "ALSO PRESENT") and things a chronology says
#: are present ("DAMP AND MOULD PRESENT", "LETTER STATED")
_NOT_NAMES_IN_CONTEXT = frozenset("""
    i he she we they you it this that these those who which what there here one ones someone somebody anyone
    anybody everyone everybody nobody noone no not also still now then already late early only just again
    never always both all none nil nothing something everything each either neither another others other
    mould damp smell smells odour odours rash lice nits fever pain temperature signs sign symptoms symptom
    food drink beer cans cigarettes needles syringes weapons evidence hazards hazard clutter rubbish dirt
    faeces urine vomit mess letter letters email emails text texts message messages note notes record records
    file files sign form forms document documents documentation leaflet card cards court order abuse neglect
    history records alarm alarms smoke fire water heating electricity gas power
    patient patients suspect suspects offender offenders perpetrator perpetrators victim victims caller callers
    witness witnesses informant complainant applicant pupil pupils student students client clients resident
    residents occupant occupants owner owners driver drivers passenger passengers member members manager
    managers parent parents guardian guardians host everybody teacher teachers nobody
""".split())
#: (the same in ordinary text: a capitalised word beside "and" or "&", or after "by", "with" or "to")
_MAY_BE_MIXED_CASE_NAME = re.compile(r"(?-i:[A-Z][a-z'\u2019]+[^\S\r\n]+(?:and|&)[^\S\r\n]+[A-Za-z\[]"
                                     r"|[\w\]][^\S\r\n]+(?:and|&|by|with|to)[^\S\r\n]+[A-Z][a-z])")
#: a capitalised word just after a capitalised name in ordinary text: both are words of a longer proper name
_NAME_IN_A_PROPER_NAME = re.compile(r"(?-i:[^\S\r\n]+[A-Z][a-z])")
#: a name in ordinary text, capitalised ("Kerry", "Kyle Smith", "O'Brien", "Keane-Jones", "Kerry's")
_CAPITALISED_NAME = re.compile(r"(?-i:[A-Z](?:[a-z]+|['\u2019][A-Z][a-z]+)(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"
                               r"(?:[^\S\r\n]+[A-Z](?:[a-z]+|['\u2019][A-Z][a-z]+)(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?)?"
                               r"(?:['\u2019]s)?)")
#: the verbs of a contact before "BY", "WITH" or "TO" and a person ("SEEN BY KERRY", "SPOKE TO KERRY")
_CAPITALS_VERBS = frozenset("""
    SEEN SEE SAW VISITED ACCOMPANIED BROUGHT COLLECTED CARED LEFT STAYING STAYS STAYED LIVES LIVING LIVED SPOKE SPOKEN
    SPEAK SPEAKING TALKED DISCUSSED ASSAULTED ATTACKED PUNCHED HIT KICKED SLAPPED PUSHED GRABBED STRANGLED THREATENED
    HARASSED ABUSED INJURED BITTEN RAPED ARRESTED REPORTED DISCLOSED SAID TOLD ARGUED FIGHTING FOUGHT SHARES LODGING
    RELATIONSHIP MARRIED PREGNANT MET MEETING CALLED PHONED RANG WAS
""".split())
#: the words for the family's members (a person beside "AND": "MUM AND KERRY")
_FAMILY_WORDS = frozenset("""
    mother mum mummy mom father dad daddy parent parents partner grandmother grandfather grandma grandad granddad nan
    nana nanna gran grandparents aunt auntie aunty uncle sister brother sibling siblings cousin stepfather stepmother
    stepdad stepmum boyfriend girlfriend husband wife child baby infant son daughter twin twins
""".split())
#: words lines in capitals use that this module knows from nowhere else (services, places, ranks, staff)
_CAPITALS_NOT_NAMES = frozenset("""
    duty triage staff team unit ward paramedic paramedics ambulance crew crews officers doctors locum service services
    agency agencies professionals colleagues workers control room custody station cell cells van car vehicle
    neighbours neighbour friends friend relatives visitors visitor sergeant constable inspector detective sgt insp det
    cllr pcso response patrol unit units neighbourhood safeguarding protection care health mental adult adults youth
    young person people persons male female males females man men woman women boy girl boys girls kids children
    adolescent teenager teen unborn foetus pregnancy bump dog dogs cat pet pets drugs drink alcohol cannabis weapon
    knife damage property door window injuries injury bruise bruises bruising mark marks blood head face arm leg hand
    hands eye eyes back bottom chest neck ear ears nose mouth police social school nursery hospital gp court housing
    probation council refuge hostel family families household home address flat house room kitchen bedroom garden
    street road incident domestic verbal argument assault threats threat risk concern concerns high medium standard
    level information info intel details log crime report referral strategy assessment meeting conference plan
    review visit call contact outcome action actions advice update decision nfa no further none nil other same both
    all each landlord landlady tenant tenants solicitor solicitors lawyer barrister judge magistrate magistrates
    advocate carer carers worker interpreter translator stranger strangers unknown
    christmas xmas easter halloween diwali eid ramadan hanukkah birthday toddler toddlers maternity
""".split())
#: endings of English words that names seldom have ("SHOUTING", "ARRESTED", "VERBALLY", "ADOLESCENT", "CONDITION"; not
#: "KELLY", "ALFRED", "MOHAMMED", "VINCENT", "CLIVE", "LAWRENCE", "CONSTANCE")
_ENGLISH_ENDING = re.compile(
    r"^.{3,}(?:ing|tion|sion|ment|ness|ous|able|ible|ical|ism|ist|ful|less)$|^.{2,}ity$|(?<!r)ence$|(?<!st)ance$"
    r"|^.{4,}(?:ics|ology|iatry)$"
    r"|^.{4,}ed$(?<!ammed)(?<!fred)|(?:ally|edly|ously|ively|ently|antly|fully|ingly|ately)$|^.{5,}(?:ent|ant)$|^.{4,}ive$")


#: capitalised words before a possessive and a family member's word that are no name, besides those
#: `Redactor._may_be_an_owner` knows: times ("Today's mum", "Last night's partner"), places and contractions
#: ("It's mum", "Let's", "God's")
_NOT_OWNERS = frozenset("""
    today tomorrow yesterday tonight morning afternoon evening night week weekend fortnight month year day days
    weeks months years season spring summer autumn winter christmas xmas easter new last next previous first
    second third god lord let lets everyone everybody someone somebody anyone anybody nobody noone one
    world country nation city town village county borough council government state king queen nhs
    england britain scotland wales ireland london europe trust trusts service authority department team unit
    centre center practice surgery academy college charity church
    couple couples lady ladies gentleman gentlemen newborn newborns individual individuals youngster youngsters
    teenager teenagers toddler toddlers person people family household
""".split())
#: a family member's word after a name's possessive (`_OWNER_THEN_FAMILY`), in any case
_OWNER_FAMILY = (r"(?i:(?:ex[\-\s]?|step[\-\s]?|half[\-\s]?)?(?:" + "|".join(sorted(
    _FAMILY_WORDS | {"friend", "carer", "babysitter", "childminder", "lodger", "neighbour", "neighbor", "fiance",
                     "fiancee", "fianc\u00e9", "fianc\u00e9e", "mom", "nanny", "granny", "grandparent", "relative",
                     "stepfather", "stepmother", "stepdad", "stepmum", "sisters", "brothers", "kids", "children"},
    key=lambda w: (-len(w), w))) + r"))(?:['\u2019][sS])?(?![\w\-'\u2019])")
#: a capitalised word, or one in capitals, as a name may be written ("Zephyr", "O'Brien", "McDonald", "Keane-Jones",
#: "ZEPHYR")
_OWNER_WORD = (r"(?-i:[A-Z](?:[a-z]+|['\u2019][A-Z][a-z]+)(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"
               r"|(?:[A-Z]['\u2019])?[A-Z]{2,}(?:-[A-Z]{2,})?)")
#: a name's possessive before a family member's word, in any text and any case ("Zephyr's mum present", "seen with
#: Zephyr Holt's dad", "ZEPHYR'S MUM", "James' partner"): the name (one word, or two: "Zephyr Holt") is read by
#: `Redactor._owner_replacement`
_OWNER_THEN_FAMILY = re.compile(
    rf"(?<![\w'\u2019\-\]&])(?:(?P<first>{_OWNER_WORD})[^\S\r\n]+)?(?P<name>{_OWNER_WORD})"
    rf"(?P<s>['\u2019][sS]|(?<=[sS])['\u2019])(?=[^\S\r\n]+{_OWNER_FAMILY})")
#: (its gate: a capital, a possessive, a space and a family word)
_MAY_BE_OWNER = re.compile(rf"[A-Z][\w'\u2019\-]*['\u2019][sS]?[^\S\r\n]+{_OWNER_FAMILY}")

#: a role just after initials ("and LM SW", "and JT (HV)")
_BEFORE_A_ROLE = re.compile(rf"(?:\s*,\s*|\s*/\s*|\s*\(\s*|\s+)(?:{_ROLE_ALT})(?![\w&])")


def _initials_in_context(text: str, pseudonym_words=frozenset()) -> str:
    """`text` with two or three capitals that are a person's initials by their place as "[initials]"."""
    last = [-10]  # where the last initials replaced ended

    def replace(match: re.Match) -> str:
        for group in ("b2", "b", "r1", "r2", "c", "end"):
            letters = match.group(group)
            if letters is not None:
                if letters in KNOWN_ABBREVIATIONS or letters in pseudonym_words:
                    return match.group(0)
                if group == "b" and not _is_a_person(match.group("before"), match.string[:match.start()],
                                                     pseudonym_words):
                    return match.group(0)
                if group == "c" and match.group("cue").strip().casefold() in ("and", "&") \
                        and not 0 <= match.start() - last[0] <= 2 \
                        and not _BEFORE_A_ROLE.match(match.string, match.end()):
                    return match.group(0)  # "and KL" only just after other initials: "with JB and KL"
                start, end = match.span(group)
                last[0] = end
                whole = match.group(0)
                return whole[:start - match.start()] + INITIALS + whole[end - match.start():]
        letters = match.group("dots")
        if re.sub(r"[.\s]", "", letters) in KNOWN_ABBREVIATIONS:
            return letters
        rest = match.string[match.end():]
        ends = not rest.strip() or re.match(r"\s*(?:[\r\n]|[A-Z])", rest)
        return INITIALS + ("." if ends else "")  # "seen by J.B. She" : the last dot also ended the sentence

    if not isinstance(text, str) or not text:
        return text
    return _INITIALS_IN_CONTEXT.sub(replace, text)


#: the words for a person that initials in brackets may follow ("Mother (AB)", "health visitor (KL)")
_PERSON_WORDS = frozenset("""
    mother mum mom father dad parent parents carer carers partner grandmother grandfather grandma grandad
    granddad nan nanna gran grandparent aunt auntie uncle sister brother sibling cousin stepfather
    stepmother stepdad stepmum boyfriend girlfriend husband wife friend neighbour lodger child baby infant
    son daughter worker visitor nurse midwife doctor officer teacher manager paediatrician consultant
    registrar practitioner lead head senco therapist psychologist psychiatrist clinician colleague
    student keyworker guardian advocate interpreter chair author reviewer detective constable sergeant
    inspector
""".split())


def _is_a_person(word: str, before: str, pseudonym_words) -> bool:
    """Whether the word before "(AB)" names a person: a word for one ("Mother", "health visitor"), a
    pseudonym or a role ("SW"), a name already replaced ("[name]"), or a capitalised name after a title
    ("Ms Brook (KB)")."""
    word = word.rstrip(".'\u2019")
    if word.endswith("]") or word.casefold().removesuffix("s") in _PERSON_WORDS or word.casefold() in _PERSON_WORDS:
        return True
    if word.upper() in pseudonym_words or word in _ROLES:
        return True
    return bool(word[:1].isupper() and re.search(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Mx)\.?\s+\S*$", before))


#: columns whose whole cell may be a person's initials ("JB" for the practitioner's role, as some
#: chronologies fill it): "[initials]" when they are not a known abbreviation ("SW", "HV")
INITIALS_COLUMNS = frozenset({"role"})


def month_age(display) -> str:
    """An age as the chronology shows it ("7m 12d", "1y 0m 3d", "-45d") in whole months ("7m",
    "1y 0m"); before birth, "before birth"."""
    if not isinstance(display, str) or not display.strip():
        return "" if display is None or display is pd.NA or not isinstance(display, str) else display
    text = display.strip()
    if text.startswith("c. "):  # an approximate date's age ("c. 1y 2m 17d", "c. -45d"): every age of the view
        return month_age(text[3:])  # is to the month, as every date is ("1y 2m", "before birth")
    if "–" in text:  # a date known to its month or year: the range of ages over that period
        parts = list(dict.fromkeys(month_age(part) for part in text.split("–")))
        return "–".join(parts)
    if text.startswith("-"):
        return "before birth"
    return _AGE_TO_THE_DAY.sub(r"\g<months>", text)


def _month_start(series: pd.Series) -> pd.Series:
    values = pd.to_datetime(series)
    return values.dt.to_period("M").dt.start_time.astype(values.dtype)


def _whole_months(series: pd.Series) -> pd.Series:
    days = pd.to_numeric(series, errors="coerce").astype("Float64")
    return (days // MONTH_DAYS).astype("Int64")


def month_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every date given to the month (the first day of its month, no time), and,
    where the table has them: `date_precision` "month" (or "year" or "season", when coarser); `date_text`
    the month ("Feb 2023"), the year ("2023") or the season ("Spring 2021", "Winter 2020/21"); the child's age (`age_display`) in whole months, `age_days` dropped; the intervals
    `days_since_previous_contact`, `days_since_child_seen` and `latency_days` replaced by whole months
    of 30.4 days (`months_since_previous_contact`, `months_since_child_seen`, `latency_months`). The
    flags' `delay_days` are kept. Text is not changed here (`Redactor.text` gives its dates to the
    month)."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column].dtype):
            out[column] = _month_start(out[column])
    if "date_precision" in out.columns:
        precision = out["date_precision"].astype("string")
        # a season ("Spring 2021", three months from its first day) and a year are coarser than a month:
        # they keep their precision and are shown as such, redacted or not
        coarse = precision.isna() | precision.isin(["year", "season", ""]).fillna(False)
        out["date_precision"] = precision.where(coarse, MONTH)
        if "date" in out.columns and "date_text" in out.columns:
            dates = pd.to_datetime(out["date"])
            text = dates.dt.strftime("%b %Y").where(precision.fillna("") != "year", dates.dt.strftime("%Y"))
            season = (precision.fillna("") == "season") & dates.notna()
            if season.any():  # "Spring 2021", "Winter 2020/21", once per distinct date
                from .ingest.dates import season_label

                text = text.astype(object)
                text[season] = dates[season].map({d: season_label(d) for d in dates[season].unique()})
            out["date_text"] = text.astype("string").fillna("").where(dates.notna(), out["date_text"].astype("string"))
    if "time_known" in out.columns:
        out["time_known"] = pd.array([False if pd.notna(v) else pd.NA for v in out["time_known"]], dtype="boolean")
    if "age_display" in out.columns:
        out["age_display"] = out["age_display"].map(month_age).astype(out["age_display"].dtype)
    for days, months in (("days_since_previous_contact", "months_since_previous_contact"),
                         ("days_since_child_seen", "months_since_child_seen"), ("latency_days", "latency_months"),
                         ("latency_at_least_days", "latency_at_least_months")):
        if days in out.columns:
            out.insert(out.columns.get_loc(days), months, _whole_months(out[days]))
            out = out.drop(columns=days)
    if "age_days" in out.columns:
        out = out.drop(columns="age_days")
    return out


# ---------------------------------------------------------------------------------------------------
# Identifiers
# ---------------------------------------------------------------------------------------------------
# An event id is a hash of the case id, the source file's name, its sheet and the row; a flag id a hash
# of its trigger's content (case id, agency, date, texts: review.rules.base.flag_id). In the anonymised view the case id and the file's name are redacted, but
# their hash would still let a reader confirm a guessed name ("CSPR-[name]-2024", "Mother_gp.csv": try
# surnames until the hash of "CSPR-Ashdown-2024|chloe_ashdown_gp.csv|...|5" is the event id shown).
# The anonymised view gives new ids, hashes of what it shows only. Like the pipeline's, its flag ids are
# anchored on the trigger's content (as the view shows it), not its row: a row inserted above a trigger, in
# a resubmitted chronology, keeps the anonymised flag ids of the flags below it, as it keeps their ids.
_EVENT_ID = re.compile(r"(?<![0-9A-Za-z_])E[0-9a-f]{12}(?![0-9A-Za-z_])")
_FLAG_ID = re.compile(
    r"(?<![\w:\-])(?P<rule>[a-z][a-z0-9_]*)-[0-9a-f]{12}(?![\w\-])"
    r"|(?<![\w:])added:(?P<added>[A-Za-z0-9_]+):[0-9a-f]{10}(?![\w])"
)


def _digest(*parts) -> str:
    return hashlib.sha1("|".join(["anonymised", *map(str, parts)]).encode("utf-8")).hexdigest()


def _view_anchors(timeline: pd.DataFrame | None, flags: pd.DataFrame | None) -> dict[str, str]:
    """{trigger event id: its content anchor in the (redacted) `timeline`} for the flags' triggers: the
    `review.rules.base.content_key` of what the view shows of the contact (redacted case id, agency, date,
    precision, contact type, description, action) and its occurrence (1, 2, ...) among the case's contacts
    with that key in source order (file, sheet, row) — `review.rules.base.content_anchor`."""
    from .rules.base import content_anchor, content_key, source_order_key

    if timeline is None or flags is None or "event_id" not in timeline.columns or "trigger_event_id" not in flags:
        return {}
    wanted = set(flags["trigger_event_id"].dropna().astype(str))
    if not wanted:
        return {}

    def column(name):
        return timeline[name].tolist() if name in timeline.columns else [None] * len(timeline)

    parts = [column(c) for c in ("case_id", "agency", "date", "date_precision", "contact_type", "description", "action")]
    keys = [content_key(*row) for row in zip(*parts)]
    order_parts = [column(c) for c in ("source_file", "source_sheet", "source_row", "event_id")]
    order = sorted(range(len(keys)), key=lambda i: source_order_key(*(c[i] for c in order_parts)))
    events = column("event_id")
    seen: dict = {}
    out: dict[str, str] = {}
    for i in order:
        seen[keys[i]] = seen.get(keys[i], 0) + 1
        event = events[i]
        if isinstance(event, str) and event in wanted and event not in out:
            out[event] = content_anchor(keys[i], seen[keys[i]])
    return out


class Identifiers:
    """The anonymised view's event and flag ids, from the (redacted) timeline and flags: an event's id is
    the hash of its redacted case id, file, sheet and row; a flag's, of its rule, its trigger's content
    anchor as the view shows it (`_view_anchors`: redacted case id, agency, date to the month, contact type,
    redacted description and action, and its occurrence among the view's contacts with that content) and its
    redacted explanation — so that, like the pipeline's flag ids (`review.rules.base.flag_id`), it follows
    the contact's content, not its row — (or, for a finding the reviewers added, of its trigger's new id and
    their redacted rationale). An id the tables do not define (a decision on a flag the rules no longer
    raise) becomes "<rule>-unknown<n>". `frame` and `text` replace every id they find, so that the tables
    still refer to one another; `flag_ids` maps each flag id of the analysis to its anonymised id."""

    def __init__(self, timeline: pd.DataFrame | None, flags: pd.DataFrame | None):
        self._map: dict[str, str] = {}
        used: set[str] = set()
        self._unknown = 0

        def unique(make) -> str:
            n = 1
            new = make(n)
            while new in used:
                n += 1
                new = make(n)
            used.add(new)
            return new

        if timeline is not None and "event_id" in timeline.columns:
            order = timeline.sort_values("seq", kind="mergesort") if "seq" in timeline.columns else timeline
            get = {c: order[c].tolist() if c in order.columns else [""] * len(order)
                   for c in ("event_id", "case_id", "source_file", "source_sheet", "source_row")}
            for old, case, file, sheet, row in zip(*get.values()):
                if isinstance(old, str) and old and old not in self._map:
                    self._map[old] = unique(lambda n, k=(case, file, sheet, row): "E" + _digest(*k, n)[:12])
        anchors = _view_anchors(timeline, flags)
        if flags is not None and "flag_id" in flags.columns:
            for record in flags.to_dict("records"):
                old = record.get("flag_id")
                if not isinstance(old, str) or not old or old in self._map:
                    continue
                trigger = self._event(str(record.get("trigger_event_id") or ""))
                match = _FLAG_ID.fullmatch(old)
                if match and match.group("added"):
                    why = record.get("rationale") or record.get("decision_rationale") or ""
                    self._map[old] = unique(lambda n: f"added:{match.group('added')}:" + _digest(trigger, why, n)[:10])
                else:
                    rule = str(record.get("rule_id") or (match.group("rule") if match else "flag"))
                    why = str(record.get("explanation") or "")  # an event id in it: the view's
                    why = _EVENT_ID.sub(lambda m: self._map.get(m.group(0), m.group(0)), why)
                    # (s21) another flag's id in it ("See also flag ..."): a hash of that trigger's named content, which
                    # must not go into this one's (a guessed name would be confirmed through it): its rule only
                    why = _FLAG_ID.sub(lambda m: m.group("rule") or m.group("added") or "flag", why)
                    anchor = anchors.get(str(record.get("trigger_event_id") or ""), trigger)
                    self._map[old] = unique(lambda n: f"{rule}-" + _digest(rule, anchor, why, n)[:12])

    def flag_ids(self) -> dict[str, str]:
        """{the analysis's flag id: the anonymised view's} of the flags the view was made with."""
        return {k: v for k, v in self._map.items() if _FLAG_ID.fullmatch(k) and not _EVENT_ID.fullmatch(k)
                and "-unknown" not in v}

    def _event(self, old: str) -> str:
        return self._map.get(old, old) if old else old

    def _replace(self, match: re.Match) -> str:
        old = match.group(0)
        if old not in self._map:
            self._unknown += 1
            rule = "E" if old.startswith("E") and _EVENT_ID.fullmatch(old) else (
                match.groupdict().get("rule") or match.groupdict().get("added") or "flag")
            self._map[old] = f"{rule}-unknown{self._unknown}"
        return self._map[old]

    def text(self, value):
        if not isinstance(value, str) or not value:
            return value
        return _FLAG_ID.sub(self._replace, _EVENT_ID.sub(self._replace, value))

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A copy of `frame` with the ids in its text columns replaced."""
        out = frame.copy()
        for column in out.columns:
            series = out[column]
            if not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
                continue
            mapping = {v: self.text(v) for v in pd.unique(series.dropna()) if isinstance(v, str)}
            changed = {k: v for k, v in mapping.items() if k != v}
            if changed:
                out[column] = series.map(lambda v, m=changed: m.get(v, v) if isinstance(v, str) else v).astype(series.dtype)
        return out


def organisations_shown(case: CaseConfig, organisations: Iterable, *sources, other_people=None) -> dict[str, str]:
    """{organisation: as the case's anonymised view shows it} for each of `organisations` (the names of the case's
    organisations, as its timeline writes them) that is built on the family's street or one of its names and that
    the case's redaction changes ("Tanner Street Surgery" -> "[surgery]" when the family lives on Tanner Street,
    "Harlow Family Centre" -> "[family centre]" for the Harlow family): what `review thematic --redact` shows
    of the case's organisations (`review.store` keeps it with the case). `sources`: the case's tables, read for
    the labels' numbers as `Redactor.learn_schools` reads them ("[surgery 1]", "[surgery 2]"), as the case's own
    anonymised report numbers them; `other_people`: `Redactor.from_case`'s `other_children`.

    Only a name that shares a word with case.yml's addresses or people is redacted (cheap: most cases have none,
    and no redactor is built for them); other organisations keep their names, which a thematic review compares."""
    names = sorted({o for o in organisations if isinstance(o, str) and o.strip()})
    words = set()
    for text in [*(getattr(case, "addresses", ()) or ()), *(getattr(case, "people", {}) or {}),
                 getattr(case, "child_name", None) or ""]:
        words.update(w for w in _norm(str(text)).replace("'", "").split() if len(w) >= 3 and not w.isdigit()
                     and w not in _STREET_KIND)
    if not words:
        return {}
    built_on = [n for n in names if words & set(_norm(n).replace("'", "").split())]
    if not built_on:
        return {}
    redactor = Redactor.from_case(case, other_children=other_people or ()).learn_schools(*sources)
    return {name: shown for name in built_on if (shown := redactor.text(name)) != name}
