"""Vocabularies applied to each chronology row: agency names, contact types, concern tags, escalations.

The words live in `review/data/vocab.yml` (extended per case by the case's `vocab.yml`, see
`review.config.load_vocab`); this module compiles them once per vocabulary (`compile_vocab`, cached)
and applies them to text.

Matching rules:

* Text and keywords are compared after `normalise_text`: lower case, apostrophes dropped
  ("children's" = "childrens"), any other punctuation a space, whitespace collapsed. Keywords match whole
  words or phrases only ("burn" does not match "Burnley"); at one position the longest keyword wins
  ("head injury" is `head_injury`, not also `other_injury`).
* Contact types: the type column first, the description only when the type column is blank or names no
  type the vocabulary knows ("Meeting"); the first contact type *in vocabulary order* with a matching
  keyword wins, else "other". A text's words about another event than the contact itself are not read for
  its type (`_type_hits`, the one reading of types in text: a description's, a type cell's, `names_type`,
  `records_type`, `records_under_way`: "after hospital admission", "A&E letter", "Notified of A&E
  attendance"); a bare "phone" or "ward" is read in a type cell only ("checks his phone", "Ward round"). A
  row with a blank type cell of an agency whose name (or its file's name, `file_name_agency`:
  "ed_redvale_general.csv") says what its contacts are (an emergency department's) is of that type unless its
  text says otherwise (`untyped_contact_type`: a phone call, a letter). A type cell that names no type but is its
  agency's own word for its contacts is of that type (`agency_type_cells`, `agency_cell_contact_type`: "Majors",
  "Resus" of an emergency department; "Domestic", "Missing person" of a police force; "ED" of any agency but a
  mental health service's); a type cell whose every type keyword reads as another event's keeps their type ("Post
  discharge visit"). "Cardiac arrest" is an A&E attendance, "Telephone consultation" a phone call: the longer
  keyword wins. An appointment tagged was_not_brought is the missed appointment (`missed_appointment_type`).
* Concern tags are negated (not a concern) when, in the same clause, a negation cue comes before the
  keyword with at most `negation_window` other words between ("no bruising seen", "no evidence of
  injury", "denies drug use", "nil concerns re neglect"), or a post-negation cue follows it closely
  ("NAI ruled out"), or the keyword is a label whose answer after its colon or spaced dash denies the
  finding itself: a post cue ("Fracture: ruled out") or one of `label_negations` ending the clause or
  followed by a `label_negation_tails` word and no keyword ("Bruising: none", "Injuries: nil of note",
  "Bruising: none noted on examination", "Bruises - not seen"). A label begins its clause; after a dash, a
  keyword holding a negation cue is a statement, not a label ("Child not seen - no concerns"). A keyword
  in such a denying answer is part of it, not a finding: "Bruising: not seen" is neither bruising nor
  child_not_seen. An answer that qualifies the finding does not deny it: "Bruising: not
  accidental", "Bruise: not explained", "Injury: no cause given", "Head injury: no fracture" are tagged.
  A clause ends at . ; : ! ? a newline, brackets, a spaced dash, or a break word ("but",
  "however": "no bruising but a burn to the hand" is a burn). A comma ends the scope too, unless what
  follows continues a list of concerns ("no bruising, burns or fractures" negates all three; "not
  engaging, bruise to cheek" is a bruise), and an item followed by more words than an observation word
  ending the clause starts a new one ("no NAI, fracture confirmed on xray" is a fracture; "No bruises,
  scratches noted." negates both). A practitioner's lack of concern is no denial of a finding on the body
  (`unconcerned_cues`: "No concerns re bruising" is a bruise; "nil concerns re neglect" is no neglect).
  A cue inside a keyword ("was *not* brought", "child *not*
  seen", "*no* explanation") or inside a pseudo-negation ("no further action") negates nothing. When
  unsure the text is tagged: a reviewer can dismiss a tag, but cannot see a missing one.
* Whose injury: a record is about the child, so an injury (a `finding_concerns` keyword) is the child's
  unless its clause attributes it to an adult (`injury_adults`; `Vocabulary._adults_injury`): "mother's
  injury", "injuries to mum", "mother had a black eye", "mother assaulted by partner, injury to her lip" are
  no concern of the child's; "bruise to her cheek", "Mother reports bruise to her cheek", "Baby hit by father,
  bruise to his cheek" are the child's. Adults named only by their names are not known ("Lisa Wren has facial
  injury" stays tagged). A child's disclosure of being hit ("said his dad hit him with a belt";
  `disclosure_hits` after `disclosure_cues`, `Vocabulary._disclosed_hit`) is non_accidental; an adult's
  account of a blow to themselves ("Mother said partner hit her", "she said he pushed her") is not: an adult's of
  injury_adults or case.yml's people is domestic_abuse ("Chantelle (17) said he pushed her", Chantelle the
  mother; a bracketed age after a name is read as absent). An adult who discloses or admits an injury with a
  pronoun agreeing with her after it tells of her own (`injury_self_report_words`: "Chantelle disclosed
  superficial cuts to her forearm"; still the child's: "Mother reports bruise to her cheek"). A relative who
  passes on photographs of an injury, or from whom a referral or call came, tells of the child's
  (`injury_evidence_words`, `injury_source_words`, s18): "Referral from maternal aunt with photographs of bruises
  to both upper arms", "Grandmother sent photos of bruising to left cheek", "Call from grandmother with bruising
  to cheek" are the child's bruises; "aunt has bruising to her face" and "Mother assaulted by partner, photos of
  injuries to her face" (a comma parting the adult from the photographs) stay the adult's.
* Whose self-harm, missing episode or relationship abuse (`adults_concerns`, `Vocabulary._adults_concern`): read
  as an injury is; an adult's is read as the tags listed ("Mum has history of self-harm" is
  parental_mental_health, "father missing from home since Tuesday" no concern, "Mother said boyfriend hit her"
  domestic_abuse), as is one told of an adult who is the clause's subject (`Vocabulary._adult_subject`: "Sian
  seen, overdose last week" with Sian a parent in case.yml, "Mum says she self-harmed"); the cuts an adult's
  self-harm leaves are the adult's too ("..., cuts to arms": `self_harm_injury_words`). A blow told of in the young
  person's own relationship (relationship_abuse) with no injury recorded is not non_accidental ("Jayden says
  Tanya pushed him. Abusive relationship."). `adults_only_keywords` are a concern only when an adult's: "Mum had an argument with her
  boyfriend" is domestic_abuse, a teenager's "argument with boyfriend" none (an argument alone is no abuse).
* Keyword exceptions (`keyword_exceptions`) contain a keyword but are not one: their words match nothing
  ("DNA" is did not attend, "paternity DNA test" is not).
* A finding seen on the body (a keyword of `finding_concerns`: the injuries) straight followed, with no
  colon or dash, by one of `finding_negations` that ends the clause or is followed by a
  `label_negation_tails` word and no keyword, is denied as a label is, its answer included: "Bruising not
  seen", "Head injury none seen on examination" are neither the injury nor child_not_seen ("Child not
  seen" still is). An answer going on is not read as a denial: "Bruising not seen by GP", "bruise not
  seen before" tag both. `finding_words` ("Marks") name a finding without being a concern: "Marks: not
  seen", "Marks not seen" are not child_not_seen.
* Escalations: a contact is *every* escalation its text names or its contact type lists
  (`detect_escalations`; the `escalation` cell joins them sorted with "; ", like `concerns`: "Referred to
  social care and CP medical arranged" is "cp_medical; referral_to_csc"). The keywords are negated as
  concerns are, and also by the escalation cues: an escalation only considered, conditional, refused or
  not done did not happen ("decision not to refer to social care", "consider referral to social care if
  further bruising", "referral to social care considered but not made"; a post cue reaches across a break
  word: "CP medical requested but not done"). `escalation_negation_next_cues` ("declined", "was refused")
  negate only straight after the keyword ("CP medical declined by mother") and
  `escalation_negation_last_cues` ("considered") only there and at the end of the clause ("Referral to
  social care considered."; not "safeguarding referral considered and made"). The scope of every cue
  ends at `escalation_negation_breaks`, the words of a subordinate clause ("referred to MASH *as* mother
  refused medical", "strategy discussion held *because* father declined to engage"), and at "and" / "or"
  that do not continue a list of keywords ("mother declined support and referral to MASH made"). Here the
  doubt goes the other way: a false escalation hides a flag. A request or an arrangement is the
  escalation of the agency making it ("CP medical requested"), but a referral only planned or awaited, a
  plan cue straight after its words, is not made (`plan_escalations`: "Referral to MASH pending", "...
  booked"), nor one a plan cue comes straight before ("Awaiting MARAC referral", "Pending referral to MASH";
  not "Awaiting MASH referral outcome": `Vocabulary._awaited`, as `denies` reads it), nor one not sent yet
  or no longer, or governed by a plan (`referral_unmade_cues`,
  `referral_plan_labels`, `Vocabulary._unmade`: "Referral to MASH awaiting manager sign off", "... withdrawn",
  "... being drafted", "Plan: referral to MASH"; not "Referral made to MASH. Plan: review in 2 weeks"). A
  referral its recipient declined was made ("Referral declined by CSC", "Referral to MASH declined":
  `Vocabulary._declined_by_recipient`); the family's decline is none ("Mother declined referral to MASH"). And
  the child's absence denies the child's own examination (`absence_names`: "CP medical -
  child DNA", "CP medical, WNB" are no CP medical). A clause that begins with one of
  `hindsight_cues` ("In hindsight a referral to MASH should have been made", "In retrospect, ...") is
  written after the event and names no escalation (`Vocabulary.hindsight_clauses`), as does one of
  `hindsight_next_cues` straight after the keyword ("A referral to MASH should have been made"; not after a
  comma, "Referred to MASH, should have been sooner", nor in a clause saying it came late,
  `hindsight_late_words`: "referred to MASH should have been sooner"; `Vocabulary._hindsight_after`). A contact type
  listed for an escalation makes the contact that escalation, unless its text names that escalation only
  to say it did not happen ("Strategy discussion was not held", "CP medical: none"; a label's answer
  denies it only when one of `escalation_label_negations`: "Assessment: no concerns", "CP medical: NAD"
  are its outcome, not `label_negations`' denied finding; the question is `denies`'s, below). `denies`
  asks the same of any escalation or contact type ("ICPC postponed", "assessment not started"; also a row
  that only plans it, "ICPC booked for 12/03", but not a participant's absence, "Police unable to attend
  strategy discussion", nor a decision's refusal, "MASH decision: declined"): the rules use it so that a row
  typed as a meeting or an assessment that did not take place is not taken for one.
* `Scope` is the negation scope of one text, also used by `review.timeline.cp_plan_marker` to read a
  child protection conference's outcome.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from numbers import Number
from typing import Mapping

import pandas as pd

from .config import unknown_name_message
from .errors import ConfigError
from .schema import ADULT_ESCALATIONS, AGENCY_KINDS, CONCERN_TAGS, CONTACT_TYPES, ESCALATIONS, join_multi, split_multi

__all__ = [
    "Vocabulary",
    "Phrases",
    "compile_vocab",
    "normalise_text",
    "tokenise",
    "normalise_agency",
    "agency_cell_contact_type",
    "agency_contact_type",
    "classify_contact_type",
    "description_contact_type",
    "file_name_agency",
    "missed_appointment_type",
    "not_brought_tagged",
    "type_cell_contact_type",
    "untyped_contact_type",
    "tag_concerns",
    "detect_escalation",
    "detect_escalations",
    "denies",
    "records_type",
    "Scope",
    "parse_informed_agencies",
    "shared_in_text",
    "informed_reaches",
    "parse_yes_no",
]

_APOSTROPHES = re.compile(r"['’‘]")
_NON_WORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")
_LIST_JOINERS = frozenset({"and", "or", "nor"})
_DEFAULT_WINDOW = 4
_POST_WINDOW = 2
# Clause marks in `Vocabulary.tokens` besides tokenise's "|": a colon or a spaced dash (a label may be
# negated after either, "Bruising: none", "Bruises - not seen") and a break word ("but"). Every mark
# starts with "|", which no word does.
_COLON = "|:"
_DASH = "|-"
_LABEL_MARKS = (_COLON, _DASH)
#: the words before one of `referral_plan_owned_labels` saying whose plan it is ("HV", "Outcome/", "Health
#: visitor"), at most (`Vocabulary._plan_governed`)
_PLAN_OWNER_WORDS = 2
# words that may come between an escalation's label and the post cue answering it ("ICPC - did not go ahead",
# "Strategy discussion: has been cancelled"; `Scope.reached` with label_reach)
#: after a consent refused, a consent to something else ("refused consent for photographs", "... to share")
_CONSENT_OBJECT_LEADS = frozenset({"for", "to"})
_AUXILIARIES = frozenset({"did", "does", "was", "were", "is", "are", "has", "have", "had", "been"})
_BREAK = "|b"
# words that, one or two before an affirmation, make it a plan or a denial, not an account of the meeting held
# ("to be held", "will be held", "has not been held", "never took place", "if it went ahead"; `_affirmed`)
_NOT_AFFIRMING = frozenset({"be", "being", "to", "will", "would", "shall", "not", "never", "no", "if", "unless",
                            "whether", "should", "could", "may", "might", "cannot", "cant", "unable", "yet"})
_EXCEPTED = "|x"  # a word inside a keyword exception ("DNA test"): a word, but never a keyword
#: the marks that end a sentence for `Vocabulary._meeting_absences` (not a dash, a colon or a comma)
_SENTENCE_MARKS = frozenset({"|", _BREAK})
#: injury_adults' genders; a pronoun after an injury ("injury to her lip") and the genders it may refer to
_GENDERS = ("female", "male", "either")
_PRONOUN_GENDERS = {"her": ("female", "either"), "his": ("male", "either"), "their": _GENDERS}
#: the words linking an injury to whom or where it is ("injury to her lip", "injuries to mum", "bruise on his cheek")
_INJURY_LINKS = frozenset({"to", "on", "of", "around", "above", "below", "under", "across", "over"})
_INJURY_DETERMINERS = frozenset({"the", "a", "an", "her", "his", "their", "its"})
#: words at most between a disclosure cue and the blow it tells of ("said his dad (Gary Wren) hit him")
_DISCLOSURE_REACH = 9
_PARTING = frozenset({"|:", "|-", "|b"})
#: a speaker pronoun and the object pronoun naming the speaker ("she said he pushed her": her own account)
_SELF = {"she": "her", "he": "him", "i": "me"}
_JOINERS = frozenset({"and", "&", "plus"})
#: which side of the family a relative is on ("maternal aunt"): passed over as a determiner is (`_adults_injury`)
_KIN_SIDES = frozenset({"maternal", "paternal", "great"})
#: a pronoun inside a self-harm keyword ("cutting her arms", "cut himself") and whose it makes it (`_adults_disclosed`)
_REFLEXIVE_OWNER = {"her": "her", "herself": "her", "his": "his", "himself": "his"}
#: a subject pronoun and the owner pronoun agreeing with it
_SELF_OWNER = {"she": "her", "he": "his"}


def normalise_text(s) -> str:
    """Lower case, apostrophes dropped, other punctuation -> space, whitespace collapsed.

    >>> normalise_text("  Children's  Services (MASH)/A&E ")
    'childrens services mash a e'
    """
    if _blank(s):
        return ""
    return _NON_WORD.sub(" ", _APOSTROPHES.sub("", str(s).lower())).strip()


def _blank(value) -> bool:
    if value is None:
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _word_set(vocab: dict, key: str, where: str = "") -> frozenset:
    """The words of the vocabulary's list `key` (named `where` + `key` in an error), normalised
    (`normalise_text`), blanks left out."""
    return frozenset(w for w in map(normalise_text, _as_list(vocab.get(key), where + key)) if w)


def _as_list(value, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, (list, tuple)):
        raise ConfigError(f"vocabulary {where} must be a list of words")
    if any(isinstance(v, bool) for v in value):
        # YAML reads bare no / yes / on / off as booleans
        raise ConfigError(f"vocabulary {where}: a word was read as true/false; quote words like \"no\" or \"yes\"")
    return [str(v) for v in value if v is not None]


class Phrases:
    """A set of keywords matched as whole words against a token list; longest first at each position.

    Equivalent to one regex alternation over normalised text, but a dict lookup per token instead of
    trying every alternative at every character: this runs on every row.
    """

    def __init__(self, phrases=()):
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in {normalise_text(p) for p in phrases} - {""}:
            words = tuple(phrase.split(" "))
            self._by_first.setdefault(words[0], []).append(words)
        for candidates in self._by_first.values():
            candidates.sort(key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def find(self, tokens: list[str]) -> list[tuple[int, int, str]]:
        """Non-overlapping matches, left to right: (first token, end token exclusive, phrase)."""
        by_first = self._by_first
        if by_first.keys().isdisjoint(tokens):  # most texts name none of the phrases: a check in C
            return []
        found = []
        i, n = 0, len(tokens)
        while i < n:
            candidates = by_first.get(tokens[i])
            if candidates:
                for words in candidates:
                    k = len(words)
                    if k == 1 or tuple(tokens[i : i + k]) == words:
                        found.append((i, i + k, " ".join(words)))
                        i += k
                        break
                else:
                    i += 1
            else:
                i += 1
        return found

    def at(self, tokens: list[str], i: int) -> int:
        """The length in tokens of the longest phrase starting at token `i` (0 when none does)."""
        for words in self._by_first.get(tokens[i], ()) if i < len(tokens) else ():
            if len(words) == 1 or tuple(tokens[i : i + len(words)]) == words:
                return len(words)
        return 0

    def every(self, tokens: list[str]):
        """Every phrase occurring in `tokens`, overlapping ones included (any order, may repeat)."""
        by_first = self._by_first
        for i, token in enumerate(tokens):
            for words in by_first.get(token, ()):
                if len(words) == 1 or tuple(tokens[i : i + len(words)]) == words:
                    yield " ".join(words)


# Clause breaks become "|" tokens and commas "," tokens; every other punctuation mark is a space.
# (str.translate is fastest with one-character replacements, so the spacing is added by replace.)
_CLAUSE = " | "
_TRANSLATE = {ord(c): " " for c in "!\"#$%&*+-./<=>@\\^_`~"}
_TRANSLATE.update({i: " " for i in [*range(32), 127] if chr(i) not in "\t\n\r"})  # control characters
_TRANSLATE.update({ord(c): "|" for c in ";:?!()[]{}|\n\r"})
_TRANSLATE = str.maketrans(_TRANSLATE)
_NON_ASCII = {ord(c): "" for c in "’‘"} | {ord(c): "|" for c in "–—•"}
_NON_ASCII_PUNCTUATION = re.compile(r"[^\w\s|,]+|_+")
# what `Vocabulary.tokens` keeps apart from tokenise's "|": a colon, and a dash that tokenise makes a clause
# break (" - ", an en or em dash)
_MARKS = re.compile(r"(:| - |[–—])")
#: a person's age in brackets after their name ("Chantelle (17) said he pushed her", "Mother (aged 17) states"):
#: read as if absent (`Vocabulary.tokens`), so the brackets do not cut the name off from what it says
_AGE_BRACKET = re.compile(r"(?<=[^\W\d_])\s*\(\s*(?:aged?\s*)?\d{1,2}\s*(?:y(?:ea)?rs?|yo|y/o)?(?:\s*old)?\s*\)",
                          re.IGNORECASE)


def tokenise(text) -> list[str]:
    """Normalised words of `text`, with "|" tokens at clause breaks (. ; : ! ? newline, brackets, a
    spaced dash) and "," tokens at commas. Keywords never contain either, so never match across them."""
    if _blank(text):
        return []
    s = str(text).lower().replace("'", "").replace(". ", _CLAUSE).replace(".\t", _CLAUSE).replace(" - ", _CLAUSE)
    s = s.translate(_TRANSLATE)
    if not s.isascii():
        s = _NON_ASCII_PUNCTUATION.sub(" ", s.translate(_NON_ASCII))
    return s.replace("|", _CLAUSE).replace(",", " , ").split()


# ---------------------------------------------------------------------------------------------------
# The compiled vocabulary
# ---------------------------------------------------------------------------------------------------
@dataclass
class Vocabulary:
    """A vocab.yml mapping compiled for fast matching. Build with `compile_vocab`."""

    raw: Mapping
    agencies: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # normalised alias -> triple
    agency_kinds: list[tuple[str, Phrases]] = field(default_factory=list)
    # agency_kinds keywords that name the body an agency belongs to, not what it does ("local authority",
    # "council"): they give a name its kind only when no other keyword is in it (`agency_kind_generic`)
    agency_kind_generic: frozenset = frozenset()
    contact_types: list[str] = field(default_factory=list)  # vocabulary order
    contact_type_keywords: Phrases = field(default_factory=Phrases)
    contact_type_rank: dict[str, int] = field(default_factory=dict)  # keyword -> first type's position
    # the reading of a description's type (`_description_contact_type`): the keywords read in a type cell only,
    # the cues after which a keyword names another event, and the types a following letter keyword is about
    contact_type_cell_words: frozenset = frozenset()
    contact_type_context_cues: Phrases = field(default_factory=Phrases)
    # the cues after which every keyword of the clause is an event another agency told of (`contact_type_reported_cues`)
    contact_type_reported_cues: Phrases = field(default_factory=Phrases)
    contact_type_letter_subjects: frozenset = frozenset()
    # a letter or report another agency sent (`received_letter_*`): the escalations its description names are the
    # sender's (`detect_escalations`)
    received_letter_types: frozenset = frozenset()
    received_letter_cues: Phrases = field(default_factory=Phrases)
    received_letter_within: int = 3
    # an agency whose name says what its contacts are (`agency_contact_types`): (type, its agency words, the types
    # its rows' descriptions name that are read as that type, the types its outcome is read for)
    agency_contact_types: list = field(default_factory=list)
    # an agency's own words for its contacts in a type cell (`agency_type_cells`): (type, its agency words, its
    # agency kinds, the cell words)
    agency_type_cells: list = field(default_factory=list)
    # cells of a type in any agency's row (`agency_type_cells`' `any_agency_cells`: "ED" of a GP's row): (type, the
    # cell words, the words of the agencies whose rows they are not read in)
    any_agency_type_cells: list = field(default_factory=list)
    # words of agency names that are also people's names ("ED", but "Ed Smith GP"), and the titles before a
    # person's name (`agency_name_people`; `agency_tokens`)
    agency_people_words: frozenset = frozenset()
    agency_people_titles: frozenset = frozenset()
    missed_attendance_types: frozenset = frozenset()  # the types an Attended "No" makes a missed appointment
    missed_appointment_types: frozenset = frozenset()  # the types a was_not_brought tag makes a missed appointment
    concerns: Phrases = field(default_factory=Phrases)
    concern_tags: dict[str, tuple[str, ...]] = field(default_factory=dict)  # normalised keyword -> tags
    escalations: Phrases = field(default_factory=Phrases)
    escalation_keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    escalation_types: list[tuple[str, frozenset]] = field(default_factory=list)
    # (escalation, its `recorded_keywords`): words recording it taking place unless the text denies it (vocab.yml
    # escalations: "Strategy discussion with CSC" on an arrest row)
    recorded_escalations: tuple[tuple[str, "Phrases"], ...] = ()
    cues: Phrases = field(default_factory=Phrases)
    post_cues: Phrases = field(default_factory=Phrases)
    pseudo: Phrases = field(default_factory=Phrases)
    breaks: Phrases = field(default_factory=Phrases)
    exceptions: Phrases = field(default_factory=Phrases)
    # phrases that contain a concern keyword but name no concern ("not seen alone": the child was seen),
    # blanked for the concern search only (`concern_keyword_exceptions`; a sighting cue may still read them)
    concern_exceptions: Phrases = field(default_factory=Phrases)
    escalation_cues: Phrases = field(default_factory=Phrases)  # negation_cues + escalation_negation_cues
    escalation_post_cues: Phrases = field(default_factory=Phrases)
    escalation_next_cues: Phrases = field(default_factory=Phrases)  # straight after the keyword only
    escalation_last_cues: Phrases = field(default_factory=Phrases)  # straight after it, ending the clause
    escalation_breaks: Phrases = field(default_factory=Phrases)  # end an escalation negation's scope
    label_negations: Phrases = field(default_factory=Phrases)  # answers after a label's colon that deny it
    label_tails: frozenset = frozenset()  # words that may follow such an answer ("none seen *on* examination")
    escalation_label_negations: Phrases = field(default_factory=Phrases)  # such answers after an escalation
    finding_keywords: frozenset = frozenset()  # concern keywords naming a finding seen on the body (finding_concerns)
    finding_tags: frozenset = frozenset()  # finding_concerns: the injuries
    finding_words: Phrases = field(default_factory=Phrases)  # words naming one without being a concern ("marks")
    finding_negations: Phrases = field(default_factory=Phrases)  # answers denying one straight after ("not seen")
    finding_earlier: frozenset = frozenset()  # words after such an answer naming an earlier occasion ("last")
    # whose injury (`_adults_injury`): adult person words -> "female", "male" or "either", and their possessives
    injury_adults: dict = field(default_factory=dict)
    # an injury named only as what something is judged consistent with (`_judged_injury`)
    injury_judgements: Phrases = field(default_factory=Phrases)  # "consistent with", "in keeping with"
    injury_judgement_between: frozenset = frozenset()  # words between them and the injury ("an", "accidental")
    injury_judged_words: frozenset = frozenset()  # the keywords so read ("injury", "injuries")
    injury_adult_possessives: dict = field(default_factory=dict)  # "mothers" (mother's) -> "female"
    injury_child_words: frozenset = frozenset()  # person words that may be the child ("baby", "he", "her")
    injury_report_words: frozenset = frozenset()  # "reports", "brought": the adult tells of the injury
    injury_self_report_words: frozenset = frozenset()  # "disclosed", "admitted": the adult tells of her own
    # the adult passes on evidence of the injury ("aunt with photographs of bruises", "grandmother sent photos of
    # bruising"): tells of it, as a report word does, unless a comma parts them (`_adults_injury`)
    injury_evidence_words: frozenset = frozenset()
    # what an adult "from" the referral or call is the source of ("referral from maternal aunt with bruises"):
    # the adult tells of the injury (`_adults_injury`)
    injury_source_words: frozenset = frozenset()
    # the words that may stand between an adult's disclosure word and a self-harm keyword she discloses as her own
    # ("Mum disclosed she has been cutting her arms": `_adults_disclosed`); a name (the child's) is none of them
    self_report_between: frozenset = frozenset()
    # whose self-harm or missing episode (`_adults_concern`): concern keyword -> the tags an adult's is read as
    adults_concern_keywords: dict = field(default_factory=dict)
    adults_only_keywords: frozenset = frozenset()  # concern keywords that are one only when an adult's
    adults_concern_patients: frozenset = frozenset()  # "seen", "reviewed": "Sian seen, overdose ..." (`_adult_subject`)
    # injuries an adult's self-harm leaves ("cuts", "lacerations"): after the adult's self-harm in its sentence
    # they are the adult's too ("Mum says she self-harmed last night, cuts to arms"; `_adults_self_harm_injury`)
    self_harm_injuries: frozenset = frozenset()
    disclosure_cues: Phrases = field(default_factory=Phrases)  # "said", "disclosed" (`_disclosed_hit`)
    disclosure_hits: Phrases = field(default_factory=Phrases)  # "hit him", "slapped her"
    disclosure_peers: frozenset = frozenset()  # "child", "brother": a blow by another child is no abuse by a carer
    disclosure_objects: frozenset = frozenset()  # "toy", "door": a blow by a thing is an account of an accident
    # (s20) a child's words of fear of an adult ("scared of Gary", "frightened of mum's boyfriend"): the fear
    # words, the words allowed between them and the adult, and the concern tag it is read as (`_fear_of_adult`)
    fear_words: Phrases = field(default_factory=Phrases)
    fear_between: frozenset = frozenset()
    fear_tag: str = ""
    sharing_cues: Phrases = field(default_factory=Phrases)  # "shared with", "info passed to" (`shared_in_text`)
    sharing_post_cues: Phrases = field(default_factory=Phrases)  # "SW informed", "GP made aware"
    sharing_negations: frozenset = frozenset()  # "not", "unable": "not shared with", "unable to share"
    sharing_stops: frozenset = frozenset()  # "that", "about": the recipients named before them ("informed mum that HV ...")
    # "school", "surgery": recipient words that may name another agency of the row's own kind ("shared with new
    # school"), read as a recipient even in that kind's own records (`shared_in_text`'s `own`)
    sharing_other_agency_words: frozenset = frozenset()
    sharing_recipients: dict = field(default_factory=dict)  # recipient word -> its label ("sw" -> "Children's social care")
    _sharing_words: Phrases = field(default_factory=Phrases)  # the recipient words
    sharing_reach: dict = field(default_factory=dict)  # label -> (agency kinds, agency name words) it reaches
    # (s21) "the", "allocated": words before a recipient's role ("Kerry Holt (allocated SW)": `recipient_role`)
    recipient_role_qualifiers: frozenset = frozenset()
    _role_cache: dict = field(default_factory=dict)  # recipient name as written -> its role's label (or None)
    escalation_denials: dict[str, Phrases] = field(default_factory=dict)  # escalation -> its keywords and types'
    hindsight: Phrases = field(default_factory=Phrases)  # `hindsight_cues`: a clause they begin names no escalation
    hindsight_next: Phrases = field(default_factory=Phrases)  # `hindsight_next_cues`: straight after, names none
    hindsight_late: Phrases = field(default_factory=Phrases)  # `hindsight_late_words`: ... unless done late
    denial_extra: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name -> its `denial_words` (vocab.yml)
    _denials: dict = field(default_factory=dict)  # `denial_phrases`, per name
    # read by `denies` only (module docstring): a row that only plans or awaits the meeting ("ICPC booked",
    # "awaiting strategy discussion", "assessment pending"), a participant's absence ("Police unable to
    # attend strategy discussion"), a decision's outcome ("MASH decision: declined") and a later clause
    # saying it took place after all ("ICPC postponed to 3rd, held on 3rd")
    plan_cues: Phrases = field(default_factory=Phrases)
    plan_post_cues: Phrases = field(default_factory=Phrases)
    plan_next_cues: Phrases = field(default_factory=Phrases)
    plan_last_cues: Phrases = field(default_factory=Phrases)
    attendance_negations: Phrases = field(default_factory=Phrases)
    denial_outcomes: dict[str, frozenset] = field(default_factory=dict)  # name -> cues that are its outcome
    affirmations: Phrases = field(default_factory=Phrases)
    denial_cues: tuple = ()  # (before, after, straight after): the escalation cues with the plan cues
    denial_last_cues: Phrases = field(default_factory=Phrases)  # straight after, ending the clause: both kinds
    name_affirmations: dict[str, Phrases] = field(default_factory=dict)  # name -> affirmations + its own
    affirmation_exceptions: Phrases = field(default_factory=Phrases)  # "held in abeyance": no affirmation
    plan_objects: frozenset = frozenset()  # "awaiting ICPC minutes": a plan cue before awaits the record
    absence_names: frozenset = frozenset()  # the child's examinations: the child's absence is theirs
    absence_subjects: frozenset = frozenset()  # words naming the child before an absence cue
    absence_cues: Phrases = field(default_factory=Phrases)  # "did not attend", "was not brought", "WNB"
    consent_refusals: Phrases = field(default_factory=Phrases)  # "refused consent": no examination of the child
    unconcerned: Phrases = field(default_factory=Phrases)  # "no concerns re": no denial of a finding on the body
    plan_escalations: frozenset = frozenset()  # escalations a plan straight after their keywords denies
    plan_after: Phrases = field(default_factory=Phrases)  # plan_post_cues + plan_next_cues, for plan_escalations
    plan_escalation_exceptions: Phrases = field(default_factory=Phrases)  # "booked in": no plan of a referral
    plan_escalation_objects: frozenset = frozenset()  # "pending outcome": a referral made awaits its answer
    plan_escalation_types: frozenset = frozenset()  # contact types `denies` reads with those two (referral)
    absence_keywords: frozenset = frozenset()  # escalation keywords naming only absence_names
    referral_unmade: Phrases = field(default_factory=Phrases)  # "awaiting sign off", "withdrawn": not sent (`_unmade`)
    referral_plan_labels: Phrases = field(default_factory=Phrases)  # "Plan:": a referral in its answer is a plan
    referral_plan_done: frozenset = frozenset()  # "referred", "made": the plan's referral was done
    referral_plan_owned: Phrases = field(default_factory=Phrases)  # "HV plan:": a plan label after whose plan it is
    referral_withdrawn: Phrases = field(default_factory=Phrases)  # "withdrawn", "cancelled": made, then withdrawn
    referral_declines: Phrases = field(default_factory=Phrases)  # "declined", "rejected" (by the recipient: made)
    referral_recipients: Phrases = field(default_factory=Phrases)  # "CSC", "MASH": who answers a referral
    referral_passive_declines: frozenset = frozenset()  # "Referral to MASH declined": the recipient's (not "refused")
    plan_keywords: frozenset = frozenset()  # escalation keywords naming only plan_escalations
    negation_window: int = _DEFAULT_WINDOW
    _token_cache: dict = field(default_factory=dict)
    _agency_cache: dict = field(default_factory=dict)
    _type_cache: dict = field(default_factory=dict)
    _tablets: tuple | None = None  # (min, verbs, objects) of self_harm_tablets (`counted_tablets`)
    _weight_drop: tuple | None = None  # (words as token tuples, units) of weight_drop (`stated_weight_drop`)
    _reported: tuple | None = None  # reported_symptoms compiled (`reported_not_observed`)
    _staff_handling: tuple | None = None  # (staff, acts as token tuples, not_between, names_between) (`stated_staff_handling`)
    _explained: tuple | None = None  # (keywords, injury tags) of self_inflicted_explanations (`_explained_self_inflicted`)
    _meeting_absence: tuple | None = None  # (absences, meetings) of parent_meeting_absences (`_meeting_absences`)
    _letter_rank: int = -1  # the position of the `letter` contact type (-1 without one)
    _appetite: tuple | None = None  # (keywords, speech, eating, qualifiers, reach) of `appetite` (`_appetites`)
    _not_brought: tuple | None = None  # (objects, words, auxiliaries) of `not_brought_objects` (`_objects_not_brought`)
    _emergency_calls: tuple | None = None  # (words, agency kinds) of `emergency_call_words` (`emergency_call_type`)
    _sharing_referral_cues: Phrases | None = None  # `sharing_referral_cues` (`shared_in_text`)
    _place_names: re.Pattern | None = None  # a place's name before a social-care destination (`_drop_place_names`)

    @classmethod
    def from_dict(cls, vocab: Mapping) -> Vocabulary:
        if not isinstance(vocab, Mapping):
            raise ConfigError("a vocabulary must be a mapping (vocab.yml)")
        out = cls(raw=vocab)
        people = vocab.get("agency_name_people") or {}
        if not isinstance(people, Mapping):
            raise ConfigError("vocabulary agency_name_people must be a mapping (words, titles)")
        out.agency_people_words = _word_set(people, "words", "agency_name_people.")
        out.agency_people_titles = _word_set(people, "titles", "agency_name_people.")

        for kind, words in (vocab.get("agency_kinds") or {}).items():
            if kind not in AGENCY_KINDS:
                raise ConfigError(f"vocabulary agency_kinds: unknown kind {kind!r} (one of {', '.join(AGENCY_KINDS)})")
            out.agency_kinds.append((kind, Phrases(_as_list(words, f"agency_kinds.{kind}"))))
        out.agency_kind_generic = _word_set(vocab, "agency_kind_generic")

        for name, entry in (vocab.get("agencies") or {}).items():
            entry = entry or {}
            if not isinstance(entry, Mapping):
                raise ConfigError(f"vocabulary agencies.{name} must be a mapping (aliases, kind, organisation)")
            name = " ".join(str(name).split())
            kind = entry.get("kind") or out._kind_of(name)
            if kind not in AGENCY_KINDS:
                raise ConfigError(f"vocabulary agencies.{name}: unknown kind {kind!r}")
            triple = (name, kind, " ".join(str(entry.get("organisation") or name).split()))
            for alias in [name, *_as_list(entry.get("aliases"), f"agencies.{name}.aliases")]:
                key = normalise_text(alias)
                if key and out.agencies.get(key, triple) != triple:
                    raise ConfigError(f"vocabulary agencies: alias {alias!r} names two agencies")
                if key:
                    out.agencies[key] = triple
        out._place_names = _place_name_pattern(vocab, out)
        referral_cues = Phrases(_as_list(vocab.get("sharing_referral_cues"), "sharing_referral_cues"))
        out._sharing_referral_cues = referral_cues or None
        objects = Phrases(_as_list(vocab.get("not_brought_objects"), "not_brought_objects"))
        if objects:
            out._not_brought = (objects, Phrases(_as_list(vocab.get("not_brought_words"), "not_brought_words")),
                                Phrases(_as_list(vocab.get("not_brought_auxiliaries"), "not_brought_auxiliaries")))
        calls = vocab.get("emergency_call_words")
        if calls:
            if not isinstance(calls, Mapping):
                raise ConfigError("vocabulary emergency_call_words must be a mapping (words, kinds)")
            kinds = frozenset(_as_list(calls.get("kinds"), "emergency_call_words.kinds"))
            unknown = kinds - set(AGENCY_KINDS)
            if unknown:
                raise ConfigError(f"vocabulary emergency_call_words.kinds: unknown kind {sorted(unknown)[0]!r}")
            out._emergency_calls = (Phrases(_as_list(calls.get("words"), "emergency_call_words.words")), kinds)
        appetite = vocab.get("appetite")
        if appetite:
            if not isinstance(appetite, Mapping):
                raise ConfigError("vocabulary appetite must be a mapping (keywords, speech, eating, qualifiers, reach)")
            parts = [Phrases(_as_list(appetite.get(k), f"appetite.{k}")) for k in ("keywords", "speech", "eating",
                                                                                 "qualifiers")]
            reach = appetite.get("reach", 6)
            if not isinstance(reach, int) or isinstance(reach, bool) or reach < 1:
                raise ConfigError("vocabulary appetite.reach must be a whole number of words, at least 1")
            out._appetite = (*parts, reach) if parts[0] and parts[1] and parts[2] else None

        for rank, (contact_type, words) in enumerate((vocab.get("contact_types") or {}).items()):
            if contact_type not in CONTACT_TYPES:
                raise ConfigError(f"vocabulary contact_types: {unknown_name_message(contact_type, 'contact type', CONTACT_TYPES)}")
            out.contact_types.append(contact_type)
            for word in _as_list(words, f"contact_types.{contact_type}"):
                out.contact_type_rank.setdefault(normalise_text(word), rank)
        out.contact_type_rank.pop("", None)
        out.contact_type_keywords = Phrases(out.contact_type_rank)
        out._letter_rank = out.contact_types.index("letter") if "letter" in out.contact_types else -1
        out.contact_type_cell_words = frozenset(
            w for w in map(normalise_text, _as_list(vocab.get("contact_type_cell_words"), "contact_type_cell_words")) if w)
        out.contact_type_context_cues = Phrases(
            _as_list(vocab.get("contact_type_context_cues"), "contact_type_context_cues"))
        out.contact_type_reported_cues = Phrases(
            _as_list(vocab.get("contact_type_reported_cues"), "contact_type_reported_cues"))
        out.received_letter_types = frozenset(_as_list(vocab.get("received_letter_types"), "received_letter_types"))
        for name in out.received_letter_types:
            if name not in CONTACT_TYPES:
                raise ConfigError(f"vocabulary received_letter_types: {unknown_name_message(name, 'contact type', CONTACT_TYPES)}")
        out.received_letter_cues = Phrases(_as_list(vocab.get("received_letter_cues"), "received_letter_cues"))
        within = vocab.get("received_letter_within", 3)
        if not isinstance(within, int) or isinstance(within, bool) or within < 0:
            raise ConfigError(f"vocabulary received_letter_within must be a whole number >= 0, got {within!r}")
        out.received_letter_within = within
        subjects = _as_list(vocab.get("contact_type_letter_subjects"), "contact_type_letter_subjects")
        for name in subjects:
            if name not in CONTACT_TYPES:
                raise ConfigError(f"vocabulary contact_type_letter_subjects: {unknown_name_message(name, 'contact type', CONTACT_TYPES)}")
        out.contact_type_letter_subjects = frozenset(subjects)
        missed = _as_list(vocab.get("missed_attendance_types"), "missed_attendance_types")
        for name in missed:
            if name not in CONTACT_TYPES:
                raise ConfigError(f"vocabulary missed_attendance_types: {unknown_name_message(name, 'contact type', CONTACT_TYPES)}")
        out.missed_attendance_types = frozenset(missed)
        missed = _as_list(vocab.get("missed_appointment_types"), "missed_appointment_types")
        for name in missed:
            if name not in CONTACT_TYPES:
                raise ConfigError(f"vocabulary missed_appointment_types: {unknown_name_message(name, 'contact type', CONTACT_TYPES)}")
        out.missed_appointment_types = frozenset(missed)
        for contact_type, entry in (vocab.get("agency_contact_types") or {}).items():
            where = f"agency_contact_types.{contact_type}"
            if not isinstance(entry, Mapping):
                raise ConfigError(f"vocabulary {where} must be a mapping (agencies, within, outcomes)")
            named = [contact_type]
            for key in ("within", "outcomes"):
                named += _as_list(entry.get(key), f"{where}.{key}")
            for name in named:
                if name not in CONTACT_TYPES:
                    raise ConfigError(f"vocabulary {where}: {unknown_name_message(name, 'contact type', CONTACT_TYPES)}")
            out.agency_contact_types.append((
                contact_type, Phrases(_as_list(entry.get("agencies"), f"{where}.agencies")),
                frozenset(_as_list(entry.get("within"), f"{where}.within")),
                frozenset(_as_list(entry.get("outcomes"), f"{where}.outcomes"))))
        for contact_type, entry in (vocab.get("agency_type_cells") or {}).items():
            where = f"agency_type_cells.{contact_type}"
            if not isinstance(entry, Mapping):
                raise ConfigError(f"vocabulary {where} must be a mapping (agencies, kinds, cells)")
            if contact_type not in CONTACT_TYPES:
                raise ConfigError(f"vocabulary {where}: {unknown_name_message(contact_type, 'contact type', CONTACT_TYPES)}")
            kinds = _as_list(entry.get("kinds"), f"{where}.kinds")
            for kind in kinds:
                if kind not in AGENCY_KINDS:
                    raise ConfigError(f"vocabulary {where}.kinds: unknown kind {kind!r} (one of {', '.join(AGENCY_KINDS)})")
            # the agency words of agency_contact_types' entry of the same type are this entry's too: written once
            own = (vocab.get("agency_contact_types") or {}).get(contact_type)
            shared = _as_list(own.get("agencies"), f"agency_contact_types.{contact_type}.agencies") \
                if isinstance(own, Mapping) else []
            out.agency_type_cells.append((
                contact_type, Phrases(shared + _as_list(entry.get("agencies"), f"{where}.agencies")),
                frozenset(kinds), Phrases(_as_list(entry.get("cells"), f"{where}.cells")),
                frozenset(" ".join(w.split()) for w in map(normalise_text, _as_list(
                    entry.get("whole_cells"), f"{where}.whole_cells")) if w)))
            anywhere = _as_list(entry.get("any_agency_cells"), f"{where}.any_agency_cells")
            if anywhere:
                out.any_agency_type_cells.append((
                    contact_type, Phrases(anywhere),
                    Phrases(_as_list(entry.get("any_agency_except"), f"{where}.any_agency_except"))))

        concern_tags: dict[str, set[str]] = {}
        for tag, words in (vocab.get("concerns") or {}).items():
            if tag not in CONCERN_TAGS:
                raise ConfigError(f"vocabulary concerns: {unknown_name_message(tag, 'concern tag', CONCERN_TAGS)}")
            for word in _as_list(words, f"concerns.{tag}"):
                if normalise_text(word):
                    concern_tags.setdefault(normalise_text(word), set()).add(tag)
        out.concern_tags = {k: tuple(sorted(v)) for k, v in concern_tags.items()}
        out.concerns = Phrases(out.concern_tags)

        escalation_keywords: dict[str, set[str]] = {}
        for escalation, entry in (vocab.get("escalations") or {}).items():
            if escalation not in ESCALATIONS:
                raise ConfigError(f"vocabulary escalations: {unknown_name_message(escalation, 'escalation', ESCALATIONS)}")
            entry = entry or {}
            types = frozenset(_as_list(entry.get("contact_types"), f"escalations.{escalation}.contact_types"))
            unknown = types - set(CONTACT_TYPES)
            if unknown:
                raise ConfigError(f"vocabulary escalations.{escalation}: unknown contact types {sorted(unknown)}")
            out.escalation_types.append((escalation, types))
            recorded = [w for w in map(normalise_text, _as_list(entry.get("recorded_keywords"),
                                                                f"escalations.{escalation}.recorded_keywords")) if w]
            if recorded:
                out.recorded_escalations += ((escalation, Phrases(recorded)),)
            for word in _as_list(entry.get("keywords"), f"escalations.{escalation}.keywords"):
                if normalise_text(word):
                    escalation_keywords.setdefault(normalise_text(word), set()).add(escalation)
        out.escalation_keywords = {k: tuple(sorted(v)) for k, v in escalation_keywords.items()}
        out.escalations = Phrases(out.escalation_keywords)

        out.cues = Phrases(_as_list(vocab.get("negation_cues"), "negation_cues"))
        out.post_cues = Phrases(_as_list(vocab.get("negation_post_cues"), "negation_post_cues"))
        out.pseudo = Phrases(_as_list(vocab.get("negation_pseudo"), "negation_pseudo"))
        out.breaks = Phrases(_as_list(vocab.get("negation_breaks"), "negation_breaks"))
        # (s21) a concern keyword with a break word inside ("symptoms reported but not observed") is found as the
        # tokens read it, the break word a "|b" token (`tokens`): the keyword is one clause, not two
        single_breaks = {w for w in map(normalise_text, _as_list(vocab.get("negation_breaks"), "negation_breaks"))
                         if w and " " not in w}
        for keyword, tags in list(out.concern_tags.items()):
            words = keyword.split(" ")
            if len(words) > 1 and not single_breaks.isdisjoint(words[1:-1]):
                read = tuple(_BREAK if w in single_breaks else w for w in words)
                out.concern_tags[" ".join(read)] = tags
                out.concerns._by_first.setdefault(read[0], []).append(read)
                out.concerns._by_first[read[0]].sort(key=len, reverse=True)
        out.exceptions = Phrases(_as_list(vocab.get("keyword_exceptions"), "keyword_exceptions"))
        out.concern_exceptions = Phrases(_as_list(vocab.get("concern_keyword_exceptions") or [],
                                                  "concern_keyword_exceptions"))
        out.escalation_cues = Phrases(
            _as_list(vocab.get("negation_cues"), "negation_cues")
            + _as_list(vocab.get("escalation_negation_cues"), "escalation_negation_cues")
        )
        out.escalation_post_cues = Phrases(
            _as_list(vocab.get("negation_post_cues"), "negation_post_cues")
            + _as_list(vocab.get("escalation_negation_post_cues"), "escalation_negation_post_cues")
        )
        out.escalation_next_cues = Phrases(_as_list(vocab.get("escalation_negation_next_cues"),
                                                    "escalation_negation_next_cues"))
        out.escalation_last_cues = Phrases(_as_list(vocab.get("escalation_negation_last_cues"),
                                                    "escalation_negation_last_cues"))
        out.escalation_breaks = Phrases(_as_list(vocab.get("escalation_negation_breaks"), "escalation_negation_breaks"))
        out.hindsight = Phrases(_as_list(vocab.get("hindsight_cues"), "hindsight_cues"))
        out.hindsight_next = Phrases(_as_list(vocab.get("hindsight_next_cues"), "hindsight_next_cues"))
        out.hindsight_late = Phrases(_as_list(vocab.get("hindsight_late_words"), "hindsight_late_words"))
        out.label_negations = Phrases(_as_list(vocab.get("label_negations"), "label_negations"))
        out.escalation_label_negations = Phrases(_as_list(vocab.get("escalation_label_negations"),
                                                          "escalation_label_negations")) \
            if "escalation_label_negations" in vocab else out.label_negations
        out.label_tails = frozenset(normalise_text(w) for w in _as_list(vocab.get("label_negation_tails"),
                                                                       "label_negation_tails")) - {""}
        finding_concerns = set(_as_list(vocab.get("finding_concerns"), "finding_concerns"))
        unknown = finding_concerns - set(CONCERN_TAGS)
        if unknown:
            raise ConfigError(f"vocabulary finding_concerns: unknown concern tags {sorted(unknown)}")
        out.finding_keywords = frozenset(k for k, tags in out.concern_tags.items() if finding_concerns.intersection(tags))
        out.finding_tags = frozenset(finding_concerns)
        out.finding_words = Phrases(_as_list(vocab.get("finding_words"), "finding_words"))
        out.finding_negations = Phrases(_as_list(vocab.get("finding_negations"), "finding_negations"))
        out.finding_earlier = frozenset(normalise_text(w) for w in _as_list(vocab.get("finding_earlier_words"),
                                                                           "finding_earlier_words")) - {""}
        out.injury_judgements = Phrases(_as_list(vocab.get("injury_judgements"), "injury_judgements"))
        out.injury_judgement_between = frozenset(normalise_text(w) for w in _as_list(
            vocab.get("injury_judgement_between"), "injury_judgement_between")) - {""}
        out.injury_judged_words = frozenset(normalise_text(w) for w in _as_list(
            vocab.get("injury_judged_words"), "injury_judged_words")) - {""}
        adults = vocab.get("injury_adults") or {}
        if not isinstance(adults, Mapping) or set(adults) - set(_GENDERS):
            raise ConfigError(f"vocabulary injury_adults must be a mapping of {', '.join(_GENDERS)} to words, got {adults!r}")
        for gender in _GENDERS:  # a word listed under two genders is read as listed last ("either" last)
            for word in map(normalise_text, _as_list(adults.get(gender), f"injury_adults.{gender}")):
                if word:
                    out.injury_adults[word] = gender
        out.injury_adult_possessives = {word + "s": gender for word, gender in out.injury_adults.items()}
        out.injury_child_words = _word_set(vocab, "injury_child_words")
        out.injury_report_words = _word_set(vocab, "injury_report_words")
        out.injury_self_report_words = _word_set(vocab, "injury_self_report_words")
        out.injury_evidence_words = _word_set(vocab, "injury_evidence_words")
        out.injury_source_words = _word_set(vocab, "injury_source_words")
        out.self_report_between = _word_set(vocab, "adults_self_report_between")
        owned = vocab.get("adults_concerns") or {}
        if not isinstance(owned, Mapping):
            raise ConfigError(f"vocabulary adults_concerns must be a mapping (concern tag: [tags an adult's is read as]), got {owned!r}")
        kept = _word_set(vocab, "adults_concern_exceptions")
        # (s21) a tag of which only some keywords may be an adult's (exploitation: a parent "arrested for PWITS" is
        # the parent's offence; "older males", "groomed" stay the child's whoever the clause names)
        only = vocab.get("adults_concern_only_keywords") or {}
        if not isinstance(only, Mapping):
            raise ConfigError(f"vocabulary adults_concern_only_keywords must be a mapping (concern tag: [keywords]), got {only!r}")
        only = {str(tag): frozenset(map(normalise_text, _as_list(words, f"adults_concern_only_keywords.{tag}")))
                for tag, words in only.items()}
        for tag, instead in owned.items():
            instead = tuple(_as_list(instead, f"adults_concerns.{tag}"))
            unknown = ({tag} | set(instead)) - set(CONCERN_TAGS)
            if unknown:
                raise ConfigError(f"vocabulary adults_concerns: unknown concern tags {sorted(unknown)}")
            for keyword, tags in out.concern_tags.items():
                # a keyword naming the parent already ("mother self harmed": parental_mental_health) is not one
                if tag in tags and keyword not in kept and keyword not in out.finding_keywords and len(tags) == 1 \
                        and (tag not in only or keyword in only[tag]):
                    out.adults_concern_keywords[keyword] = instead
        out.adults_only_keywords = _word_set(vocab, "adults_only_keywords")
        out.adults_concern_patients = _word_set(vocab, "adults_concern_patient_words")
        out.self_harm_injuries = _word_set(vocab, "self_harm_injury_words")
        unknown = sorted(out.adults_only_keywords - set(out.concern_tags))
        if unknown:
            raise ConfigError(f"vocabulary adults_only_keywords: not concern keywords {unknown}")
        out.disclosure_cues = Phrases(_as_list(vocab.get("disclosure_cues"), "disclosure_cues"))
        out.disclosure_hits = Phrases(_as_list(vocab.get("disclosure_hits"), "disclosure_hits"))
        out.disclosure_peers = _word_set(vocab, "disclosure_peers")
        out.disclosure_objects = _word_set(vocab, "disclosure_objects")
        fear = vocab.get("fear_of_adult") or {}
        if not isinstance(fear, dict):
            raise ConfigError(f"vocabulary fear_of_adult must be a mapping (words, between, tag), got {fear!r}")
        out.fear_words = Phrases(_as_list(fear.get("words") or [], "fear_of_adult.words"))
        out.fear_between = frozenset(map(normalise_text, _as_list(fear.get("between") or [], "fear_of_adult.between")))
        out.fear_tag = str(fear.get("tag") or "")
        if out.fear_words and out.fear_tag not in set(t for tags in out.concern_tags.values() for t in tags):
            raise ConfigError(f"vocabulary fear_of_adult.tag: not a concern tag {out.fear_tag!r}")
        out.sharing_cues = Phrases(_as_list(vocab.get("sharing_cues"), "sharing_cues"))
        out.sharing_post_cues = Phrases(_as_list(vocab.get("sharing_post_cues"), "sharing_post_cues"))
        out.sharing_negations = _word_set(vocab, "sharing_negations")
        out.sharing_stops = _word_set(vocab, "sharing_stops")
        out.sharing_other_agency_words = _word_set(vocab, "sharing_other_agency_words")
        out.recipient_role_qualifiers = _word_set(vocab, "recipient_role_qualifiers")
        recipients = vocab.get("sharing_recipients") or {}
        if not isinstance(recipients, Mapping):
            raise ConfigError(f"vocabulary sharing_recipients must be a mapping of a label to its words, got {recipients!r}")
        for label, spec in recipients.items():
            words = spec.get("words") if isinstance(spec, Mapping) else spec
            for word in map(normalise_text, _as_list(words, f"sharing_recipients.{label}")):
                if word:
                    out.sharing_recipients[word] = str(label)
            spec = spec if isinstance(spec, Mapping) else {}
            kinds = frozenset(_as_list(spec.get("kinds"), f"sharing_recipients.{label}.kinds"))
            names = tuple(w for w in map(normalise_text, _as_list(spec.get("names"), f"sharing_recipients.{label}.names")) if w)
            out.sharing_reach[str(label)] = (kinds, re.compile(
                r"(?<!\S)(?:" + "|".join(map(re.escape, names)) + r")") if names else None)
        out._sharing_words = Phrases(tuple(out.sharing_recipients))
        type_keywords: dict[str, list[str]] = {}
        for keyword, rank in out.contact_type_rank.items():
            type_keywords.setdefault(out.contact_types[rank], []).append(keyword)
        for escalation, types in out.escalation_types:
            if types:
                words = [k for k, kinds in out.escalation_keywords.items() if escalation in kinds]
                words += [k for t in sorted(types) for k in type_keywords.get(t, [])]
                out.escalation_denials[escalation] = Phrases(words)
        denial_words = vocab.get("denial_words") or {}
        if not isinstance(denial_words, Mapping):
            raise ConfigError(f"vocabulary denial_words must be a mapping (name: [words]), got {denial_words!r}")
        for name, words in denial_words.items():
            if name not in CONTACT_TYPES and name not in ESCALATIONS:
                raise ConfigError(f"vocabulary denial_words: unknown contact type or escalation {name!r}")
            out.denial_extra[name] = tuple(w for w in map(normalise_text, _as_list(words, f"denial_words.{name}")) if w)
        for key in ("plan_cues", "plan_post_cues", "plan_next_cues", "plan_last_cues", "attendance_negations",
                    "affirmations", "affirmation_exceptions"):
            setattr(out, key, Phrases(_as_list(vocab.get(key), key)))
        out.plan_objects = frozenset(w for w in map(normalise_text, _as_list(vocab.get("plan_objects"), "plan_objects"))
                                     if w)
        out.absence_names = frozenset(_as_list(vocab.get("absence_names"), "absence_names"))
        out.absence_subjects = _word_set(vocab, "absence_subjects")
        out.absence_cues = Phrases(_as_list(vocab.get("absence_cues"), "absence_cues"))
        out.consent_refusals = Phrases(_as_list(vocab.get("consent_refusals"), "consent_refusals"))
        out.unconcerned = Phrases(_as_list(vocab.get("unconcerned_cues"), "unconcerned_cues"))
        out.plan_escalations = frozenset(_as_list(vocab.get("plan_escalations"), "plan_escalations"))
        unknown = out.plan_escalations - set(ESCALATIONS)
        if unknown:
            raise ConfigError(f"vocabulary plan_escalations: unknown escalations {sorted(unknown)}")
        out.plan_after = Phrases(_as_list(vocab.get("plan_post_cues"), "plan_post_cues")
                                 + _as_list(vocab.get("plan_next_cues"), "plan_next_cues"))
        out.plan_escalation_exceptions = Phrases(_as_list(vocab.get("plan_escalation_exceptions"),
                                                          "plan_escalation_exceptions"))
        out.plan_escalation_objects = _word_set(vocab, "plan_escalation_objects")
        out.plan_escalation_types = frozenset(_as_list(vocab.get("plan_escalation_types"), "plan_escalation_types"))
        out.referral_unmade = Phrases(_as_list(vocab.get("referral_unmade_cues"), "referral_unmade_cues"))
        out.referral_plan_labels = Phrases(_as_list(vocab.get("referral_plan_labels"), "referral_plan_labels"))
        out.referral_plan_done = _word_set(vocab, "referral_plan_done")
        out.referral_plan_owned = Phrases(_as_list(vocab.get("referral_plan_owned_labels"), "referral_plan_owned_labels"))
        out.referral_withdrawn = Phrases(_as_list(vocab.get("referral_withdrawn_cues"), "referral_withdrawn_cues"))
        out.referral_declines = Phrases(_as_list(vocab.get("referral_decline_cues"), "referral_decline_cues"))
        out.referral_recipients = Phrases(_as_list(vocab.get("referral_recipients"), "referral_recipients"))
        out.referral_passive_declines = frozenset(w for w in map(normalise_text, _as_list(
            vocab.get("referral_passive_decline_cues"), "referral_passive_decline_cues")) if w)
        out.absence_keywords = frozenset(k for k, kinds in out.escalation_keywords.items()
                                         if out.absence_names.issuperset(kinds))
        out.plan_keywords = frozenset(k for k, kinds in out.escalation_keywords.items()
                                      if out.plan_escalations.issuperset(kinds))
        out.denial_last_cues = Phrases(_as_list(vocab.get("escalation_negation_last_cues"), "escalation_negation_last_cues")
                                       + _as_list(vocab.get("plan_last_cues"), "plan_last_cues"))
        own = vocab.get("name_affirmations") or {}
        if not isinstance(own, Mapping):
            raise ConfigError(f"vocabulary name_affirmations must be a mapping (name: [words]), got {own!r}")
        for name, words in own.items():
            if name not in CONTACT_TYPES and name not in ESCALATIONS:
                raise ConfigError(f"vocabulary name_affirmations: unknown contact type or escalation {name!r}")
            out.name_affirmations[name] = Phrases(_as_list(vocab.get("affirmations"), "affirmations")
                                                  + _as_list(words, f"name_affirmations.{name}"))
        # `denies` reads the escalation cues and the plan cues, each pair as one Phrases (one pass over the tokens)
        out.denial_cues = tuple(Phrases(_as_list(vocab.get(a), a) + _as_list(vocab.get(b), b) + _as_list(vocab.get(c), c))
                                for a, b, c in (("negation_cues", "escalation_negation_cues", "plan_cues"),
                                                ("negation_post_cues", "escalation_negation_post_cues", "plan_post_cues"),
                                                ("escalation_negation_next_cues", "plan_next_cues", "")))
        outcomes = vocab.get("denial_outcomes") or {}
        if not isinstance(outcomes, Mapping):
            raise ConfigError(f"vocabulary denial_outcomes must be a mapping (name: [words]), got {outcomes!r}")
        for name, words in outcomes.items():
            if name not in CONTACT_TYPES and name not in ESCALATIONS:
                raise ConfigError(f"vocabulary denial_outcomes: unknown contact type or escalation {name!r}")
            out.denial_outcomes[name] = frozenset(
                w for w in map(normalise_text, _as_list(words, f"denial_outcomes.{name}")) if w)
        window = vocab.get("negation_window", _DEFAULT_WINDOW)
        if not isinstance(window, int) or isinstance(window, bool) or window < 0:
            raise ConfigError(f"vocabulary negation_window must be a whole number >= 0, got {window!r}")
        out.negation_window = window
        return out

    # -- agencies -----------------------------------------------------------------------------------
    def _kind_of(self, name: str) -> str:
        """The agency kind whose keyword match is longest (ties: vocabulary order), else "other". A keyword of
        `agency_kind_generic` ("local authority", "council": the body a service belongs to) counts only when
        the name has no other: "Local Authority Elective Home Education Team" is education, "Council Housing"
        housing, "Westshire Council" alone social care."""
        tokens = self.agency_tokens(name)
        generic = self.agency_kind_generic
        best, best_len = "other", 0
        fallback, fallback_len = "other", 0
        for kind, phrases in self.agency_kinds:
            for start, end, phrase in phrases.find(tokens):
                if phrase in generic:
                    if len(phrase) > fallback_len:
                        fallback, fallback_len = kind, len(phrase)
                elif len(phrase) > best_len:
                    best, best_len = kind, len(phrase)
        return best if best_len else fallback

    def agency_tokens(self, name) -> list[str]:
        """The words of an agency name as written (`normalise_text`), with each word of `agency_people_words`
        that is a person's name there made a word that matches no keyword ("Ed" in "Ed Smith GP", "Dr Ed
        Jones", "Jones, Ed"; vocab.yml `agency_name_people`). Such a word stays when written in capitals in a
        name with small letters ("Westshire ED", "ED (Westshire General)"), or when it ends the name or its
        part (a bracket, a dash, a comma... after it) and is in capitals or follows another word but a comma
        ("WESTSHIRE ED", "Westshire General Ed"); never straight after one of `agency_people_titles` ("Dr")."""
        tokens = normalise_text(name).split()
        words = self.agency_people_words
        if not words or words.isdisjoint(tokens):
            return tokens
        raw = _APOSTROPHES.sub("", str(name))
        spans = [m.span() for m in _WORD.finditer(raw)]
        if len(spans) != len(tokens) or any(raw[a:b].lower() != t for (a, b), t in zip(spans, tokens)):
            # lower-casing changed the words (a rare letter): read them without their case
            raw, spans = " ".join(tokens).upper(), []
            for t in tokens:
                start = spans[-1][1] + 1 if spans else 0
                spans.append((start, start + len(t)))
        small = any(c.islower() for c in raw)
        out = list(tokens)
        for i, token in enumerate(tokens):
            if token not in words:
                continue
            capitals = raw[spans[i][0]:spans[i][1]].isupper()
            before = raw[spans[i - 1][1]:spans[i][0]] if i else None
            ends = i + 1 == len(tokens) or bool(raw[spans[i][1]:spans[i + 1][0]].strip())
            if i and tokens[i - 1] in self.agency_people_titles:
                kept = False
            elif capitals and small:
                kept = True
            else:
                kept = ends and (capitals or (before is not None and "," not in before))
            if not kept:
                out[i] = _EXCEPTED
        return out

    # -- keyword matching with negation -------------------------------------------------------------
    def tokens(self, text) -> list[str]:
        """`tokenise(text)` with colons turned into "|:" tokens, the dashes tokenise makes a clause break
        (" - ", "–", "—") into "|-" tokens, break words into "|b" tokens and the words of keyword
        exceptions into "|x" tokens (treat the list as read-only). Results are kept per text (bounded)
        because ingest asks for the concerns, the escalation and sometimes the contact type of the same
        text, in separate passes over a table."""
        if isinstance(text, str):
            cached = self._token_cache.get(text)
            if cached is not None:
                return cached
        source = text
        if isinstance(text, str) and "(" in text:
            text = _AGE_BRACKET.sub("", text)
        if isinstance(text, str) and (" - " in text or "–" in text or "—" in text):
            # tokenise makes a colon or a dash "|"; keep them apart
            tokens = []
            for k, part in enumerate(_MARKS.split(text)):
                if k % 2:
                    tokens.append(_COLON if part == ":" else _DASH)
                else:
                    tokens += tokenise(part)
        elif isinstance(text, str) and ":" in text:
            tokens = []
            for k, part in enumerate(text.split(":")):
                if k:
                    tokens.append(_COLON)
                tokens += tokenise(part)
        else:
            tokens = tokenise(text)
        for start, end, _ in self.breaks.find(tokens):
            tokens[start:end] = [_BREAK] * (end - start)
        self._meeting_absences(tokens)  # before the exceptions, which may blank a meeting's words ("EHCP review")
        self._except(tokens)
        if self._not_brought is not None and "brought" in tokens:
            self._objects_not_brought(tokens)
        if isinstance(source, str):
            if len(self._token_cache) >= 20_000:
                self._token_cache.clear()
            self._token_cache[source] = tokens
        return tokens

    def placeless(self, text):
        """`text` with a place's or the council's name before a social-care destination left out
        (`_place_name_pattern`: "Referral to Westvale Children's Social Care" -> "Referral to Children's Social
        Care"), as the escalation and sharing readings see it (`detect_escalations`, `shared_in_text`). Not the
        other readings: the rules' keyword searches pick their texts by a pattern over the text as written
        (`review.rules.base.text_mentions`), which must find whatever the reading finds."""
        if isinstance(text, str) and self._places_in(text):
            return self._place_names.sub(r"\g<lead> ", text)
        return text

    def _places_in(self, text: str) -> bool:
        """Might `text` name a place before a social-care destination (`_place_name_pattern`)? A cheap test
        first: most texts name no destination."""
        return self._place_names is not None and _PLACE_HINT.search(text) is not None \
            and self._place_names.search(text) is not None

    def _appetites(self, tokens: list[str]) -> list[tuple[int, int]]:
        """The spans of `appetite` keywords that are a child's appetite, no neglect (vocab.yml `appetite`): after
        a speech word in their sentence, an eating word at most `reach` words after (across one clause break),
        no qualifier in the sentence or the clause after it ("Poppy says ... she is hungry; ate a sandwich";
        not "says she is always hungry", "said he was hungry at school, ate two breakfasts")."""
        if self._appetite is None:
            return []
        keywords, speech, eating, qualifiers, reach = self._appetite
        if keywords._by_first.keys().isdisjoint(tokens):
            return []
        out = []
        n = len(tokens)
        for start, end, _ in keywords.find(tokens):
            first = start
            while first > 0 and tokens[first - 1] != "|":
                first -= 1
            last, breaks = end, 0
            while last < n and (tokens[last] != "|" or breaks < 1):
                breaks += tokens[last] == "|"
                last += 1
            if not speech.find(tokens[first:start]) or qualifiers.find(tokens[first:last]):
                continue
            if any(s_ < reach for s_, _, _ in eating.find(tokens[end:last])):
                out.append((start, end))
        return out

    def counted_tablets(self, tokens: list[str]) -> list[str]:
        """`tokens` with a number of tablets taken ("took 12 paracetamol", "had taken 20 tablets": one of
        self_harm_tablets' `verbs`, a whole number at least its `min`, one of its `objects`) read as "an
        overdose" ("took an overdose": self_harm's, or "Mum took an overdose", the parent's, as written); a new
        list only when one is found (the cached tokens stay as they are). "Took 2 paracetamol" is a dose."""
        if self._tablets is None:
            spec = self.raw.get("self_harm_tablets") or {}
            verbs = frozenset(normalise_text(w) for w in _as_list(spec.get("verbs") or [], "self_harm_tablets.verbs"))
            objects = frozenset(normalise_text(w) for w in _as_list(spec.get("objects") or [], "self_harm_tablets.objects"))
            self._tablets = (int(spec.get("min", 0) or 0), verbs, objects)
        least, verbs, objects = self._tablets
        if not least or not verbs or not any(t.isdigit() for t in tokens):
            return tokens
        out, i = [], 0
        while i < len(tokens):
            if (0 < i < len(tokens) - 1 and tokens[i].isdigit() and tokens[i - 1] in verbs
                    and tokens[i + 1] in objects and int(tokens[i]) >= least):
                out += ["an", "overdose"]
                i += 2
            else:
                out.append(tokens[i])
                i += 1
        return out if len(out) != len(tokens) or out != tokens else tokens

    def stated_staff_handling(self, tokens: list[str]) -> list[str]:
        """(s20) `tokens` with an adult who works with children handling the child roughly read as "allegation
        against staff" (allegation_against_staff's, negated as ever): one of staff_handling's `staff` straight
        before one of its `acts`, at most `names_between` words between that are none of `not_between` ("staff
        member T. Marsh drag Ollie"; not "Staff report Ollie hit a peer"), or one of `acts` then "by" (an article
        between or not) and one of `staff` ("pushed by a member of staff"), in one sentence. The phrase is put
        before the act; a new list only when one is found (the cached tokens stay as they are)."""
        if self._staff_handling is None:
            spec = self.raw.get("staff_handling") or {}

            def phrases(name):
                return tuple(sorted({tuple(normalise_text(w).split()) for w in _as_list(spec.get(name) or [], f"staff_handling.{name}")}
                                    - {()}, key=len, reverse=True))
            between = frozenset(normalise_text(w) for w in _as_list(spec.get("not_between") or [], "staff_handling.not_between"))
            staff_phrases, act_phrases = phrases("staff"), phrases("acts")
            # every match needs a staff phrase and an act: a text without the first word of one of each is
            # skipped, and a phrase is looked for only where its first word stands (before s20's end this scan
            # tried every phrase at every word, 0.27 ms a text: most of tag_concerns' time)
            staff_by, acts_by = {}, {}
            for w in staff_phrases:
                staff_by.setdefault(w[0], []).append(w)  # longest first, as the phrases are ordered
            for w in act_phrases:
                acts_by.setdefault(w[0], []).append(w)
            self._staff_handling = (staff_phrases, act_phrases, between, int(spec.get("names_between", 0) or 0),
                                    staff_by, acts_by)
        staff, acts, between, most, staff_by, acts_by = self._staff_handling
        if not staff or not acts:
            return tokens
        present = set(tokens)
        if present.isdisjoint(staff_by) or present.isdisjoint(acts_by):
            return tokens

        def phrase_at(i, options):
            for w in (staff_by if options is staff else acts_by).get(tokens[i], ()):
                if tuple(tokens[i:i + len(w)]) == w:
                    return len(w)
            return 0

        n, at = len(tokens), set()
        for i in range(n):
            size = phrase_at(i, staff)
            if size:
                j = i + size
                for _ in range(most + 1):
                    if j < n and tokens[j] == "|" and len(tokens[j - 1]) == 1:
                        j += 1  # the full stop of an initial ("T. Marsh") ends no sentence
                    if j >= n or tokens[j][:1] == "|":
                        break
                    if phrase_at(j, acts):
                        at.add(j)
                        break
                    if tokens[j] in between:
                        break
                    j += 1
            size = phrase_at(i, acts)
            if size and i + size < n and tokens[i + size] == "by":
                j = i + size + 1
                if j < n and tokens[j] in ("a", "an", "the"):
                    j += 1
                if j < n and phrase_at(j, staff):
                    at.add(i)
        if not at:
            return tokens
        out = []
        for i, token in enumerate(tokens):
            if i in at:
                out += ["allegation", "against", "staff"]
            out.append(token)
        return out

    def reported_not_observed(self, tokens: list[str], spans: list) -> set:
        """(s21, QA11 D2) The tags of reported_symptoms' `tags` that `tokens` (their concern keyword `spans`,
        (start, end, keyword)) record only as a parent's report contradicted by a measurement: every mention of
        the tag reported (one of `reported_words` straight before it, or one of `report_words` before it in its
        sentence with a parent or carer, injury_adults or their possessive, before that in the text) and the text
        naming one of `contradicted_by` or a centile at or above `centile_at_least` ("Mother reports weight loss
        ... Weight 20.3 kg (50th centile)"). What the agency observed is never dropped ("weight loss noted")."""
        if self._reported is None:
            spec = self.raw.get("reported_symptoms") or {}
            self._reported = (
                frozenset(_as_list(spec.get("tags") or [], "reported_symptoms.tags")),
                frozenset(normalise_text(w) for w in _as_list(spec.get("reported_words") or [],
                                                              "reported_symptoms.reported_words")) - {""},
                frozenset(normalise_text(w) for w in _as_list(spec.get("report_words") or [],
                                                              "reported_symptoms.report_words")) - {""},
                Phrases(_as_list(spec.get("contradicted_by") or [], "reported_symptoms.contradicted_by")),
                float(spec.get("centile_at_least") if spec.get("centile_at_least") is not None else 101),
            )
        tags, before, report, contradicted, least = self._reported
        mentions: dict = {}
        for start, end, keyword in spans:
            for tag in self.concern_tags.get(keyword, ()):
                if tag in tags:
                    mentions.setdefault(tag, []).append(start)
        if not mentions:
            return set()
        adults = set(self.injury_adults) | set(self.injury_adult_possessives)

        def reported(start: int) -> bool:
            if start and tokens[start - 1] in before:
                return True
            i = start - 1
            while i >= 0 and tokens[i] not in ("|", "|-", "|b"):
                if tokens[i] in report and any(t in adults for t in tokens[:i]):
                    return True
                i -= 1
            return False

        def measured() -> bool:
            if contradicted.find(tokens):
                return True
            for i, token in enumerate(tokens[:-1]):
                number = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", token)
                if number and tokens[i + 1] in ("centile", "centiles", "percentile", "percentiles") \
                        and float(number.group(1)) >= least and (i == 0 or tokens[i - 1] not in ("below", "under")):
                    return True
            return False

        out = {tag for tag, starts in mentions.items() if all(reported(s_) for s_ in starts)}
        return out if out and measured() else set()

    def stated_weight_drop(self, tokens: list[str]) -> list[str]:
        """`tokens` with a weight stated as dropped or lost ("22.1kg, drop from 26.4kg", "lost 3kg": one of
        weight_drop's `words` straight before a number and a unit of its `units`, as one token "4kg" or two)
        read as "weight loss" (weight_loss's, negated as ever: "no drop from 26kg"); so is a weight, one of
        `earlier_words` and an earlier weight at least `min_drop_percent` heavier, not followed within three words
        by one of `earlier_not_words` ("38.2kg (was 42.5kg in Sept)"; not "3.2kg, was 3.5kg at birth"); a new list only when one is
        found (the cached tokens stay as they are). "Dropped from 25th centile" is no weight."""
        if self._weight_drop is None:
            spec = self.raw.get("weight_drop") or {}
            words = tuple(sorted({tuple(normalise_text(w).split()) for w in _as_list(spec.get("words") or [], "weight_drop.words")}
                                 - {()}, key=len, reverse=True))
            units = tuple(normalise_text(w) for w in _as_list(spec.get("units") or [], "weight_drop.units"))
            earlier = frozenset(normalise_text(w) for w in _as_list(spec.get("earlier_words") or [],
                                                                     "weight_drop.earlier_words"))
            not_after = frozenset(normalise_text(w) for w in _as_list(spec.get("earlier_not_words") or [],
                                                                       "weight_drop.earlier_not_words"))
            self._weight_drop = (words, re.compile(r"\d*(?:" + "|".join(map(re.escape, units)) + r")") if units else None,
                                 earlier, float(spec.get("min_drop_percent") or 0), not_after)
        words, unit, earlier, least, not_after = self._weight_drop
        if not words or unit is None or not any(t[:1].isdigit() for t in tokens):
            return tokens

        def weight_at(seq, j):
            # (value, end) of a weight starting at seq[j]: "38kg", "38 kg", "38.2kg" (tokens "38", "2kg")
            if j < 0 or j >= len(seq) or not seq[j][:1].isdigit():
                return None
            if unit.fullmatch(seq[j]):
                return float(re.match(r"\d+", seq[j]).group()), j + 1
            if seq[j].isdigit() and j + 1 < len(seq) and unit.fullmatch(seq[j + 1]):
                decimals = re.match(r"\d+", seq[j + 1])
                return (float(seq[j] + "." + decimals.group()) if decimals else float(seq[j])), j + 2
            return None

        out, i, n = [], 0, len(tokens)
        while i < n:
            # (s20, QA9 D6) a weight, then one of earlier_words and a heavier earlier weight, at least
            # min_drop_percent more: "Weight 38.2kg (was 42.5kg in Sept)"
            if earlier and least and tokens[i] in earlier and out:
                end = len(out)  # past a bracket or a comma: "38.2kg (was", "20 kg, previously"
                while end > max(len(out) - 2, 0) and not out[end - 1][:1].isalnum():
                    end -= 1
                before = next((w for k in (2, 1) if (w := weight_at(out, end - k)) and w[1] == end), None)
                then = weight_at(tokens, i + 1)
                if before and then and then[0] > 0 and (then[0] - before[0]) * 100 >= least * then[0] \
                        and not not_after.intersection(tokens[then[1]:then[1] + 3]):
                    out += ["weight", "loss"]
                    i = then[1]
                    continue
            for w in words:
                j = i + len(w)
                if tuple(tokens[i:j]) != w or j >= n or not tokens[j][:1].isdigit():
                    continue
                # "26.4kg" is "26", "4kg"; "3kg" one token; "3 kg" two
                if unit.fullmatch(tokens[j]) and tokens[j][0].isdigit():
                    end = j + 1
                elif tokens[j].isdigit() and j + 1 < n and unit.fullmatch(tokens[j + 1]):
                    end = j + 2
                else:
                    continue
                out += ["weight", "loss"]
                i = end
                break
            else:
                out.append(tokens[i])
                i += 1
        return out if out != tokens else tokens

    def _meeting_absences(self, tokens: list[str]) -> list[str]:
        """Blank (in place, as `_except` does) a parent's absence from a meeting: one of
        parent_meeting_absences' `absences` ("did not attend", "DNA") straight after an adult (injury_adults,
        or a person of case.yml), one of its `meetings` in the same sentence (a dash or a colon between or not):
        "EHCP annual review meeting - mum did not attend, meeting not held", "Mum did not attend the core group"
        is no missed appointment of the child's (was_not_brought). A bare absence, the last words of its sentence,
        refers to what the sentence before it named: "Attendance meeting offered; mother did not attend". And
        anyone's absence from one of its `open_sessions` ("did not attend follow-up drop-in"), at most 3 words after
        it in its sentence: a drop-in has no appointment anyone is brought to. "Mum did not attend clinic with baby" stays one."""
        if self._meeting_absence is None:
            spec = self.raw.get("parent_meeting_absences") or {}
            self._meeting_absence = (
                Phrases(normalise_text(w) for w in _as_list(spec.get("absences") or [], "parent_meeting_absences.absences")),
                Phrases(normalise_text(w) for w in _as_list(spec.get("meetings") or [], "parent_meeting_absences.meetings")),
                Phrases(normalise_text(w) for w in _as_list(spec.get("open_sessions") or [],
                                                            "parent_meeting_absences.open_sessions")))
        absences, meetings, sessions = self._meeting_absence
        if not absences or absences._by_first.keys().isdisjoint(tokens):
            return tokens
        has_meeting = bool(meetings) and not meetings._by_first.keys().isdisjoint(tokens)
        has_session = bool(sessions) and not sessions._by_first.keys().isdisjoint(tokens)
        if not has_meeting and not has_session:
            return tokens
        adults = self.injury_adults
        found = absences.find(tokens)
        held = [a for a, _, _ in meetings.find(tokens)] if has_meeting else []
        open_sessions = [a for a, _, _ in sessions.find(tokens)] if has_session else []
        for a, b, _ in found:
            first, last = a, b
            while first > 0 and tokens[first - 1] not in _SENTENCE_MARKS:
                first -= 1
            while last < len(tokens) and tokens[last] not in _SENTENCE_MARKS:
                last += 1
            if any(b <= m < min(last, b + 4) for m in open_sessions):  # its object: at most 3 words between
                tokens[a:b] = [_EXCEPTED] * (b - a)
                continue
            if not (a and tokens[a - 1] in adults) or not held:
                continue
            before = first
            if last == b and first > 0:  # a bare absence: the sentence before it too
                before = first - 1
                while before > 0 and tokens[before - 1] not in _SENTENCE_MARKS:
                    before -= 1
            if any(before <= m < last for m in held):
                tokens[a:b] = [_EXCEPTED] * (b - a)
        return tokens

    def _objects_not_brought(self, tokens: list[str]) -> list[str]:
        """Blank (in place) "not brought" (`not_brought_words`, with an auxiliary before it) straight after a thing
        (`not_brought_objects`: "Food diary not brought", "Red book was not brought"): the thing was not brought,
        not the child, who came (QA11 D4)."""
        objects, words, auxiliaries = self._not_brought
        for start, end, _ in words.find(tokens):
            first = start
            for s_, e_, _ in auxiliaries.find(tokens[max(start - 2, 0):start]):
                if max(start - 2, 0) + e_ == start:
                    first = max(start - 2, 0) + s_
            if any(objects.at(tokens, first - k) == k for k in (1, 2, 3) if first - k >= 0):
                tokens[first:end] = [_EXCEPTED] * (end - first)
        return tokens

    def _except(self, tokens: list[str]) -> list[str]:
        """Blank (in place) the words of keyword exceptions, which contain a keyword but are not one."""
        if self.exceptions:
            for start, end, _ in self.exceptions.find(tokens):
                tokens[start:end] = [_EXCEPTED] * (end - start)
        return tokens

    def find(self, text, phrases: Phrases) -> list[str]:
        """The keywords of `phrases` found in `text` and not negated, in order of appearance."""
        return [k[2] for k in self.find_spans(self.tokens(text), phrases)]

    def find_spans(self, tokens: list[str], phrases: Phrases, attributed: list | None = None) -> list[tuple[int, int, str]]:
        """The keywords of `phrases` found in `tokens` (`Vocabulary.tokens`) and not negated, as (first token,
        end token exclusive, keyword), in order of appearance. With `attributed` (a list) and the concerns,
        a keyword of `adults_concern_keywords` its clause attributes to an adult (`_adults_concern`) is left
        out and appended to `attributed` instead."""
        keywords = phrases.find(tokens)
        if not keywords:
            return []
        concerns = phrases is self.concerns
        scope = Scope(self, tokens, keywords, concerns=concerns)
        pre, post = scope.cues(self.cues), scope.cues(self.post_cues)
        found = [k for k in keywords if not scope.reached(k[0], k[1], pre, post, self.negation_window, _POST_WINDOW)]
        if concerns and len(found) < len(keywords) and self.unconcerned and pre \
                and not self.unconcerned._by_first.keys().isdisjoint(tokens):
            # a practitioner's lack of concern about a finding seen on the body does not deny the finding ("No
            # concerns re bruising" is a bruise); it still negates a concern that is a judgement ("nil concerns
            # re neglect"): the finding is read without the cues inside `unconcerned_cues`
            inside = {i for s_, e_, _ in self.unconcerned.find(tokens) for i in range(s_, e_)}
            own = [c for c in pre if inside.isdisjoint(range(c[0], c[1]))]
            if len(own) < len(pre):
                kept = set(found)
                found = [k for k in keywords if k in kept or (
                    k[2] in self.finding_keywords
                    and not scope.reached(k[0], k[1], own, post, self.negation_window, _POST_WINDOW))]
        if concerns and found:
            # a keyword in the answer that denies a concern label (a label so denied is negated) is part of
            # that answer, not a finding of its own: "Bruising: not seen" is no bruising seen, not the child
            # not seen
            answers = set()  # the tokens where such an answer starts
            if len(found) < len(keywords):
                kept = set(found)
                answers = {end + 1 for k in keywords if k not in kept and (end := k[1]) < len(tokens)
                           and tokens[end] in _LABEL_MARKS and scope.label_answer(k[0], end) > 0
                           and scope.denied(end + 1)}
            if self.finding_negations:
                found = self._deny_findings(scope, found, answers)
            if answers:
                found = [k for k in found if k[0] not in answers]
            if found and self.injury_adults and not (self.injury_adults.keys().isdisjoint(tokens)
                                                     and self.injury_adult_possessives.keys().isdisjoint(tokens)):
                # an adult's injury is not the child's ("mother assaulted by partner, injury to her lip")
                found = [k for k in found if k[2] not in self.finding_keywords or not self._adults_injury(tokens, k[0], k[1])]
                if attributed is not None and self.adults_concern_keywords:
                    # an adult's self-harm or missing episode is not the child's ("Mum has history of self-harm",
                    # "father missing from home since Tuesday"): the caller reads it as adults_concerns says
                    own = [k for k in found if k[2] in self.adults_concern_keywords and self._adults_concern(tokens, k[0], k[1])]
                    if own:
                        attributed.extend(own)
                        found = [k for k in found if k not in own]
                        if self.self_harm_injuries and not self.self_harm_injuries.isdisjoint(k[2] for k in found):
                            found = self._adults_self_harm_injuries(tokens, found, own)
            if found and self._explained_keywords() and not self._explained[0].isdisjoint(k[2] for k in found):
                # an adult's explanation of the child's injury as self-inflicted ("Mum says bruises self-inflicted
                # during meltdowns") is the adult's account of the injury, not the child's self-harm
                found = [k for k in found if k[2] not in self._explained[0]
                         or not self._explained_self_inflicted(tokens, k[0], found)]
            if found and self.adults_only_keywords and not self.adults_only_keywords.isdisjoint(k[2] for k in found):
                # a concern only when an adult's ("Mum had an argument with her boyfriend" is a domestic incident;
                # a teenager's "argument with boyfriend" alone is no abuse)
                found = [k for k in found if k[2] not in self.adults_only_keywords or self._adults_concern(tokens, k[0], k[1])]
            if found and self.injury_judgements and not self.injury_judged_words.isdisjoint(k[2] for k in found):
                found = [k for k in found if k[2] not in self.injury_judged_words or not self._judged_injury(tokens, k[0])]
        return found

    def _explained_keywords(self) -> frozenset:
        """self_inflicted_explanations' keywords (normalised), read once."""
        if self._explained is None:
            spec = self.raw.get("self_inflicted_explanations") or {}
            self._explained = (
                frozenset(normalise_text(w) for w in _as_list(spec.get("keywords") or [], "self_inflicted_explanations.keywords")),
                frozenset(_as_list(spec.get("injuries") or [], "self_inflicted_explanations.injuries")))
        return self._explained[0]

    def _explained_self_inflicted(self, tokens: list, start: int, found: list) -> bool:
        """Is the keyword at `start` (one of self_inflicted_explanations' keywords, "self-inflicted") an adult's
        explanation of an injury: an injury keyword of its `injuries` (bruising, a burn, a fracture, a head
        injury) before it in its clause, and before that injury an adult (injury_adults or a person of case.yml)
        and a report word after the adult (injury_report_words: "Mum says bruises self-inflicted during
        meltdowns", "Mother explained the burn as self-inflicted")? Not when the child tells it ("Jordan says
        bruises self-inflicted"), nor for cuts ("Mum says cuts self-inflicted": a self-harm told of, read as
        ever), which no injury of `injuries` names."""
        injuries = self._explained[1]
        first = next((k[0] for k in found if k[0] < start and injuries.intersection(self.concern_tags.get(k[2], ()))
                      and not any(_marks_clause(t) for t in tokens[k[0]:start])), None)
        if first is None:
            return False
        reported = False
        i = first - 1
        while i >= 0 and not _marks_clause(tokens[i]):
            token = tokens[i]
            if token in self.injury_report_words:
                reported = True
            elif token in self.injury_child_words:
                return False  # "Mum says he said the bruises were self-inflicted": the child's account
            elif reported and (token in self.injury_adults or token in self.injury_adult_possessives):
                return True
            i -= 1
        return False

    def _judged_injury(self, tokens: list, start: int) -> bool:
        """Is the injury word at `start` (one of injury_judged_words) only what something is judged consistent
        with: one of injury_judgements straight before it, at most three of injury_judgement_between between
        ("Explanation consistent with injury", "findings consistent with non-accidental injury": the
        non-accidental is still read, "in keeping with an accidental injury")?"""
        ends = {end for _, end, _ in self.injury_judgements.find(tokens)}
        i = start
        while i not in ends and i > 0 and start - i < 3 and tokens[i - 1] in self.injury_judgement_between:
            i -= 1
        return i in ends

    def _adults_injury(self, tokens: list, start: int, end: int) -> bool:
        """Is the injury `tokens[start:end]` (a finding keyword) attributed to an adult in its clause (vocab.yml,
        injury_adults: "mother's injury", "injuries to mum", "mother had a black eye", "mother assaulted by
        partner, injury to her lip")? When unsure it is the child's: a reviewer can dismiss a tag, not see a
        missing one."""
        adults, possessives, n = self.injury_adults, self.injury_adult_possessives, len(tokens)
        # an adult's possessive straight before it, at most one word between ("partner's facial injuries")
        for i in (start - 1, start - 2):
            if i < 0 or _ends_clause(tokens[i]):
                break
            if tokens[i] in possessives:
                return True
            if tokens[i] in adults or tokens[i] in self.injury_child_words:
                break
        # to/on/of an adult straight after it ("injuries to mum", "bruising to the mother's face")
        j = end
        if j < n and tokens[j] in _INJURY_LINKS:
            j += 1
            while j < n and tokens[j] in _INJURY_DETERMINERS:
                j += 1
            if j < n and (tokens[j] in adults or tokens[j] in possessives) and not (
                    j + 1 < n and tokens[j + 1] in self.injury_child_words):  # not "injury to mother's baby"
                return True
        # the person named nearest before it in its clause, an agent ("by partner") passed over
        pronoun = tokens[end + 1] if end + 1 < n and tokens[end] in _INJURY_LINKS else \
            tokens[end] if end < n and tokens[end - 1] in _INJURY_LINKS else ""  # "cuts to her forearm"
        if not pronoun:  # (s20) the pronoun inside a keyword naming it ("cuts to her forearms")
            pronoun = next((tokens[k + 1] for k in range(start, end - 1)
                            if tokens[k] in _INJURY_LINKS and tokens[k + 1] in _PRONOUN_GENDERS), "")
        comma = reported = disclosed = evidence = parted = False
        i = start - 1
        while i >= 0 and not _marks_clause(tokens[i]):
            token = tokens[i]
            if token == ",":
                comma = True
                parted = evidence  # a comma between the adult and the evidence word
            elif token in adults or token in possessives or token in self.injury_child_words:
                k = i - 1  # back over the people joined to it ("by mother and her partner", "by mother's partner")
                while k >= 0 and (tokens[k] in _INJURY_DETERMINERS or tokens[k] in _JOINERS
                                  or tokens[k] in adults or tokens[k] in possessives
                                  or tokens[k] in _KIN_SIDES):
                    k -= 1
                if k >= 0 and tokens[k] == "by":  # "assaulted by partner": who struck, not who was struck
                    i = k - 1
                    continue
                if token in self.injury_child_words or reported or (evidence and not parted):
                    # the adult tells of it, or passes on photographs of it ("Grandmother sent photos of
                    # bruising to left cheek"): the child's
                    return False
                if k >= 1 and tokens[k] == "from" and tokens[k - 1] in self.injury_source_words:
                    # the adult the referral or call came from ("Referral from maternal aunt with bruises to
                    # both upper arms", "call from mother's neighbour re bruise"): the child's
                    return False
                gender = adults.get(token) or possessives.get(token)
                agrees = pronoun in _PRONOUN_GENDERS and gender in _PRONOUN_GENDERS[pronoun]
                return agrees if (comma or disclosed or pronoun in _PRONOUN_GENDERS) else True
            elif token in self.injury_self_report_words:
                # the adult discloses an injury of her own when the pronoun after it agrees ("Chantelle disclosed
                # superficial cuts to her forearm"); without one, who was hurt the words do not say: the child's
                disclosed = True
            elif token in self.injury_report_words:
                reported = True
            elif token in self.injury_evidence_words:
                evidence = True
            i -= 1
        return False

    def _adults_self_harm_injuries(self, tokens: list, found: list, own: list) -> list:
        """`found` without the injuries an adult's self-harm leaves (`self_harm_injury_words`: "cuts to",
        "lacerations") that follow the adult's self-harm keyword (one of `own` read as parental_mental_health)
        in its sentence, commas between or not and no person word who may be the child: "Mum says she
        self-harmed last night, cuts to arms" is no injury of the child's; "Mum self-harmed, baby has cuts to
        face" still is."""
        starts = [k[1] for k in own if "parental_mental_health" in self.adults_concern_keywords.get(k[2], ())]
        if not starts:
            return found
        kept = []
        for k in found:
            if k[2] in self.self_harm_injuries and any(
                    e <= k[0] and not any(_marks_clause(t) or t in self.injury_child_words for t in tokens[e:k[0]])
                    for e in starts):
                continue
            kept.append(k)
        return kept

    def _adult_subject(self, tokens: list, start: int, end: int) -> bool:
        """Is the concern keyword at `start` told of an adult who is the subject of its clause, though the
        person named nearest before it is no adult's word? Two forms: the adult seen (one of
        `adults_concern_patient_words` straight after them) in the clause's first comma part, the keyword
        opening the next ("Sian seen, overdose last week": the commas cut the name off from the words about
        her); and a subject pronoun agreeing with the adult straight after the adult's report word, "that" or
        an auxiliary between or not ("Mum says she self-harmed", "Father said that he has self harmed": "she"
        after a parent subject is the parent), not for a concern with no adult's reading ("mother says she is
        missing" tells of the child)."""
        if not start:
            return False
        adults = self.injury_adults
        if tokens[start - 1] == "," and self.adults_concern_patients:
            part_start = start - 1
            while part_start > 0 and not _marks_clause(tokens[part_start - 1]):
                part_start -= 1
            part = tokens[part_start:start - 1]
            # the keyword opens the clause's second comma part, not a later one
            if "," not in part and len(part) >= 2 and part[0] in adults \
                        and part[1] in self.adults_concern_patients \
                        and self.injury_child_words.isdisjoint(part):
                    return True
        if self.adults_concern_keywords.get(" ".join(tokens[start:end]), None) == ():
            # a concern with no adult's reading (missing): "mother says she is missing" tells of the child
            return False
        k = start - 1
        if k > 0 and tokens[k] in _AUXILIARIES:
            k -= 1
        pronoun = tokens[k]
        if pronoun not in ("she", "he") or k < 2:
            return False
        k -= 1
        if tokens[k] == "that" and k > 1:
            k -= 1
        if tokens[k] not in self.injury_report_words:
            return False
        gender = adults.get(tokens[k - 1])
        return gender is not None and gender in _PRONOUN_GENDERS["her" if pronoun == "she" else "his"]

    def _adults_concern(self, tokens: list, start: int, end: int) -> bool:
        """Is the self-harm or missing keyword `tokens[start:end]` an adult's, as `_adults_injury` reads an
        injury ("Mum has history of self-harm", "mother's overdose", "father missing from home since Tuesday")?
        Not when the keyword opens with a report word straight after the adult ("Mother reported missing": who
        is missing the words do not say, so it stays the child's). A keyword ending with the one struck ("boyfriend
        hit her") is the adult's named nearest before it in its clause when the pronoun agrees ("Mother said
        boyfriend hit her", "Mum's boyfriend hit her")."""
        if start and tokens[start] in self.injury_report_words and (
                tokens[start - 1] in self.injury_adults or tokens[start - 1] in self.injury_adult_possessives):
            return False
        struck = tokens[end - 1]
        if struck in ("her", "him") and self.injury_adults:
            # "Mother said boyfriend hit her": the adult telling of a blow to herself (the pronoun agreeing with
            # the person named nearest before); "Chloe said boyfriend hit her", "she said ..." stay the child's
            speaker = self._speaker(tokens, start)
            gender = self.injury_adults.get(speaker) or self.injury_adult_possessives.get(speaker)
            if gender is not None:
                return gender in _PRONOUN_GENDERS["her" if struck == "her" else "his"]
        return (self._adults_injury(tokens, start, end) or self._adult_subject(tokens, start, end)
                or self._adults_own(tokens, start) or self._adults_disclosed(tokens, start, end))

    def _adults_disclosed(self, tokens: list, start: int, end: int) -> bool:
        """Does an adult disclose the self-harm keyword `tokens[start:end]` as her own: the keyword's own pronoun
        ("cutting her arms", "cutting herself") agreeing with the adult straight before a disclosure word
        (`injury_self_report_words`: "disclosed", "admitted"), only `self_report_between` words between, a
        subject pronoun among them agreeing too ("Mum disclosed cutting her arms", "Mum disclosed she has been
        cutting herself")? Not when the child is named between ("Mum disclosed Kayleigh has been cutting her
        arms": a name is no such word), nor without a pronoun ("Mum disclosed self-harm": whose, the words do not
        say; the child's), nor after a report word ("Mum reports cutting her arms" tells of the child)."""
        if not self.injury_self_report_words or start < 2:
            return False
        owner = next((_REFLEXIVE_OWNER[t] for t in tokens[start:end] if t in _REFLEXIVE_OWNER), None)
        if owner is None:
            return False
        i = start - 1
        while i > 0 and tokens[i] in self.self_report_between:
            if tokens[i] in _SELF_OWNER and _SELF_OWNER[tokens[i]] != owner:  # "Mum disclosed he has been cutting his arms"
                return False
            i -= 1
        if i < 1 or tokens[i] not in self.injury_self_report_words:
            return False
        gender = self.injury_adults.get(tokens[i - 1])
        return gender is not None and gender in _PRONOUN_GENDERS[owner]

    def _adults_own(self, tokens: list, start: int) -> bool:
        """Does "her own" / "his own" stand before the keyword at `start` in its clause, the person named
        nearest before the pronoun an adult it agrees with ("Mum disclosed her own history of self-harm": the
        mother's own, though "her" alone may be the child's)?"""
        i = start - 1
        while i > 0 and not _marks_clause(tokens[i]):
            if tokens[i] == "own" and tokens[i - 1] in ("her", "his"):
                speaker = self._speaker(tokens, i - 1)
                gender = self.injury_adults.get(speaker) or self.injury_adult_possessives.get(speaker)
                return gender is not None and gender in _PRONOUN_GENDERS[tokens[i - 1]]
            i -= 1
        return False

    def _disclosed_hit(self, tokens: list, adults: list | None = None) -> bool:
        """Does the text record a child's disclosure of being hit (vocab.yml, disclosure_hits after a
        disclosure cue: "said his dad hit him with a belt"), not an adult's account of a blow to themselves
        ("Mother said partner hit her", "Chantelle (17) said he pushed her" with Chantelle the mother in case.yml)?
        Such an account, by a person of injury_adults (or of the case's people) whom the blow's object agrees
        with, is appended to `adults` (a list) when given: domestic abuse of the adult, not of the child."""
        hits = self.find_spans(tokens, self.disclosure_hits)
        if not hits:
            return False
        cues = [start for start, _, _ in self.disclosure_cues.find(tokens)]
        for start, end, phrase in hits:
            struck = phrase.rsplit(" ", 1)[-1]
            if start and tokens[start - 1] in self.disclosure_peers:  # "another child pushed him"
                continue
            if start and tokens[start - 1] in self.disclosure_objects:  # "mother says sibling's toy hit him"
                continue
            for cue in cues:
                # a bracket between does not part them ("said his dad (Gary Wren) hit him"): only a label's
                # mark or a break word does
                if not (start - _DISCLOSURE_REACH <= cue < start) or any(t in _PARTING for t in tokens[cue:start]):
                    continue
                speaker = self._speaker(tokens, cue)
                if _SELF.get(speaker) == struck:  # "she said he pushed her": her own account
                    continue
                gender = self.injury_adults.get(speaker) if speaker else None
                if gender is None or not (struck == "me" or gender in _PRONOUN_GENDERS.get(
                        "her" if struck == "her" else "his", ())):
                    return True
                if adults is not None:
                    adults.append((start, end, phrase))  # the adult's own account of a blow to them
        return False

    def _fear_of_adult(self, tokens: list) -> bool:
        """(s20) Does the text tell of the child's fear of an adult: one of `fear_words` not negated ("scared of",
        "frightened of"), at most two of `fear_between` after it ("her", "mum's", "the"), then an adult
        (injury_adults, with case.yml people's given names: "scared of Gary", "frightened of mum's boyfriend",
        "afraid of her stepdad"); not an adult's own fear (`_adults_concern`: "Mum is frightened of her
        partner"), nor a fear of anything else ("scared of the dark", "frightened of dogs")."""
        for start, end, _ in self.find_spans(tokens, self.fear_words):
            k = end
            while k < len(tokens) and k - end < 2 and tokens[k] in self.fear_between:
                k += 1
            if k < len(tokens) and tokens[k] in self.injury_adults and not self._adults_concern(tokens, start, end):
                return True
        return False

    def _speaker(self, tokens: list, at: int) -> str:
        """The person word named nearest before token `at` in its clause (commas included), "" when none."""
        i = at - 1
        while i >= 0 and not _marks_clause(tokens[i]):
            if tokens[i] in self.injury_adults or tokens[i] in self.injury_child_words:
                return tokens[i]
            i -= 1
        return ""

    def _deny_findings(self, scope: Scope, found: list, answers: set) -> list:
        """`found` (concern keywords, not negated) without the findings seen on the body denied by the answer
        straight after them, with no colon or dash ("Bruising not seen", "Head injury none seen on
        examination"; `finding_negations`, read as `Scope.denied` reads a label's answer); the tokens where
        such an answer starts, or that of a finding word's label ("Marks: not seen", "Marks not seen"), are
        added to `answers` (a keyword there is part of the answer, not child_not_seen)."""
        tokens, negations, n = scope.tokens, self.finding_negations, len(scope.tokens)
        denied = set()
        earlier = self.finding_earlier
        for k in found:
            end = k[1]
            size = negations.at(tokens, end) if k[2] in self.finding_keywords and end < n else 0
            if not size:
                continue
            if scope.denied(end, negations):
                denied.add(k)
                answers.add(end)
            elif earlier:
                stop = end + size
                while stop < n and not _ends_clause(tokens[stop]) and tokens[stop] not in earlier:
                    stop += 1
                if stop < n and tokens[stop] in earlier:
                    answers.add(end)  # "bruise not seen at last visit": the injury's answer, not the child
        if self.finding_words and not self.finding_words._by_first.keys().isdisjoint(tokens):
            for start, end, _ in self.finding_words.find(tokens):
                if end >= n or any(scope.in_keyword[start:end]):
                    continue
                if tokens[end] in _LABEL_MARKS:
                    if scope.label_answer(start, end) > 0 and scope.denied(end + 1):
                        answers.add(end + 1)  # "Marks: not seen", "Marks - none seen"
                elif negations.at(tokens, end) and scope.denied(end, negations):
                    answers.add(end)  # "Marks not seen"
        return [k for k in found if k not in denied] if denied else found

    def denial_words(self, name: str) -> tuple[str, ...]:
        """The words that name the escalation or contact type `name` (normalised, sorted): an escalation's
        keywords and those of the contact types it lists (as its `escalation_denials`), and, for a contact
        type, that type's keywords ("strategy discussion", "strategy meeting"; "assessment", "single
        assessment"); and, for each of these names, its `denial_words` in the vocabulary: words that name
        it without being its keywords, which would change how ingest types a contact ("closed", "closure"
        for case_closure: "case not closed", "closure deferred")."""
        if name not in self._denials:
            words = {k for k, kinds in self.escalation_keywords.items() if name in kinds}
            types = {name} | {t for escalation, listed in self.escalation_types if escalation == name for t in listed}
            words |= {k for k, rank in self.contact_type_rank.items() if self.contact_types[rank] in types}
            words |= {w for t in types for w in self.denial_extra.get(t, ())}
            if name in self.plan_escalation_types:  # a referral row's words with their destination, as ingest
                # reads them ("Referral to MASH pending", "... awaiting sign off": straight after the words)
                words |= {k for k, kinds in self.escalation_keywords.items()
                          if self.plan_escalations.intersection(kinds)}
            self._denials[name] = (tuple(sorted(words)), Phrases(words))
        return self._denials[name][0]

    def denial_phrases(self, name: str) -> Phrases:
        """`denial_words` of `name` as Phrases."""
        self.denial_words(name)
        return self._denials[name][1]

    def hindsight_clauses(self, tokens: list) -> list[tuple[int, int]]:
        """The (start, end) token ranges of the clauses of `tokens` (`tokens`) that begin with one of
        `hindsight_cues` ("In hindsight, a referral to MASH was needed", "In retrospect ..."): from the cue,
        at the start of the text or after a clause mark, a colon or a break word ("Comment: in hindsight
        ...", "... but with hindsight ..."), to the end of its clause (a clause mark or a break word; not a
        colon: "With hindsight: referral needed"). Written after the event, such a clause records no
        escalation that took place."""
        spans = []
        for start, _, _ in self.hindsight.find(tokens):
            before = tokens[start - 1] if start else "|"
            if not before.startswith("|") or before == _EXCEPTED:  # not at the start of a clause
                continue
            end = start + 1
            while end < len(tokens) and not (tokens[end].startswith("|") and tokens[end] not in (_COLON, _EXCEPTED)):
                end += 1
            spans.append((start, end))
        return spans

    def _scan_escalations(self, text, phrases: Phrases, window: int | None = None, denial: str | None = None,
                          hindsight: bool = False):
        """(keywords not negated, keywords negated) of escalation `phrases` in `text`, each in order of
        appearance, read with the escalation cues (module docstring). `denial`: the name `denies` asks about,
        read also with the plan cues, without the cues of a participant's absence or of the name's outcome,
        and a negated mention taken back by a later affirmation (`_denial_cues`, `_affirmed`). With
        `hindsight`, a keyword in a clause that begins with a hindsight cue (`hindsight_clauses`) is neither."""
        tokens = self.tokens(text)
        keywords = phrases.find(tokens)
        if not keywords:
            return [], []
        skip = self.hindsight_clauses(tokens) if hindsight and self.hindsight else []
        # a label naming an escalation is denied by escalation_label_negations, not by the answers that deny a
        # finding: "Assessment: no concerns", "CP medical: NAD" took place
        scope = Scope(self, tokens, keywords, stops=self.escalation_breaks, answers=self.escalation_label_negations)
        before, after, next_ = (self.escalation_cues, self.escalation_post_cues, self.escalation_next_cues) \
            if denial is None else self.denial_cues
        pre, post = scope.cues(before), scope.cues(after)
        last = self.escalation_last_cues if denial is None else self.denial_last_cues
        following = scope.cues(next_) + [
            c for c in scope.cues(last) if c[1] == len(tokens) or _ends_clause(tokens[c[1]])
        ]
        if denial is not None:
            pre, post, following = self._denial_cues(denial, scope, pre, post, following, keywords)
        hind = self._hindsight_after(scope) if self.hindsight_next and not \
            self.hindsight_next._by_first.keys().isdisjoint(tokens) else frozenset()
        # an escalation keyword of the child's own examination is read with the child's absence too, as `denies`
        # reads it ("CP medical - child did not attend", "CP medical, WNB": no CP medical; `_absences`)
        absent = self._absences(tokens, keywords) if denial is None and self.absence_keywords and any(
            k[2] in self.absence_keywords for k in keywords) else ([], [])
        # an escalation only planned or awaited straight after its keyword is not made (`plan_escalations`:
        # "Referral to MASH pending", "Referral to MASH booked"), as `denies` reads it
        plans = denial is None and bool(self.plan_keywords)
        # a referral not sent yet or withdrawn, or only planned (`_unmade`): `denies` of its words reads it alike
        unmade = denial is not None and bool(self.plan_escalations) and self._plan_named(denial)
        # a cue beginning the clause after a comma answers a keyword beginning its own, as `denies` reads it
        # ("CP medical, cancelled", "Referral to MASH drafted, not yet sent": no escalation)
        if denial is None and (post or following):
            following = following + self._comma_answers(scope, None, keywords, (*post, *following))
        found, negated = [], []
        for start, end, keyword in keywords:
            if skip and any(a <= start < b for a, b in skip):
                continue
            if end in hind:  # "A referral to MASH should have been made": what should have been done
                negated.append(keyword)
            elif (plans and keyword in self.plan_keywords or unmade) and self._withdrawn(scope.tokens, start, end):
                negated.append(keyword)  # "Referral to MASH sent 14/3, withdrawn 15/3": made, then withdrawn
            elif (plans and keyword in self.plan_keywords or unmade) and self._declined_by_recipient(
                    scope.tokens, start, end):
                found.append(keyword)  # "Referral declined by CSC": made, and answered by social care's decision
            elif plans and keyword in self.plan_keywords and (self._planned(scope, end) or self._awaited(scope, start, end)
                                                              or self._unmade(scope, start, end, keyword)):
                negated.append(keyword)
            elif unmade and self._unmade(scope, start, end, keyword, denial):
                negated.append(keyword)  # `denies` of a referral's words reads them as ingest does (above)
            elif (absent[0] or absent[1]) and keyword in self.absence_keywords \
                    and scope.reached(start, end, absent[0], absent[0], self.negation_window if window is None else window,
                                      _POST_WINDOW, True, absent[1], label_reach=True) \
                    and not self._affirmed(scope, end, phrases, (*absent[0], *absent[1]), (*absent[0], *absent[1]),
                                           self.escalation_keywords[keyword][0]):
                negated.append(keyword)
            elif denial is not None and self._affirmed_at(scope, start, end, denial, (*pre, *post, *following)) \
                    and not scope.reached(start, end, pre, [], _DENIAL_WINDOW if window is None else window, 0):
                found.append(keyword)  # "strategy discussion held ICPC booked"; not "No ICPC held"
            elif scope.reached(start, end, pre, post, self.negation_window if window is None else window, _POST_WINDOW,
                             True, following, label_reach=True) and not (
                    denial is not None and self._affirmed(scope, end, phrases, (*pre, *post, *following),
                                                          (*post, *following), denial)):
                negated.append(keyword)
            else:
                found.append(keyword)
        return found, negated

    def _planned(self, scope: Scope, end: int) -> bool:
        """Does a plan cue start at token `end`, straight after an escalation's words (`plan_post_cues`,
        `plan_next_cues`; `plan_last_cues` ending the clause), outside the shields ("Referral to MASH pending",
        "... booked"; not "referral to MASH pending sign off", a pseudo-negation), and not one of
        `plan_escalation_exceptions` ("Safeguarding referral booked in with MASH": logged, so made) nor
        followed by one of `plan_escalation_objects`, what the referral made awaits ("Referral to MASH pending
        outcome", "... awaiting MASH decision")?"""
        tokens, n = scope.tokens, len(scope.tokens)
        if end >= n or self._made_awaiting(tokens, end):
            return False
        size = self.plan_after.at(tokens, end)
        if not size:
            size = self.plan_last_cues.at(tokens, end)
            if not size or (end + size < n and not _ends_clause(tokens[end + size])):
                return False
        return not any(scope.in_keyword[end:end + size])

    def _awaited(self, scope: Scope, start: int, end: int) -> bool:
        """Does a plan cue (`plan_cues`) end straight before the escalation's words at tokens [start, end), an
        article or a possessive between, so that the row only awaits or plans it ("Awaiting MARAC referral",
        "Pending referral to MASH", "Waiting for a MASH referral"), as `denies` reads a plan cue before the
        words (within one word)? Not when what is awaited is its record or answer, named straight after the
        words (`plan_objects`, `plan_escalation_objects`: "Awaiting MASH referral outcome", "awaiting
        referral to MASH decision": made, as `denies` reads them too)."""
        tokens = scope.tokens
        if not self.plan_cues or self.plan_cues._by_first.keys().isdisjoint(tokens[max(0, start - 6):start]):
            return False
        if end < len(tokens) and (tokens[end] in self.plan_objects or tokens[end] in self.plan_escalation_objects):
            return False
        at = start - 1 if start and tokens[start - 1] in _DETERMINERS else start
        return any(self.plan_cues.at(tokens, s) == at - s and not any(scope.in_keyword[s:at])
                   for s in range(max(0, at - 4), at))

    def _made_awaiting(self, tokens: list, end: int) -> bool:
        """Do the words after an escalation's (ending at token `end`) say it was made and awaits its answer:
        one of `plan_escalation_exceptions` ("Safeguarding referral booked in with MASH": logged), or a
        plan cue followed by one of `plan_escalation_objects` ("Referral to MASH pending outcome", "...
        awaiting MASH decision")? Then the plan cue denies nothing, as `detect_escalations` and `denies`
        both read it."""
        if end >= len(tokens):
            return False
        if self.plan_escalation_exceptions and self.plan_escalation_exceptions.at(tokens, end):
            return True
        size = self.plan_after.at(tokens, end)
        if size and self.plan_escalation_objects:
            # what is awaited, after at most three words that may lead to it ("awaiting manager review of outcome")
            for i in range(end + size, min(end + size + 4, len(tokens))):
                if tokens[i] in self.plan_escalation_objects or (
                        # the meeting itself ending the clause ("Referred to MARAC, awaiting next MARAC"); not
                        # "Awaiting MARAC referral" (no referral's words before the cue)
                        tokens[i] in _AWAITED_MEETINGS and (i + 1 == len(tokens) or _ends_clause(tokens[i + 1]))):
                    return True
                if tokens[i] not in _OBJECT_LEADS:
                    return False
        return False

    def _unmade(self, scope: Scope, start: int, end: int, keyword: str, name: str | None = None) -> bool:
        """Do the words of a referral at tokens [start, end) (`plan_escalations`' keyword `keyword`, or, `name`
        given, words of that name `denies` asks about) name one not sent, or only planned? One of
        `referral_unmade_cues` straight after them (auxiliaries, "still" or "currently" between, or a label's
        mark when they begin their clause: "Referral to MASH awaiting manager sign off", "... has been
        withdrawn", "... being drafted", "Referral to MASH - in progress"), or beginning the clause after a
        comma that answers them (`_comma_answers`: "Referral to MASH, awaiting sign off"; not "Referral to
        MASH completed, awaiting sign off"), with none of `referral_plan_done` after it in its clause
        ("Referral to MASH being completed and sent today" is made); or a plan label governing them
        (`_plan_governed`: "Plan: referral to MASH"). Not a referral made that awaits its answer
        (`_made_awaiting`: "Referral sent to MASH, awaiting manager review of outcome")."""
        tokens, n = scope.tokens, len(scope.tokens)
        cues, labels, owned = self.referral_unmade, self.referral_plan_labels, self.referral_plan_owned
        if (not cues or cues._by_first.keys().isdisjoint(tokens)) and (
                not labels or labels._by_first.keys().isdisjoint(tokens)) and (
                not owned or owned._by_first.keys().isdisjoint(tokens)):
            return False  # most texts: neither a cue nor a plan label
        if self._made_awaiting(tokens, end):
            return False
        if cues and not cues._by_first.keys().isdisjoint(tokens):
            i = end
            if i < n and tokens[i] in _LABEL_MARKS and (not start or tokens[start - 1][0] in "|,"):
                i += 1
            while i < n and (tokens[i] in _AUXILIARIES or tokens[i] in _STILL):
                i += 1
            size = cues.at(tokens, i) if i < n else 0
            if size:
                if not self._done_after(tokens, i + size):
                    return True
            elif "," in tokens[end:]:
                after = [c for c in cues.find(tokens) if c[0] > end]
                for _, stop, _ in self._comma_answers(scope, name, [(start, end, keyword)], after) if after else ():
                    if not self._done_after(tokens, stop):
                        return True
        return self._plan_governed(tokens, start, end)

    def _withdrawn(self, tokens: list, start: int, end: int) -> bool:
        """Does the text say that the referral named at tokens [start, end) was withdrawn, cancelled or
        retracted (`referral_withdrawn_cues`), even after it was sent? A cue after the words, anywhere later in
        the text, with only `_WITHDRAWN_LEADS` (auxiliaries, "then", "later", a date, the referral named again)
        between it and the words or the start of its clause or sentence ("Referral to MASH sent 14/3, withdrawn
        15/3", "Referral to MASH made. Withdrawn next day", "... Referral withdrawn 15/3"), not followed by
        "from" ("Withdrawn from nursery") nor undone by one of `referral_plan_done` after it in its clause
        ("Referral withdrawn and re-sent"); or a one-word cue straight before the words, an article or a
        possessive between ("HV withdrew the referral to MASH")."""
        cues = self.referral_withdrawn
        if not cues or cues._by_first.keys().isdisjoint(tokens):
            return False
        n = len(tokens)
        i = start - 1
        while i >= 0 and tokens[i] in _DETERMINERS:
            i -= 1
        if i >= 0 and cues.at(tokens, i) == 1:
            return True
        for at, stop, _ in cues.find(tokens):
            if at < end or (stop < n and tokens[stop] == "from") or self._done_after(tokens, stop):
                continue
            j = at - 1
            while j >= end and (tokens[j] in _WITHDRAWN_LEADS or tokens[j] in _AUXILIARIES or tokens[j].isdigit()
                                or tokens[j] in self.referral_plan_done or tokens[j] in _LABEL_MARKS):
                j -= 1
            if j < end or _ends_clause(tokens[j]):
                return True
        return False

    def _declined_by_recipient(self, tokens: list, start: int, end: int) -> bool:
        """Do the words of the referral at tokens [start, end) name one the social care service it went to
        declined (`referral_decline_cues`, `referral_recipients`): a cue after them in their sentence followed by
        "by" and a recipient ("Referral declined by CSC", "Referral made to MASH, declined by MASH - NFA"), or a
        recipient, auxiliaries between, straight before a cue and then the words, an article or a possessive
        between ("CSC declined the referral"), or a cue straight after words naming the recipient and not
        followed by "by" (`_recipient_named`: "Referral to MASH declined", "MASH referral was declined - NFA";
        not "Referral to MASH declined by mother", nor "Mother declined referral to MASH")? That referral was
        made; the decline is a decision on it."""
        declines, recipients = self.referral_declines, self.referral_recipients
        if not declines or not recipients or declines._by_first.keys().isdisjoint(tokens):
            return False
        n = len(tokens)
        i = start - 1
        while i >= 0 and tokens[i] in _DETERMINERS:
            i -= 1
        named = self._recipient_named(tokens, start, end)
        for at, stop, _ in declines.find(tokens):
            if stop == i + 1:  # "CSC declined the referral": a recipient (auxiliaries between) before the cue
                j = at - 1
                while j >= 0 and tokens[j] in _AUXILIARIES:
                    j -= 1
                if any(s + size == j + 1 for s in range(max(0, j - 4), j + 1)
                       for size in (recipients.at(tokens, s),) if size):
                    return True
            elif at >= end and stop + 1 < n and tokens[stop] == "by" and recipients.at(tokens, stop + 1) \
                    and not any(t.startswith("|") and t not in _LABEL_MARKS for t in tokens[end:at]):
                return True  # "Referral declined by CSC", in the referral's sentence
            elif named is not None and at == named and (stop >= n or tokens[stop] != "by") \
                    and " ".join(tokens[at:stop]) in self.referral_passive_declines:
                return True  # "Referral to MASH declined", "MASH referral was declined - NFA"
        return False

    def _recipient_named(self, tokens: list, start: int, end: int) -> int | None:
        """Where a decline cue must begin to be the recipient's passive answer to the referral at tokens
        [start, end) (`_declined_by_recipient`), or None: the words name the recipient ("Referral to MASH",
        "MASH referral", or "referral" followed by "to" and a recipient, "Referral to the duty team"), and the
        cue follows them straight, auxiliaries or a label's mark between ("Referral to MASH declined", "...
        was declined", "Referral to MASH - declined"). The family's decline names its subject before the cue
        ("Mother declined referral to MASH"), an agent after it ("... declined by mother"): neither is this;
        nor a cue outside `referral_passive_decline_cues` ("Referral to social care was refused": most often
        the family's refusal)."""
        recipients, n = self.referral_recipients, len(tokens)
        after = end
        if not any(recipients.at(tokens, s) and s + recipients.at(tokens, s) <= end for s in range(start, end)):
            at = end + 1 if end < n and tokens[end] == "to" else None
            while at is not None and at < n and tokens[at] in _DETERMINERS:
                at += 1
            size = recipients.at(tokens, at) if at is not None and at < n else 0
            if not size:
                return None
            after = at + size
        while after < n and (tokens[after] in _AUXILIARIES or tokens[after] in _LABEL_MARKS):
            after += 1
        return after

    def declines_referral(self, text: str) -> bool:
        """Does `text` say that the social care service a referral went to declined it (`_declined_by_recipient`
        of a referral's words: `denial_phrases` of the referral contact type)? Such a text records a decision
        on the referral, whoever wrote it."""
        if not self.referral_declines or not self.referral_recipients or not self.plan_escalation_types:
            return False
        tokens = self.tokens(text)
        if self.referral_declines._by_first.keys().isdisjoint(tokens):
            return False
        return any(self._declined_by_recipient(tokens, s, e) for s, e, _ in self.referral_words().find(tokens))

    def referral_words(self) -> Phrases:
        """A referral's words ("referral", "referred", "refer to"): `denial_phrases` of the referral contact
        type (`plan_escalation_types`); none without one."""
        if not self.plan_escalation_types:
            return Phrases()
        return self.denial_phrases(sorted(self.plan_escalation_types)[0])

    def received_letter(self, description: str) -> bool:
        """Does a description open with one of `received_letter_cues` (starting within its first
        `received_letter_within` words): a letter or report another agency sent ("Letter from Westshire Sexual
        Health: ...", "Copy of letter from paediatrician", "Discharge summary from Westshire General")?"""
        cues = self.received_letter_cues
        if not cues:
            return False
        tokens = self.tokens(description)[:self.received_letter_within + 4]
        return any(start <= self.received_letter_within for start, _, _ in cues.find(tokens))

    def received_referral(self, text: str) -> bool:
        """Does `text` record a referral coming in: "received" or "receipt" in it, or a referral's words
        followed by "from" ("Referral from HV received", "Referral received from school", "Receipt of referral
        from police")?"""
        tokens = self.tokens(text)
        if not _RECEIVED.isdisjoint(tokens):
            return True
        if "from" not in tokens or not self.plan_escalation_types:
            return False
        return any(e < len(tokens) and tokens[e] == "from" for _, e, _ in self.referral_words().find(tokens))

    def _done_after(self, tokens: list, at: int) -> bool:
        """Is one of `referral_plan_done` between token `at` and the end of its clause (a comma included)?"""
        done = self.referral_plan_done
        while at < len(tokens) and not _ends_clause(tokens[at]):
            if tokens[at] in done:
                return True
            at += 1
        return False

    def _plan_governed(self, tokens: list, start: int, end: int) -> bool:
        """Is the referral at tokens [start, end) the answer of a plan (`referral_plan_labels`): in a clause whose
        label is a plan, after its colon or spaced dash ("Plan: referral to MASH", "Plan - refer to CSC", "Plan:
        discuss with GP, referral to MASH"), or in a clause beginning with a plan label and at most
        `negation_window` words (no comma) before the words ("Plan is to refer to children's social care",
        "Plan is for HV to make a referral to MASH", "Planned referral to MASH")? Not when one of
        `referral_plan_done` is in the words, after them in their clause, or between the label and them ("Plan:
        referred to MASH", "Plan: referral to MASH made", "Plan: SW made referral to MASH"); a label in another
        clause governs nothing ("Referral made to MASH. Plan: review in 2 weeks"). Before a mark, one of
        `referral_plan_owned_labels` may follow at most `_PLAN_OWNER_WORDS` words saying whose plan it is ("HV plan:
        referral to MASH", "Outcome/Plan: referral to MASH", "GP plan - refer to CSC"; still "HV plan: SW made
        referral to MASH"); not "Visit planned: ...", whose label is no such noun."""
        labels, done = self.referral_plan_labels, self.referral_plan_done
        if (not labels or labels._by_first.keys().isdisjoint(tokens[:start])) and (
                not self.referral_plan_owned or self.referral_plan_owned._by_first.keys().isdisjoint(tokens[:start])):
            return False
        if self._done_after(tokens, start):
            return False
        b = start - 1  # back to the clause's start (across commas) or a label's mark
        while b >= 0 and not (tokens[b][0] == "|" and tokens[b] != _EXCEPTED):
            b -= 1
        if b >= 0 and tokens[b] in _LABEL_MARKS:
            if not done.isdisjoint(tokens[b + 1:start]):
                return False
            p = b - 1
            while p >= 0 and not _ends_clause(tokens[p]):
                p -= 1
            if b > p + 1 and labels.at(tokens, p + 1) == b - (p + 1):
                return True
            # a plan label after whose plan it is, in at most _PLAN_OWNER_WORDS words ("HV plan: referral to
            # MASH", "Outcome/Plan: referral to MASH", "Health visitor plan - refer to CSC")
            owned = self.referral_plan_owned
            return any(tuple(tokens[q:b]) in owned._by_first.get(tokens[q], ())
                       for q in range(p + 2, min(b, p + 2 + _PLAN_OWNER_WORDS)))
        size = labels.at(tokens, b + 1)
        between = tokens[b + 1 + size:start]
        return bool(size) and b + 1 + size <= start and len(between) <= self.negation_window \
            and done.isdisjoint(between) \
            and not any(_ends_clause(t) for t in between)

    def _plan_named(self, name: str) -> bool:
        """Is `name` one of `plan_escalations`, or of `plan_escalation_types` (the referral contact type), whose
        words `denies` reads with `plan_escalation_exceptions` and `plan_escalation_objects`?"""
        return name in self.plan_escalations or name in self.plan_escalation_types

    def _not_affirming(self, tokens: list, start: int) -> bool:
        """Is the affirmation at token `start` one of `affirmation_exceptions` ("held in abeyance", "held up")?"""
        exceptions = self.affirmation_exceptions
        return bool(exceptions) and exceptions.at(tokens, start) > 0

    def _affirmed_at(self, scope: Scope, start: int, end: int, name: str, cues) -> bool:
        """Does an affirmation of `name` follow the mention at tokens [start, end) straight after, or end it
        (the keyword "strategy discussion held"), not inside a cue nor an exception? Then a cue after it is
        another's ("strategy discussion held ICPC booked": the conference's; not "ICPC held in abeyance")."""
        tokens = scope.tokens
        affirmations = self.name_affirmations.get(name, self.affirmations)
        for at in (end, end - 1) if end - 1 > start else (end,):
            if at < len(tokens) and affirmations.at(tokens, at) and not self._not_affirming(tokens, at) \
                    and all(not (c[0] <= at < c[1]) for c in cues):
                return True
        return False

    def _hindsight_after(self, scope: Scope) -> frozenset:
        """The tokens where a `hindsight_next_cues` cue starts ("should have", "ought to have") that denies the
        words ending there ("A referral to MASH should have been made", "A CP medical ought to have been
        arranged"): not one whose clause goes on to say it came late (`hindsight_late_words`: "Referral to
        MASH should have been made sooner", "referred to mash should have been sooner": done, late). A cue
        after a clause mark, a colon, a dash or a comma is never straight after the words ("Referred to MASH,
        should have been sooner")."""
        tokens = scope.tokens
        starts = set()
        late = self.hindsight_late
        for start, end, _ in scope.cues(self.hindsight_next):
            stop = end
            while stop < len(tokens) and not _ends_clause(tokens[stop]):
                stop += 1
            if not (late and late.find(tokens[end:stop])):
                starts.add(start)
        return frozenset(starts)

    def _denial_cues(self, name: str, scope: Scope, pre: list, post: list, following: list, keywords=()):
        """The cues `denies` reads a mention of `name` with (`pre`, `post`, `following`: found with
        `denial_cues`, the escalation cues and the plan cues: a row that only plans or awaits it, "awaiting
        strategy discussion", "ICPC booked for 12/03", "assessment pending"), but not a cue inside a
        participant's absence with a subject before it ("Police unable to attend strategy discussion": the
        police's attendance is denied, not the meeting; "Unable to attend strategy discussion" still denies
        it), nor one that is the outcome of `name` (`denial_outcomes`:
        "MASH decision: declined" is a decision), nor a plan cue before a mention of `keywords` straight
        followed by one of `plan_objects` (what is awaited is its record: "awaiting ICPC minutes", "awaiting
        strat disc outcome")."""
        tokens = scope.tokens
        drop = set()
        objects = self.plan_objects
        if self.plan_escalations and self._plan_named(name):  # "awaiting referral to MASH decision": made
            objects = objects | self.plan_escalation_objects
        if objects and pre and self.plan_cues:
            for start, end, _ in keywords:
                if end < len(tokens) and tokens[end] in objects:
                    for c in pre:
                        if c[1] in (start, start - 1) and self.plan_cues.at(tokens, c[0]) == c[1] - c[0]:
                            drop.update(range(c[0], c[1]))
        absences = self.attendance_negations
        for start, end, _ in absences.find(tokens) if not absences._by_first.keys().isdisjoint(tokens) else ():
            if start and tokens[start - 1][0] not in "|,":  # a subject (a word) before it in its clause
                if name in self.absence_names and tokens[start - 1] in self.absence_subjects:
                    continue  # the child's absence from the child's own examination (below)
                drop.update(range(start, end))
        if self.plan_escalations and self._plan_named(name):
            # a referral made that awaits its answer, or logged ("Referral to MASH pending outcome",
            # "Safeguarding referral booked in with MASH"): the plan cue after its words denies nothing, as
            # `detect_escalations` reads it (`_made_awaiting`)
            for _, end, _ in keywords:
                if self._made_awaiting(tokens, end):
                    drop.add(end)
            # and after a comma answering them ("Referred to CSC, awaiting outcome": made; `_comma_answers`)
            if not self.plan_escalation_objects.isdisjoint(tokens) or not _AWAITED_MEETINGS.isdisjoint(tokens) \
                    or not self.plan_escalation_exceptions._by_first.keys().isdisjoint(tokens):
                for c in (*post, *following):
                    if c[0] not in drop and self._made_awaiting(tokens, c[0]):
                        drop.update(range(c[0], c[1]))
        outcomes = self.denial_outcomes.get(name, frozenset())

        def kept(cues):
            return [c for c in cues if c[2] not in outcomes and drop.isdisjoint(range(c[0], c[1]))]

        if drop or outcomes:
            pre, post, following = kept(pre), kept(post), kept(following)
        # a plan straight after the words and who is to do it ("Assessment by SW to start 14/3", "Assessment by
        # duty team to commence"): as straight after them
        if following and self.plan_next_cues:
            starts = {c[0]: c for c in following}
            for _, end, _ in keywords:
                if end < len(tokens) and tokens[end] == "by":
                    for at in range(end + 2, min(end + 5, len(tokens))):
                        if _ends_clause(tokens[at - 1]):
                            break
                        c = starts.get(at)
                        if c is not None and self.plan_next_cues.at(tokens, at) == c[1] - c[0]:
                            following = following + [(end, c[1], c[2])]
                            break
        # (after the cues inside a participant's absence are dropped: a cue answering the words across one,
        # "Strategy discussion - police unable to attend, rearranged", spans it)
        if post or following:
            following = following + self._comma_answers(scope, name, keywords, (*post, *following))
        if name in self.absence_names:
            cues, straight = self._absences(tokens, keywords)
            if drop or outcomes:
                cues, straight = kept(cues), kept(straight)
            pre, post, following = pre + cues, post + cues, following + straight
        return pre, post, following

    def _comma_answers(self, scope: Scope, name: str, keywords, cues) -> list:
        """The cues of `cues` (after the words) that begin the clause after a comma (auxiliaries aside) and
        answer words of `keywords` beginning theirs, with at most `negation_window` words between the words
        and the comma, none an affirmation of `name`, a contact type's or an escalation's words, or a break:
        "Assessment allocated to SW, not yet started", "Assessment closed, not completed" (not "Assessment
        by SW completed, to be sent to GP", "Strategy discussion with police, ICPC postponed"). Each as a cue
        straight after the words (from their end to the cue's). `name` None: escalation keywords, each read
        with the affirmations of its own escalation ("CP medical, cancelled")."""
        tokens, n = scope.tokens, len(scope.tokens)
        starts = {c[0]: c for c in cues}
        affirmations = self.name_affirmations.get(name, self.affirmations)
        out = []
        for start, end, keyword in keywords:
            if start and tokens[start - 1][0] not in "|,":
                continue  # not the subject of its clause
            if name is None:
                affirmations = self.name_affirmations.get(self.escalation_keywords[keyword][0], self.affirmations)
            comma = end
            while comma < n and tokens[comma] != "," and tokens[comma][0] != "|" and comma not in scope.stops \
                    and not affirmations.at(tokens, comma):
                comma += 1
            if comma - end > self.negation_window:
                continue
            between = tokens[end:comma]
            if between and (self.contact_type_keywords.find(between) or self.escalations.find(between)):
                continue
            # a participant's absence after a comma or a label's mark is no answer of its own: the cue after
            # it answers the words ("Strategy discussion - police unable to attend, rearranged for 14/3")
            while comma < n and (tokens[comma] == "," or tokens[comma] in _LABEL_MARKS):
                past = self._past_absence(tokens, comma)
                if past is None:
                    break
                comma = past
            if comma >= n or tokens[comma] != ",":
                continue
            first = comma + 1
            while first < n and tokens[first] in _AUXILIARIES:
                first += 1
            cue = starts.get(comma + 1) or starts.get(first)
            if cue is not None:
                out.append((end, cue[1], cue[2]))
        return out

    def _past_absence(self, tokens: list, at: int) -> int | None:
        """The comma ending a participant's absence that follows the mark at token `at` (a comma, a colon or a
        spaced dash): one to three words naming who (not a contact's or an escalation's words) and then one of
        `attendance_negations` ending at that comma ("- police unable to attend,", ", DS Smith unavailable,");
        else None."""
        n = len(tokens)
        for subject in (1, 2, 3):
            begin = at + 1 + subject
            if begin >= n or any(t[0] in "|," for t in tokens[at + 1:begin]):
                return None
            size = self.attendance_negations.at(tokens, begin)
            if size and begin + size < n and tokens[begin + size] == ",":
                who = tokens[at + 1:begin]
                if self.contact_type_keywords.find(who) or self.escalations.find(who):
                    return None
                return begin + size
        return None

    def _absences(self, tokens: list, keywords) -> tuple[list, list]:
        """The child's absence from the child's own examination (`absence_cues`, for the names of
        `absence_names`): "CP medical - child did not attend", "Child was not brought to CP medical", "CP
        medical: WNB"; not another's ("mother did not attend"). (cues read before and after the words, cues
        read straight after them): a cue with no subject before it in its clause or one of
        `absence_subjects` (then part of the cue: "CP medical - child DNA"), and, after a comma straight
        after words of `keywords` that begin their clause, the same cue answering them as after a dash ("CP
        medical, child was not brought", "CP medical, WNB"; not "CP medical completed, child DNA dental
        appointment")."""
        cues, straight = [], []
        found = [] if self.absence_cues._by_first.keys().isdisjoint(tokens) else self.absence_cues.find(tokens)
        if self.consent_refusals and not self.consent_refusals._by_first.keys().isdisjoint(tokens):
            found = sorted((*found, *self._consent_refusals(tokens, keywords)))
        for cue in found:
            before = tokens[cue[0] - 1] if cue[0] else "|"
            if before in self.absence_subjects:
                cue = (cue[0] - 1, cue[1], cue[2])
            elif before[0] not in "|,":
                continue
            cues.append(cue)
            comma = cue[0] - 1
            if comma > 0 and tokens[comma] == "," and any(
                    end == comma and (not start or tokens[start - 1][0] in "|,") for start, end, _ in keywords):
                straight.append((comma, cue[1], cue[2]))
        return cues, straight

    def _consent_refusals(self, tokens: list, keywords=()) -> list:
        """A consent refused for the child's examination (`consent_refusals`, read as the child's absence is, for
        the names of `absence_names`): "CP medical - consent refused by mother", and with one word naming who
        refused before it (the cue then begins there: "CP medical, mother refused consent"). Not one followed
        straight by "for" or "to", a consent to something else ("CP medical completed, mother refused consent
        for photographs"), unless the words of `keywords` follow ("Mother refused consent for CP medical"); a
        referral is made without consent ("Referral to MASH, mother refused consent")."""
        out = []
        starts = {k[0] for k in keywords}
        for start, end, cue in self.consent_refusals.find(tokens):
            if end < len(tokens) and tokens[end] in _CONSENT_OBJECT_LEADS and not (
                    end + 1 in starts or (end + 2 in starts and tokens[end + 1] in ("a", "an", "the"))):
                continue
            if start >= 1 and tokens[start - 1][0] not in "|," and tokens[start - 1] not in _AUXILIARIES and (
                    start == 1 or tokens[start - 2][0] in "|,"):
                start -= 1  # "mother refused consent": who refused is part of the cue
            out.append((start, end, cue))
        return out

    def _affirmed(self, scope: Scope, end: int, phrases: Phrases, cues, after, name: str = "") -> bool:
        """Does a later affirmation say the mention ending at token `end` took place after all ("ICPC
        postponed to 3rd, held on 3rd", "Strategy discussion cancelled; went ahead on 5th")? One of
        `affirmations` after the first cue of `after` (the cues after the mention: a postponement or a
        cancellation; not "No ICPC held", denied before its words), not inside a cue ("not held", "to be
        held"), not after a word that makes it a plan or a denial (`_NOT_AFFIRMING`: "will be held", "has not
        been held"), and with no other meeting's or contact's words between ("ICPC postponed; strategy
        discussion held": the strategy discussion). `name`'s own affirmations (`name_affirmations`) count too:
        "Assessment deferred, completed 5th", not "ICPC postponed, report completed"."""
        tokens = scope.tokens
        affirmations = self.name_affirmations.get(name, self.affirmations)
        if not affirmations._by_first.keys() & set(tokens[end:]):
            return False
        later = [c[1] for c in after if c[0] >= end]
        if not later:
            return False
        end = min(later)  # the affirmation comes after the postponement or cancellation
        in_cue = {i for c in cues for i in range(c[0], c[1])}
        for start, stop, _ in affirmations.find(tokens[end:]):
            start, stop = start + end, stop + end
            if self._not_affirming(tokens, start):
                continue  # "held in abeyance", "held pending police enquiries"
            # the words of its own clause before it: another meeting's ("ICPC cancelled, CIN meeting held
            # instead", "supervision held with TM"), not a date or an adverb ("held on 3rd", "then went ahead")
            lead = start
            while lead > end and not _ends_clause(tokens[lead - 1]) and tokens[lead - 1] not in _LIST_JOINERS:
                lead -= 1
            own = {i for s_, e_, _ in phrases.find(tokens[lead:start]) for i in range(lead + s_, lead + e_)}
            if any(i not in own and not _affirming_lead(tokens[i]) for i in range(lead, start)):
                continue
            if in_cue.isdisjoint(range(start, stop)) and _NOT_AFFIRMING.isdisjoint(tokens[max(end, start - 2):start]):
                # another meeting or contact named first: the affirmation is about it
                between = tokens[end:start]
                own = {s for s, _, _ in phrases.find(between)}
                return all(s in own for s, _, _ in (*self.contact_type_keywords.find(between),
                                                    *self.escalations.find(between)))
        return False


class Scope:
    """Where negation cues reach in the tokens of one text (`Vocabulary.tokens`), given the keywords found.

    The keywords, the concern keywords and the pseudo-negations are shields: a cue inside one negates
    nothing ("was not brought", "no further action"), and they mark the items of a list ("no bruising,
    burns or fractures"). `stops` (escalations: `escalation_negation_breaks`) are words outside the shields
    where every cue's reach ends, as do "and" / "or" / "nor" that do not follow a shield. Used for concerns
    and escalations (`Vocabulary.find`) and for the outcome of a child protection conference
    (`review.timeline.cp_plan_marker`).
    """

    __slots__ = ("tokens", "in_keyword", "list_starts", "list_ends", "stops", "answers", "tails", "negations",
                 "earlier", "item_ends")

    def __init__(self, vocab: Vocabulary, tokens: list[str], keywords: list, concerns: bool = False,
                 stops: Phrases | None = None, answers: Phrases | None = None):
        shields = keywords if concerns else keywords + vocab.concerns.find(tokens)
        shields = shields + vocab.pseudo.find(tokens)
        in_keyword = [False] * len(tokens)
        for start, end, _ in shields:
            for i in range(start, end):
                in_keyword[i] = True
        self.tokens = tokens
        self.in_keyword = in_keyword
        self.list_starts = {s[0] for s in shields}
        # where each keyword starting there ends (the longest): an item after a comma continues a list only if
        # nothing but a comma, "and"/"or" or the clause's end follows it ("no bruising, scratches or cuts"; not
        # "mum denies any injury, bruising noted to chest")
        self.item_ends = {}
        for start, end, _ in shields:
            self.item_ends[start] = max(end, self.item_ends.get(start, end))
        self.list_ends = {s[1] for s in shields}
        self.stops = frozenset()
        if stops is not None:
            self.stops = frozenset(
                [i for start, end, _ in stops.find(tokens) for i in range(start, end) if not in_keyword[i]]
                + [i for i, token in enumerate(tokens) if token in _LIST_JOINERS and i not in self.list_ends]
            )
        self.answers = vocab.label_negations if answers is None else answers  # what denies a label (`denied`)
        self.tails = vocab.label_tails
        self.negations = vocab.cues
        # a finding's answer about an earlier occasion denies nothing now ("bruise not seen at last visit")
        self.earlier = vocab.finding_earlier if concerns else frozenset()

    def cues(self, phrases: Phrases) -> list[tuple[int, int, str]]:
        """The matches of `phrases` that are not inside a shield."""
        in_keyword = self.in_keyword
        return [c for c in phrases.find(self.tokens) if not any(in_keyword[i] for i in range(c[0], c[1]))]

    def reaches(self, first: int, last: int, window: int, allow_lists: bool, cross_breaks: bool = False) -> bool:
        """Does a cue ending at token `first` reach token `last` in the same clause, with at most `window`
        other words between? A comma ends the clause unless `allow_lists` and it continues a list of
        keywords; a break word ("but") ends it unless `cross_breaks`."""
        tokens, in_keyword, stops = self.tokens, self.in_keyword, self.stops
        words = 0
        for i in range(first, last):
            token = tokens[i]
            if i in stops:
                return False
            if token[0] == "|":  # a clause mark: "|", "|:" (a colon), "|-" (a dash) or "|b" (a break word)
                if token != _BREAK or not cross_breaks:
                    return False
            elif token == ",":
                if not allow_lists:
                    return False
                j = i + 1
                while j < last and tokens[j] in _LIST_JOINERS:
                    j += 1
                if i not in self.list_ends or j not in self.list_starts:  # "bruising, burns" continues a list
                    return False
                k = self.item_ends[j]
                if k < len(tokens) and tokens[k] in _LIST_CLOSERS:  # "No bruises, scratches noted."
                    k += 1
                if k < len(tokens) and tokens[k] != "," and tokens[k][0] != "|" and tokens[k] not in _LIST_JOINERS:
                    return False  # "denies any injury, bruising noted to chest": a new clause
            elif not in_keyword[i] and token not in _LIST_JOINERS:
                words += 1
        return words <= window

    def reached(self, start: int, end: int, pre: list, post: list, window: int, post_window: int,
                cross_breaks: bool = False, following: list = (), label_reach: bool = False) -> bool:
        """Is the keyword at tokens [start, end) reached by a cue of `pre` before it (within `window`
        words, lists allowed), by one of `post` after it (within `post_window`, across break words when
        `cross_breaks`), by one of `following` straight after it, or is it a label denied by the answer
        after its colon or dash ("Bruising: none", "Bruises - not seen"; `label_answer`, `denied`)?"""
        if any(c[1] <= start and self.reaches(c[1], start, window, True) for c in pre):
            return True
        if any(c[0] >= end and self.reaches(end, c[0], post_window, False, cross_breaks) for c in post):
            return True
        if any(c[0] == end for c in following):
            return True
        tokens = self.tokens
        if end < len(tokens) and tokens[end] in _LABEL_MARKS and self.label_answer(start, end) > 0:
            first = end + 1
            while label_reach and first < len(tokens) and tokens[first] in _AUXILIARIES:
                first += 1  # "ICPC - did not go ahead", "ICPC: was cancelled", not "ICPC: plan not agreed"
            return any(c[0] in (end + 1, first) for c in (*post, *following)) or self.denied(end + 1)
        return False

    def label_answer(self, start: int, end: int) -> int:
        """Where the answer starts when the keyword at tokens [start, end) is a label, else -1: it begins its
        clause and a colon or a spaced dash follows it ("Bruising: none", "Bruises - not seen"). After a
        dash, a keyword holding a negation cue is a statement, not a label ("Child not seen - no concerns")."""
        tokens = self.tokens
        if end >= len(tokens) or tokens[end] not in _LABEL_MARKS or (start and tokens[start - 1][0] not in "|,"):
            return -1
        if tokens[end] == _DASH:
            words = tokens[start:end]
            if not self.negations._by_first.keys().isdisjoint(words) and any(True for _ in self.negations.every(words)):
                return -1
        return end + 1

    def denied(self, first: int, answers: Phrases | None = None) -> bool:
        """Does the answer from token `first` (after a label's colon) deny the label's finding: one of
        `label_negations` (or of `answers`, when given) ending its clause, or followed by a
        `label_negation_tails` word and no keyword ("Bruising: none", "Injuries: nil of note", "Bruising:
        not seen on examination"; not "Bruising: not accidental", "Injury: no cause given", "Head injury:
        no fracture")?"""
        tokens, in_keyword = self.tokens, self.in_keyword
        size = (self.answers if answers is None else answers).at(tokens, first)
        if not size:
            return False
        i = first + size
        if i < len(tokens) and not _ends_clause(tokens[i]):
            if tokens[i] not in self.tails:
                return False
            while i < len(tokens) and not _ends_clause(tokens[i]):
                if in_keyword[i] or tokens[i] in self.earlier:
                    return False
                i += 1
        return True


#: words that may come before an affirmation in its clause (`Vocabulary._affirmed`) besides a date, a number and
#: the mention's own words: "held on 3rd", "then went ahead", "meeting reconvened on Monday"; another word
#: names what was held ("CIN meeting held instead", "supervision held with TM")
_AFFIRMING_LEAD = frozenset({
    *_AUXILIARIES, "it", "this", "then", "later", "subsequently", "eventually", "now", "finally", "instead",
    "successfully", "again", "duly", "actually", "all", "after", "on", "the", "to", "by", "at", "in", "as", "a",
    "an", "next", "following", "same", "day", "week", "date", "today", "yesterday", "morning", "afternoon",
    "evening", "rearranged", "re", "arranged", "planned", "meeting", "conference", "which", "that", "but",
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
    "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "wed",
    "thu", "thur", "thurs", "fri", "am", "pm"})
_DATE_WORD = re.compile(r"\d+(?:st|nd|rd|th|am|pm)?")


#: `Scope.reaches`: a word that may close a list of findings after a comma ("No bruises, scratches noted.");
#: followed by more words in its clause, the item is a new clause ("no injury, bruising noted to chest").
_LIST_CLOSERS = frozenset({"seen", "noted", "observed", "found", "present", "evident", "visible", "identified"})


#: `Vocabulary._planned`: a word that may stand between a referral's plan cue and what the referral awaits
#: ("Referral to MASH awaiting a response", "... pending MASH decision")
_OBJECT_LEADS = frozenset({"a", "an", "the", "mash", "mashs", "csc", "their", "its", "further", "manager", "managers",
                           "marac", "maracs", "next", "meeting",  # "awaiting MARAC date", "awaiting next MARAC"
                           "management", "review", "of", "team", "duty", "social", "care", "childrens", "services"})
#: `Vocabulary._made_awaiting`: a meeting a referral made awaits, named by itself at the end of its clause
#: ("Referred to MARAC, awaiting next MARAC": made, as "... awaiting MARAC date" is by plan_escalation_objects)
_AWAITED_MEETINGS = frozenset({"marac", "maracs"})
#: `Vocabulary._unmade`: words that may come between a referral's words and the cue saying it was not sent
#: besides auxiliaries ("Referral to MASH still awaiting sign off")
_STILL = frozenset({"still", "currently", "now"})
#: `Vocabulary.received_referral`: words saying a referral came in
_RECEIVED = frozenset({"received", "receipt", "receives", "receiving"})
#: `Vocabulary._withdrawn`, `_declined_by_recipient`: an article or a possessive between a verb and the referral
#: it acts on ("withdrew the referral", "CSC declined our referral")
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "her", "his", "their", "its", "our", "my", "hvs", "gps",
                          "schools", "sws"})
