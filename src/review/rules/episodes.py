"""Injury episodes shared by the three injury rules: is an injury record a record of an injury already
recorded (a fracture clinic review, a dressing, a discharge letter "re scald 13/10", "seen re the burn on his
hand" a few days after a burn to the hand: `earlier_injury`, body places compared by region, vocab.yml
`body_regions`), and does a record say the explanation is consistent and there are no safeguarding concerns,
of each injury it names (`explained`)?

The text readings are made once per distinct (description, action) pair (`text_reading`, also read by
benchmarks/baseline_rowwise.py); the pairs of records are compared as arrays. docs/rules.md, "Injury episodes".
"""
from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from .base import Context, _texts

#: the most date references ("re scald 13/10") kept per event group
_MAX_DATES = 4
#: "13/10", "13/10/23", "13/10/2023", "13.10.23" (not "1.5cm", "5.1kg": a dotted date has its year)
_DATE_REF = re.compile(r"(?<![0-9/.])([0-9]{1,2})(?:/([0-9]{1,2})(?:/(?:[0-9]{4}|[0-9]{2}))?|\.([0-9]{1,2})\.(?:[0-9]{4}|[0-9]{2}))(?![0-9/]|\.[0-9])")
#: words straight before a phrase of `explained` that deny it ("not consistent with the history")
_DENIALS = frozenset({"not", "no", "nor", "never", "hardly", "barely", "isnt", "wasnt"})


@functools.lru_cache(maxsize=64)
@functools.lru_cache(maxsize=1024)
def _phrase_regex(phrases: tuple, plural: bool = False) -> re.Pattern | None:
    """Whole-word, case-folded alternation of `phrases` (words joined by any run of non-letters), the last
    word optionally plural with `plural`."""
    words = [w for w in (re.findall(r"[a-z0-9&]+", str(p).lower()) for p in phrases) if w]
    if not words:
        return None
    alternatives = sorted({r"[^a-z0-9&]+".join(map(re.escape, w)) + ("s?" if plural else "") for w in words},
                          key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9&])(?:" + "|".join(alternatives) + r")(?![a-z0-9&])")


def _found(pattern: re.Pattern | None, text: str, denials: bool = False) -> bool:
    """Does `pattern` find something in `text` (lower-cased, apostrophes dropped) — with `denials`, not
    straight after one of `_DENIALS`?"""
    if pattern is None:
        return False
    for match in pattern.finditer(text):
        if not denials:
            return True
        before = re.findall(r"[a-z0-9&]+", text[max(0, match.start() - 12):match.start()])
        if not before or before[-1] not in _DENIALS:
            return True
    return False


@functools.lru_cache(maxsize=64)
def _new_regex(cues: tuple, nouns: tuple) -> re.Pattern | None:
    """One of `cues` at most two words before one of `nouns` (a plural too) in its clause: "new bruise", "another
    small burn"."""
    first, last = _phrase_regex(cues), _phrase_regex(nouns, True)
    if first is None or last is None:
        return None
    # within a clause: spaces and hyphens only between the words ("new partner present, bruise to cheek" is none)
    return re.compile(first.pattern + r"(?:[ \t-]+[a-z0-9&]+){0,2}?[ \t-]+" + last.pattern)


@functools.lru_cache(maxsize=200_000)
def text_reading(text: str, cues: tuple, new_cues: tuple, regions: tuple,
                 near: tuple = ((), ((), ())), signs: tuple = ((), ())) -> tuple[bool, bool, int, tuple, bool, bool]:
    """One record's text (description " . " action) read for `earlier_injury`: (does it name a follow-up of
    an injury, one of `cues` ("fracture clinic", "healing well", "discharge letter"); does it call an injury
    new, `new_cues` = (cues, nouns): one of the cues at most two words before one of the nouns ("new bruise",
    "another burn"); the bit set of the body regions it names, `regions` a tuple of word tuples (bit i: a
    word of regions[i], the last word possibly plural: `region_words`; a plain word is a region of its own); the day-month numbers (day * 100 +
    month) of the dates it names, "13/10", "13.10.23", "13/10/2023", sorted; does it read as a follow-up in
    plainer words, `near` = (cues, (about, nouns)): one of the cues ("scabbed", "reviewed") or one of about
    at most two words before one of the nouns ("seen re the burn"), body-region words between them not
    counted ("seen re the distal radius fracture"); does it name swelling only, `signs` = (swelling words,
    the swelling tag's other words): one of the first and none of the others ("swollen left wrist", not
    "swollen lip, laceration"))."""
    lowered = re.sub(r"['’‘]", "", str(text).lower())
    cue = _found(_phrase_regex(cues), lowered)
    new = _found(_new_regex(*new_cues), lowered)
    bits = 0
    if regions:
        tokens = set(_WORD.findall(lowered))
        for i, firsts, pattern in _region_patterns(regions):
            if not tokens.isdisjoint(firsts) and pattern.search(lowered):
                bits |= 1 << i
    dates = sorted({int(d) * 100 + int(m or n) for d, m, n in _DATE_REF.findall(lowered)
                    if 1 <= int(d) <= 31 and 1 <= int(m or n) <= 12})
    plain = _found(_phrase_regex(tuple(near[0])), lowered) or _found(_new_regex(*near[1]), lowered)
    if not plain and bits and near[1][0]:
        # body-region words between "re" and the noun do not count as its two words ("seen re the distal
        # radius fracture", "regarding the left upper arm bruise"): read again without them
        places = _phrase_regex(tuple(w for words in regions[:62] for w in ((words,) if isinstance(words, str) else words)), True)
        plain = _found(_new_regex(*near[1]), places.sub(" ", lowered))
    swelling = _found(_phrase_regex(tuple(signs[0])), lowered) and not _found(_phrase_regex(tuple(signs[1])), lowered)
    return cue, new, bits, tuple(dates[:_MAX_DATES]), plain, swelling


