"""Made-up committee papers in the styles UK councils publish, each with the decisions a reader finds in it.

Every council, person and figure here is invented. The styles are those of real records: English
district and county minutes, Welsh and Scottish committee minutes, Northern Irish council minutes,
ModernGov decision pages and item minutes, executive decision notices and key-decision reports.
Each paper is (file name, text, expected decisions as (item number, outcome) in order); a report's
list is empty: what it proposes is not decided in it.
"""

from __future__ import annotations

ENGLISH_DISTRICT = (
    "eastbrook-cabinet-minutes.txt",
    """\
Eastbrook District Council

Minutes of a meeting of the Cabinet held on Tuesday 5 March 2024 at 6.00 pm

Present: Councillor A Brown (Leader), Councillors C Davies, E Evans and F Green

Apologies for absence were received from Councillor H Ince.

44. Declarations of Interest

There were no declarations of interest.

45. Serious Violence Duty Strategy

The Cabinet Member for Communities introduced the report, which set out the partnership's strategy
to prevent and reduce serious violence. Members welcomed the focus on early intervention.

Cabinet approved the Serious Violence Duty Strategy 2024-2027.

46. Traffic Regulation Orders - Town Centre

The report recommended that the Cabinet resolved to approve the Orders as advertised, with the
objections set out in Appendix B.

Resolved that Cabinet:
(i) noted the objections received to the proposed Orders;
(ii) approved the making of the Orders as advertised; and
(iii) authorised the Head of Highways to implement the scheme.

47. Climate Change Action Plan Refresh

The Cabinet agreed to adopt the refreshed Climate Change Action Plan.

48. Leisure Centre Fees and Charges

RESOLVED that consideration of the item be deferred to the April meeting to allow further
consultation with user groups.

The meeting closed at 7.40 pm.
""",
    [
        ("45", "approved"),
        ("46", "noted"),
        ("46", "approved"),
        ("46", "approved"),
        ("47", "approved"),
        ("48", "deferred"),
    ],
)

SIX_RESOLUTIONS = (
    "northvale-scrutiny-minutes.txt",
    """\
NORTHVALE BOROUGH COUNCIL

MINUTES OF THE MEETING OF THE COMMUNITIES SCRUTINY PANEL HELD ON 14 NOVEMBER 2024

PRESENT: Councillor J Khan (Chair); Councillors L Moss, P Quinn and R Shah

12 COMMUNITY SAFETY PARTNERSHIP ANNUAL REPORT

The Community Safety Manager presented the annual report of the Northvale Community Safety
Partnership. In response to questions, officers confirmed that the anti-social behaviour hotline
would be reviewed.

RESOLVED:
1. To note the Community Safety Partnership annual report for 2023/24.
2. To note the progress made against the partnership plan priorities.
3. To note the performance figures set out in Appendix 1.
4. To request that officers circulate the anti-social behaviour hotline review to Panel members.
5. To request that the Police Inspector attends the March meeting of the Panel.
6. To request a briefing on the Safer Streets funding bid.
""",
    [("12", "noted"), ("12", "noted"), ("12", "noted"), ("12", "agreed"), ("12", "agreed"), ("12", "agreed")],
)

SCOTTISH = (
    "glenmuir-committee-minute.txt",
    """\
GLENMUIR COUNCIL

MINUTE of MEETING of the COMMUNITIES AND HOUSING COMMITTEE held in the Council Chambers on 20 June 2024

Present: Councillor Fraser (Convener); Councillors Munro, Robertson and Sinclair.

1. Apologies

Apologies were intimated on behalf of Councillor Wallace.

2. Housing Revenue Account Outturn 2023/24

There was submitted a report by the Executive Director (Place) on the outturn of the Housing Revenue
Account for 2023/24.

Decision

The Committee:-
(a) notes the outturn position for 2023/24;
(b) agrees the carry forward of £1.2 million to 2024/25; and
(c) agrees that a further report on rent arrears be submitted in the autumn.

3. Allotment Strategy

There was submitted a report by the Head of Regeneration seeking approval of a revised allotment
strategy.

Decision

The Committee agreed to continue consideration of the report to its next meeting to allow a site
visit to take place.
""",
    [("2", "noted"), ("2", "agreed"), ("2", "agreed"), ("3", "deferred")],
)

WELSH = (
    "cwmdu-committee-minutes.txt",
    """\
Cyngor Sir Cwmdu / Cwmdu County Council

Minutes of the Planning and Regulatory Committee held on 9 October 2024

Present: County Councillor D Jones (Chair)

7. APPLICATION 24/0456/FUL - LAND AT HEOL Y FELIN

The Planning Officer presented the application for 24 dwellings. The report recommended that
planning permission be granted subject to conditions.

Following debate it was proposed by Councillor Rees and seconded by Councillor Lloyd that the
application be refused.

On being put to the vote the motion was CARRIED.

RESOLVED that planning permission be REFUSED for the reasons set out below.

8. REVIEW OF THE STATEMENT OF LICENSING POLICY

RESOLVED that:
(i) the draft Statement of Licensing Policy be approved for consultation; and
(ii) the results of the consultation be referred to Full Council for adoption.
""",
    [("7", "rejected"), ("8", "approved"), ("8", "referred")],
)