#: `Vocabulary._withdrawn`: words that may come between a referral's words, or the start of a clause, and the cue
#: saying it was withdrawn ("sent 14/3, then withdrawn", "... Referral later withdrawn")
_WITHDRAWN_LEADS = frozenset({"then", "later", "subsequently", "since", "but", "and", "however", "referral", "referrals",
                              "the", "this", "it", "same", "day", "next", "on", "to", "mash", "csc", "jan", "feb",
                              "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "th",
                              "st", "nd", "rd", "by", "hv", "gp", "sw", "referrer", "school", "nurse"})


def _affirming_lead(token: str) -> bool:
    """May `token` come before an affirmation in its clause (`_AFFIRMING_LEAD`, a number or an ordinal)?"""
    return token in _AFFIRMING_LEAD or _DATE_WORD.fullmatch(token) is not None


def _marks_clause(token: str) -> bool:
    """Is `token` a clause mark (`Vocabulary.tokens`; a comma is not one)?"""
    return token[0] == "|" and token != _EXCEPTED


def _ends_clause(token: str) -> bool:
    """Is `token` a clause mark or a comma (`Vocabulary.tokens`), not a word?"""
    return token == "," or (token[0] == "|" and token != _EXCEPTED)


_CACHE: dict[int, tuple[Mapping, Vocabulary]] = {}