#: a word as `_phrase_regex` bounds one: a run of a-z, 0-9 and &
_WORD = re.compile(r"[a-z0-9&]+")


@functools.lru_cache(maxsize=64)
def _region_patterns(regions: tuple) -> tuple:
    """Per body region of `regions` (the first 62, as `text_reading` takes them) that names a word: (its
    bit, the words one of which a text must hold for the region's pattern to find something in it, the
    pattern). A phrase's pattern finds it only where its first word stands whole (`_phrase_regex`: no
    letter, digit or & either side of it) or, a one-word phrase, with the plural "s": the text's words (`_WORD`)
    are checked for those first, and only a text holding one is searched."""
    out = []
    for i, words in enumerate(regions[:62]):
        phrases = (words,) if isinstance(words, str) else tuple(words)
        pattern = _phrase_regex(phrases, True)
        if pattern is None:
            continue
        firsts = set()
        for phrase in phrases:
            split = _WORD.findall(str(phrase).lower())
            if split:
                firsts.add(split[0])
                if len(split) == 1:
                    firsts.add(split[0] + "s")
        out.append((i, frozenset(firsts), pattern))
    return tuple(out)


#: where `explained_text` splits a text into the parts whose injuries it reads apart: a sentence's end, a
#: semicolon, a new line, a comma (a clause: "bruise to shin, explanation consistent with fall, no concerns")
_PARTS = re.compile(r"(?:\.(?:\s|$)|[;,\n\r]|\s\.\s)+")


@functools.lru_cache(maxsize=200_000)
def explained_text(text: str, consistent: tuple, unconcerned: tuple, injury_tags: tuple = (),
                   regions: tuple = ()) -> bool:
    """Does the text say both that the explanation is consistent (one of `consistent`, not straight after
    "not": "Explanation consistent with injury & developmental stage") and that there are no safeguarding
    concerns (one of `unconcerned`: "No safeguarding concerns")?

    With `injury_tags` and `regions` (the body regions, as `text_reading` takes them), where the text names
    injuries (concern tags of `injury_tags`, as ingest reads them: the package vocabulary's `tag_concerns`) in
    more than one of its parts (sentences and clauses, `_PARTS`), the consistent explanation must reach each
    injury at a body region of its own: a part is explained when it says it, or when the next part saying
    it names no injury (a summary: "Bruise to shin. Graze to knee. Explanation consistent with fall."); a part
    left unexplained that names a body region no explained part names is another injury, not explained:
    "Bruise to shin, explanation consistent with fall, no safeguarding concerns. Fingertip bruising to upper
    arm." Where it cannot tell (one part names an injury; the explanations come before every injury, naming
    none; the unexplained part names no body region or only one explained: "Head injury advice given") the
    text is read whole, as without `injury_tags`."""
    lowered = re.sub(r"['’‘]", "", str(text).lower())
    said = _phrase_regex(consistent)
    if not (_found(said, lowered, denials=True) and _found(_phrase_regex(unconcerned), lowered)):
        return False
    if not injury_tags or not regions:
        return True
    from ..vocab import tag_concerns
    from .base import _negating_vocab

    vocab = _negating_vocab((), "")
    wanted = set(injury_tags)
    parts = [p for p in _PARTS.split(lowered) if p.strip()]
    hurt = [bool(wanted.intersection(tag_concerns(p, vocab))) for p in parts]
    if sum(hurt) < 2:
        return True
    calm = [_found(said, p, denials=True) for p in parts]
    if not any(calm) or (not any(h and c for h, c in zip(hurt, calm))
                         and max(i for i, c in enumerate(calm) if c) < hurt.index(True)):
        return True  # the explanations before every injury, naming none: read as the event's
    covered, left = 0, []
    for i, h in enumerate(hurt):
        if not h:
            continue
        after = next((k for k in range(i + 1, len(parts)) if calm[k]), None)
        bits = text_reading(parts[i], (), ((), ()), regions)[2]
        if calm[i] or (after is not None and not hurt[after]):
            covered |= bits
        else:
            left.append(bits)
    return all(bits & ~covered == 0 for bits in left)


#: where `sentinel_sites_text` splits a text into the sentences it reads apart: a sentence's end, a semicolon, a
#: new line (not a comma: "Bruise, left cheek" is one injury at one place)
_SENTENCES = re.compile(r"(?:\.(?:\s|$)|[;\n\r]|\s\.\s)+")


@functools.lru_cache(maxsize=200_000)
def sentinel_sites_text(text: str, tags: tuple, regions: tuple) -> int:
    """The bit set of the body regions of `regions` (as `text_reading` takes them; bit i: regions[i]) named in a
    sentence of `text` (`_SENTENCES`) that names a concern of `tags` (as ingest reads them: the package
    vocabulary's `tag_concerns`, negations skipped): "Small bruise below left eye; mother said she fell off the
    sofa" names the eye, "Bruise to shin. Mum to keep an eye on it." does not."""
    if not tags or not regions:
        return 0
    from ..vocab import tag_concerns
    from .base import _negating_vocab

    lowered = re.sub(r"['’‘]", "", str(text).lower())
    vocab = _negating_vocab((), "")
    wanted = set(tags)
    bits = 0
    for part in _SENTENCES.split(lowered):
        if part.strip() and wanted.intersection(tag_concerns(part, vocab)):
            bits |= text_reading(part, (), ((), ()), regions)[2]
    return bits


