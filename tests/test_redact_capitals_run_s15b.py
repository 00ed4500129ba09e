"""A sentence written in capitals inside a mixed-case cell is read as a line in capitals (s15 QA pass 2): an
unlisted given name there is hidden and a listed person's pseudonym is written in capitals; the ordinary
capitals words of such lines (DSL, CAMHS, PRESENT) and the ordinary text around are kept."""
import pytest

from review.redact import Redactor


def _redactor():
    return Redactor(people={"Jayden Brooks": "Child", "Kelly Brooks": "Mother"})


@pytest.mark.parametrize("text, expected", [
    # was "Child MET WITH DSL. MICHELLE FROM CAMHS PRESENT"
    ("Return to school. JAYDEN MET WITH DSL. MICHELLE FROM CAMHS PRESENT",
     "Return to school. CHILD MET WITH DSL. [name] FROM CAMHS PRESENT"),
    ("JAYDEN BROOKS AND KELLY BROOKS MET WITH DSL. MICHELLE FROM CAMHS PRESENT",
     "CHILD AND MOTHER MET WITH DSL. [name] FROM CAMHS PRESENT"),
    ("Meeting held.\nMICHELLE FROM CAMHS PRESENT", "Meeting held.\n[name] FROM CAMHS PRESENT"),
    ("Return to school: DSL PRESENT, CAMHS PRESENT. SEEN BY KERRY",
     "Return to school: DSL PRESENT, CAMHS PRESENT. SEEN BY [name]"),
    ("Home visit. SEEN BY DEAN SMITH AND KERRY. Jayden well", "Home visit. SEEN BY [name] AND [name]. Child well"),
])
def test_a_sentence_in_capitals_in_a_mixed_case_cell_is_read_as_a_line_in_capitals(text, expected):
    assert _redactor().text(text) == expected


@pytest.mark.parametrize("text", [
    "Return to school. DSL AND CAMHS PRESENT. Plan agreed",
    "Seen at home. NFA.",
    "Plan agreed. WILL.",  # a given name that is an everyday word, alone in capitals: no sentence in capitals
    "Seen by GP. A&E ADVISED",
])
def test_capitals_words_in_a_mixed_case_cell_are_kept(text):
    assert _redactor().text(text) == text


def test_a_listed_name_in_capitals_in_ordinary_text_keeps_the_pseudonym_as_written():
    assert _redactor().text("Officers spoke to JAYDEN at home") == "Officers spoke to Child at home"


def test_a_value_in_capitals_quoted_in_a_problem_message_is_read_as_a_line_in_capitals():
    # (the t2 repro's rejection: a line break in a csv cell left "MICHELLE FROM CAMHS PRESENT" as a date; the
    # report's rejections table showed the name)
    redactor = _redactor()
    assert redactor._message("unreadable date 'MICHELLE FROM CAMHS PRESENT'") == "unreadable date '[name] FROM CAMHS PRESENT'"
    assert redactor._message("unreadable date 'sometime'") == "unreadable date 'sometime'"