#: a word of a social-care destination (`place_name_destinations`), searched before the full pattern
_PLACE_HINT = re.compile(r"(?i)mash|csc|social|services|front door|safeguarding hub")
#: a place's word as written: a capital and a small letter ("Westvale", "St", "O'Neill", "Stoke-on-Trent")
_PLACE_WORD = r"[A-Z][a-z][\w'’-]*"


def _place_name_pattern(vocab: Mapping, v: Vocabulary) -> re.Pattern | None:
    """The pattern of a place's or council's name written between a lead (`place_name_leads`: "to", "the") and a
    social-care destination (`place_name_destinations`): "Referral to Westvale Children's Social Care", "Referred
    to Eastborough MASH". The escalation and sharing readings read the text without the name
    (`Vocabulary.placeless`), so that their keywords ("referral to mash") and negations read it as they read the
    destination alone. A word of the name is
    written with a capital and small letters, or is the word of a declared social care agency's name before
    such a destination (vocab.yml `agencies:` "Eastborough MASH": "eastborough", in any case); never a word of
    `agency_kinds` (a service, not a place: "School MASH referral"), of a negation cue or of
    `place_name_stop_words` ("No", "The", "Duty"). None when the vocabulary lists no leads or destinations."""
    leads = _word_set(vocab, "place_name_leads")
    destinations = _word_set(vocab, "place_name_destinations")
    if not leads or not destinations:
        return None
    stops = set(_word_set(vocab, "place_name_stop_words"))
    for _, phrases in v.agency_kinds:
        stops.update(w for words in phrases._by_first.values() for phrase in words for w in phrase)
    for key in ("negation_cues", "escalation_negation_cues"):
        stops.update(w for phrase in _word_set(vocab, key) for w in phrase.split())
    stops.update(w for phrase in destinations for w in phrase.split())
    declared = set()
    dest = Phrases(destinations)
    for key, (_, kind, _) in v.agencies.items():
        if kind != "social care":
            continue
        words = key.split()
        hits = dest.find(words)
        if hits:
            declared.update(w for w in words[:hits[0][0]] if w not in stops and w.isalpha())

    def words(values):  # phrases as a regex: words apart by spaces, a final s also after an apostrophe ("children's")
        out = []
        for phrase in sorted(values, key=len, reverse=True):
            parts = [re.escape(w[:-1]) + r"['’]?s" if len(w) > 3 and w.endswith("s") else re.escape(w)
                     for w in phrase.split()]
            out.append(r"\s+".join(parts))
        return "|".join(out)

    stop = words(stops)
    word = rf"(?!(?i:(?:{stop})(?![\w'’-])))(?:{_PLACE_WORD}" + (
        rf"|(?i:{'|'.join(sorted(map(re.escape, declared)))})(?![\w'’-])" if declared else "") + ")"
    return re.compile(rf"(?<![\w'’-])(?P<lead>(?i:{words(leads)}))\s+{word}(?:\s+{word}){{0,2}}?\s+"
                      rf"(?=(?i:{words(destinations)})(?![\w'’-]))")