NORTHERN_IRISH = (
    "lough-council-minutes.txt",
    """\
LOUGHSIDE AND GLENS DISTRICT COUNCIL

Minutes of the Meeting of the Corporate Services Committee held on Monday 3 February 2025

In attendance: Alderman K Boyd (Chair), Councillors M Doherty and S Kerr

CS 25/14 Rates Estimates 2025/26

The Director of Finance presented the rates estimates report.

It was proposed by Councillor Doherty, seconded by Alderman Boyd and RESOLVED that the estimates be
recommended to Council for approval.

CS 25/15 Transparency Statement

It was proposed by Councillor Kerr, seconded by Councillor Doherty and AGREED that the refreshed
Transparency Statement be approved for publication.

CS 25/16 Grounds Maintenance Contract

Proposed by Alderman Boyd
Seconded by Councillor Kerr
and AGREED that consideration of the tender report be deferred to the March meeting.
""",
    [(None, "recommended"), (None, "approved"), (None, "deferred")],
)

DECISION_PAGE = (
    "decision-page.txt",
    """\
Decision details

Adoption of the Refreshed Climate Change Action Plan

Decision Maker: Cabinet

Decision status: Recommendations Approved

Is Key decision?: Yes

Is subject to call in?: Yes

Purpose:
To adopt the refreshed Climate Change Action Plan 2024-2030 following public consultation.

Decision:
The Cabinet agreed to adopt the refreshed Climate Change Action Plan and delegated authority to the
Director of Place to make minor amendments before publication.

Reasons for the decision:
The plan sets out how the council will reach net zero by 2030.

Alternative options considered:
Not adopting the plan was rejected as it would leave the council without a delivery plan.

Publication date: 14/03/2024

Date of decision: 12/03/2024
""",
    [(None, "approved"), (None, "approved")],
)

STATUS_ONLY = (
    "decision-status.txt",
    """\
Decision details

Household Support Fund Round Five

Decision Maker: Cabinet Member for Resources

Decision status: Recommendations approved (subject to call-in)

Is Key decision?: No

Purpose:
To agree the allocation of the fifth round of the Household Support Fund.

Publication date: 02/04/2024
""",
    [(None, "approved")],
)

NOTICE = (
    "record-of-decisions.txt",
    """\
Westmarch County Council

Record of Executive Decisions

Cabinet, 18 January 2025

Item 6: Home to School Transport Policy 2025/26

Decision: That the Home to School Transport Policy 2025/26 be approved.

Reasons for decision: The policy must be published before 28 February.

Item 7: Corporate Risk Register

Decision: That the Corporate Risk Register be noted.

Item 8: Review of Decision 24/00312 - Library Opening Hours

Decision: RESOLVED that the decision on library opening hours be referred back to the Cabinet Member
for reconsideration in the light of the consultation responses.
""",
    [("6", "approved"), ("7", "noted"), ("8", "referred")],
)

ITEM_MINUTE = (
    "item-minute.txt",
    """\
Minute of item 9, meeting 4521: Council Tax Reduction Scheme 2025/26

Minutes:
The Head of Revenues presented the report on the Council Tax Reduction Scheme for 2025/26.

RESOLVED to recommend to Council that the Council Tax Reduction Scheme 2025/26 be adopted, and that
the Head of Revenues be authorised to make the necessary arrangements.
""",
    [(None, "recommended")],
)

AMENDED = (
    "amended-minutes.txt",
    """\
Minutes of the Licensing Committee, 2 May 2024

Present: Councillors Ahmed, Baker and Cole

5. Street Trading Policy

Councillor Baker moved an amendment to recommendation 2 to read as follows:
"That the consultation period be extended to twelve weeks."

On being put to the vote the amendment was CARRIED.

On being put to the vote the substantive motion as amended was CARRIED.

RESOLVED that the draft Street Trading Policy be approved for a twelve-week consultation.

6. Taxi Licensing Fees

On being put to the vote the recommendation was LOST.
""",
    [("5", "amended"), ("6", "rejected")],
)

KEY_DECISION_REPORT = (
    "key-decision-report.txt",
    """\
From: Cabinet Member for Integrated Children's Services

To: Cabinet - 16 January 2025

Decision No: 24/00093

Subject: Commissioned Family Hub Contracts

Classification: Unrestricted

Key decision: Yes

Summary: This report sets out the proposal not to renew two family hub contracts when they end.

Recommendation: The Cabinet Member is asked to agree not to renew the contracts and to delegate
authority to the Corporate Director to implement the decision.

1. Introduction

1.1 The Kent Communities Programme decision taken in November 2023 (23/00092) approved a network of
family hub buildings. Cabinet approved the programme in November 2023 following consultation.

1.2 It is recommended that the Cabinet Member agrees the proposed decision attached as Appendix A.

2. Financial Implications

2.1 Not renewing the contracts would save £260,000 a year.
""",
    [],
)

