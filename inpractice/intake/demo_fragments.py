"""Hand-written fragments that surround a practice in the demo call's synthetic submissions.

Openings, further detail ("extras"), impact statements, enablers and advice, each tagged with
the needs, phases and kinds of organisation it fits, plus the made-up people, providers and
other organisations who submit. `inpractice.intake.demo` picks from these with a seeded random
generator. The template language is the one described in `demo_texts`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .demo_texts import ANY, EARLY, GCSE, INFANT, PRIMARY, SCHOOL_AGE, SECONDARY

INFANT_PHASES = INFANT

ALL_VOICES = frozenset({"school", "trust", "local_authority", "send_provider", "other"})
MULTI = frozenset({"trust", "local_authority", "send_provider", "other"})
SCHOOLISH = frozenset({"school", "trust"})
SCHOOL = frozenset({"school"})
TRUST = frozenset({"trust"})
LA = frozenset({"local_authority"})
PROVIDERS = frozenset({"send_provider"})


@dataclass(frozen=True)
class Fragment:
    text: str
    needs: frozenset[str] = frozenset()  # empty: fits any need
    phases: frozenset[str] = ANY
    voices: frozenset[str] = ALL_VOICES
    principle: str = ""
    # Practice types or practice keys the fragment is specific to; empty: any practice.
    only: frozenset[str] = frozenset()


def F(  # a short constructor keeps the long tables below readable
    text: str,
    needs: str = "",
    phases: frozenset[str] = ANY,
    voices: frozenset[str] = ALL_VOICES,
    principle: str = "",
    only: str = "",
) -> Fragment:
    return Fragment(
        text, frozenset(needs.split()), phases, voices, principle, frozenset(only.split())
    )


PROVISION = "resourced_provision sen_unit"
SCREENING = (
    "neli_reception wellcomm_nursery talk_boost la_early_years trust_screening_data prov_salt "
    "colourful_semantics_salt nursery_school_inclusion prov_portage language_unit"
)


# Openings set the scene in the respondent's voice. {role_sentence} is filled in by the
# generator from the respondent's role.
SCHOOL_OPENINGS: tuple[Fragment, ...] = (
    F(
        "{school} is a {size} {phase_word} school in {town} with about {roll} pupils on roll. "
        "Around {sen_pct} per cent of our pupils are on the SEND register, well above the national "
        "figure."
    ),
    F(
        "I have been {role_lower} at {school} for {3..12} years. We are {a_phase} school in "
        "{la}, and {sen_pct} per cent of our {roll} pupils have identified special educational "
        "needs."
    ),
    F(
        "We are a {size} {phase_word} school serving {a mixed|an urban|a rural|a coastal|an "
        "estate} community in {town}, {la}. In all, {ehcp} pupils have EHC plans and many "
        "more receive SEN support."
    ),
    F(
        "{school} is {a_phase} school of {roll} pupils. Our community has high levels of "
        "disadvantage, and the proportion of pupils with SEND has grown every year for five "
        "years."
    ),
    F("This submission describes practice at {school}, {a_phase} school in {town}."),
    F(
        "Our school has always had a reputation locally as the school that takes children "
        "others turn away, and we are proud of it. We are {a_phase} school of about {roll} "
        "pupils in {la}."
    ),
    F("I am writing as {role_lower} of {school}, on behalf of our inclusion team."),
    F(
        "{school} became part of {trust} in {2018|2019|2020|2021}. We are {a_phase} school "
        "with {roll} pupils and a higher than average number with SEND.",
        voices=SCHOOL,
    ),
)

TRUST_OPENINGS: tuple[Fragment, ...] = (
    F(
        "{org} is a multi-academy trust of {trust_size} schools ({trust_mix}) in {la_list}. "
        "Around {sen_pct} per cent of our pupils are on the SEND register."
    ),
    F(
        "I lead inclusion across {org}, a trust of {trust_size} schools serving {some of the most "
        "disadvantaged communities in|towns and villages across|a mix of urban and rural "
        "communities in} {region}."
    ),
    F("Our trust has {trust_size} schools: {trust_mix}. This submission covers {n} of them."),
    F("{org} was formed in {2014|2016|2017|2019} and now has {trust_size} schools in {la_list}."),
    F(
        "This example comes from {org}, a trust of {trust_size} schools. It started at {school} "
        "and now runs in {n_phrase}."
    ),
)

LA_OPENINGS: tuple[Fragment, ...] = (
    F(
        "{la} has around {la_size} schools, maintained schools and academies alike. Like most "
        "authorities we have seen a steep rise in EHC needs assessment requests, and we have "
        "put inclusion in mainstream schools at the centre of our SEND strategy."
    ),
    F(
        "This submission is from the SEND and inclusion service in {org}. Our local area SEND "
        "strategy, agreed with the parent carer forum and health partners, commits us to "
        "meeting more children's needs in their local mainstream school."
    ),
    F(
        "I am {role_lower} for {org}. We work with all {la_size} schools in the area, whatever "
        "their type."
    ),
    F(
        "{org} has {la_size} state-funded schools. Our SEND inspection highlighted the need for a "
        "more consistent offer for children on SEN support, and the work below is part of our "
        "response."
    ),
)

# Further detail that a fuller submission adds after the core practice, one principle each.
EXTRAS: tuple[Fragment, ...] = (
    F(
        "Transition is where we used to lose children. Every child with SEND now has a "
        "transition plan before any move, whether to a new class, a new key stage or a new "
        "school, and the receiving teacher meets the child and their family before the move.",
        phases=SCHOOL_AGE,
        voices=SCHOOLISH,
        principle="p1",
    ),
    F(
        "We talk to families before we talk about families. Parents are invited to every review "
        "and we ask them what has changed at home since we last met; several of our best "
        "strategies came from parents.",
        voices=SCHOOLISH | PROVIDERS,
        principle="p4",
    ),
    F(
        "Governors receive a report on inclusion every term, and our SEND governor visits "
        "{regularly|each half term} to see the practice and talk to pupils about it.",
        voices=SCHOOLISH,
        principle="p5",
    ),
    F(
        "Training has been essential. {Every member of staff|All teaching staff and teaching "
        "assistants} had training at the start, and we revisit it in staff briefings, so new "
        "staff pick up the approach quickly.",
        principle="p2",
    ),
    F(
        "Pupil voice shapes the work. We ask pupils with SEND each term what helps and what "
        "gets in the way, using symbols or photographs where children need them, and we have "
        "changed things as a result.",
        voices=SCHOOLISH | LA,
        principle="p1",
    ),
    F(
        "Everything sits inside our graduated approach: assess, plan, do, review. Each child's "
        "support is reviewed every term with their family, and we record what we changed and "
        "why.",
        voices=SCHOOLISH,
        principle="p3",
    ),
    F(
        "We could not do this without partners. The educational psychology service, "
        "speech and language therapy and the local special school's outreach team all "
        "contribute, and we meet them together rather than separately.",
        voices=SCHOOLISH,
        principle="p4",
    ),
    F(
        "Leaders monitor the work closely. Our SENCO is a member of the senior leadership team, "
        "and inclusion is one of the priorities in our development plan, so it is discussed in "
        "the same meetings as attainment and attendance.",
        voices=SCHOOL,
        principle="p5",
    ),
    F(
        "The environment matters as much as the teaching. We reduced clutter on classroom "
        "walls, introduced calm corners and visual timetables in every class, and took "
        "advice from an occupational therapist about lighting and noise.",
        phases=PRIMARY | EARLY,
        voices=SCHOOLISH,
        principle="p2",
    ),
    F(
        "EHC plan annual reviews are person-centred. Children and young people contribute in "
        "whatever way suits them, and the meeting begins with what is working before moving to "
        "what needs to change.",
        voices=SCHOOLISH | LA,
        principle="p4",
    ),
    F(
        "We budgeted for this deliberately. {It costs about £{18|22|26|35},000 a year|The main "
        "cost is staff time}, which we fund from our notional SEND budget and pupil premium "
        "because it benefits many disadvantaged pupils.",
        voices=SCHOOL,
        principle="p5",
    ),
    F(
        "Our SENCO has protected time of {two|three} days a week and holds the NPQ for SENCOs. "
        "She is not the only person responsible for SEND, but she makes sure the system "
        "works.",
        voices=SCHOOL,
        principle="p5",
    ),
    F(
        "We use the same approach across all the schools involved, which means a pupil who "
        "moves between them, or a member of staff who does, finds the same language and "
        "routines.",
        voices=MULTI,
        principle="p5",
    ),
    F(
        "Specialist expertise is shared rather than held by one person. We film examples of "
        "good practice, with consent, and use them in training so that skills spread.",
        principle="p2",
    ),
    F(
        "We work hard to keep the pupil's day as ordinary as possible. Interventions are "
        "timetabled so that pupils do not always miss the same lesson, and never PE, music or "
        "art that they love.",
        phases=SCHOOL_AGE,
        voices=SCHOOLISH,
        principle="p2",
    ),
    F(
        "Information travels with the young person. When a student moves on, their profile, "
        "their access arrangements and what works for them go to the next setting, with their "
        "permission, before they arrive.",
        phases=SECONDARY,
        voices=SCHOOLISH,
        principle="p1",
    ),
    F(
        "We did not want a model that depended on a few enthusiasts. Every school that takes "
        "part names a lead, agrees a plan with us and reviews it each term.",
        voices=LA | PROVIDERS | frozenset({"other"}),
        principle="p5",
    ),
    F(
        "Families are part of the design. The parent carer forum sat on the steering group from "
        "the start and reviewed every piece of guidance before it went to schools.",
        voices=LA | PROVIDERS,
        principle="p4",
    ),
    F(
        "We publish what we learn. Each term we share a short summary of themes from our work "
        "with SENCOs and headteachers, so that schools can learn from one another.",
        voices=MULTI,
        principle="p2",
    ),
    F(
        "Capacity-building comes first. Each piece of work with a school ends with a member of "
        "school staff able to do what we did, and we check back a term later.",
        voices=LA | PROVIDERS,
        principle="p3",
    ),
    F(
        "We track what happens across all the schools: requests for support, the needs they "
        "relate to and the outcomes, so that we can see where need is growing and respond "
        "early.",
        voices=MULTI,
        principle="p1",
    ),
    F(
        "The work reports to the local area SEND partnership board, which includes parents, "
        "health and social care, and reviews progress twice a year.",
        voices=LA,
        principle="p5",
    ),
    F(
        "Our trustees review the work twice a year, and two of them have lived experience of "
        "SEND as parents or as disabled adults.",
        voices=PROVIDERS,
        principle="p5",
    ),
    F(
        "Transitions get particular attention. Before a pupil moves school or key stage we "
        "meet the receiving staff, share what works and, where families want it, join the "
        "first review in the new setting.",
        voices=LA | PROVIDERS,
        principle="p1",
    ),
)

IMPACT: tuple[Fragment, ...] = (
    F(
        "Attendance for the {10..24} pupils involved rose from {79..85} per cent to {90..94} per "
        "cent over the year, measured through our attendance system.",
        "SEMH ASD OTH",
        voices=SCHOOLISH | PROVIDERS,
    ),
    F(
        "Suspensions of pupils with SEND fell from {38..60} in {2022-23|2021-22} to {9..20} last "
        "year, and we have not permanently excluded a pupil with SEND for {two|three} years.",
        "SEMH",
        SECONDARY | GCSE,
        SCHOOLISH,
    ),
    F(
        "Across the schools involved, suspensions of pupils with SEND fell by {25..45} per cent "
        "over two years, according to the termly figures schools share with us.",
        "SEMH",
        SCHOOL_AGE,
        MULTI,
    ),
    F(
        "Pupils' average reading age rose by {14..22} months over {six|seven|eight} months of "
        "intervention, measured with the New Group Reading Test, and {60..80} per cent now read "
        "within a year of their chronological age.",
        "SPLD MLD",
        SCHOOL_AGE,
        SCHOOLISH | PROVIDERS,
    ),
    F(
        "On the Boxall Profile, {all but one|nearly all} of the children showed gains in "
        "developmental strands and fewer diagnostic concerns after two terms. Class teachers "
        "report fewer incidents and longer periods of focus in class.",
        "SEMH",
        EARLY | PRIMARY,
        SCHOOLISH,
        only="nurture_group_ks1 trauma_informed zones_emotion_coaching",
    ),
    F(
        "Strengths and Difficulties Questionnaire total difficulty scores fell for "
        "{70..85} per cent of pupils between the start and end of support.",
        "SEMH",
    ),
    F(
        "On rescreening, {65..82} per cent of children moved up at least one band, and the "
        "number needing referral to speech and language therapy fell.",
        "SLCN",
        EARLY | PRIMARY,
        only=SCREENING,
    ),
    F(
        "The proportion of time that pupils in the provision spend in mainstream lessons has "
        "risen from {35..50} per cent to {65..80} per cent, and every pupil now spends some of "
        "each day with their class.",
        voices=SCHOOLISH | LA,
        only=PROVISION,
    ),
    F(
        "In our pupil voice survey, {80..94} per cent of pupils with SEND said they feel they "
        "belong in school, compared with {55..68} per cent three years ago.",
        voices=SCHOOLISH,
    ),
    F(
        "Parents tell us the difference. In our annual survey {85..97} per cent of parents of "
        "children with SEND agreed that the school listens to them, and complaints about SEND "
        "have almost stopped. One parent wrote: 'For the first time, I don't have to fight.'",
        voices=SCHOOL,
    ),
    F(
        "In our survey of families, {78..92} per cent said their child's school understood their "
        "child's needs, up from {50..64} per cent before the work began. The parent carer forum "
        "ran the survey, so families could be candid.",
        voices=MULTI,
    ),
    F(
        "Ofsted's most recent report commented that pupils with SEND 'are fully included in "
        "the life of the school' and that staff 'adapt teaching skilfully'.",
        voices=SCHOOL,
    ),
    F(
        "Staff confidence has risen: in our staff survey, the proportion of teachers who feel "
        "confident to meet the needs of pupils with SEND rose from {38..52} per cent to "
        "{78..90} per cent."
    ),
    F(
        "No pupil in the provision has moved to a special school in {two|three|four} years, "
        "and {two|three} pupils no longer need an EHC plan.",
        voices=SCHOOLISH | LA,
        only=PROVISION,
    ),
    F(
        "Children are talking more. Teachers record more spontaneous requests and comments, "
        "and several children who used no words when they joined now use short sentences.",
        "ASD SLCN SLD MSI",
        EARLY | PRIMARY,
        SCHOOLISH | PROVIDERS,
        only="arp_autism_primary attention_autism_eyfs colourful_semantics_salt talk_boost "
        "language_unit neli_reception wellcomm_nursery msi_intervenor sld_specialist_assistant "
        "prov_salt prov_portage nursery_school_inclusion down_syndrome hi_primary_base",
    ),
    F(
        "Participation in PE lessons for pupils with physical disabilities is now full, and "
        "{12..30} pupils with SEND attend at least one sports club, up from {2..6}.",
        "PD VI ASD",
        SCHOOL_AGE,
        SCHOOLISH | PROVIDERS,
        only="sport_and_pe",
    ),
    F(
        "{Every|Almost every} pupil with vision or hearing impairment now manages their own "
        "equipment, and pupils describe themselves as more independent; one Year {5|6|8|9} pupil "
        "said, 'I don't need someone sitting next to me any more.'",
        "HI VI MSI",
        SCHOOL_AGE,
    ),
    F(
        "Progress data shows pupils with SEND making progress in line with their peers in "
        "reading and close to it in maths, which was not the case before.",
        "MLD SPLD SLCN",
        SCHOOL_AGE,
        SCHOOLISH,
    ),
    F(
        "Our key stage 4 results for students with SEND improved, and every student with an "
        "EHC plan who left us last summer went on to education, employment or training.",
        phases=GCSE,
        voices=SCHOOL,
    ),
    F(
        "Across the schools involved, requests for EHC needs assessment fell by {12..25} per "
        "cent while the number of pupils supported at SEN support rose, which suggests needs are "
        "being met earlier.",
        voices=MULTI,
    ),
    F(
        "Across the schools, the number of pupils on part-time timetables fell from {40..70} to "
        "{8..18}, and we now know the name of every one of them.",
        "SEMH",
        voices=MULTI,
    ),
    F(
        "An independent evaluation by {a local university|the local authority's research "
        "team} found improvements in staff knowledge and in pupils' wellbeing scores, and "
        "recommended that the model be extended.",
        voices=MULTI,
    ),
    F(
        "Schools rate our support highly: {90..98} per cent of SENCOs said the support made a "
        "difference to practice, and {80..92} per cent said it changed what happens for "
        "pupils beyond the one referred.",
        voices=PROVIDERS | LA,
    ),
    F(
        "We use goal attainment scaling to measure progress against the targets set with each "
        "pupil and family; {75..88} per cent of goals were met or exceeded last year.",
        voices=PROVIDERS | LA | TRUST,
    ),
    F(
        "Pupils notice it. In interviews, pupils said that adults 'know what I need without me "
        "having to say' and that they feel calmer in lessons."
    ),
    F(
        "The early identification means we now find needs a year or more earlier than we used "
        "to: {half|two thirds} of pupils who joined the SEND register last year were identified "
        "in Reception or Year 1.",
        "SLCN SPLD ASD",
        EARLY | PRIMARY,
        SCHOOLISH,
        only=SCREENING + " one_page_profiles attention_autism_eyfs trust_screening_data",
    ),
    F(
        "The number of pupils moving from mainstream to specialist or alternative provision has "
        "fallen, and tribunal appeals about placement in our area fell from {14..22} to "
        "{3..8}.",
        voices=LA,
    ),
    F(
        "We measure what matters to the pupils: independence. We record the level of adult "
        "prompting pupils need for each routine, and prompt dependency has fallen for {all|most} "
        "pupils over the year.",
        "ASD SLD PMLD MSI PD",
    ),
    F(
        "Readmission after placements has been successful: {11..16} of the {14..18} pupils who "
        "used the hub last year are now back in full-time mainstream lessons.",
        "SEMH",
        SECONDARY,
        SCHOOL,
        only="sen_unit",
    ),
    F(
        "Post-16 destinations have improved: {90..100} per cent of students with EHC plans who "
        "left last year went on to college, apprenticeships or supported internships.",
        "ASD MLD SLD SPLD",
        frozenset({"16_plus", "secondary", "all_through"}),
        SCHOOLISH,
        only="preparing_for_adulthood sixth_form_college_support transition_y6_y7 "
        "arp_autism_secondary ebsa_attendance",
    ),
    F(
        "Pupils with medical conditions now attend every school trip, and absence linked to "
        "medical needs has fallen.",
        voices=SCHOOLISH,
        only="medical_needs",
    ),
    F(
        "Staff describe the change as cultural. In our staff survey, comments shifted from "
        "'SEND is the SENCO's job' to 'we all know what to do'."
    ),
)

# Deliberately thin: some real submissions say little about evidence.
WEAK_IMPACT: tuple[Fragment, ...] = (
    F(
        "We have seen a real difference in the children's confidence and staff feel more able "
        "to support them."
    ),
    F("Feedback from parents has been very positive and the children enjoy it."),
    F("It is too early to measure impact formally but staff and pupils say it helps."),
    F("The pupils are happier and there have been fewer incidents."),
    F("Everyone agrees it has made a big difference."),
)

ENABLERS: tuple[Fragment, ...] = (
    F(
        "Above all, leadership. Our headteacher made inclusion a priority and protected the time "
        "and money it needed, even when budgets were tight.",
        voices=SCHOOL,
    ),
    F(
        "Protected time for the SENCO, who is on the senior leadership team and has "
        "{two|three} days a week without teaching.",
        voices=SCHOOL,
    ),
    F(
        "Training for every member of staff, not just teaching assistants or the SENCO, so that "
        "the approach did not depend on one or two people."
    ),
    F(
        "Funding from {the local authority's inclusion fund|the high needs block|our trust's "
        "central budget|a small grant from a local charity} paid for the initial training and "
        "equipment."
    ),
    F(
        "A good relationship with the educational psychology service and speech and language "
        "therapy, who gave us advice and trained our staff."
    ),
    F(
        "Working closely with families from the start. Parents helped us design the approach "
        "and they tell us when it is not working."
    ),
    F("Time. We gave it {two|three} years to embed and did not expect instant results."),
    F(
        "Learning from others: we visited {two|three} schools already doing this well and "
        "borrowed shamelessly."
    ),
    F(
        "The outreach team from our local special school, whose teachers modelled approaches in "
        "our classrooms.",
        voices=SCHOOLISH,
    ),
    F(
        "Governors who asked the right questions and supported us when we changed policy.",
        voices=SCHOOL,
    ),
    F(
        "The trust's central inclusion team, which provided training, supervision and a SENCO "
        "network.",
        voices=SCHOOLISH,
    ),
    F(
        "Trustees who made inclusion a strategic priority and held us to account for it.",
        voices=TRUST,
    ),
    F(
        "A shared commitment from headteachers, who agreed to pool funding and expertise.",
        voices=TRUST | LA,
    ),
    F(
        "Co-production with the parent carer forum, which kept us honest about what families "
        "experience."
    ),
    F(
        "Commissioning arrangements that allowed us to work preventatively rather than only "
        "with pupils who already have EHC plans.",
        voices=PROVIDERS | LA,
    ),
    F(
        "Joint commissioning with health partners through the integrated care board.",
        voices=LA | PROVIDERS,
    ),
    F(
        "Staff stability. Most of the team have been with us for years and know the children "
        "and families well."
    ),
    F(
        "Specialist qualifications: our Teachers of the Deaf and of vision impairment hold the "
        "mandatory qualification, and we fund further study for assistants.",
        "HI VI MSI",
    ),
    F(
        "Specialist knowledge: {two|three} of the team hold postgraduate qualifications in "
        "autism, and everyone else has completed AET training.",
        "ASD",
    ),
    F(
        "Both nurture staff completed accredited nurture group training, and the nurture "
        "principles give us a shared language.",
        only="nurture_group_ks1",
    ),
    F(
        "Investing in the SENCO role: the NPQ for SENCOs gave our SENCOs the confidence and "
        "the networks to lead this work.",
        voices=SCHOOLISH | frozenset({"local_authority"}),
    ),
    F(
        "nasen's free training modules and the Whole School SEND resources, which gave us a "
        "starting point and a shared language."
    ),
    F(
        "The EEF guidance gave us a shared evidence base, so decisions were not based on "
        "whoever argued most strongly."
    ),
    F("Good data systems that let us see which pupils were not making progress, and ask why."),
    F("Buy-in from teachers. We started small, with volunteers, and let results persuade others."),
    F(
        "Space. We converted {a disused classroom|a small office|part of the library} into a "
        "calm base, which cost little but made a big difference.",
        voices=SCHOOL,
    ),
)

WEAK_ENABLERS: tuple[Fragment, ...] = (
    F("Hard work and commitment from staff."),
    F("Good teamwork."),
    F("A supportive headteacher."),
)

ADVICE: tuple[Fragment, ...] = (
    F("Start small, with a few committed staff, and evaluate before you scale up."),
    F(
        "Do not buy a programme and assume it will work. Train the adults properly and check "
        "that it is being delivered as intended."
    ),
    F("Involve families from the start, not once you have decided what to do."),
    F("Ask the children. They will tell you what helps and what does not."),
    F("Make sure the SENCO is part of the senior leadership team and has time to do the job."),
    F(
        "Do not let the resourced provision become a separate school within a school; every "
        "child should belong to a class.",
        only=PROVISION,
    ),
    F(
        "Protect intervention time. If sessions are cancelled whenever cover is needed, the "
        "intervention will not work."
    ),
    F("Measure something before you start, so you can tell whether it made a difference."),
    F("Invest in teaching assistants' training and give them time to plan with teachers."),
    F(
        "Act on need, not on diagnosis. Waiting lists are long and children cannot wait.",
        "ASD SLCN SEMH OTH",
    ),
    F(
        "Think about the whole day, including lunchtimes, corridors and the journey to "
        "school, not just lessons."
    ),
    F(
        "Be prepared for it to feel uncomfortable. Looking honestly at your data on "
        "suspensions and attendance for pupils with SEND is the first step."
    ),
    F(
        "Use specialists to build your own staff's expertise rather than to take children away "
        "to be fixed."
    ),
    F(
        "Keep paperwork short. A one-page plan that everyone reads is better than a long one "
        "that nobody does."
    ),
    F("Share what works with other schools; we learnt most from visiting each other."),
    F("Remember that good teaching for pupils with SEND is good teaching for everyone."),
    F("Be patient with adults as well as children. Changing habits takes time and coaching."),
    F(
        "Talk to your local authority and special schools early; there is more support "
        "available than many schools realise.",
        voices=SCHOOLISH,
    ),
    F(
        "Build it into your policies and development plan so it survives changes of staff.",
        voices=SCHOOLISH,
    ),
    F(
        "Schools need consistency but not uniformity; agree the principles and let schools "
        "adapt the detail.",
        voices=MULTI,
    ),
    F("Commission for capacity-building, not just for assessment.", voices=MULTI),
    F(
        "Equipment alone changes nothing; training staff to use it is what matters.",
        "PD VI HI MSI",
        only="sport_and_pe specialist_assistants specialist_expertise",
    ),
)

FIRST_NAMES = (
    "Sarah",
    "Emma",
    "Rachel",
    "Helen",
    "Claire",
    "Joanne",
    "Priya",
    "Aisha",
    "Fatima",
    "Nadia",
    "Laura",
    "Kirsty",
    "Gemma",
    "Hannah",
    "Ruth",
    "Siobhan",
    "Bethan",
    "Olu",
    "Grace",
    "Amira",
    "Zainab",
    "Catherine",
    "Lucy",
    "Megan",
    "Jasmine",
    "Anita",
    "Harpreet",
    "Mei",
    "Nicola",
    "Victoria",
    "Louise",
    "Sophie",
    "Yasmin",
    "Tanya",
    "Deborah",
    "Michelle",
    "David",
    "James",
    "Mark",
    "Paul",
    "Tom",
    "Daniel",
    "Imran",
    "Ravi",
    "Kwame",
    "Chris",
    "Andrew",
    "Gareth",
    "Sean",
    "Matthew",
    "Ben",
    "Adam",
    "Tariq",
    "Samuel",
    "Neil",
    "Peter",
    "Richard",
    "Jonathan",
    "Owen",
    "Femi",
)
SURNAMES = (
    "Patel",
    "Khan",
    "Hughes",
    "Thompson",
    "Okafor",
    "Clarke",
    "Walsh",
    "Begum",
    "Robinson",
    "Wright",
    "Hussain",
    "Edwards",
    "Ahmed",
    "Turner",
    "Kaur",
    "Morgan",
    "Baker",
    "Mensah",
    "Chowdhury",
    "Fletcher",
    "Murphy",
    "Singh",
    "Holloway",
    "Nowak",
    "Bennett",
    "Ali",
    "Osei",
    "Lawson",
    "Whitfield",
    "Barker",
    "Sharma",
    "Gallagher",
    "Henderson",
    "Owusu",
    "Pearson",
    "Cartwright",
    "Doyle",
    "Mahmood",
    "Kowalski",
    "Reid",
    "Fraser",
    "Lloyd",
    "Rahman",
    "Ellis",
    "Ashworth",
    "Brennan",
    "Chapman",
    "Dawson",
    "Iqbal",
    "Jennings",
    "Kerr",
    "McBride",
    "Nash",
    "Oduya",
    "Pritchard",
    "Quinn",
    "Sutcliffe",
    "Tanaka",
    "Varga",
    "Yates",
)

ROLES: dict[str, tuple[str, ...]] = {
    "school": (
        "SENCO",
        "SENCO",
        "SENCO",
        "Headteacher",
        "Headteacher",
        "Deputy headteacher and SENCO",
        "Assistant headteacher for inclusion",
        "Inclusion lead",
        "Head of resourced provision",
        "Executive headteacher",
        "Principal",
    ),
    "trust": (
        "Director of inclusion",
        "Trust SEND lead",
        "Chief executive officer",
        "Director of education",
        "Trust lead for inclusion and SEND",
    ),
    "local_authority": (
        "Head of SEND and inclusion",
        "Inclusion officer",
        "Principal educational psychologist",
        "SEND strategic lead",
        "Senior adviser for inclusion",
        "Assistant director for education",
    ),
}

COLLEGE_ROLES = (
    "Head of additional learning support",
    "Principal",
    "Learning support manager",
)

# Providers and other organisations: (name, practice key, role of the respondent, how many
# schools they typically cover). The names are invented.
PROVIDER_PROFILES: tuple[tuple[str, str, str], ...] = (
    ("Brightwater Autism Outreach Service", "prov_autism_outreach", "Outreach lead"),
    ("Northern Sensory Support Partnership", "prov_sensory", "Service manager"),
    ("Talking Futures Speech and Language Therapy", "prov_salt", "Clinical lead"),
    ("Pathways Dyslexia and Literacy Outreach", "prov_dyslexia", "Specialist teacher adviser"),
    ("Steady Minds Schools Wellbeing Service", "prov_wellbeing", "Director of services"),
    ("Ability Sport Partnership", "prov_ability_sport", "Schools programme manager"),
    ("Hands On Occupational Therapy for Schools", "prov_ot", "Lead occupational therapist"),
    ("The Inclusion Collective", "prov_cognition_advisory", "Director"),
    ("Compass Attendance and Inclusion Outreach", "prov_ebsa_outreach", "Head of outreach"),
    ("Brookfield Complex Needs Outreach Team", "prov_complex_needs", "Outreach teacher"),
    ("Early Steps Portage and Inclusion", "prov_portage", "Portage coordinator"),
    ("Neurodiversity in Schools Partnership", "prov_neurodiversity", "Programme lead"),
)

OTHER_PROFILES: tuple[tuple[str, str, str, str], ...] = (
    # (name pattern, practice key, role, organisation_type_other)
    ("Fernmoor Teaching School Hub", "other_hub_training", "Hub lead", "Teaching school hub"),
    ("{la} Parent Carer Forum", "other_parent_forum", "Chair", "Parent carer forum"),
    (
        "Wellsbury University School of Education",
        "other_research_partnership",
        "Senior lecturer in education",
        "University",
    ),
)

# Short stories of one child or one school, told with an initial only, for fuller submissions.
VIGNETTES: tuple[Fragment, ...] = (
    F(
        "One boy, whom we will call J, joined us in Year 2 after a reduced timetable at his "
        "previous school. At first he could manage ten minutes in class with an adult beside "
        "him. By the end of Year 4 he was in class for all but two sessions a week, and his "
        "mother told us it was the first time he had been invited to a birthday party.",
        "ASD SLCN",
        PRIMARY,
        SCHOOL,
    ),
    F(
        "A Year 9 student, whom we will call A, had been out of school for most of Year 8. She "
        "started with two lessons a week that she chose, arriving after the bell to avoid the "
        "crowds. By the summer she was attending full time, and she has just chosen her GCSE "
        "options, including triple science, which she says she would never have dared to do.",
        "ASD SEMH",
        GCSE,
        SCHOOL,
        only="arp_autism_secondary ebsa_attendance inclusion_hub_secondary transition_y6_y7 "
        "one_page_profiles neurodiversity_ambassadors",
    ),
    F(
        "L came to us in Year 3 having been suspended twice at his previous school. His "
        "outbursts were frequent and frightening for other children. With a key adult, a "
        "regulation plan written with his grandmother and a great deal of patience, he has "
        "not been suspended here, and last term he was voted onto the school council.",
        "SEMH",
        PRIMARY,
        SCHOOL,
    ),
    F(
        "M barely spoke at school during her first term in Reception. Screening showed a "
        "significant language delay, and she began a language group straight away. By the end "
        "of Year 1 she was putting up her hand to answer questions, and her teacher noticed she "
        "had started correcting other children's grammar.",
        "SLCN",
        EARLY,
        SCHOOL,
        only=SCREENING + " talk_boost attention_autism_eyfs",
    ),
    F(
        "K, who is blind, told us in Year 5 that what he wanted most was to walk to the dining "
        "hall on his own like his friends. Working with the habilitation specialist for a term, "
        "he learnt the route with his cane. His classmates now wait for him at the door because "
        "they want to, not because they have to.",
        "VI MSI",
        PRIMARY,
        SCHOOL,
    ),
    F(
        "S, who uses a wheelchair, used to keep score in PE. This year she captained the school "
        "Boccia team at the county School Games finals, and two non-disabled friends joined the "
        "team because she asked them to.",
        "PD",
        SCHOOL_AGE,
        SCHOOL,
        only="sport_and_pe",
    ),
    F(
        "R arrived in Year 7 with a reading age of seven and a fixed belief that he was 'thick'. "
        "Screening showed that decoding was the barrier, not understanding. After two terms of "
        "daily phonics and Precision Teaching his reading age had risen by more than two years, "
        "and his history teacher was the first to notice the difference in his written work.",
        "SPLD MLD",
        SECONDARY,
        SCHOOL,
        only="precision_teaching_y7 dyslexia_friendly adaptive_teaching_coaching "
        "dld_secondary_vocab",
    ),
    F(
        "B's attendance in Year 10 was 22 per cent. We did not start with lessons; we started "
        "with a walk to the gate with her keyworker, then ten minutes in the library, then one "
        "English lesson. She sat her exams in a small room with the same invigilator each time "
        "and has started a college course she chose herself.",
        "SEMH ASD",
        GCSE,
        SCHOOL,
        only="ebsa_attendance inclusion_hub_secondary mhst_cbt arp_autism_secondary",
    ),
    F(
        "E has profound and multiple learning difficulties. On Friday mornings she joins her "
        "class for the sensory retelling of their story of the week, and her classmates take "
        "turns to bring her the objects. Her mother said that for the first time E has friends "
        "who know her name outside school.",
        "PMLD SLD",
        INFANT_PHASES,
        SCHOOL,
    ),
    F(
        "In one of our schools, a Year 5 teacher who had said at the start that she 'wasn't "
        "trained for SEND' now leads the practice for the rest of the staff. That change, from "
        "a specialist's job to everyone's job, is what we were trying to achieve.",
        voices=MULTI,
        phases=SCHOOL_AGE,
    ),
    F(
        "One SENCO told us: 'For the first time I have somewhere to take the cases that keep me "
        "awake at night, and people who have seen them before.' Another said the network was "
        "the reason she had not left the profession.",
        voices=MULTI,
    ),
    F(
        "A parent who had been very critical of one of the schools at the start now co-chairs "
        "its parent SEND group. She told us that what changed was being asked what she thought "
        "before decisions were made, not after.",
        voices=MULTI,
    ),
)

# Where the work goes next; fuller submissions often end with this.
NEXT_STEPS: tuple[Fragment, ...] = (
    F(
        "Next year we want to extend the approach to {Key Stage 2|the whole school|our "
        "partner schools}, and we have trained two more members of staff so that it does not "
        "rest on the people who started it.",
        voices=SCHOOLISH,
    ),
    F(
        "Our next step is to involve pupils more directly in reviewing the approach. We have "
        "asked {a group of pupils|our school council} to help us design next year's survey.",
        voices=SCHOOLISH,
    ),
    F(
        "We are now working with {two|three} neighbouring schools who want to adopt the same "
        "model, and we have written a short guide based on what we learnt.",
        voices=SCHOOL,
    ),
    F(
        "The next phase is evaluation. We have agreed with {a local university|an independent "
        "evaluator} to look at outcomes over three years, including the views of families."
    ),
    F(
        "We want to connect this work more closely with health services, particularly for "
        "children waiting for assessment, and have started talks with the integrated care "
        "board.",
        voices=MULTI,
    ),
    F(
        "Over the next year we will extend the offer to more schools, starting with those whose "
        "data suggests pupils with SEND are having the hardest time.",
        voices=MULTI,
    ),
    F(
        "What we have not yet cracked is consistency: the practice is strong where leaders "
        "champion it and weaker where they do not. That is our focus for next year."
    ),
)

# Honest difficulties that fuller submissions mention under "what made it possible".
CHALLENGES: tuple[str, ...] = (
    "It has not all been smooth. In the first year some staff saw the approach as a soft "
    "option, and it took consistent leadership and visible results to change minds.",
    "Funding remains fragile. The work depends on budgets that are under pressure, and we "
    "have had to make difficult choices to protect it.",
    "Our first attempt failed because we tried to do too much at once. We stopped, chose one "
    "priority, and built from there.",
    "Recruitment of specialist staff has been hard, and we have learnt to grow our own by "
    "training teaching assistants who show an aptitude for the work.",
    "Waiting times for health services are still long, and no amount of good practice in "
    "school fully makes up for that.",
    "We underestimated the time needed for communication with families; it is now built into "
    "staff timetables.",
)

# Thin practice descriptions for the weaker submissions; {short} is the practice's short form.
WEAK_PRACTICE: tuple[str, ...] = (
    "We are a very inclusive school and all staff are committed to meeting the needs of "
    "every child. {short}",
    "{short} We adapt this to each child.",
    "Inclusion is at the heart of everything we do. {short} It is working well.",
    "{short} All children are welcome and we do whatever it takes.",
)