def compile_vocab(vocab) -> Vocabulary:
    """The compiled form of a vocab mapping, cached by identity (treat the mapping as read-only)."""
    if isinstance(vocab, Vocabulary):
        return vocab
    cached = _CACHE.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    compiled = Vocabulary.from_dict(vocab)
    if len(_CACHE) > 32:
        _CACHE.clear()
    _CACHE[id(vocab)] = (vocab, compiled)
    return compiled


# ---------------------------------------------------------------------------------------------------
# The functions ingest calls on every row
# ---------------------------------------------------------------------------------------------------
def normalise_agency(name, vocab, default=None) -> tuple[str, str, str]:
    """(agency, agency_kind, organisation) for an agency as written.

    Known names and aliases (case and punctuation ignored: "NMUH", "North Mid") give the canonical
    entry. Unknown names keep their own trimmed text as agency and organisation; the kind is the
    `agency_kinds` keyword with the longest match, else "other". A blank name falls back to `default`
    (the file's agency); with no default the result is ("", "other", "").
    """
    v = compile_vocab(vocab)
    if not normalise_text(name):  # blank, or only punctuation ("-", "?")
        if not normalise_text(default):
            return "", "other", ""
        name = default
    text = " ".join(str(name).split())
    result = v._agency_cache.get(text)
    if result is None:
        result = v.agencies.get(normalise_text(text)) or (text, v._kind_of(text), text)
        if len(v._agency_cache) > 10_000:
            v._agency_cache.clear()
        v._agency_cache[text] = result
    return result