def sentinel_regions(body_regions, names, words=()) -> tuple[tuple, tuple]:
    """(the regions `sentinel_sites_text` reads, their names): the regions of vocab.yml `body_regions` named in
    `names` (rules.yml injury_not_escalated sentinel_regions: the TEN-4-FACESp sites), each a region of its own
    less the words of the regions before it, then each of `words` (sentinel_words: "frenulum", "subconjunctival") as a region of its own, named by itself."""
    regions, labels, placed = [], [], set()
    body_regions = body_regions or {}
    for name in names or ():
        found = body_regions.get(name)
        if isinstance(found, str):
            found = [found]
        # a word of an earlier region is that region's ("face" of the eye's words is the face's)
        kept = tuple(dict.fromkeys(w for w in (str(w).strip().lower() for w in (found or ()) if w is not None)
                                   if w and w not in placed))
        if kept:
            regions.append(kept)
            labels.append(str(name))
            placed.update(kept)
    for word in words or ():
        word = str(word).strip().lower()
        if word and word not in placed:
            regions.append((word,))
            labels.append(word)
            placed.add(word)
    return tuple(regions[:62]), tuple(labels[:62])


def region_names(bits: int, labels: tuple) -> str:
    """The names of the regions of the bit set `bits` (`sentinel_regions`' labels), joined by ", "."""
    return ", ".join(label for i, label in enumerate(labels) if bits >> i & 1)


def _settings(ctx: Context) -> dict:
    return dict(ctx.settings.get("injury_episodes") or {})


def region_words(body_sites, body_regions) -> tuple:
    """The body regions `text_reading` reads (a tuple of word tuples): vocab.yml's `body_regions` (name ->
    words) in its order, then each of `body_sites` (settings.injury_episodes) in no region as a region of its
    own; at most 62."""
    regions, placed = [], set()
    for name, words in (body_regions or {}).items():
        if isinstance(words, str):
            words = [words]
        kept = tuple(str(w).strip().lower() for w in (words or ()) if w is not None and str(w).strip())
        if kept:
            regions.append(kept)
            placed.update(kept)
    for site in body_sites or ():
        site = str(site).strip().lower()
        if site and site not in placed:
            regions.append((site,))
            placed.add(site)
    return tuple(regions[:62])


def reading_args(settings: dict, vocab: dict | None = None) -> tuple:
    """`text_reading`'s word lists from the `injury_episodes` settings and the vocabulary `vocab` (a parsed
    vocab.yml: its `body_regions`; None: the package's)."""
    from ..config import package_data

    words = (lambda key: tuple(map(str, settings.get(key) or ())))
    raw = package_data("vocab.yml") if vocab is None else vocab
    nouns = words("new_injury_nouns")
    # the swelling tag's words but the swelling words (the package's concerns, and the case's own)
    swelling, tag = words("swelling_words"), settings.get("swelling_tag")
    concern_words = [] if not tag else list((package_data("vocab.yml").get("concerns") or {}).get(tag) or ())
    if vocab is not None and tag:
        concern_words += [w for w in ((vocab.get("concerns") or {}).get(tag) or ()) if w not in concern_words]
    plain_swelling = {" ".join(re.findall(r"[a-z0-9&]+", w.lower())) for w in swelling}
    others = tuple(str(w) for w in concern_words if " ".join(re.findall(r"[a-z0-9&]+", str(w).lower())) not in plain_swelling)
    return (words("followup_cues"), (words("new_injury_cues"), nouns),
            region_words(words("body_sites"), raw.get("body_regions")),
            (words("same_site_cues"), (words("same_site_about"), nouns)), (swelling if tag else (), others))


