from __future__ import annotations

from nlp.acronyms import find_acronyms, long_form_before


def test_long_form_then_acronym_takes_the_shortest_spelling_tail() -> None:
    text = (
        "That Cabinet note the progress of the Hampshire Community Safety Strategy Group (HCSSG). "
        "There are good links with the West Mercia Police and Crime Commissioner (PCC)."
    )
    found = find_acronyms(text)
    assert found["HCSSG"] == "Hampshire Community Safety Strategy Group"
    assert found["PCC"] == "Police and Crime Commissioner"


def test_acronym_skips_small_words_and_a_trailing_head_word() -> None:
    text = "The Multi Agency Tasking and Coordination Group (MATAC) has revised its terms of reference."
    assert find_acronyms(text)["MATAC"] == "Multi Agency Tasking and Coordination Group"


def test_square_brackets_plurals_and_possessive_s() -> None:
    text = (
        "Community-MARACs [Multi Agency Risk Assessment Conferences] are case conferences. "
        "It falls to the Community Safety Partnerships (CSP's) to act."
    )
    found = find_acronyms(text)
    assert found["MARAC"] == "Multi Agency Risk Assessment Conferences"
    assert found["CSP"] == "Community Safety Partnerships"


def test_acronym_then_long_form_in_brackets() -> None:
    text = (
        "Free SCaN (See Check and Notify) training is planned. Children were RAG (Red, Amber, Green) rated."
    )
    found = find_acronyms(text)
    assert found["SCaN"] == "See Check and Notify"
    assert found["RAG"] == "Red Amber Green"


def test_a_word_may_give_several_letters_and_hyphens_one() -> None:
    assert long_form_before(["Herefordshire", "CSP"], "HCSP") == "Herefordshire CSP"
    assert (
        long_form_before("Worcestershire Reducing Re-offending Strategy Group".split(), "RRSG")
        == "Reducing Re-offending Strategy Group"
    )


def test_brackets_that_spell_nothing_are_not_definitions() -> None:
    text = "Referrals rose (see Appendix A) and the Act 1998 (s.17) applies; phone 01905 846550 (EXT)."
    assert find_acronyms(text) == {}


def test_a_long_form_does_not_run_back_over_a_sentence_end() -> None:
    text = "Work is led by the Council.\nSafer Streets (SS) funding was awarded."
    assert find_acronyms(text)["SS"] == "Safer Streets"