def classify_contact_type(type_text, description, vocab, *, action="", agency=()) -> str:
    """The contact type id: from the type column, else (the cell blank, or naming no type the vocabulary
    knows: "Meeting") the description (`description_contact_type`), else "other". A type cell naming no type
    the vocabulary knows that is the row's agency's own word for its contacts is of that type
    (`agency_cell_contact_type`: "Majors" of an emergency department, "Domestic" of a police force). A row with
    a blank type cell of an agency whose name says what its contacts are (`agency`: the names the row's agency is written
    under; `agency_contact_type`: "Northgate ED", "St Brendan's A&E" are an emergency department) is of that
    type unless its description says otherwise (`untyped_contact_type`, which reads the `action` too)."""
    v = compile_vocab(vocab)
    if _blank(type_text):
        found = untyped_contact_type(description, action, agency_contact_type(agency, v), v)
        return emergency_call_type(found, description, action, agency, v)
    key = str(type_text)
    found = v._type_cache.get(key)
    if found is None:
        found = type_cell_contact_type(key, v)
        if len(v._type_cache) > 10_000:
            v._type_cache.clear()
        v._type_cache[key] = found
    return (found or agency_cell_contact_type(key, agency, v)
            or emergency_call_type(description_contact_type(description, v), description, "", agency, v)
            or "other")