REPORT = (
    "cabinet-report.txt",
    """\
Report to Cabinet, 4 March 2025

Title: Safer Streets Plan

Report of: Director of Communities

Purpose of report

This report seeks approval of the Safer Streets Plan for the town centre.

Recommendations

That Cabinet approve the Safer Streets Plan and delegate its delivery to the Director of Communities.

Background

In 2023 Cabinet agreed to develop a plan for the town centre after a rise in street drinking.
The Council resolved to adopt the Community Safety Strategy in July 2022.
""",
    [],
)

WRAPPED_MINUTES = (
    "wrapped-minutes.txt",
    """\
Cabinet
Tuesday 12 March 2024
7. Climate Change Action Plan Refresh
The Cabinet Member for Environment introduced the report, which set out the refreshed Climate
Change Action Plan following public consultation over the summer. Members welcomed the
additional actions on retrofit and asked that progress be reported to scrutiny each year.
The Cabinet agreed to adopt the refreshed Climate Change Action Plan.
8. Serious Violence Duty
The Head of Community Safety presented the strategy, which had been developed with the police,
health and probation partners under the Serious Violence Duty.
Cabinet approved the Serious Violence Duty Strategy 2024-2027.
""",
    [("7", "approved"), ("8", "approved")],
)  # text cut at a fixed width, no blank lines, no "Minutes" heading

SCOTTISH_EXCERPT = (
    "roads-minute-excerpt.txt",
    """\
Item 6 Roads Capital Programme 2024/25

There was submitted a report by the Executive Director (Place) seeking approval of the roads capital
programme for 2024/25.

Decision

The Committee agreed:—
(a) to approve the roads capital programme for 2024/25 as set out in Appendix 1; and
(b) to note that a progress report would be submitted in October 2024.

Item 7 Play Park Renewal

Members noted the report.
""",
    [("6", "approved"), ("6", "noted"), ("7", "noted")],
)  # an excerpt: no council, no "Minute of Meeting"

MINUTE_NUMBERS = (
    "audit-minutes-excerpt.txt",
    """\
Minute 23/24 Budget Monitoring Quarter 2

The Chief Finance Officer presented the report. Members asked about the overspend in children's
services; the Chief Finance Officer replied that a recovery plan was in place.

It was resolved that the report be noted.

Minute 24/24 Fees and Charges 2025/26

The Committee approved the fees and charges for 2025/26 as set out in the appendix.

Minute 25/24 Treasury Management Strategy

The Committee recommended to Council that the Treasury Management Strategy 2025/26 be approved.
""",
    [("23/24", "noted"), ("24/24", "approved"), ("25/24", "recommended")],
)  # numbered by minute, not by item

MEMBER_DECISION_PAGE = (
    "tree-strategy-decision.txt",
    """\
Decision details

Adoption of the Tree Strategy

Decision Maker: Cabinet Member for Environment and Transport

Decision status: Implemented

Is Key decision?: No

Decision:

The Cabinet Member for Environment and Transport approved the Tree Strategy 2024-2034 for adoption.

Reasons for the decision:

To set out how the Council will plant, protect and manage its trees.

Alternative options considered:

None.
""",
    [(None, "approved")],
)  # an executive member's own decision, cited at its words, not at the status

ITEM_THEN_DECISION = (
    "cabinet-decisions-list.txt",
    """\
Cabinet - Tuesday 4 June 2024
Item 7: Local Transport Plan
Decision:
Cabinet:
(a) approved the Local Transport Plan 2024-2038 for consultation;
(b) delegated authority to the Director of Place to make minor amendments.
Item 8: Parks Strategy
Decision:
Deferred to the July meeting for further information on costs.
""",
    [("7", "approved"), ("7", "approved"), ("8", "deferred")],
)  # each item's title above its 'Decision:' heading

AGENDA_MARKS = (
    "planning-policy-minutes.txt",
    """\
(Agenda item 4)
Local Plan Review - Issues and Options Consultation

The Planning Policy Manager introduced the report, and members asked about the sites put forward.

Decision: That the Issues and Options document be approved for public consultation.

(Agenda item 5)
Community Infrastructure Levy Spending

Decision: That consideration be deferred to the next meeting.
""",
    [("4", "approved"), ("5", "deferred")],
)  # the agenda item number on a line of its own above the title

PAPERS = (
    ENGLISH_DISTRICT,
    SIX_RESOLUTIONS,
    SCOTTISH,
    WELSH,
    NORTHERN_IRISH,
    DECISION_PAGE,
    STATUS_ONLY,
    NOTICE,
    ITEM_MINUTE,
    AMENDED,
    KEY_DECISION_REPORT,
    REPORT,
    WRAPPED_MINUTES,
    SCOTTISH_EXCERPT,
    MINUTE_NUMBERS,
    MEMBER_DECISION_PAGE,
    ITEM_THEN_DECISION,
    AGENDA_MARKS,
)