def _pair_codes(ctx: Context, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(inverse, first, d, a): the distinct (description, action) pairs of the rows at `pos`, each row's
    pair number, a row of each pair, and the rows' description and action codes."""
    (d_codes, _), (a_codes, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    d, a = d_codes[pos].astype("int64"), a_codes[pos].astype("int64")
    inverse, _ = pd.factorize(d * (len(a_uniques) + 1) + a)
    first = np.zeros(int(inverse.max()) + 1 if len(inverse) else 0, dtype="int64")
    first[inverse[::-1]] = np.arange(len(inverse))[::-1]
    return inverse, first, d, a


def _row_texts(ctx: Context, d: np.ndarray, a: np.ndarray, rows: np.ndarray) -> list[str]:
    (_, d_uniques), (_, a_uniques) = _texts(ctx, "description"), _texts(ctx, "action")
    return [str(d_uniques[d[i]]) + " . " + str(a_uniques[a[i]]) for i in rows]


def _vocab_pairs(ctx: Context, pos: np.ndarray) -> tuple:
    """(inverse, first, d, a, vn, keys): `_pair_codes` of the rows at `pos` made distinct per (text pair, case
    vocabulary) — a case's own vocab.yml may add body regions — with each row's vocabulary number `vn` and
    the `vocab_key` of each number (`base.row_vocabs`)."""
    from .base import row_vocabs

    numbers, keys = row_vocabs(ctx)
    pair, _, d, a = _pair_codes(ctx, pos)
    vn = numbers[pos].astype("int64")
    inverse, _ = pd.factorize(pair.astype("int64") * len(keys) + vn)
    first = np.zeros(int(inverse.max()) + 1 if len(inverse) else 0, dtype="int64")
    first[inverse[::-1]] = np.arange(len(inverse))[::-1]
    return inverse, first, d, a, vn, keys


def explained(ctx: Context, mask, consistent, unconcerned, injury_tags=()) -> np.ndarray:
    """Per timeline row of `mask`: does its description or action say the explanation is consistent and
    there are no safeguarding concerns (`explained_text`; with `injury_tags`, of every injury it names, body
    regions read as `earlier_injury` reads them)? Each distinct text pair read once."""
    from ..sightings import _raw_vocab

    out = np.zeros(len(ctx.timeline), dtype=bool)
    pos = np.flatnonzero(np.asarray(mask, dtype=bool))
    consistent, unconcerned = tuple(map(str, consistent or ())), tuple(map(str, unconcerned or ()))
    if not len(pos) or not consistent or not unconcerned:
        return out
    inverse, first, d, a, vn, keys = _vocab_pairs(ctx, pos)
    injury_tags = tuple(map(str, injury_tags or ()))
    regions = [reading_args(_settings(ctx), _raw_vocab(str(k)))[2] if injury_tags else () for k in keys]
    hits = np.array([explained_text(t, consistent, unconcerned, injury_tags, regions[vn[i]])
                     for t, i in zip(_row_texts(ctx, d, a, first), first)], dtype=bool)
    out[pos] = hits[inverse]
    return out


def _group_readings(ctx: Context, injury_tags) -> dict:
    """Per event group with an exact-dated injury row (of `injury_tags`): its first row's position, case and
    day, the bit set of its injury tags, whether any of its injury rows names a follow-up or a new injury,
    the body sites and the dates they name (`text_reading`). Kept in the context."""
    settings = _settings(ctx)
    key = ("injury groups", tuple(injury_tags), repr(sorted(settings.items())))
    if key in ctx.extra:
        return ctx.extra[key]
    from ..sightings import _raw_vocab

    tl = ctx.timeline
    mask = (ctx.tags(injury_tags) & tl["_exact"]).to_numpy(dtype=bool)
    pos = np.flatnonzero(mask)
    gcode = tl["_gcode"].to_numpy()[pos]
    group, _ = pd.factorize(gcode)
    n = int(group.max()) + 1 if len(group) else 0
    tags = np.zeros(len(pos), dtype="int64")
    for i, tag in enumerate(injury_tags):
        tags |= ctx.tags([tag]).to_numpy(dtype=bool)[pos].astype("int64") << i
    # each case's own vocabulary may add body regions: one reading per distinct (text pair, vocabulary)
    inverse, first_of_pair, d, a, vn, keys = _vocab_pairs(ctx, pos)
    args = [reading_args(settings, _raw_vocab(str(k))) for k in keys]
    readings = [text_reading(t, *args[vn[i]]) for t, i in zip(_row_texts(ctx, d, a, first_of_pair), first_of_pair)]
    cue = np.array([r[0] for r in readings], dtype=bool)[inverse] if readings else np.zeros(0, dtype=bool)
    new = np.array([r[1] for r in readings], dtype=bool)[inverse] if readings else np.zeros(0, dtype=bool)
    sites = np.array([r[2] for r in readings], dtype="int64")[inverse] if readings else np.zeros(0, dtype="int64")
    plain = np.array([r[4] for r in readings], dtype=bool)[inverse] if readings else np.zeros(0, dtype=bool)
    swollen = np.array([r[5] for r in readings], dtype=bool)[inverse] if readings else np.zeros(0, dtype=bool)
    # the bits of the swelling tag and the fracture tags (settings.injury_episodes), and per row whether its
    # swelling tag is its swelling only ("swollen left wrist") or names another injury too
    bit_of = {str(tag): np.int64(1) << np.int64(i) for i, tag in enumerate(injury_tags)}
    swelling_bit = bit_of.get(str(settings.get("swelling_tag")), np.int64(0))
    fracture_bits = np.int64(0)
    for tag in settings.get("fracture_tags") or ():
        fracture_bits |= bit_of.get(str(tag), np.int64(0))
    has_swelling_tag = (tags & swelling_bit) != 0
    dates = np.full((len(readings), _MAX_DATES), -1, dtype="int64")
    for i, r in enumerate(readings):
        dates[i, :len(r[3])] = r[3]
    dates = dates[inverse] if readings else np.zeros((0, _MAX_DATES), dtype="int64")
    out = {
        "rows": pos,  # the exact-dated injury rows
        "first": pos[np.unique(group, return_index=True)[1]] if n else np.zeros(0, dtype="int64"),
        "tags": np.zeros(n, dtype="int64"), "sites": np.zeros(n, dtype="int64"),
        "cue": np.bincount(group, weights=cue, minlength=n) > 0, "new": np.bincount(group, weights=new, minlength=n) > 0,
        "plain": np.bincount(group, weights=plain, minlength=n) > 0,
        # a group whose swelling-tag rows name swelling only (one at least): a fracture's swelling
        "swelling": (np.bincount(group, weights=has_swelling_tag & swollen, minlength=n) > 0)
        & ~(np.bincount(group, weights=has_swelling_tag & ~swollen, minlength=n) > 0),
        "swelling_bit": swelling_bit, "fracture_bits": fracture_bits,
    }
    np.bitwise_or.at(out["tags"], group, tags)
    np.bitwise_or.at(out["sites"], group, sites)
    # the group's distinct dates, the first _MAX_DATES of them in (group, date) order
    g_rows, k_rows = np.repeat(group, _MAX_DATES), dates.reshape(-1)
    keep = k_rows >= 0
    pairs = np.unique(np.stack([g_rows[keep], k_rows[keep]], axis=1), axis=0) if keep.any() else np.zeros((0, 2), "int64")
    group_dates = np.full((n, _MAX_DATES), -1, dtype="int64")
    if len(pairs):
        starts = np.r_[0, np.flatnonzero(np.diff(pairs[:, 0])) + 1]
        rank = np.arange(len(pairs)) - np.repeat(starts, np.diff(np.r_[starts, len(pairs)]))
        ok = rank < _MAX_DATES
        group_dates[pairs[ok, 0], rank[ok]] = pairs[ok, 1]
    out["dates"] = group_dates
    first = out["first"]
    out["case"] = tl["_case"].to_numpy(dtype="int64")[first]
    out["day"] = tl["_day"].to_numpy(dtype="datetime64[D]")[first].astype("int64")
    out["gcode"] = tl["_gcode"].to_numpy()[first]
    days = out["day"].astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    out["ddmm"] = ((days - months).astype("int64") + 1) * 100 + months.astype("int64") % 12 + 1  # 13 Oct: 1310
    ctx.extra[key] = out
    return out


def _order_keys(ctx: Context, case: np.ndarray, day: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """An int64 key ordering records by (case, day, timeline position)."""
    n = len(ctx.timeline) + 1
    lo = ctx.extra.get("injury day origin")
    if lo is None:
        days = ctx.timeline["_day"].to_numpy(dtype="datetime64[D]")
        valid = ~np.isnat(days)
        lo = (int(days[valid].astype("int64").min()) - 400) if valid.any() else 0
        ctx.extra["injury day origin"] = lo
    return (case * 200_000 + (day - lo)) * n + pos


def _earlier_pairs(ctx: Context, g: dict, own: np.ndarray, t_key: np.ndarray, window: int):
    """(r, p): every pair of a trigger (its injury group `own[r]`, ordering key `t_key[r]`) and an injury group
    `p` before it in (case, day, timeline) order, at most `window` days before it (a superset: the same case
    and the gap are checked by the caller)."""
    p_key = _order_keys(ctx, g["case"], g["day"], g["first"])
    order = np.argsort(p_key, kind="stable")
    sorted_keys = p_key[order]
    case, day = g["case"][own], g["day"][own]
    hi = np.searchsorted(sorted_keys, t_key, side="left")  # strictly before the trigger
    lo = np.searchsorted(sorted_keys, _order_keys(ctx, case, day - window, np.zeros(len(case), "int64")), side="left")
    counts = np.maximum(hi - lo, 0)
    r = np.repeat(np.arange(len(own)), counts)
    p = order[np.repeat(lo, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))]
    return r, p


def _plain_joins(g: dict, rg: np.ndarray, p: np.ndarray, base: np.ndarray, episode_tags: np.ndarray,
                 follow_window: int, same_window: int) -> tuple[np.ndarray, np.ndarray]:
    """(joined, near) per pair (trigger group `rg`, earlier group `p`, `base` their common conditions): a
    follow-up of the earlier group's injury, or (near) the same injury at the same body region in plainer
    words. The same injury word family is read against the earlier group's episode (`episode_tags`: its
    tags and those of the records it follows up, `_episode_tags`): a review of a wrist fracture after a
    fracture clinic that followed up "swollen wrist, buckle fracture" may name the swelling too. A fracture's
    swelling (near) joins a fracture at the same body region within the same-site window whichever came first
    ("swollen left wrist", then "X-ray: fracture of distal radius, left"), with no words of a follow-up."""
    gap = g["day"][rg] - g["day"][p]
    p_ddmm = g["ddmm"][p]
    dated = (g["dates"][rg] == p_ddmm[:, None]).any(axis=1)
    family = (g["tags"][rg] & ~episode_tags[p]) == 0
    joined = base & (gap <= follow_window) & family & (g["cue"][rg] | dated)
    shared = (g["sites"][rg] & g["sites"][p]) != 0
    near = base & (gap <= same_window) & family & shared & g["plain"][rg] & ~joined
    # a fracture's swelling, whichever came first: the fracture found after the swelling at its body region,
    # or the swelling recorded after the fracture (no follow-up words needed)
    fracture, swelling_bit = g.get("fracture_bits", 0), g.get("swelling_bit", 0)
    if fracture and swelling_bit:
        allowed = (np.where(g["swelling"][p], fracture, 0)
                   | np.where(g["swelling"][rg] & ((episode_tags[p] & fracture) != 0), swelling_bit, 0))
        extra = g["tags"][rg] & ~episode_tags[p]
        near |= base & (gap <= same_window) & ~family & shared & ((extra & ~allowed) == 0) & ~joined
    return joined | near, near


def _base_pairs(ctx: Context, g: dict, rg: np.ndarray, p: np.ndarray, injury_tags, not_records) -> np.ndarray:
    """The conditions every join of a trigger group `rg` to an earlier group `p` shares: the same case, not
    before it, naming no new injury, and no body region unless one the earlier names; with `not_records`, an
    earlier group with an injury row that is a record (`earlier_injury`)."""
    tl = ctx.timeline
    gap = g["day"][rg] - g["day"][p]
    same_case = g["case"][p] == g["case"][rg]
    sites_ok = (g["sites"][rg] == 0) | (g["sites"][p] == 0) | ((g["sites"][rg] & g["sites"][p]) != 0)
    base = same_case & (gap >= 0) & ~g["new"][rg] & sites_ok & (g["tags"][rg] != 0)
    if not_records is not None:
        excluded = np.asarray(not_records, dtype=bool)
        records = (ctx.tags(list(injury_tags)) & tl["_exact"]).to_numpy(dtype=bool) & ~excluded
        base &= np.isin(g["gcode"][p], tl["_gcode"].to_numpy()[records])
    return base


def _episode_tags(ctx: Context, g: dict, injury_tags, not_records, follow_window: int, same_window: int) -> np.ndarray:
    """Per injury group of `g`: the bit set of the injury tags of its episode so far, its own and those of the
    earlier records it follows up (a fracture clinic review of "swollen wrist, buckle fracture" carries the
    swelling's tag too), the chain followed back: each group joined to the latest earlier group it follows up
    (`_plain_joins`), read against that group's episode in turn, until nothing changes (one vectorised pass
    per link of the longest chain of records that only the episode joins)."""
    n = len(g["first"])
    tags = g["tags"].copy()
    window = max(follow_window, same_window)
    if n == 0 or window < 0:
        return tags
    key = ("injury episode tags", tuple(injury_tags), follow_window, same_window, id(g),
           None if not_records is None else np.packbits(np.asarray(not_records, dtype=bool)).tobytes())
    if key in ctx.extra:
        return ctx.extra[key]
    own = np.arange(n)
    r, p = _earlier_pairs(ctx, g, own, _order_keys(ctx, g["case"], g["day"], g["first"]), window)
    base = _base_pairs(ctx, g, own[r], p, injury_tags, not_records)
    r, p = r[base], p[base]
    parent = np.full(n, -1, dtype="int64")
    for _ in range(n + 1):
        joined, _near = _plain_joins(g, r, p, np.ones(len(r), dtype=bool), tags, follow_window, same_window)
        rj, pj = r[joined], p[joined]
        latest = np.full(n, -1, dtype="int64")
        if len(rj):  # pairs are in (trigger, earlier key) order: the last of each trigger is its latest
            last = np.r_[rj[1:] != rj[:-1], True]
            latest[rj[last]] = pj[last]
        if np.array_equal(latest, parent):
            break
        parent = latest
        # the episode's tags: OR along each chain (pointer doubling)
        tags, up = g["tags"].copy(), parent.copy()
        while (up >= 0).any():
            has = up >= 0
            tags[has] |= tags[up[has]]
            up = np.where(has, up[np.maximum(up, 0)], -1)
    ctx.extra[key] = tags
    return tags


def _referral_followups(ctx: Context, g: dict) -> tuple[np.ndarray, np.ndarray]:
    """(responder, referred) per injury group of `g`: has it an injury row by an agency that receives referrals
    (settings.receipt_agency_kinds: children's social care, MASH) that is no receipt of a referral itself; has it a row recording a referral to children's
    social care (a `referral_to_csc` that took place) or its receipt (`base.all_referral_receipts`, whoever made
    it: a grandmother's photographs of the bruises too)?"""
    from .base import all_referral_receipts, held_escalations

    key = ("injury referral followups", id(g))
    if key not in ctx.extra:
        tl = ctx.timeline
        gcode = tl["_gcode"].to_numpy()
        kinds = list(ctx.settings.get("receipt_agency_kinds") or ())
        own = ctx.kinds(kinds).to_numpy(dtype=bool) if kinds else np.zeros(len(tl), dtype=bool)
        injured = np.zeros(len(tl), dtype=bool)
        injured[g["rows"]] = True
        receipts = all_referral_receipts(ctx)
        referral = held_escalations(ctx, ["referral_to_csc"]).to_numpy(dtype=bool) | receipts
        # (a referral coming in is a report of its own, not social care's follow-up: a relative's new photographs)
        ctx.extra[key] = (np.isin(g["gcode"], gcode[own & injured & ~receipts]), np.isin(g["gcode"], gcode[referral]))
    return ctx.extra[key]


def earlier_injury(ctx: Context, triggers: pd.DataFrame, injury_tags, *, escalation_kinds=(), record_kinds=(),
                   meeting_types=(), escalation_window_days=None, episode_window_days=None, detail=False,
                   not_records=None):
    """Per row of `triggers` (first rows of event groups, the prepared timeline's positions as index): the
    position of the first row of the earlier injury record it is a record of (-1: a new injury).

    Candidates are the exact-dated event groups with an injury row (`injury_tags`) before it in (case, day,
    timeline) order. A trigger with an injury row is a record of such a group when it names no new injury
    (`new_injury_cues`: "new bruise") and no body site unless one the earlier group names (`body_sites`:
    "bruise to R cheek" after "bruise to L arm" is another injury), and
      * it is a **follow-up**: dated 0..`followup_window_days` after it, every injury tag of it one of the
        earlier group's (the same injury word family: "Fracture clinic. Healing well" after a buckle
        fracture with bruising and swelling), naming a follow-up (`followup_cues`: fracture clinic, dressing,
        discharge letter, healing) or the earlier group's date ("Discharge letter re scald 13/10"); or
      * it is a **same-site follow-up**: dated 0..`same_site_window_days` after it, the same injury word
        family, both naming a body region and sharing one (vocab.yml `body_regions`: "burn to hand", "the
        burn on his hand"), reading as a follow-up in plainer words (`same_site_cues`, or `same_site_about`
        before an injury noun: "seen re the burn", "burn to hand, scabbed over"); or, whichever came first,
        a fracture and a swelling only (`swelling_words`, `swelling_tag`, `fracture_tags`) at the same body
        region within `same_site_window_days` ("swollen left wrist", then "X-ray: fracture of distal radius,
        left"); or
      * (with `escalation_kinds`) it is itself one of `escalation_kinds` that took place, dated
        0..`escalation_window_days` after it (any injury tag: the CP medical that examined the bruise); or
      * (with `record_kinds`/`meeting_types`) it is one of `record_kinds` or `meeting_types` that took
        place (a conference, an S47 outcome, a core group), dated 0..`episode_window_days` after an injury
        already escalated: one of `escalation_kinds` took place between them (from the earlier record on).
    The latest such earlier group is returned. With `detail`: (that, and per row whether it was joined as a
    same-site follow-up only: its flag text names the window). With `not_records` (per timeline row), an
    earlier group whose every exact-dated injury row is one of them is no earlier record (social care's receipt
    of the referral about the injury: the referring agency's own record of it is no record of the receipt's
    injury).
    """
    from .base import held_escalations, types_held

    out = np.full(len(triggers), -1, dtype="int64")
    same_site = np.zeros(len(triggers), dtype=bool)
    result = (lambda: (out, same_site) if detail else out)
    if not len(triggers):
        return result()
    settings = _settings(ctx)
    g = _group_readings(ctx, list(injury_tags))
    n = len(g["first"])
    if n == 0:
        return result()
    tl = ctx.timeline
    t_pos = triggers.index.to_numpy(dtype="int64")
    # the trigger's own group among the injury groups (-1: none, e.g. a disclosure of being hit)
    by_code = pd.Index(g["gcode"])
    own = by_code.get_indexer(tl["_gcode"].to_numpy()[t_pos])
    known = own >= 0
    if not known.any():
        return result()
    t_pos, rows_at = t_pos[known], np.flatnonzero(known)
    own = own[known]
    case, day = g["case"][own], g["day"][own]
    t_key = _order_keys(ctx, case, day, g["first"][own])
    p_key = _order_keys(ctx, g["case"], g["day"], g["first"])
    follow_window = int(settings.get("followup_window_days", 0) or 0)
    same_window = int(settings.get("same_site_window_days", 0) or 0) if settings.get("same_site_window_days") else -1
    esc_window = int(escalation_window_days or 0) if escalation_kinds else -1
    ep_window = int(episode_window_days or 0) if (record_kinds or meeting_types) else -1
    ref_window = int(settings.get("referral_followup_window_days") or 0) \
        if settings.get("referral_followup_window_days") else -1
    window = max(follow_window, same_window, esc_window, ep_window, ref_window)
    if window < 0:
        return result()
    r, p = _earlier_pairs(ctx, g, own, t_key, window)
    if not len(r):
        return result()
    rg = own[r]
    gap = g["day"][rg] - g["day"][p]
    base = _base_pairs(ctx, g, rg, p, injury_tags, not_records)
    # a follow-up of the same injury, or the same injury at the same body region, shortly after, in plainer
    # words ("seen re the burn on his hand"), read against the earlier record's episode: a chain of follow-ups
    # counts from its latest record (`_episode_tags`)
    episode = _episode_tags(ctx, g, injury_tags, not_records, follow_window, same_window)
    joined, near = _plain_joins(g, rg, p, base, episode, follow_window, same_window)
    if ref_window >= 0:
        # social care's visit or assessment after a referral about the injury, naming the same injury word
        # family: its record of the referred injury ("Mum says bruises self-inflicted" a week after the
        # school's referral about the bruises), not a new one (`_referral_followups`)
        responder, referred = _referral_followups(ctx, g)
        joined |= base & responder[rg] & referred[p] & (gap <= ref_window) & ((g["tags"][rg] & ~episode[p]) == 0)
    if escalation_kinds:
        kinds = list(escalation_kinds)
        held = held_escalations(ctx, kinds).to_numpy(dtype=bool)
        t_esc = held[t_pos][r]
        joined |= base & t_esc & (gap <= esc_window)
        if record_kinds or meeting_types:
            record = held_escalations(ctx, list(record_kinds)).to_numpy(dtype=bool)[t_pos] if record_kinds \
                else np.zeros(len(t_pos), dtype=bool)
            if meeting_types:
                record |= types_held(ctx, list(meeting_types)).to_numpy(dtype=bool)[t_pos]
            # an escalation (exact-dated, that took place) from the earlier record on, before the trigger
            e_pos = np.flatnonzero(held & tl["_exact"].to_numpy(dtype=bool))
            e_key = np.sort(_order_keys(ctx, tl["_case"].to_numpy(dtype="int64")[e_pos],
                                        tl["_day"].to_numpy(dtype="datetime64[D]")[e_pos].astype("int64"), e_pos))
            between = np.searchsorted(e_key, t_key[r], side="left") - np.searchsorted(e_key, p_key[p], side="left")
            joined |= base & record[r] & (gap <= ep_window) & (between > 0)
    if not joined.any():
        return result()
    r, p, near = r[joined], p[joined], near[joined]
    # the latest earlier group per trigger: pairs are in (trigger, earlier key) order
    last = np.r_[r[1:] != r[:-1], True]
    out[rows_at[r[last]]] = g["first"][p[last]]
    same_site[rows_at[r[last]]] = near[last]
    return result()


def same_injury(ctx: Context, rows: pd.DataFrame, group: np.ndarray, first: np.ndarray, injury_tags,
                params: dict) -> tuple[np.ndarray, np.ndarray]:
    """(later, earlier): pairs of event groups of `rows` (injury rows in timeline order, `group` their group
    numbers, `first` each group's first row in `rows`) that are one injury recorded again (s20,
    repeated_injury_or_ae's count): the later group names no new injury (`new_injury_cues`), every injury tag of
    it is one of the earlier's, both name a body region and share one (vocab.yml `body_regions`, as
    `text_reading` reads them), the earlier is dated to the day, and
      * the later is dated to the day, 0..`same_injury_window_days` days after it (the health visitor's "small
        bruise below left eye" and the grandmother's photographs of the black eye the next day); or
      * with `partial_followups`, the later is dated to a period only (a month: a scanned note) lying wholly
        within `followup_window_days` (settings.injury_episodes) after it and names a follow-up (a
        `followup_cues` or `same_site_cues` word: "small burn on her hand ..., already healing" in March after
        the aunt's report of the burn to her hand on 25 February).
    The latest such earlier group per later group. Each distinct (text pair, vocabulary) read once."""
    from ..sightings import _raw_vocab
    from .base import day_numbers

    empty = (np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64"))
    window = params.get("same_injury_window_days")
    partial = bool(params.get("partial_followups"))
    n = len(first)
    if n < 2 or (window is None and not partial):
        return empty
    settings = _settings(ctx)
    at_rows = rows.index.to_numpy(dtype="int64")
    inverse, first_of_pair, d, a, vn, keys = _vocab_pairs(ctx, at_rows)
    args = [reading_args(settings, _raw_vocab(str(k))) for k in keys]
    readings = [text_reading(t, *args[vn[i]]) for t, i in zip(_row_texts(ctx, d, a, first_of_pair), first_of_pair)]
    new = np.array([r[1] for r in readings], dtype=bool)[inverse]
    sites = np.array([r[2] for r in readings], dtype="int64")[inverse]
    cue = np.array([r[0] or r[4] for r in readings], dtype=bool)[inverse]
    tags = np.zeros(len(at_rows), dtype="int64")
    for i, tag in enumerate(injury_tags):
        tags |= ctx.tags([tag]).to_numpy(dtype=bool)[at_rows].astype("int64") << i
    g_tags, g_sites = np.zeros(n, dtype="int64"), np.zeros(n, dtype="int64")
    np.bitwise_or.at(g_tags, group, tags)
    np.bitwise_or.at(g_sites, group, sites)
    g_new = np.bincount(group, weights=new, minlength=n) > 0
    g_cue = np.bincount(group, weights=cue, minlength=n) > 0
    case = rows["_case"].to_numpy(dtype="int64")[first]
    exact = rows["_exact"].to_numpy(dtype=bool)[first]
    day = day_numbers(rows["_day"].to_numpy()[first])
    start = day_numbers(rows["_start"].to_numpy()[first])
    end = day_numbers(rows["_end"].to_numpy()[first])
    follow = int(settings.get("followup_window_days", 0) or 0)
    # the later groups that may be a record again, and the days their earlier one may fall on
    ok = (g_tags != 0) & (g_sites != 0) & ~g_new
    same_day = ok & exact if window is not None else np.zeros(n, dtype=bool)
    later_partial = ok & ~exact & g_cue if partial else np.zeros(n, dtype=bool)
    b = np.flatnonzero(same_day | later_partial)
    if not len(b):
        return empty
    lo = np.where(exact[b], day[b] - (int(window) if window is not None else 0), end[b] - follow)
    hi = np.where(exact[b], day[b], start[b])
    # candidate earlier groups: the exact ones with an injury and a body region, in (case, day, group) order
    cand = np.flatnonzero(exact & (g_tags != 0) & (g_sites != 0))
    big = np.int64(1) << np.int64(32)
    order = cand[np.lexsort((cand, day[cand], case[cand]))]
    key = case[order] * big + day[order]
    lo_i = np.searchsorted(key, case[b] * big + lo, side="left")
    hi_i = np.searchsorted(key, case[b] * big + hi, side="right")
    counts = np.maximum(hi_i - lo_i, 0)
    later = np.repeat(b, counts)
    earlier = order[np.repeat(lo_i, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))]
    keep = (earlier != later) & ((g_tags[later] & ~g_tags[earlier]) == 0) & ((g_sites[later] & g_sites[earlier]) != 0)
    # an exact later group: the earlier before it (the same day: before it in the timeline)
    keep &= ~exact[later] | (day[earlier] < day[later]) | ((day[earlier] == day[later]) & (earlier < later))
    later, earlier = later[keep], earlier[keep]
    if not len(later):
        return empty
    # the latest earlier group per later group: pairs are in (later, earlier's order) order
    last = np.r_[later[1:] != later[:-1], True]
    return later[last], earlier[last]