def emergency_call_type(found: str, description, action, agency, vocab) -> str:
    """`found` (a row's contact type read from its description), unless it is a police call-out read only from
    `emergency_call_words` ("999 call") in a row of an agency of their `kinds` (health: an ambulance service's
    "999 call: mother reports Poppy fitting", QA11 D5): then the type the description gives without those words,
    else the agency's own (`agency_contact_types`), else "other"."""
    v = compile_vocab(vocab)
    if found != "police_callout" or v._emergency_calls is None or _blank(description):
        return found
    words, kinds = v._emergency_calls
    names = [str(n) for n in ((agency,) if isinstance(agency, str) else agency) if not _blank(n)]
    if not names or normalise_agency(names[0], v)[1] not in kinds:
        return found
    tokens = v.tokens(description)
    calls = words.find(tokens)
    if not calls:
        return found
    rest = list(tokens)
    for start, end, _ in calls:
        rest[start:end] = [_EXCEPTED] * (end - start)
    again = _description_type(v, rest)
    if again == "police_callout":
        return found
    return again or agency_contact_type(agency, v) or "other"


def agency_cell_contact_type(type_text, agency, vocab) -> str:
    """The contact type a type cell naming no type the vocabulary knows (`type_cell_contact_type`) is in a row of
    an agency whose own word for its contacts it is (`agency_type_cells`: "Majors", "Resus", "Triage" of an
    emergency department are A&E attendances; "Domestic", "Concern for welfare", "Missing person" of a police
    force are call-outs), else "". `agency`: a name, or the names the row's agency is written under (the agency
    cell or the file's agency, the organisation, the agency it normalises to), read as `agency_contact_type`
    reads them, or by their agency kind (`normalise_agency`)."""
    v = compile_vocab(vocab)
    if not (v.agency_type_cells or v.any_agency_type_cells) or _blank(type_text):
        return ""
    tokens = v._except(normalise_text(str(type_text)).split())
    names = [str(name) for name in ((agency,) if isinstance(agency, str) else agency) if not _blank(name)]
    for contact_type, words, kinds, cells, whole in v.agency_type_cells:
        # `whole_cells`: the whole cell only ("Contact" of social care; not "Supervised contact")
        if not cells.find(tokens) and " ".join(tokens) not in whole:
            continue
        for name in names:
            if (words and words.find(v.agency_tokens(name))) or (
                    kinds and normalise_agency(name, v)[1] in kinds):
                return contact_type
    for contact_type, cells, excepted in v.any_agency_type_cells:
        # read as an agency name's words are: "ED", "Paeds ED", not "Ed" (a person) nor "ed"
        if cells.find(v._except(v.agency_tokens(str(type_text)))) and not (
                excepted and any(excepted.find(v.agency_tokens(name)) for name in names)):
            return contact_type
    return ""


