"""The child_not_seen concern tag agrees with the sighting: someone else's report of the child unseen is no
concern of this contact's unseen child (s19)."""

from review.config import load_vocab
from review.sightings import read_sighting
from review.vocab import tag_concerns

POLICE = ("Call from neighbour: boy at address not seen for months, shouting heard. Officers attended. "
          "Jordan (9) found in bedroom, extremely thin, soiled bedding.")


def test_reported_not_seen_is_no_concern_and_the_row_is_a_sighting():
    vocab = load_vocab()
    tags = tag_concerns(POLICE, vocab)
    assert "child_not_seen" not in tags and "neglect" in tags
    assert read_sighting("police_attendance", "; ".join(tags), POLICE) is True


def test_own_not_seen_keeps_the_tag():
    vocab = load_vocab()
    assert "child_not_seen" in tag_concerns("Home visit. Child not seen, mother said he was asleep.", vocab)
    assert "child_not_seen" in tag_concerns("Child not seen.", vocab)
    # a neighbour's report and the visit's own "not seen": the contact's own stands
    assert "child_not_seen" in tag_concerns("Neighbour reports child not seen. Home visit: child not seen.", vocab)


def test_timeline_row_carries_no_not_seen_concern_and_is_seen(tmp_path):
    header = "Date,Agency,Type of contact,Details,Action / outcome"
    rows = [f"18/07/2022,Westshire Police,Concern for welfare,\"{POLICE}\",PPN submitted to MASH."]
    (tmp_path / "chronology.csv").write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "case.yml").write_text("case_id: c19\ndate_of_birth: 2013-03-04\nreview_date: 2022-09-30\n",
                                       encoding="utf-8")
    from review.pipeline import analyse, load_case

    timeline = analyse(load_case(tmp_path)).timeline
    row = timeline.iloc[0]
    assert "child_not_seen" not in str(row["concerns"])  # was: child_not_seen; neglect; weight_loss
    assert "neglect" in str(row["concerns"])
    assert bool(row["child_seen_inferred"]) is True
