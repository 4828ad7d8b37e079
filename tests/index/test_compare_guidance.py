"""Guidance and template text (index.guidance): a form's instructions to whoever fills it in and a report
template's sign-off fields are found whatever their presentation; what a council says is not."""

from __future__ import annotations

import pytest

from index.guidance import is_form_text, is_guidance, is_template_field, template_subject

GUIDANCE = [
    # inline prose, as equality impact assessment forms word it
    "Please use this section to describe the proposal. Include the groups it is aimed at and explain how "
    "it supports community cohesion.",
    # a question to the author, then the instruction
    "How have you involved communities and groups that could be affected? You should describe any "
    "consultation carried out.",
    # bullets
    "- Identify the groups who could be affected.\n- Include data on hate crime where you have it.\n"
    "- If you do not have enough information, set out how you will find it out.",
    # numbered
    "1. Summarise the main conclusions of this assessment.\n2. Attach any supporting evidence.",
    # a table row of a form: question | guidance
    "What are the aims of the proposal? | Explain the aims in plain English. You should think about residents.",
    # a template's placeholders
    "[Insert the name of the service] will be affected by the proposal. Delete as appropriate.",
    # the form speaking about itself
    "This form should be completed by the lead officer. Guidance on completing the form is available "
    "on the intranet.",
]
SUBSTANCE = [
    "Anti-social behaviour in the town centre fell by 38% over the year following the introduction of "
    "weekend patrols.",
    "The Partnership will focus on domestic abuse, hate crime and road safety. Each priority has a lead officer.",
    "Members asked about the increase in shoplifting. The Inspector explained that two prolific offenders "
    "had been arrested.",
    "The Council has a statutory duty under the Crime and Disorder Act 1998 to work with partners to reduce "
    "crime. The strategy sets out how it will do so.",
    "The analysis of the data suggests there is high support for measures that improve conditions for "
    "walking and cycling. Residents want to drive less.",
    "Tackling anti-social behaviour is a priority of the Community Safety Plan.",
]
RECOMMENDATIONS = (
    "1. Note the contents of the report.\n2. Include the action plan in the next quarterly report to "
    "the Board.\n3. Set out the funding for the Partnership in the budget report to Cabinet."
)


@pytest.mark.parametrize("text", GUIDANCE)
def test_a_forms_guidance_is_found_whatever_its_presentation(text: str) -> None:
    assert is_guidance(text) and is_form_text(text), text


@pytest.mark.parametrize("text", SUBSTANCE)
def test_what_a_council_says_is_not_guidance(text: str) -> None:
    assert not is_guidance(text) and not is_form_text(text), text


def test_a_recommendation_is_never_guidance_though_it_is_imperative() -> None:
    assert is_guidance(RECOMMENDATIONS)  # imperative, like guidance...
    assert not is_guidance(RECOMMENDATIONS, "recommendations")  # ...but it is the decision sought
    assert not is_form_text(RECOMMENDATIONS, "resolution")


def test_sign_off_fields_are_template_text_and_a_table_of_content_is_not() -> None:
    assert is_template_field("Report author: Sam Okafor, Community Safety Manager")
    assert is_template_field(
        "Data checked by: Priya Nair, Head of Community Partnerships\nWards affected: All"
    )
    assert is_template_field("Contact officer (name and title): Jo Baines")
    assert not is_template_field("Domestic abuse: incidents rose by 7% in the year.")
    assert not is_template_field("The report author thanked the partners for their work.")
    long_table = "\n".join(f"Ward {n}: 12 incidents" for n in range(10))
    assert not is_template_field(long_table)


def test_the_statutory_sections_own_subjects_are_template_talk() -> None:
    assert template_subject("equalities", "cohesion") and template_subject("legal", "public_safety")
    assert template_subject("procedural", "domestic_abuse")  # apologies and attendance talk of nothing
    assert not template_subject("equalities", "county_lines")  # cuckooing risks named there still count
    assert not template_subject("background", "cohesion") and not template_subject(None, "cohesion")