def not_brought_tagged(concerns) -> bool:
    """Whether a row's `concerns` (tags joined with "; ") hold was_not_brought: with a contact type of vocab.yml
    `missed_appointment_types` ("Choice appointment" with "DNA" in its notes), the row is the missed appointment,
    typed was_not_brought (`missed_appointment_type`)."""
    return "was_not_brought" in split_multi(concerns)


def missed_appointment_type(contact_type, concerns, vocab, seen=None) -> str:
    """`contact_type`, or was_not_brought when it is one of vocab.yml `missed_appointment_types` (an appointment,
    no type) and the row's `concerns` hold was_not_brought: "Choice appointment" whose notes say "DNA" is the
    missed appointment, as its text would be typed without the cell. Not when `seen` (the row's Child seen cell,
    read) is True (s21): the child was at the appointment."""
    v = compile_vocab(vocab)
    if contact_type in v.missed_appointment_types and not_brought_tagged(concerns) and seen is not True:
        return "was_not_brought"
    return contact_type


def file_name_agency(file_name, vocab) -> str:
    """An agency's name as a file's name (its stem) writes it ("ed_redvale_general", "Redvale_ED_attendances"), to be
    read as agency names are (`agency_contact_type`, `agency_cell_contact_type`): the words joined by "_", "-", "."
    apart, and a word of `agency_people_words` ("ed") taken for the agency's word (written "ED") when the file name
    has no capital letter or writes it in capitals, unless straight after a title ("dr_ed_jones"); in a file name
    with capitals, "Ed" is a person's ("Ed_Smith_GP")."""
    v = compile_vocab(vocab)
    name = str(file_name)
    parts = [p for p in re.split(r"[\s_.\-]+", name) if p]
    lower = not any(c.isupper() for c in name)
    out = []
    for i, part in enumerate(parts):
        word = part.lower()
        agency_word = word in v.agency_people_words and (lower or part.isupper()) and not (
            i and parts[i - 1].lower() in v.agency_people_titles)
        out.append(part.upper() if agency_word else word)
    return " ".join(out)


def agency_contact_type(agency, vocab) -> str:
    """The contact type an agency's name says its contacts are (`agency_contact_types`: an "Emergency
    Department", "St Brendan's A&E", "Paediatric ED" are A&E attendances), else "". `agency`: a name, or the
    names the agency is written under (the agency cell or the file's agency, the organisation), read in turn."""
    v = compile_vocab(vocab)
    if not v.agency_contact_types:
        return ""
    for name in ((agency,) if isinstance(agency, str) else agency):
        if _blank(name):
            continue
        tokens = v.agency_tokens(str(name))
        for contact_type, words, _, _ in v.agency_contact_types:
            if words.find(tokens):
                return contact_type
    return ""


def untyped_contact_type(description, action, agency_type, vocab) -> str:
    """The contact type of a row whose type cell is blank: its description's (`description_contact_type`), else
    "other"; for a row of an agency whose contacts are of `agency_type` (`agency_contact_type`), that type
    unless the description names another contact (`agency_contact_types`: a phone call, a letter or
    notification, a referral; but not one of `within`, which an attendance's own record names: "Discharged
    home", "Reviewed by paediatric registrar") or the `action` (the outcome) says the contact did not take place
    (one of `outcomes`: "DNA", "Did not attend", "Not brought")."""
    v = compile_vocab(vocab)
    found = description_contact_type(description, v)
    if not agency_type:
        return found or "other"
    entry = next(e for e in v.agency_contact_types if e[0] == agency_type)
    if found and found != agency_type and found not in entry[2]:
        return found
    outcome = description_contact_type(action, v) if entry[3] and not _blank(action) else ""
    return outcome if outcome in entry[3] else agency_type


def type_cell_contact_type(type_text, vocab) -> str:
    """The contact type a type cell names (its first in vocabulary order), else "" (blank, or not recognised:
    "CP conference" before the vocabulary knew it, "Meeting"). Read as a description is (`_type_hits`: "A&E
    letter", "Notification of A&E attendance" are letters), but the `contact_type_cell_words` are read too
    ("Phone", "Ward"), and a cell whose every type keyword reads as another event's is still of their type
    ("Post discharge visit" is a discharge, "Previous A&E attendance" an A&E attendance)."""
    if _blank(type_text):
        return ""
    v = compile_vocab(vocab)
    hits = _type_hits(v, v._except(normalise_text(str(type_text)).split()), cell=True)
    return v.contact_types[min(rank for _, _, rank in hits)] if hits else ""


_CLAUSE_TOKENS = frozenset({"|", ",", _COLON, _DASH, _BREAK})
#: how many words may stand between a context cue and the type keyword it is about ("after his hospital admission")
_CONTEXT_GAP = 2


def description_contact_type(description, vocab) -> str:
    """The contact type a description names, else "": the first in vocabulary order of the keywords that name
    the contact itself. Not read from a description (a type cell still is): a keyword of
    `contact_type_cell_words` ("checks his phone", "hit him with phone": a bare "phone" is no phone call); one
    at most two words after one of `contact_type_context_cues` in its clause, which names another event, past
    or written about ("Return to school after hospital admission", "discharged from ward", "history of A&E
    attendances", "letter re A&E attendance"); one of `contact_type_letter_subjects` straight followed by a
    `letter` keyword ("A&E letter re buckle fracture", "discharge letter": a letter); one inside a longer
    keyword of another type ("discharge summary": a letter)."""
    v = compile_vocab(vocab)
    return _description_type(v, v.tokens(description))


def _description_type(v: Vocabulary, tokens: list[str]) -> str:
    """`description_contact_type` of a description's `tokens` (`Vocabulary.tokens`)."""
    hits = _type_hits(v, tokens)
    if len(hits) > 1 and v._letter_rank >= 0 and v.received_letter_cues and _opens_received_letter(v, tokens, hits):
        return v.contact_types[v._letter_rank]
    return v.contact_types[min(rank for _, _, rank in hits)] if hits else ""


def _opens_received_letter(v: Vocabulary, tokens: list[str], hits: list) -> bool:
    """(s20) Does the description open (within `received_letter_within` words) with one of `received_letter_cues`
    that holds a `letter` keyword ("Notification from police: Amara brought to hospital in cardiac arrest and has
    died. Mother and partner arrested.", "Email from school: ..."): the row is that letter or notification
    received, and the attendance, the arrest or the visit it tells of are the sender's, not the row's type."""
    letters = [(s, e) for s, e, rank in hits if rank == v._letter_rank and s <= v.received_letter_within]
    if not letters:
        return False
    head = tokens[:v.received_letter_within + 4]
    first = min(s for s, _, _ in hits)  # nothing named before the cue ("Home visit. Letter from GP discussed")
    return any(start <= v.received_letter_within and start <= first
               and any(start <= s and e <= end for s, e in letters)
               for start, end, _ in v.received_letter_cues.find(head))


def _type_hits(v: Vocabulary, tokens: list[str], *, cell: bool = False) -> list:
    """The type keywords of `tokens` that name the contact itself, as (start, end, rank): the one reading of
    a text's types (`description_contact_type`; a type cell's, `type_cell_contact_type`, which reads
    `contact_type_cell_words` too; `names_type`, `records_under_way`). Not those about another event (after
    a context cue, a letter's subject, inside a longer keyword of another type: `_contact_hits`)."""
    by_first = v.contact_type_keywords._by_first
    if by_first.keys().isdisjoint(tokens):  # most descriptions name no type word: a check in C
        return []
    hits = []  # (start, end, rank)
    rank_of, cell_words = v.contact_type_rank, (frozenset() if cell else v.contact_type_cell_words)
    for i, token in enumerate(tokens):
        candidates = by_first.get(token)
        if candidates:
            for words in candidates:
                k = len(words)
                if k == 1 or tuple(tokens[i : i + k]) == words:
                    keyword = " ".join(words)
                    if keyword not in cell_words:
                        hits.append((i, i + k, rank_of[keyword]))
    if not hits:
        return hits
    if not cell and not v.cues._by_first.keys().isdisjoint(tokens):
        # (s19) a type keyword a negation cue stands straight before names no contact ("No CP medical as no
        # physical signs", "no home visit this week"): not this row's type
        hits = _not_negated_types(v, tokens, hits)
        if not hits:
            return hits
    cued = not (v.contact_type_context_cues._by_first.keys().isdisjoint(tokens)
                and v.contact_type_reported_cues._by_first.keys().isdisjoint(tokens))
    if cued or (len(hits) > 1 and _may_drop(v, hits)):
        kept = _contact_hits(v, tokens, list(hits), cued)
        # a type cell names the contact's type: when every keyword in it reads as another event's ("Post
        # discharge visit", "Previous A&E attendance"), they are still the cell's type, as before the cell was
        # read as a description is; one the cell names beside them still wins ("A&E letter": a letter)
        hits = kept if kept or not cell else hits
    return hits


#: the most words between a negation cue and the type keyword it denies in a description ("No CP medical", "no
#: formal strategy discussion"; not "Not at home for the home visit": the visit was made)
_TYPE_NEGATION_WINDOW = 1


def _not_negated_types(v: Vocabulary, tokens: list[str], hits: list) -> list:
    """`hits` (start, end, rank) less those a negation cue (`negation_cues`, not inside a keyword or a concern
    keyword: "did not attend", "child not seen" negate nothing) stands before with at most
    `_TYPE_NEGATION_WINDOW` words between, in its clause."""
    keywords = [(s, e, v.contact_types[r]) for s, e, r in hits]
    scope = Scope(v, tokens, keywords)
    pre = scope.cues(v.cues)
    if not pre:
        return hits
    return [h for h in hits
            if not any(c[1] <= h[0] and scope.reaches(c[1], h[0], _TYPE_NEGATION_WINDOW, True) for c in pre)]


def _may_drop(v: Vocabulary, hits: list) -> bool:
    """Whether `_contact_hits` could drop one of `hits` (in order of start) without a context cue: two of them
    overlap (one inside a longer one), or one is a letter's ("A&E letter")."""
    letter = v._letter_rank
    end = -1
    for start, stop, rank in hits:
        if start < end or rank == letter:
            return True
        end = stop
    return False


def _contact_hits(v: Vocabulary, tokens: list[str], hits: list, cued: bool) -> list:
    """`hits` (start, end, rank) less those naming another event than the contact (`description_contact_type`);
    `cued`: whether a word of `tokens` begins a context cue."""
    cue_ends = [end for _, end, _ in v.contact_type_context_cues.find(tokens)] if cued else []
    # "Told by social care that assessment closed and stepped down to early help": every keyword after a
    # reported cue, to the end of its clause, is another agency's event the row records being told of
    reported = []
    for _, end, _ in (v.contact_type_reported_cues.find(tokens) if cued else ()):
        stop = next((k for k in range(end, len(tokens)) if tokens[k] in _CLAUSE_TOKENS), len(tokens))
        reported.append((end, stop))
    letter = v._letter_rank
    letter_starts = {s for s, _, rank in hits if rank == letter}
    subjects = v.contact_type_letter_subjects
    hits.sort()
    other_event = {hit for hit in hits if any(lo <= hit[0] < hi for lo, hi in reported)}
    for cue in cue_ends:
        # the first keyword after the cue, with those of its type straight after it ("following her admission
        # to ward"), names the other event; a keyword of another type after them is the contact's own ("post
        # discharge home visit")
        first, reach = None, cue
        for hit in hits:
            start, end, rank = hit
            if start < cue:
                continue
            if start < reach or (start <= reach + _CONTEXT_GAP and (first is None or rank == first)
                                 and _CLAUSE_TOKENS.isdisjoint(tokens[reach:start])):
                other_event.add(hit)
                first, reach = rank if first is None else first, max(reach, end)
            else:
                break
    kept = []
    for hit in hits:
        start, end, rank = hit
        if hit in other_event:
            continue  # "after hospital admission": another event
        if any(s <= start and end <= e and e - s > end - start and r != rank for s, e, r in hits):
            continue  # inside a longer keyword of another type
        if end in letter_starts and v.contact_types[rank] in subjects:
            continue  # "A&E letter": a letter about the attendance
        kept.append(hit)
    return kept


def _not_seen_subjects(v: "Vocabulary") -> tuple[frozenset, frozenset]:
    """(the words naming the child: sighting_child_words and sighting_child_names; sighting_other_subjects) of
    the vocabulary `v`, normalised as tokens (cached on it): `not_seen_mentions_elsewhere` reads with them."""
    cached = getattr(v, "_not_seen_subjects", None)
    if cached is None:
        def words(values, split=False):
            out = (normalise_text(str(x)) for x in values or ())
            return frozenset(t for w in out for t in (w.split() if split else [w]) if t)

        cached = (words(v.raw.get("sighting_child_words")) | words(v.raw.get("sighting_child_names"), True),
                  words(v.raw.get("sighting_other_subjects")))
        v._not_seen_subjects = cached
    return cached


def _not_seen_report_words(v: "Vocabulary") -> tuple[tuple, tuple]:
    """(sighting_not_seen_reporters, sighting_not_seen_durations) of the vocabulary `v`, normalised (cached on it)."""
    cached = getattr(v, "_not_seen_report_words", None)
    if cached is None:
        def words(values):
            return tuple(w for w in dict.fromkeys(normalise_text(str(x)) for x in values or ()) if w)

        cached = (words(v.raw.get("sighting_not_seen_reporters")), words(v.raw.get("sighting_not_seen_durations")))
        v._not_seen_report_words = cached
    return cached


def not_seen_mentions_elsewhere(tokens: list, mentions: list, child: frozenset, others: frozenset) -> bool:
    """(s21, QA12 D11) Is every "not seen" of `mentions` an elliptical one (". Not seen.", "(not seen)": first in
    its sentence, naming no one) in a text that names the child seen ("Mason seen and weighed ... moses basket
    'at Nan's' ... Not seen.": the sleeping place unseen, the child seen)? Then it is about someone or something
    else. Not read (a subject the words do not settle): "Father's risk not assessed (not seen)" without the child
    named seen stays the child's; "Mother at home. Not seen." is the child unseen. `child`: sighting_child_words
    and the child's names (`others`: unused, the signature `review.sightings._subjects` gives). No mention: False."""
    if not mentions or not (child or others):
        return False
    named_seen = any(tokens[i] == "seen" and tokens[i - 1] in child and (i < 2 or tokens[i - 2] not in ("not", "never"))
                     for i in range(1, len(tokens)))

    def elsewhere(start: int, end: int) -> bool:
        if start > 0 and tokens[start - 1][0] != "|":
            return False  # "child not seen", "Kai not seen": the mention names its subject
        if any(t in child or t in others for t in tokens[start:end]):
            return False
        return named_seen

    return all(elsewhere(start, end) for start, end, *_ in mentions)


def not_seen_mentions_reported(tokens: list, mentions: list, reporters: tuple, durations: tuple) -> bool:
    """Is every "not seen" of `mentions` ((first token, end token, ...) in `tokens`, `Vocabulary.tokens`)
    someone else's report or a past time, not this contact's own failure to see the child (s19, s20)? A mention
    followed by a time (`durations`, sighting_not_seen_durations: "not seen for months", "not seen since March";
    or "for" and a number: "not seen for 3 weeks"), or after one of `reporters` (sighting_not_seen_reporters,
    normalised phrases: the people whose report it is, "Call from neighbour: boy not seen", "Caller reports child
    not seen") in its sentence, a label's colon or a dash not ending it. No verb of speech is a reporter: "Mother
    said Kai was asleep upstairs: child not seen" is the visit's own. Read alike by the concern tag
    (`tag_concerns`) and the sighting (`review.sightings._not_seen_reported`). No mention: False."""
    if not mentions or not (reporters or durations):
        return False
    after_words = [d.split() for d in durations]
    people = [r.split() for r in reporters]

    def reporter_ends_at(i: int) -> bool:
        return any(tokens[i - len(w) + 1:i + 1] == w for w in people if i - len(w) + 1 >= 0)

    def reported(start: int, end: int) -> bool:
        rest = tokens[end:end + 4]
        if len(rest) >= 2 and rest[0] == "for" and rest[1][:1].isdigit():  # "not seen for 3 weeks"
            return True
        if any(rest[:len(w)] == w for w in after_words):
            return True
        i = start - 1
        while i >= 0 and (tokens[i][0] != "|" or tokens[i] in ("|:", "|-")):
            if reporter_ends_at(i):
                return True
            i -= 1
        return False

    return all(reported(start, end) for start, end, *_ in mentions)


def tag_concerns(text, vocab) -> list[str]:
    """Sorted unique concern tags found in `text`, skipping negated mentions (see module docstring)."""
    v = compile_vocab(vocab)
    tags = set()
    adults: list = []  # an adult's self-harm or missing episode (adults_concerns): read as the parent's
    tokens = v.tokens(text)
    if v.concern_exceptions and not v.concern_exceptions._by_first.keys().isdisjoint(tokens):
        excepted = v.concern_exceptions.find(tokens)
        if excepted:
            tokens = list(tokens)  # the cached tokens are shared (`Vocabulary.tokens`): read-only
            for start, end, _ in excepted:
                tokens[start:end] = [_EXCEPTED] * (end - start)
    # a child's word that they are hungry, then eating, is an appetite (`Vocabulary._appetites`)
    appetites = v._appetites(tokens)
    if appetites:
        tokens = list(tokens)
        for start, end in appetites:
            tokens[start:end] = [_EXCEPTED] * (end - start)
    read = v.stated_staff_handling(v.stated_weight_drop(v.counted_tablets(tokens)))
    unseen = []  # the mentions tagging child_not_seen
    spans = v.find_spans(read, v.concerns, adults)
    for start, end, keyword in spans:
        tags.update(v.concern_tags[keyword])
        if "child_not_seen" in v.concern_tags[keyword]:
            unseen.append((start, end, keyword))
    # (s20) a "not seen" that is someone else's report or a past time ("Call from neighbour: boy at address not seen
    # for months") is no concern of this contact's unseen child: the decision `review.sightings` takes for the
    # sighting (`not_seen_mentions_reported`); a parent's explanation ("Mother said Kai was asleep upstairs: child
    # not seen") is no one else's report
    if unseen and not_seen_mentions_reported(read, unseen, *_not_seen_report_words(v)):
        tags.discard("child_not_seen")
    elif unseen and not_seen_mentions_elsewhere(read, unseen, *_not_seen_subjects(v)):
        tags.discard("child_not_seen")  # (s21) "... moses basket at Nan's. Not seen.", "Father (not seen)"
    for _, _, keyword in adults:
        tags.update(v.adults_concern_keywords[keyword])
    # (s21, QA11 D2) a parent's report a measurement contradicts ("Mother reports weight loss ... Weight 20.3 kg
    # (50th centile)") is no finding of the agency's
    if spans and v.raw.get("reported_symptoms"):
        tags.difference_update(v.reported_not_observed(read, spans))
    # a blow told of in the young person's own relationship is relationship_abuse (read by age as domestic abuse
    # or child abuse), no non-accidental injury unless an injury is recorded ("Jayden says Tanya pushed him.
    # Abusive relationship."; "girlfriend hit him, bruise to cheek" is still one)
    if v.fear_words and v.fear_tag not in tags and v.injury_adults \
            and not v.fear_words._by_first.keys().isdisjoint(tokens) and v._fear_of_adult(tokens):
        tags.add(v.fear_tag)  # "Leah said she is scared of Gary": the child's fear of an adult
    own_relationship = "relationship_abuse" in tags and tags.isdisjoint(v.finding_tags)
    if v.disclosure_hits and "non_accidental" not in tags and not own_relationship:
        tokens = v.tokens(text)
        if not v.disclosure_hits._by_first.keys().isdisjoint(tokens):
            blows: list = []
            if v._disclosed_hit(tokens, blows):
                tags.add("non_accidental")  # "said his dad hit him": a child's disclosure of being hit
            elif blows:
                # an adult's account of a blow to themselves ("Mother said partner hit her", "Chantelle said he
                # pushed her", Chantelle the mother): domestic abuse in the household, no injury of the child's
                tags.add("domestic_abuse")
    return sorted(tags)


def detect_escalations(contact_type, text, vocab) -> list[str]:
    """Every escalation this contact *is*, sorted: those its text names (not negated and not hypothetical:
    see module docstring) and those of its contact type, unless the text names that escalation only to
    say it did not happen ("CP medical declined by mother")."""
    v = compile_vocab(vocab)
    text = v.placeless(text)  # "Referral to Westvale MASH": "Referral to MASH" (s21, QA11 D6)
    named = set()
    # the type's own escalation and its denial are read in the whole text; what the text names, in the text of
    # the row's agency: not the description of a letter or report another agency sent (`received_letter`)
    own = text
    if contact_type in v.received_letter_types and isinstance(text, str):
        description, _, action = text.partition("\n")
        if v.received_letter(description):
            own = action
    # a clause written with hindsight ("In hindsight, a referral to MASH was needed") names no escalation;
    # its concerns are still read (`tag_concerns`), and the contact type's own escalation stands
    for keyword in v._scan_escalations(own, v.escalations, hindsight=True)[0]:
        named.update(v.escalation_keywords[keyword])
    # a referral its recipient declined was made, to social care, though its words name no destination
    # ("Referral declined by CSC", "CSC declined the referral")
    # ("Referral declined by CSC", "CSC declined the referral"); not where the row records a referral it
    # received ("Referral from HV received. CSC declined the referral"): social care's own record of its
    # decision is no referral by social care
    # (to social care: not a MARAC referral, `review.schema.ADULT_ESCALATIONS`, which plan_escalations hold too)
    declined_kinds = {k for k in v.plan_escalations if k not in ADULT_ESCALATIONS}
    if declined_kinds and not declined_kinds <= named and v.declines_referral(own) and not v.received_referral(own):
        named.update(declined_kinds)
    for escalation, types in v.escalation_types:
        # the rules' question about a row of the type (`denies`, `review.rules.base.types_held`), read alike
        if contact_type in types and escalation not in named and not denies(escalation, text, v):
            named.add(escalation)
    # words recording the escalation taking place wherever they stand, unless the text says it did not (the
    # police's "Strategy discussion with children's social care." on an arrest row): `recorded_keywords`
    for escalation, words in v.recorded_escalations:
        if escalation not in named and _records_now(escalation, words, own, v):
            named.add(escalation)
    return sorted(named)


def _records_now(name, words, text, v) -> bool:
    """Does `text` hold one of `words` (an escalation's `recorded_keywords`) outside a clause written with
    hindsight ("In hindsight, a strategy discussion with police was needed"), and `denies` not read it as saying
    the escalation `name` did not happen ("Strategy discussion with police - DS unable to attend, rearranged")?"""
    tokens = v.tokens(text)
    if words._by_first.keys().isdisjoint(tokens):  # most texts name none of them: a check in C
        return False
    hits = [start for start, _, _ in words.find(tokens)]
    if not hits:
        return False
    spans = v.hindsight_clauses(tokens)
    if spans and all(any(lo <= start < hi for lo, hi in spans) for start in hits):
        return False
    return not denies(name, text, v)


#: `denies`: the most words between a negation cue and the words it negates before them. A row of the type
#: records that meeting, assessment or decision, and the cue of such a row's sentence most often negates
#: something else in it ("Father not invited to strategy discussion", "No police present at strategy
#: discussion", "Mother refused to attend ICPC", "No concerns found during assessment"); one word between
#: still denies ("no further strategy discussion", "Decision not to close the case").
#:
#: Why not `negation_window` (4), as ingest reads concerns and escalation keywords: there the words are the
#: finding or the escalation itself, named in a sentence about it, and a cue a few words before most often
#: negates it ("no obvious marks or bruising", "not felt necessary to refer to social care"; for an
#: escalation keyword a false escalation hides a flag). A row's own contact type is named in a sentence
#: about what happened at that meeting, so a cue a few words before most often negates a participant's part
#: in it. Ingest's reading of a row's contact-type escalation asks the question `denies` asks, and reads it
#: with `denies` (`detect_escalations`): the rules and the escalation column agree on it.
_DENIAL_WINDOW = 1


def denies(name, text, vocab) -> bool:
    """Does `text` name the escalation or contact type `name` only to say that it did not happen
    ("Strategy discussion not held", "strategy meeting cancelled", "ICPC postponed", "assessment not
    started", "CP medical declined by mother")? Its words (`Vocabulary.denial_phrases`) are read with the
    escalation negation cues (module docstring), as `detect_escalations` reads a contact type's own
    escalation: True when some mention is negated and none is not, but a cue before the words reaches them
    only across one word (`_DENIAL_WINDOW`: "Father not invited to strategy discussion" denies nothing). A
    text that does not name it at all denies nothing (a row typed "Strategy discussion" whose details say
    who attended).

    Besides the escalation cues (vocab.yml, read by `denies` only; `Vocabulary._denial_cues`): a row that
    only plans or awaits it denies it (`plan_cues`, `plan_post_cues`, `plan_next_cues`: "ICPC booked for
    12/03", "Awaiting strategy discussion", "Strategy discussion to be arranged", "assessment pending"; not
    "Strategy discussion held; ICPC booked" for the strategy discussion); a participant's absence with a
    subject before it does not (`attendance_negations`: "Police unable to attend strategy discussion"; still
    "Unable to hold strategy discussion", "Strategy discussion unable to proceed"), but the child's own
    absence from the child's own examination does (`absence_cues`: "CP medical - child did not attend",
    "CP medical - WNB", "CP medical, child was not brought"); a cue beginning the clause after a comma
    answers the words beginning theirs when nothing between affirms them or names another contact
    (`_comma_answers`: "Assessment allocated to SW, not yet started"); nor does a decision's
    refusal, its outcome (`denial_outcomes`: "MASH decision: declined"); and a later affirmation after a
    postponement or cancellation takes it back (`affirmations`: "ICPC postponed to 3rd, held on 3rd";
    `Vocabulary._affirmed`)."""
    v = compile_vocab(vocab)
    found, negated = v._scan_escalations(text, v.denial_phrases(str(name)), _DENIAL_WINDOW, str(name))
    return bool(negated) and not found


def records_type(name, text, vocab) -> bool:
    """Does `text` record the contact type `name` taking place, whatever the row's own type: one of the
    type's keywords (`contact_types`; not `denial_words`, which only deny) in its words, and `denies` does
    not read the text as saying it did not happen? "Initial assessment started following GP referral" (a
    row typed referral, the first type in order) records an assessment; "Assessment not started", "Strategy
    discussion to be arranged" do not."""
    v = compile_vocab(vocab)
    return names_type(name, text, v) and not denies(name, text, v)


def records_under_way(name, text, vocab) -> bool:
    """Does `text` record the contact type `name` under way or done, in its own words: one of the type's
    keywords (`contact_types`) followed straight by one of `name`'s affirmations (`name_affirmations`, else
    `affirmations`; not one of `affirmation_exceptions`), and `denies` does not read the text as saying it
    did not happen? "Single assessment started", "Assessment commenced", "Single assessment opened" record
    an assessment (`records_type` of a text that names it this way); "Referral for assessment",
    "Assessment to be completed by 5/4", "Assessment not started" do not, nor one about another event
    ("following assessment started last week": the keywords read as a description's type, `_type_hits`)."""
    v = compile_vocab(vocab)
    tokens = v.tokens(text)
    affirmations = v.name_affirmations.get(name, v.affirmations)
    for _, end, rank in _type_hits(v, tokens):  # the types the text names as it reads them for its own type
        if v.contact_types[rank] == name and affirmations.at(tokens, end) and not v._not_affirming(tokens, end):
            return not denies(name, text, v)
    return False


def names_type(name, text, vocab) -> bool:
    """Is one of the keywords of the contact type `name` (`contact_types`) in the words of `text`, negated or
    not (`records_type` without its `denies`)? Read as a description's type is (`_type_hits`): not a bare
    "phone" ("checks his phone"), nor a type about another event ("after hospital admission", "A&E letter re
    buckle fracture", "Notified of A&E attendance")."""
    v = compile_vocab(vocab)
    return any(v.contact_types[rank] == name for _, _, rank in _type_hits(v, v.tokens(text)))


def detect_escalation(contact_type, text, vocab) -> str:
    """The `escalation` cell of a contact: `detect_escalations` joined with "; " ("" when none)."""
    return join_multi(detect_escalations(contact_type, text, vocab))


_INFORMED_SPLIT = re.compile(r"[,;/\n\r|]+|\s+(?:and|&|\+)\s+", re.IGNORECASE)
_INFORMED_LEAD = re.compile(
    r"^\s*(?:info(?:rmation)?\s+)?(?:shared\s+with|sent\s+to|copied\s+to|copy\s+to|cc|informed|notified)\b[\s:]*",
    re.IGNORECASE,
)
_INFORMED_NONE = frozenset(
    {"", "none", "nil", "n a", "na", "n k", "no", "not shared", "no one", "nobody", "not recorded", "not known"}
)


def parse_informed_agencies(text, vocab) -> list[str]:
    """Agencies named in a "shared with" cell, normalised through the alias table, sorted and unique.

    Splits on , ; / | newlines and a spaced "and", "&" or "+" ("A&E" stays whole); a piece that is a
    known agency as a whole ("Children and Families Service" in the alias table) is not split further.
    A leading "shared with" / "cc" / "informed" and entries such as "none" or "n/a" are dropped.
    """
    v = compile_vocab(vocab)
    if normalise_text(text) in _INFORMED_NONE:  # also blank; before "/" splits "n/a"
        return []
    names = set()
    for chunk in re.split(r"[,;/\n\r|]+", str(text)):
        chunk = _INFORMED_LEAD.sub("", chunk).strip(" .-")
        if not chunk:
            continue
        parts = [chunk] if normalise_text(chunk) in v.agencies else _INFORMED_SPLIT.split(chunk)
        for part in parts:
            part = _INFORMED_LEAD.sub("", part).strip(" .-")
            if not normalise_text(part) or normalise_text(part) in _INFORMED_NONE:
                continue
            names.add(normalise_agency(part, v)[0])
    return sorted(names)


#: (s21) a recipient's role at the end of its name: "(social worker)", ", SW", " - allocated SW"
_ROLE_PART = re.compile(r"^(?P<who>.*?\S)\s*(?:\((?P<bracket>[^()]*)\)|,(?P<comma>[^,()]*)|\s[-\u2013\u2014]\s*(?P<dash>[^()\-\u2013\u2014]*))\s*$")


def recipient_role(name, vocab) -> str | None:
    """(s21) The `sharing_recipients` label of a recipient named as a person with their role: "Kerry Holt (social
    worker)", "Kerry Holt, SW", "K Holt - allocated SW" -> "Children's social care", as the narrative's "SW" is
    (`shared_in_text`); a name that is a role alone ("Social worker", "Allocated SW") too. The role is the name's
    last part (in brackets, after its last comma, after a dash), wholly one of the label's words after any of
    `recipient_role_qualifiers` ("the", "allocated", "child's"); None for any other name ("Westmere CSC" is read
    by its own words, `normalise_agency`). Read once per distinct name."""
    if not isinstance(name, str) or not name.strip():
        return None
    v = compile_vocab(vocab)
    if not v.sharing_recipients:
        return None
    if name in v._role_cache:
        return v._role_cache[name]

    def label(text) -> str | None:
        words = normalise_text(text).split()
        while words and words[0] in v.recipient_role_qualifiers:
            words = words[1:]
        return v.sharing_recipients.get(" ".join(words)) if words else None

    found = label(name)
    match = _ROLE_PART.match(name.strip()) if found is None else None
    if match is not None:
        found = label(next(p for p in (match["bracket"], match["comma"], match["dash"]) if p is not None))
    if len(v._role_cache) > 10_000:
        v._role_cache.clear()
    v._role_cache[name] = found
    return found


def recipient_reach(listed: str, vocab):
    """The (agency kinds, agency name words) a recipient reaches (`sharing_reach`): a `sharing_recipients` label's
    own, or (s21) the label of the role it is named with (`recipient_role`: "Kerry Holt (social worker)"); None."""
    v = compile_vocab(vocab)
    reach = v.sharing_reach.get(listed)
    if reach is None:
        role = recipient_role(listed, v)
        reach = v.sharing_reach.get(role) if role is not None else None
    return reach


def informed_reaches(listed: str, agency: str, kind: str, vocab) -> bool:
    """Does an entry of a row's informed agencies (`listed`, one name) reach `agency` (of `kind`)? Its own
    name, or a `sharing_recipients` label (`shared_in_text`) whose `kinds` include the agency's kind
    ("Children's social care": any social care agency) or one of whose `names` starts a word of the agency's
    name ("Health visiting": "Oakfield Health Visiting"; "GP": "Riverside GP Practice"); (s21) a person named with
    such a role reaches as its label does ("Kerry Holt (social worker)": `recipient_role`)."""
    if not listed or not agency:
        return False
    if listed == agency:
        return True
    reach = recipient_reach(listed, vocab)
    if reach is None:
        return False
    kinds, names = reach
    return kind in kinds or (names is not None and names.search(normalise_text(agency)) is not None)


#: how many words after a sharing cue may name its recipient ("shared with the allocated duty SW")
_SHARING_REACH = 6


def shared_in_text(text, vocab, own: tuple | None = None) -> list[str]:
    """The recipients a contact's narrative says the information was shared with, as the labels of
    `sharing_recipients` (vocab.yml), sorted and unique: "Info shared with allocated SW by phone" ->
    ["Children's social care"], "copy sent to GP", "discussed with HV", "emailed MASH", "SW informed".

    A recipient is one of `sharing_recipients`' words among the `_SHARING_REACH` words after one of
    `sharing_cues` in its sentence (up to . ; ! ? or a newline) and before any of `sharing_stops` ("Informed
    mum that HV will visit" shared with mum only), or straight before one of `sharing_post_cues`
    ("GP informed", "HV made aware"). A cue with one of `sharing_negations` among the three words before it
    shares nothing ("not shared with SW", "unable to share", "info to be passed to GP"); "consent to share
    refused" names no cue. Read once per distinct text at ingest (`ingest.load`).

    `own`: the (agency, kind) of the row (s19). A recipient that is a part of that agency is no other agency
    shared with: a school's "DSL informed" (its own designated safeguarding lead), the police's "OIC updated",
    a GP practice's "discussed with GP" (a label reaching the agency, `informed_reaches`), unless the word may
    name another agency of its kind (`sharing_other_agency_words`: a school's "shared with new school")."""
    v = compile_vocab(vocab)
    if not v.sharing_recipients or _blank(text):
        return []
    tokens = v.tokens(v.placeless(text))
    if v._sharing_words._by_first.keys().isdisjoint(tokens):
        return []
    found = set()
    negations = v.sharing_negations

    def internal(word: str) -> bool:  # a part of the row's own agency (`own`)
        return (own is not None and word not in v.sharing_other_agency_words
                and informed_reaches(v.sharing_recipients[word], own[0], own[1], v))

    cues = v.sharing_cues.find(tokens)
    if v._sharing_referral_cues is not None:
        # a referral to social care shares what it says with it (s21): only where the text's words are one
        referrals = v._sharing_referral_cues.find(tokens)
        if referrals and "referral_to_csc" in detect_escalations("other", text, v):
            cues = sorted(cues + referrals)
    for start, end, _ in cues:
        before = tokens[max(start - 3, 0):start]
        if "|" in before:  # (s21) a negation in the sentence before is not this one's ("... never seen. Referral to MASH")
            before = before[len(before) - before[::-1].index("|"):]
        if negations and not negations.isdisjoint(before):
            continue
        if end < len(tokens) and tokens[end] in ("by", "from"):  # received: "notified by police", "informed by SW"
            continue
        stop = end
        while stop < len(tokens) and stop < end + _SHARING_REACH and tokens[stop] != "|" \
                and tokens[stop] not in v.sharing_stops:
            stop += 1
        for _, _, word in v._sharing_words.find(tokens[end:stop]):
            if not internal(word):
                found.add(v.sharing_recipients[word])
    for start, end, _ in v.sharing_post_cues.find(tokens):
        if negations and not negations.isdisjoint(tokens[start:min(end + 1, len(tokens))] + tokens[max(start - 4, 0):start]):
            continue
        for s_, e_, word in v._sharing_words.find(tokens[max(start - 3, 0):start]):
            if e_ == start - max(start - 3, 0) and not internal(word):  # straight before the cue
                found.add(v.sharing_recipients[word])
    return sorted(found)


_YES = frozenset({"y", "yes", "true", "t", "1", "seen", "yes seen", "seen alone", "yes alone"})
_NO = frozenset({"n", "no", "false", "f", "0", "not seen", "unseen", "not alone", "no not seen"})
_UNKNOWN = frozenset({"", "unknown", "n k", "nk", "not known", "n a", "na", "not recorded", "not applicable", "unclear"})


def parse_yes_no(value) -> bool | None:
    """True / False / None (unknown) for "child seen" style columns.

    Y, yes, true, 1, seen -> True; N, no, false, 0, not seen -> False; unknown, n/k, n/a, blank -> None.
    Longer answers count by their first word ("Yes - in cot" -> True, "No, asleep" -> False).
    """
    if _blank(value):
        return None
    if isinstance(value, Number):  # bool, int, float, numpy scalars
        if value != value:  # NaN
            return None
        return {1: True, 0: False}.get(value)
    text = normalise_text(value)
    if text in _UNKNOWN:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    first = text.split(" ", 1)[0]
    if first in ("yes", "y", "seen"):
        return True
    if first in ("no", "n", "not"):
        return False
    return None


# ---------------------------------------------------------------------------------------------------------------
# A partner's age as a record states it ("boyfriend 'Jay' aged 19", "boyfriend is 18", "an older male (looked
# about 20)", "two adult males aged 19 and 23", "19 year old boyfriend"): exploitation_not_referred reads a child
# under 16's sexual activity with a partner that much older (variant underage_sexual_activity). The word lists
# are the package vocab.yml's `partner_age` (read from the package vocabulary only, as `review.mobility`'s).
# ---------------------------------------------------------------------------------------------------------------

_PARTNER_AGE_RE: list = []


def _partner_age_patterns() -> tuple:
    if not _PARTNER_AGE_RE:
        from .config import package_data

        spec = package_data("vocab.yml").get("partner_age") or {}

        def alternation(key: str) -> str:
            words = _as_list(spec.get(key) or [], f"partner_age.{key}")
            words = sorted({normalise_text(w) for w in words if normalise_text(w)}, key=len, reverse=True)
            if not words:
                raise ConfigError(f"vocab.yml partner_age.{key} must list at least one word")
            return "|".join(re.escape(w).replace(r"\ ", " ") for w in words)

        persons, links, approx = alternation("persons"), alternation("links"), alternation("approximately")
        units = alternation("not_ages")
        between = int(spec.get("words_between", 5))
        age = rf"(\d{{1,2}})(?! (?:{units})\b)"
        after = re.compile(
            rf"\b(?:{persons})\b(?: [^ .]+){{0,{between}}}? (?:{links}) (?:(?:{approx}) )?{age}"
            rf"(?: (?:and|or|to) {age})?\b")
        before = re.compile(rf"\b(\d{{1,2}}) ?(?:year old|years old|yr old|yrs old|yo|y o) (?:{persons})\b")
        _PARTNER_AGE_RE.extend([after, before])
    return tuple(_PARTNER_AGE_RE)


def _clean_for_ages(text) -> str:
    """Lower-cased words and numbers, clause marks kept as " . " (a sentence bounds the reading)."""
    text = re.sub(r"[.;:!?\n]", " . ", str(text).lower())  # brackets are no break: "male (looked about 20)"
    text = re.sub(r"[^a-z0-9. ]+", " ", text)
    return re.sub(r" +", " ", text).strip()


def stated_partner_age(text) -> int | None:
    """The oldest age (10 to 99) `text` states of a partner or an adult the child is with (vocab.yml
    partner_age: one of its `persons`, at most `words_between` words in its sentence, one of its `links`, a
    number not followed by a unit: "boyfriend 'Jay' aged 19", "boyfriend is 18", "older male (looked about 20)",
    "adult males aged 19 and 23"; or "19 year old boyfriend"), else None. One text at a time: callers read
    each distinct text once."""
    if _blank(text) or not any(ch.isdigit() for ch in str(text)):
        return None
    clean = _clean_for_ages(text)
    after, before = _partner_age_patterns()
    ages = []
    for m in after.finditer(clean):
        ages += [int(g) for g in m.groups() if g]
    for m in before.finditer(clean):
        ages.append(int(m.group(1)))
    ages = [a for a in ages if 10 <= a <= 99]
    return max(ages) if ages else None
