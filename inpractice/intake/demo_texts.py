"""Hand-written practice descriptions for the demo call's synthetic submissions.

Each `Practice` is one piece of inclusive practice as a school, trust, local authority or SEND
support provider might describe it: the core text, a short version for brief submissions, the
needs it serves (DfE codes and a precise description in words), the practice types, the phases
it fits and who could plausibly tell it. `inpractice.intake.demo` chooses and combines them with
the fragments in `demo_fragments` so that no two submissions read alike.

Texts use a small template language (see `demo.render`): `{a|b|c}` picks one alternative,
`{3..9}` picks a whole number, and `{name}` fills in a value about the submitting organisation
(org, school, la, town, n, setting). Every person, school and provider named is made up.
"""

from __future__ import annotations

from dataclasses import dataclass

# Register phases a practice suits. Middle schools (Years 5 to 8) take practices written for
# either key stage as long as the text avoids infant-only or GCSE-only detail.
ANY = frozenset({"nursery", "primary", "middle", "secondary", "all_through", "16_plus"})
SCHOOL_AGE = frozenset({"primary", "middle", "secondary", "all_through"})
EARLY = frozenset({"nursery", "primary", "all_through"})
PRIMARY = frozenset({"primary", "middle", "all_through"})
INFANT = frozenset({"primary", "all_through"})
SECONDARY = frozenset({"secondary", "middle", "all_through"})
GCSE = frozenset({"secondary", "all_through"})
POST16 = frozenset({"16_plus", "secondary", "all_through"})
COLLEGE = frozenset({"16_plus"})
NURSERY = frozenset({"nursery"})

SCHOOL = frozenset({"school"})
SCHOOL_TRUST = frozenset({"school", "trust"})
TRUST = frozenset({"trust"})
LA = frozenset({"local_authority"})
PROVIDER = frozenset({"send_provider"})
OTHER = frozenset({"other"})


@dataclass(frozen=True)
class Practice:
    key: str
    principle: str  # the codebook principle it most clearly shows: p1..p5
    titles: tuple[str, ...]
    needs: tuple[str, ...]
    need_descriptions: tuple[str, ...]
    types: tuple[str, ...]
    phases: frozenset[str]
    voices: frozenset[str]
    text: str
    short: str
    other_type: str = ""


PRACTICES: tuple[Practice, ...] = (
    # ---------------------------------------------------------------- schools (and trusts)
    Practice(
        key="arp_autism_primary",
        principle="p3",
        titles=(
            "The Hive: an autism resourced provision where pupils learn alongside their peers",
            "Resourced provision for autistic pupils that starts from the mainstream class",
        ),
        needs=("ASD", "SLCN"),
        need_descriptions=(
            "Autistic pupils in Years 1 to 6, most with EHC plans, who find busy classrooms, "
            "transitions between activities and unstructured times overwhelming, and several "
            "of whom are minimally verbal or use echolalia to communicate.",
            "Children with a diagnosis of autism and associated language needs who had "
            "struggled to stay in class for more than short periods in their previous settings.",
        ),
        types=("resourced_provision", "specialist_assistants"),
        phases=INFANT,
        voices=SCHOOL_TRUST,
        text=(
            "Our resourced provision, which the children named The Hive, has {12|14|16} "
            "commissioned places for autistic pupils. The crucial design decision was that every "
            "child in The Hive belongs to a mainstream class: they register with their class, "
            "their class teacher is accountable for their progress and they are on the class "
            "photograph. The Hive is a base, not a destination. Each child has an individual "
            "timetable that shows when they are in class, when they work in the base and when "
            "they have sensory or regulation breaks, and we review it every half term so that "
            "time in class grows as children are ready.\n\n"
            "In the base we use {TEACCH-style|structured TEACCH} workstations, Attention Autism "
            "sessions {every morning|three times a week} and the SCERTS framework to set goals for "
            "social communication and emotional regulation. Our specialist teaching assistants "
            "go with children into lessons rather than the children always coming out to them, "
            "and they carry visual timetables, now-and-next boards and Widgit symbol vocabulary "
            "so that the class teacher's input is accessible. Class teachers plan with the Hive "
            "teacher {every Tuesday|fortnightly} for twenty minutes, which is protected time."
        ),
        short=(
            "We run a {12|14}-place resourced provision for autistic pupils where every child "
            "belongs to a mainstream class and spends as much of the day there as they can, "
            "with specialist assistants going into lessons with them."
        ),
    ),
    Practice(
        key="arp_autism_secondary",
        principle="p3",
        titles=(
            "The Link: a secondary autism base that keeps students in mainstream lessons",
            "Partial timetables that grow: autism resourced provision in a secondary school",
        ),
        needs=("ASD", "SEMH"),
        need_descriptions=(
            "Autistic students in Years 7 to 11, many with high anxiety linked to sensory "
            "overload, change and social demands, some of whom had been out of education for "
            "long periods before joining us.",
            "Autistic young people with EHC plans who are academically able but whose anxiety "
            "about corridors, crowded dining halls and unpredictable lessons leads to shutdowns "
            "and school avoidance.",
        ),
        types=("resourced_provision",),
        phases=GCSE,
        voices=SCHOOL_TRUST,
        text=(
            "The Link is our {20|24|25}-place resourced provision for autistic students. Students "
            "follow the full mainstream curriculum and sit GCSEs with their year group; the base "
            "gives them somewhere predictable to start and end the day, to eat lunch if the "
            "canteen is too much, and to go when they need to regulate. Every student has a "
            "keyworker from the Link team who meets them each morning and checks in at the end of "
            "the day.\n\n"
            "We plan the timetable with the student and their family rather than for them. Most "
            "students begin Year 7 in around {half|two thirds} of mainstream lessons, chosen "
            "with them, and we add lessons as confidence grows. Subject teachers get a one-page "
            "profile for every Link student, written in the student's own words, and the Link "
            "staff run short briefings for departments at the start of each term. Students leave "
            "lessons five minutes early to avoid busy corridors, and every classroom has a "
            "discreet exit card system that all staff understand. We use the Autism Education "
            "Trust progression framework to set and review targets for independence, and "
            "Lego-based therapy and a social communication group for those who want it."
        ),
        short=(
            "Our autism base gives students a predictable place to start the day and to "
            "regulate, while they follow the mainstream curriculum and take GCSEs with their year "
            "group."
        ),
    ),
    Practice(
        key="hi_primary_base",
        principle="p3",
        titles=(
            "A hearing impairment resourced provision where the whole class learns to include",
            "Deaf children learning in mainstream classes with a Teacher of the Deaf on site",
        ),
        needs=("HI", "SLCN"),
        need_descriptions=(
            "Deaf and hearing-impaired children aged 4 to 11, including cochlear implant users "
            "and children with moderate to profound losses, several of whom use British Sign "
            "Language alongside spoken English.",
            "Primary-age pupils with permanent hearing loss whose spoken vocabulary on entry "
            "is typically two years or more behind that of their hearing peers.",
        ),
        types=("resourced_provision", "specialist_expertise"),
        phases=INFANT,
        voices=SCHOOL_TRUST,
        text=(
            "We host the {local authority's|area's} resourced provision for deaf children, with "
            "{eight|ten|twelve} places. A Qualified Teacher of the Deaf is based in school "
            "{four days a week|full time} and two communication support workers are qualified to "
            "BSL Level 3. The children are taught in mainstream classes for almost all of the "
            "day; the Teacher of the Deaf pre-teaches key vocabulary for each topic in small "
            "groups and post-tutors afterwards to check understanding.\n\n"
            "Every classroom that a deaf child is in has a soundfield system and teachers wear "
            "radio aid transmitters, which the Teacher of the Deaf checks each morning. We "
            "run a weekly deaf awareness and signing club that is open to everyone, and around "
            "{forty|sixty} hearing children now sign with their friends at playtime. The "
            "Sensory Impairment Service audiologist visits termly to check equipment and "
            "acoustics."
        ),
        short=(
            "Deaf children in our resourced provision learn in mainstream classes, with a "
            "Teacher of the Deaf pre-teaching vocabulary, radio aids in every lesson and signing "
            "clubs open to all."
        ),
    ),
    Practice(
        key="hi_secondary",
        principle="p2",
        titles=(
            "Making every lesson accessible for deaf students",
            "Radio aids, captions and seating plans: small changes for deaf students",
        ),
        needs=("HI",),
        need_descriptions=(
            "Students in Years 7 to 13 with moderate to severe hearing loss who use hearing "
            "aids or cochlear implants and miss a great deal in group work, practicals and "
            "whole-class discussion.",
        ),
        types=("specialist_assistants", "specialist_expertise"),
        phases=POST16 | GCSE,
        voices=SCHOOL_TRUST,
        text=(
            "We have {nine|eleven|fourteen} deaf students on roll. Rather than a separate "
            "provision, we have focused on making ordinary lessons accessible. The visiting "
            "Teacher of the Deaf trains every department once a year and coaches individual "
            "teachers when a student joins their class. All videos shown in lessons are captioned, "
            "teachers repeat contributions from other students before responding, and seating "
            "plans put deaf students where they can see faces and the board.\n\n"
            "A specialist learning assistant with a Level 3 qualification in supporting deaf "
            "learners works across science, where practical work is the hardest to follow, and "
            "takes notes so that students can watch rather than write. We check radio aids at "
            "registration and the student, not an adult, decides whether to hand the transmitter "
            "to a teacher; by Year 9 most students manage this themselves."
        ),
        short=(
            "The visiting Teacher of the Deaf trains every department, all videos are captioned "
            "and a specialist assistant supports practical science for our deaf students."
        ),
    ),
    Practice(
        key="vi_habilitation",
        principle="p3",
        titles=(
            "Habilitation and modified resources so blind pupils take part in everything",
            "Independence first: supporting pupils with vision impairment in mainstream",
        ),
        needs=("VI",),
        need_descriptions=(
            "Pupils who are blind or severely sight impaired, including a Braille user and "
            "pupils who need modified large print at N24 or above, and who need mobility and "
            "independence training to move safely around a large site.",
            "Children with vision impairment, including albinism and nystagmus, who tire "
            "quickly when reading and who were becoming dependent on adults to move around "
            "school.",
        ),
        types=("specialist_expertise", "specialist_assistants"),
        phases=SCHOOL_AGE,
        voices=SCHOOL_TRUST,
        text=(
            "We have {three|four|five} pupils with significant vision impairment. A Qualified "
            "Teacher of Vision Impairment from the Sensory Impairment Service visits "
            "{weekly|fortnightly}, and a habilitation specialist works with each child on "
            "routes around school, using a long cane, and independent living skills such as "
            "managing the lunch queue. Our specialist learning assistant modifies every resource "
            "in advance: teachers send slides and worksheets by Wednesday for the following "
            "week, and she produces Braille or modified large print versions and tactile "
            "diagrams.\n\n"
            "The principle we hold to is that the adult's job is to make themselves unnecessary. "
            "Pupils learn to use a video magnifier, screen reader and touch-typing from early on, "
            "and the assistant sits further back from the child as each term passes. In PE the "
            "department has bought audible balls and uses guide runners so that pupils take "
            "part in the same lessons as their classmates."
        ),
        short=(
            "A habilitation specialist teaches our pupils with vision impairment to move around "
            "school independently, and every resource is modified in advance by a specialist "
            "learning assistant."
        ),
    ),
    Practice(
        key="msi_intervenor",
        principle="p3",
        titles=(
            "An intervenor for a deafblind pupil in a mainstream Reception class",
            "Objects of reference and an intervenor: including a child with multi-sensory "
            "impairment",
        ),
        needs=("MSI", "SLCN"),
        need_descriptions=(
            "A child with congenital deafblindness (multi-sensory impairment) who has some "
            "residual vision and uses a cochlear implant, and who communicates through objects "
            "of reference, touch cues and a small number of signs.",
        ),
        types=("specialist_assistants", "specialist_expertise"),
        phases=INFANT,
        voices=SCHOOL_TRUST,
        text=(
            "When a deafblind child joined our Reception class, the family wanted her to go to "
            "her local school with her brother. We appointed an intervenor, a specialist "
            "learning assistant trained through a {national deafblind charity|specialist MSI "
            "course}, whose role is to give her access to information and communication rather "
            "than to do things for her. The intervenor uses objects of reference to signal "
            "what is coming next (a spoon for lunch, a piece of PE mat for the hall), touch cues "
            "and on-body signing, and she makes sure the child experiences activities in her "
            "own way rather than watching from the side.\n\n"
            "The multi-sensory impairment teacher from the Sensory Impairment Service visits "
            "fortnightly and the occupational therapist helped us adapt the classroom: reduced "
            "visual clutter around her work area, consistent lighting and a tactile route from "
            "the classroom door to the toilets. Her classmates learnt her greeting sign in the "
            "first week, and she now chooses who she plays with."
        ),
        short=(
            "An intervenor gives a deafblind pupil access to information and communication in "
            "her mainstream class, using objects of reference, touch cues and on-body signing."
        ),
    ),
    Practice(
        key="pd_accessible_pe",
        principle="p2",
        titles=(
            "Everyone plays: adapting PE for pupils with physical disabilities",
            "Boccia, the STEP model and adapted equipment in mainstream PE",
        ),
        needs=("PD",),
        need_descriptions=(
            "Pupils with cerebral palsy, muscular dystrophy and limb differences, including two "
            "wheelchair users, who had been sitting out of PE or acting as scorers.",
            "Pupils with physical disabilities affecting balance, coordination and stamina, "
            "some of whom use walking frames or wheelchairs, and who felt excluded from team "
            "games.",
        ),
        types=("sport_and_pe", "specialist_assistants"),
        phases=SCHOOL_AGE,
        voices=SCHOOL_TRUST,
        text=(
            "Two years ago {our audit|a pupil survey} showed that pupils with physical "
            "disabilities were routinely sitting out of PE. Our PE lead completed inclusive PE "
            "training with the Youth Sport Trust and now plans every unit using the STEP model, "
            "adapting space, task, equipment and people so that everyone plays the same game in "
            "different ways. We bought a set of Boccia balls and ramps, lighter and larger "
            "balls, sitting volleyball nets and a set of sports wheelchairs shared with "
            "{a neighbouring school|our cluster}.\n\n"
            "A specialist learning assistant with physiotherapy training supports the PE "
            "department {three|four} mornings a week, running the physiotherapy programmes as "
            "warm-ups that the whole class does, so that no child is singled out. Boccia is now "
            "one of the most popular clubs in school, played by disabled and non-disabled pupils "
            "together, and our team competes in the School Games."
        ),
        short=(
            "Our PE lead plans every unit with the STEP model and we bought Boccia sets and "
            "sports wheelchairs so that pupils with physical disabilities play the same games as "
            "everyone else."
        ),
    ),
    Practice(
        key="inclusive_pe_secondary",
        principle="p2",
        titles=(
            "Inclusive PE and sport: goalball, sitting volleyball and a disability sport "
            "leaders programme",
            "From spectators to sports leaders: inclusive PE for disabled students",
        ),
        needs=("PD", "VI", "ASD"),
        need_descriptions=(
            "Students with physical disabilities, vision impairment and autistic students with "
            "sensory sensitivities who found changing rooms and noisy sports halls very hard, "
            "and whose participation in PE and after-school sport was far below their peers'.",
        ),
        types=("sport_and_pe",),
        phases=GCSE,
        voices=SCHOOL_TRUST,
        text=(
            "Our PE department rewrote the curriculum so that disability sport is part of "
            "every student's PE, not an alternative for disabled students. Every Year 8 and "
            "Year 9 class does a unit of goalball and sitting volleyball, played blindfolded or "
            "seated by everyone. Autistic students can change in a quieter room and wear their "
            "PE kit to school on PE days, and lessons start with a visual plan on the board.\n\n"
            "We trained {twelve|sixteen|twenty} Year 10 sports leaders, disabled and "
            "non-disabled, to run lunchtime Boccia and new-age kurling sessions for younger "
            "students. The local disability sport club now uses our sports hall on Thursday "
            "evenings, and {four|six} of our students play for it."
        ),
        short=(
            "Disability sport such as goalball and sitting volleyball is part of every "
            "student's PE, and disabled and non-disabled sports leaders run lunchtime clubs."
        ),
    ),
    Practice(
        key="sensory_circuits",
        principle="p1",
        titles=(
            "Sensory circuits to start the day ready to learn",
            "Morning sensory circuits designed with our occupational therapist",
        ),
        needs=("ASD", "SPLD", "SEMH"),
        need_descriptions=(
            "Pupils with sensory processing differences, including autistic pupils and "
            "children with developmental coordination disorder (dyspraxia), who arrive "
            "either over-aroused or flat and struggle to settle in the first lesson.",
        ),
        types=("specialist_expertise", "other"),
        other_type="Whole-school sensory regulation programme",
        phases=PRIMARY,
        voices=SCHOOL_TRUST,
        text=(
            "Every morning at 8.40 about {fifteen|twenty} children take part in a "
            "fifteen-minute sensory circuit in the hall: alerting activities such as trampette "
            "and skipping, then organising activities such as crawling through a tunnel and "
            "balance beams, then calming activities such as a weighted blanket and deep-pressure "
            "games. An occupational therapist designed the circuit with us and trained "
            "{two|three} teaching assistants to run it and adapt it for individual children.\n\n"
            "We chose the children by looking at their sensory profiles and at teachers' notes "
            "of when each day went wrong; most difficulties were in the first hour. Children "
            "rate how they feel on a Zones of Regulation chart before and after the circuit, "
            "so we can see who it helps, and we stop it for children who no longer need it."
        ),
        short=(
            "A fifteen-minute sensory circuit each morning, designed with an occupational "
            "therapist, helps children with sensory processing differences settle before the "
            "first lesson."
        ),
    ),
    Practice(
        key="nurture_group_ks1",
        principle="p3",
        titles=(
            "A nurture group for Key Stage 1 children using the Boxall Profile",
            "The Nest: nurture provision that children return from to their classes",
        ),
        needs=("SEMH", "SLCN"),
        need_descriptions=(
            "Children in Reception to Year 2 with attachment difficulties and early trauma who "
            "find separation, sharing attention and managing frustration very hard, and who "
            "were at risk of part-time timetables.",
            "Key Stage 1 pupils whose play and language are well below age-related "
            "expectations, several with experience of domestic abuse, who struggle to regulate "
            "in a class of thirty.",
        ),
        types=("other",),
        other_type="Nurture group",
        phases=INFANT,
        voices=SCHOOL_TRUST,
        text=(
            "Our nurture group, the Nest, runs every afternoon for up to {eight|ten} children "
            "from Reception to Year 2, staffed by a teacher and a teaching assistant who have "
            "both completed accredited nurture group training. Mornings are spent in their "
            "classes. The room is set up like a home, with a kitchen table where we eat breakfast "
            "and toast together, and the day follows the same predictable routine.\n\n"
            "We use the Boxall Profile to identify children and to set targets, repeating it "
            "each term, and the six principles of nurture guide how staff talk to children. "
            "Children usually stay in the Nest for two to four terms. Class teachers visit the "
            "Nest every week so that they understand what works for each child, and the "
            "strategies go back with the child when they return full time. For children who are "
            "not in the group we use the Thrive online assessment to check social and emotional "
            "development and to plan small-group activities."
        ),
        short=(
            "Our afternoon nurture group for Key Stage 1 uses the Boxall Profile to identify "
            "children and set targets, and children return full time to class after two to "
            "four terms."
        ),
    ),
    Practice(
        key="elsa",
        principle="p3",
        titles=(
            "ELSA support supervised by the educational psychologist",
            "Emotional Literacy Support Assistants: short, planned and reviewed",
        ),
        needs=("SEMH",),
        need_descriptions=(
            "Pupils experiencing anxiety, low self-esteem, bereavement or friendship "
            "difficulties that get in the way of learning, identified through teacher concern "
            "and Strengths and Difficulties Questionnaire scores.",
        ),
        types=("specialist_assistants", "specialist_expertise"),
        phases=SCHOOL_AGE,
        voices=SCHOOL_TRUST,
        text=(
            "We have {two|three} Emotional Literacy Support Assistants (ELSAs) trained by the "
            "educational psychology service, who attend half-termly group supervision with an "
            "educational psychologist. ELSA work is planned in blocks of six to eight weekly "
            "sessions with clear aims agreed with the child, the class teacher and parents, "
            "for example understanding and naming feelings, managing worries or rebuilding "
            "confidence after a bereavement.\n\n"
            "Referrals come through our weekly inclusion meeting rather than straight to the "
            "ELSA, so that we can decide whether ELSA is the right response or whether a child "
            "needs something else, such as a referral to the Mental Health Support Team. We "
            "use the SDQ before and after each block and ask children to rate their own progress "
            "towards their aims."
        ),
        short=(
            "Our trained ELSAs run planned six- to eight-week blocks with clear aims, "
            "supervised by the educational psychologist, and measure progress with the SDQ."
        ),
    ),
    Practice(
        key="zones_emotion_coaching",
        principle="p2",
        titles=(
            "A shared language for feelings: Zones of Regulation and Emotion Coaching",
            "Regulation before learning: a whole-school relational approach",
        ),
        needs=("SEMH", "ASD"),
        need_descriptions=(
            "Children who find it hard to recognise and manage strong emotions, including "
            "autistic pupils and children with experience of trauma, whose dysregulation led to "
            "frequent removal from class.",
        ),
        types=("other",),
        other_type="Whole-school relational and regulation approach",
        phases=PRIMARY,
        voices=SCHOOL_TRUST,
        text=(
            "We replaced our behaviour policy with a relationships and regulation policy "
            "{three|four} years ago. Every class uses the Zones of Regulation, with a check-in "
            "at the start of the day and after lunch, and every member of staff, including "
            "midday supervisors and office staff, has been trained in Emotion Coaching. Staff "
            "use the same script: notice and name the feeling, validate it, set limits on "
            "behaviour where needed and then problem-solve with the child.\n\n"
            "Each classroom has a regulation station with fidget tools, ear defenders and a "
            "visual menu of strategies that the children chose. Children who need more have an "
            "individual regulation plan drawn up with their parents that tells every adult what "
            "the early signs are and what helps. We no longer use a public behaviour chart."
        ),
        short=(
            "Every class uses the Zones of Regulation and every adult, including midday "
            "supervisors, is trained in Emotion Coaching, so children hear the same language "
            "all day."
        ),
    ),
    Practice(
        key="trauma_informed",
        principle="p5",
        titles=(
            "Becoming an attachment aware and trauma-informed school",
            "PACE and relational practice for children who have experienced trauma",
        ),
        needs=("SEMH", "OTH"),
        need_descriptions=(
            "Children who are looked after or previously looked after, and others who have "
            "experienced adverse childhood experiences, whose difficulties with trust and "
            "regulation were often misread as defiance.",
        ),
        types=("other", "specialist_expertise"),
        other_type="Attachment aware and trauma-informed whole-school training",
        phases=SCHOOL_AGE,
        voices=SCHOOL_TRUST,
        text=(
            "Working with the Virtual School, all our staff completed the Attachment Aware "
            "Schools programme over a year, and {two|three} senior leaders trained as "
            "trauma-informed practitioners. Staff use PACE (playfulness, acceptance, curiosity "
            "and empathy) when a child is struggling, and every child who is looked after or "
            "previously looked after has a key adult they see every day and a safe space they "
            "can go to without asking.\n\n"
            "The biggest change was in how we talk about behaviour in meetings. We ask 'what is "
            "this behaviour telling us?' before 'what is the consequence?', and our designated "
            "teacher brings the child's history to the table so that we plan around it. "
            "Sanctions still exist, but we repair relationships afterwards through restorative "
            "conversations rather than leaving children to carry the shame alone."
        ),
        short=(
            "All staff completed the Attachment Aware Schools programme with the Virtual "
            "School; children who have experienced trauma have a key adult and staff respond "
            "using PACE."
        ),
    ),
    Practice(
        key="restorative_secondary",
        principle="p5",
        titles=(
            "Restorative practice instead of repeated suspensions",
            "Cutting suspensions for students with SEND through restorative practice",
        ),
        needs=("SEMH", "ASD", "SLCN"),
        need_descriptions=(
            "Students with social, emotional and mental health needs, often with unidentified "
            "language difficulties, who were being suspended repeatedly for defiance and "
            "walking out of lessons.",
            "Students in Years 8 to 10 with anxiety, ADHD traits and undiagnosed language needs "
            "who accounted for most of our suspensions.",
        ),
        types=("other",),
        other_type="Restorative practice and behaviour policy",
        phases=GCSE,
        voices=SCHOOL_TRUST,
        text=(
            "When we analysed our suspensions we found that {over half|nearly two thirds} "
            "involved students on the SEND register, and that very few of those students had "
            "had a speech and language assessment. We did two things. First, all staff were "
            "trained in restorative practice and every incident is followed by a restorative "
            "meeting within a day, using a visual script so that students with language needs "
            "can take part. Second, any student with two or more suspensions is screened for "
            "language needs by our speech and language therapist.\n\n"
            "Heads of year now look at behaviour data alongside SEND data every fortnight, and "
            "a student's support plan is reviewed before, not after, a suspension is "
            "considered. The behaviour policy still has clear expectations; what changed is "
            "that we ask why a student cannot meet them."
        ),
        short=(
            "All staff are trained in restorative practice and any student with repeated "
            "suspensions is screened for language needs, because so many turned out to have "
            "them."
        ),
    ),
    Practice(
        key="inclusion_hub_secondary",
        principle="p3",
        titles=(
            "An internal inclusion hub that keeps students in school",
            "The Bridge: short, planned placements in an inclusion hub",
        ),
        needs=("SEMH",),
        need_descriptions=(
            "Students in Key Stages 3 and 4 at risk of permanent exclusion or of moving to "
            "alternative provision, with anxiety, low mood, self-harm or emerging "
            "attention difficulties.",
        ),
        types=("sen_unit", "specialist_expertise"),
        phases=GCSE,
        voices=SCHOOL_TRUST,
        text=(
            "The Bridge is a small inclusion hub in school for up to {twelve|fifteen} students "
            "at a time, staffed by a qualified teacher, a pastoral lead and a learning mentor. "
            "Placements are planned for six to twelve weeks, agreed with the student and their "
            "family, and have a written plan for returning to lessons. Students keep studying "
            "English, maths and science with subject teachers who come to the hub, and go to "
            "mainstream lessons where they are doing well.\n\n"
            "The Mental Health Support Team runs low-intensity CBT groups in the hub, and we "
            "have a direct route to CAMHS for consultation. Every Friday the hub team reviews "
            "each student against their plan; we would rather extend a placement than return "
            "a student too early and watch the placement break down. Hub staff are Team Teach "
            "trained, but the emphasis is on de-escalation, and physical intervention is very "
            "rare."
        ),
        short=(
            "Our inclusion hub offers planned six- to twelve-week placements with a written "
            "return plan, so students at risk of exclusion keep learning and go back to lessons."
        ),
    ),
    Practice(
        key="neli_reception",
        principle="p1",
        titles=(
            "NELI in Reception: finding and closing language gaps early",
            "Early language intervention for four- and five-year-olds",
        ),
        needs=("SLCN",),
        need_descriptions=(
            "Reception children whose oral language, vocabulary and narrative skills are well "
            "below those expected for their age on entry, many of them from homes where there "
            "are few books, and some who speak English as an additional language alongside a "
            "language need.",
        ),
        types=("other",),
        other_type="Early language screening and intervention",
        phases=EARLY - NURSERY,
        voices=SCHOOL_TRUST,
        text=(
            "Every Reception child is assessed with the LanguageScreen app in the first "
            "half term, and the children with the lowest scores take part in the Nuffield Early "
            "Language Intervention (NELI): three small-group sessions and two individual "
            "sessions each week for twenty weeks, run by {two|three} trained teaching "
            "assistants. We protect the time; NELI sessions are never cancelled for cover.\n\n"
            "Because the screen is given to every child, it also tells class teachers about "
            "vocabulary across the class, and we adapt our core book and story-time teaching "
            "around it. Children who make little progress through NELI are discussed with our "
            "speech and language therapist, because that pattern can be the first sign of a "
            "developmental language disorder."
        ),
        short=(
            "Every Reception child is screened with LanguageScreen and those with the weakest "
            "language take part in NELI for twenty weeks, run by trained teaching assistants."
        ),
    ),
    Practice(
        key="wellcomm_nursery",
        principle="p1",
        titles=(
            "WellComm screening for every child in nursery",
            "Knowing every two- and three-year-old's language from the start",
        ),
        needs=("SLCN", "ASD"),
        need_descriptions=(
            "Two- to four-year-olds with delayed speech and language, including children who "
            "are not yet combining words and some later identified as autistic.",
        ),
        types=("other",),
        other_type="Early years language screening",
        phases=NURSERY | INFANT,
        voices=SCHOOL_TRUST,
        text=(
            "We screen every child with WellComm within six weeks of starting nursery and "
            "again each term. Key workers use the WellComm Big Book of Ideas for red- and "
            "amber-rated children in daily small-group play, and we share the activities "
            "with parents at our stay-and-play sessions so that families can use them at home.\n\n"
            "The screening means we spot children early who may need a referral. We do not "
            "wait: a child who stays red after a term of targeted support is discussed with the "
            "early years speech and language therapist and, if needed, the area SENCO, with "
            "the parents present. We have found that starting support before a diagnosis "
            "matters more than the diagnosis itself."
        ),
        short=(
            "Every child is screened with WellComm on starting nursery and each term, with "
            "daily small-group activities for those who need them and quick referral if not."
        ),
    ),
    Practice(
        key="talk_boost",
        principle="p3",
        titles=(
            "Talk Boost and Language Link: a graduated approach to language",
            "Screen, group, review: language support across Key Stages 1 and 2",
        ),
        needs=("SLCN",),
        need_descriptions=(
            "Pupils in Years 1 to 4 with language delay, who struggle to follow multi-step "
            "instructions, to retell events in order and to use the vocabulary of lessons.",
        ),
        types=("other",),
        other_type="Targeted language intervention",
        phases=INFANT,
        voices=SCHOOL_TRUST,
        text=(
            "We use Language Link to screen all children in Reception and Year 3, and Speech "
            "Link for speech sounds where teachers have concerns. The screening results feed "
            "directly into our provision map: children with mild to moderate language delay "
            "join a Talk Boost group for ten weeks, and children with more severe needs are "
            "referred to speech and language therapy while receiving Language Link "
            "intervention groups in school.\n\n"
            "Class teachers get a short summary for each child with three strategies to use in "
            "lessons, such as giving instructions one step at a time with a visual, and "
            "pre-teaching topic vocabulary. We rescreen at the end of the intervention, so the "
            "decision to continue, change or stop is based on what has happened for that child."
        ),
        short=(
            "Language Link screening decides who joins a ten-week Talk Boost group, and "
            "rescreening at the end decides what happens next."
        ),
    ),
    Practice(
        key="colourful_semantics_salt",
        principle="p3",
        titles=(
            "A speech and language therapist in school one day a week",
            "Buying in speech and language therapy to build staff expertise",
        ),
        needs=("SLCN", "ASD"),
        need_descriptions=(
            "Pupils with developmental language disorder, speech sound disorders and autistic "
            "pupils with limited expressive language, who struggle to form sentences and to "
            "explain their thinking in lessons.",
            "Year 4 pupils with developmental language disorder who struggle with multi-step "
            "instructions and with the vocabulary of maths and science.",
        ),
        types=("specialist_expertise",),
        phases=PRIMARY,
        voices=SCHOOL_TRUST,
        text=(
            "We {buy in|commission} a speech and language therapist for one day a week. "
            "Instead of spending the day on individual therapy, which reached only a handful of "
            "children, half of her time goes on training and coaching staff. She trained "
            "our teaching assistants to run Colourful Semantics, observes them and gives "
            "feedback, and models strategies in class so that teachers can see them in "
            "action.\n\n"
            "The other half is for assessment and for setting programmes that teaching "
            "assistants deliver daily. Every child on her caseload has targets written in plain "
            "language that are shared with parents, and she joins parents' evenings once a term. "
            "Teachers tell us the biggest change is that they now know what to do in their own "
            "lessons."
        ),
        short=(
            "Our buy-in speech and language therapist spends half her day training and coaching "
            "staff, for example to run Colourful Semantics, rather than only seeing children one "
            "to one."
        ),
    ),
    Practice(
        key="dld_secondary_vocab",
        principle="p2",
        titles=(
            "Teaching vocabulary explicitly for students with language disorder",
            "Word Aware in every subject: developmental language disorder in secondary",
        ),
        needs=("SLCN", "SPLD"),
        need_descriptions=(
            "Students with developmental language disorder, often unidentified until secondary "
            "school, who understand much less of spoken lessons than they appear to and who "
            "struggle with subject-specific vocabulary.",
        ),
        types=("specialist_expertise", "other"),
        other_type="Whole-school vocabulary teaching",
        phases=SECONDARY,
        voices=SCHOOL_TRUST,
        text=(
            "Around {one in ten|8 per cent} of our students have language needs, most of them "
            "never identified at primary school. We worked with a specialist speech and language "
            "therapist to train every teacher in the Word Aware approach: each department chose "
            "its essential 'goldilocks' words for each unit, and teachers introduce them with "
            "the same routine of saying the word, showing it, giving a student-friendly "
            "definition and using it in context.\n\n"
            "Students with identified developmental language disorder get pre-teaching of the "
            "next week's vocabulary in a small group, and teachers check understanding by asking "
            "students to explain in their own words rather than asking 'does everyone "
            "understand?'. Knowledge organisers now have pictures alongside definitions."
        ),
        short=(
            "Every department teaches its essential vocabulary explicitly using Word Aware, and "
            "students with developmental language disorder are pre-taught it in small groups."
        ),
    ),
    Practice(
        key="language_unit",
        principle="p3",
        titles=(
            "A specialist language unit where children are taught and then return to class",
            "SEN unit for developmental language disorder",
        ),
        needs=("SLCN",),
        need_descriptions=(
            "Children aged 5 to 11 with severe developmental language disorder and EHC plans, "
            "whose receptive language is much weaker than their non-verbal reasoning.",
        ),
        types=("sen_unit", "specialist_expertise"),
        phases=INFANT,
        voices=SCHOOL_TRUST,
        text=(
            "We host a {ten|twelve}-place specialist language unit. Children spend mornings in "
            "the unit, where a specialist teacher and a speech and language therapist who is "
            "on site three days a week teach literacy and maths with heavy use of visual "
            "support, Shape Coding and Colourful Semantics. Afternoons are spent in their "
            "mainstream classes with unit staff, who pre-teach topic vocabulary in the "
            "mornings.\n\n"
            "Placements are reviewed at each annual review, and the aim is for children to "
            "return to their local school with a clear plan. Unit staff visit the receiving "
            "school and train the class teacher before the move, and stay in touch for a term."
        ),
        short=(
            "Children with severe language disorder are taught in our specialist language unit "
            "in the mornings and in their mainstream classes in the afternoons."
        ),
    ),
    Practice(
        key="precision_teaching_y7",
        principle="p3",
        titles=(
            "Precision Teaching and screening for every Year 7 student",
            "Finding weak readers on arrival and closing the gap",
        ),
        needs=("SPLD", "MLD"),
        need_descriptions=(
            "Year 7 students reading well below their chronological age, including students "
            "with dyslexia and slow processing speed, who cannot access subject textbooks "
            "independently.",
        ),
        types=("other",),
        other_type="Screening and targeted literacy intervention",
        phases=SECONDARY,
        voices=SCHOOL_TRUST,
        text=(
            "Every Year 7 student takes the New Group Reading Test in September. Students with "
            "a standard age score below {85|80} are assessed individually with Lucid Exact and "
            "a phonics check, so we know whether the difficulty is decoding, fluency or "
            "comprehension. Students with decoding gaps take part in a phonics programme for "
            "older readers, and all of them get ten minutes a day of Precision Teaching on "
            "high-frequency and subject words, run by trained teaching assistants.\n\n"
            "Form tutors run a daily reading routine that includes these students, and teachers "
            "receive a one-page summary telling them each student's reading age and what to do, "
            "for example reading new texts aloud before asking students to work on them. We "
            "retest every term."
        ),
        short=(
            "Every Year 7 student takes the New Group Reading Test; weak readers are assessed "
            "with Lucid Exact and get daily Precision Teaching matched to what they need."
        ),
    ),
    Practice(
        key="dyslexia_friendly",
        principle="p2",
        titles=(
            "Dyslexia-friendly classrooms as standard",
            "Reading pens, exam access arrangements and dyslexia-friendly teaching",
        ),
        needs=("SPLD",),
        need_descriptions=(
            "Students with dyslexia and other specific learning difficulties who read slowly, "
            "find copying from the board very hard and underperform in written assessments.",
        ),
        types=("other",),
        other_type="Dyslexia-friendly teaching and access arrangements",
        phases=SECONDARY | POST16,
        voices=SCHOOL_TRUST,
        text=(
            "We worked towards the Dyslexia Friendly Schools quality mark {last year|over two "
            "years}. The changes were mostly ordinary: slides on pale backgrounds in a clear "
            "font, no copying from the board, handouts of key notes, extra time to read "
            "questions aloud, and homework set in writing as well as verbally.\n\n"
            "Students who need them use reading pens in lessons from Year 7, so that by the "
            "time they sit exams their access arrangements are their normal way of working, as "
            "the JCQ regulations expect. Our specialist assessor tests students in Year 9 and "
            "we review arrangements with each student, because some prefer to manage without "
            "them."
        ),
        short=(
            "Dyslexia-friendly teaching is the norm in every classroom, and students use reading "
            "pens from Year 7 so that exam access arrangements are their normal way of working."
        ),
    ),
    Practice(
        key="rwi_keep_up",
        principle="p2",
        titles=(
            "Keep-up, not catch-up: daily phonics for the children who need it most",
            "Systematic phonics and same-day intervention",
        ),
        needs=("SPLD", "MLD"),
        need_descriptions=(
            "Children in Reception to Year 2 who are not keeping up with the phonics programme, "
            "including children with emerging dyslexic difficulties and children with "
            "moderate learning difficulties.",
        ),
        types=("other",),
        other_type="Systematic synthetic phonics with daily keep-up sessions",
        phases=INFANT,
        voices=SCHOOL_TRUST,
        text=(
            "We teach phonics through Read Write Inc. Every child is assessed every six weeks "
            "and grouped by what they know, and any child who did not secure the sound taught "
            "that morning gets a five-minute keep-up session the same afternoon with a trained "
            "adult. Our reading leader coaches every adult who teaches phonics, including "
            "teaching assistants, every half term.\n\n"
            "Children who still struggle in Year 2 carry on with daily one-to-one tutoring, "
            "and in Key Stage 2 we use Fresh Start for the few who have not become fluent "
            "readers. We track these children by name, not as a percentage."
        ),
        short=(
            "Children who do not secure the morning's phonics sound get a five-minute keep-up "
            "session the same afternoon, and everyone who teaches phonics is coached."
        ),
    ),
    Practice(
        key="maths_mld",
        principle="p2",
        titles=(
            "Concrete, pictorial, abstract: maths for pupils with learning difficulties",
            "Precision teaching of number facts and Numicon in Key Stage 2",
        ),
        needs=("MLD", "SPLD"),
        need_descriptions=(
            "Pupils in Years 3 to 6 with moderate learning difficulties or dyscalculia who do not "
            "have secure number sense, rely on counting in ones and forget methods between "
            "lessons.",
        ),
        types=("specialist_assistants", "other"),
        other_type="Maths intervention",
        phases=PRIMARY,
        voices=SCHOOL_TRUST,
        text=(
            "Maths lessons across the school follow a concrete, pictorial, abstract approach, "
            "and pupils with learning difficulties keep using Numicon, bead strings and "
            "part-whole models for as long as they need. Our specialist learning assistant "
            "pre-teaches the next day's lesson to a small group so that they start the lesson "
            "knowing the key idea, rather than being taken out to do something different.\n\n"
            "Alongside this, pupils who do not have secure number facts have five minutes of "
            "Precision Teaching daily, charting their own fluency so that they can see "
            "progress. Teachers use the EEF guidance on improving mathematics and keep the "
            "number of new steps in a lesson small."
        ),
        short=(
            "Pupils with learning difficulties are pre-taught the next maths lesson with "
            "concrete resources and practise number facts daily through Precision Teaching."
        ),
    ),
    Practice(
        key="adaptive_teaching_coaching",
        principle="p2",
        titles=(
            "Instructional coaching for adaptive teaching",
            "Five-a-day: evidence-informed teaching that works for pupils with SEND",
        ),
        needs=("MLD", "SPLD", "SLCN", "ASD"),
        need_descriptions=(
            "Pupils with a wide range of needs in mainstream classes, particularly those with "
            "cognition and learning needs, working memory difficulties and language needs, who "
            "were being given simplified worksheets rather than access to the lesson.",
        ),
        types=("other",),
        other_type="Instructional coaching for adaptive teaching",
        phases=SCHOOL_AGE,
        voices=SCHOOL_TRUST,
        text=(
            "We built our teaching and learning plan around the EEF guidance report 'Special "
            "Educational Needs in Mainstream Schools' and its 'five-a-day': explicit "
            "instruction, cognitive and metacognitive strategies, scaffolding, flexible grouping "
            "and using technology. Every teacher has a fortnightly fifteen-minute coaching "
            "conversation focused on one small step, drawn from Rosenshine's principles and "
            "WalkThrus, for example chunking instructions, live "
            "modelling or checking understanding before independent practice.\n\n"
            "Our SENCO is part of the coaching team, so coaching includes how a step works for "
            "particular pupils. We stopped differentiated worksheets by ability; instead "
            "everyone works on the same task with scaffolds such as sentence starters, worked "
            "examples and partially completed models, which are removed as pupils succeed."
        ),
        short=(
            "Every teacher gets fortnightly instructional coaching on one small step, drawn "
            "from the EEF 'five-a-day', Rosenshine's principles and WalkThrus, and the SENCO is "
            "part of the coaching team."
        ),
    ),
    Practice(
        key="sld_specialist_assistant",
        principle="p3",
        titles=(
            "Including a pupil with severe learning difficulties in her local school",
            "Makaton, Widgit and an adapted curriculum inside the mainstream class",
        ),
        needs=("SLD", "SLCN"),
        need_descriptions=(
            "A pupil with severe learning difficulties and a genetic condition, working at early "
            "developmental levels, who communicates with Makaton signs, single words and "
            "symbols.",
            "Children with Down syndrome and severe learning difficulties whose expressive "
            "language lags far behind their understanding.",
        ),
        types=("specialist_assistants", "specialist_expertise"),
        phases=PRIMARY,
        voices=SCHOOL_TRUST,
        text=(
            "Her parents wanted her to go to the village school with her friends from playgroup, "
            "and so did we. A specialist learning assistant, trained in Makaton and supported by "
            "outreach teachers from the local special school, adapts each lesson so that she "
            "works on the same topic as the class at her level: if the class is writing "
            "persuasive letters, she is choosing symbols to say what she wants. Her whole class "
            "learns a Makaton sign of the week and all classroom labels use Widgit symbols.\n\n"
            "We use a semi-formal curriculum for her core targets and assess progress with "
            "small-step measures, alongside her EHC plan outcomes. The outreach teacher visits "
            "half-termly and models approaches for the class teacher, not just the assistant, "
            "because we did not want her education to depend on one adult."
        ),
        short=(
            "A specialist learning assistant adapts each lesson so that a pupil with severe "
            "learning difficulties works on the same topic as her class, using Makaton and "
            "symbols."
        ),
    ),
    Practice(
        key="pmld_enhanced",
        principle="p3",
        titles=(
            "An enhanced provision for children with profound and multiple learning difficulties",
            "Sensory stories, Intensive Interaction and a Changing Places toilet",
        ),
        needs=("PMLD", "PD", "VI"),
        need_descriptions=(
            "Children with profound and multiple learning difficulties, complex health needs "
            "and cortical vision impairment, who use wheelchairs, need tube feeding and "
            "communicate through facial expression, vocalisation and body movement.",
        ),
        types=("resourced_provision", "specialist_assistants"),
        phases=INFANT,
        voices=SCHOOL_TRUST,
        text=(
            "With the local authority we opened an enhanced provision for {four|six} children "
            "with profound and multiple learning difficulties, so that they could go to school "
            "with their brothers, sisters and neighbours. The building work included a Changing "
            "Places toilet, ceiling hoists and a sensory room, and every member of provision "
            "staff is trained in manual handling, gastrostomy feeding and epilepsy care by the "
            "community nursing team.\n\n"
            "Children spend part of every day with their mainstream class: registration, "
            "assemblies, music, story time and outdoor learning. Staff use Intensive Interaction "
            "and sensory stories, and the class retells its class book as a sensory story so "
            "that everyone takes part. The physiotherapist and the teacher for vision impairment "
            "set programmes that are built into the day rather than added to it."
        ),
        short=(
            "Our enhanced provision lets children with profound and multiple learning "
            "difficulties attend their local school and join their class every day for "
            "registration, music, stories and outdoor learning."
        ),
    ),
    Practice(
        key="down_syndrome",
        principle="p4",
        titles=(
            "Working with families and specialists for pupils with Down syndrome",
            "Visual learning for children with Down syndrome",
        ),
        needs=("MLD", "SLCN"),
        need_descriptions=(
            "Pupils with Down syndrome who have strong visual learning and social skills, and "
            "weaker auditory memory, expressive language and number.",
        ),
        types=("specialist_expertise", "specialist_assistants"),
        phases=PRIMARY,
        voices=SCHOOL_TRUST,
        text=(
            "We have {two|three} pupils with Down syndrome. The whole staff had training from a "
            "specialist Down syndrome education adviser, and we learnt to teach to their "
            "strengths: visual timetables and task plans, reading taught early as a route into "
            "language using the See and Learn programme, and number taught with Numicon.\n\n"
            "Parents are central. They know what has worked at home, and we share a home-school "
            "book with photographs each day so that children can talk about their day. Termly "
            "review meetings bring together parents, the class teacher, the speech and language "
            "therapist and the specialist learning assistant, and we agree one or two shared "
            "priorities rather than a long list."
        ),
        short=(
            "Staff were trained to teach pupils with Down syndrome through visual strengths, "
            "and parents, teachers and therapists agree a few shared priorities each term."
        ),
    ),
    Practice(
        key="medical_needs",
        principle="p4",
        titles=(
            "Individual healthcare plans that let children with medical needs join in",
            "Including pupils with epilepsy, diabetes and long-term conditions",
        ),
        needs=("OTH", "PD"),
        need_descriptions=(
            "Pupils with long-term medical conditions, including type 1 diabetes, epilepsy, "
            "juvenile arthritis and chronic fatigue, whose attendance and participation in "
            "trips and PE were being limited by worries about risk.",
        ),
        types=("other",),
        other_type="Support for pupils with medical conditions",
        phases=SCHOOL_AGE,
        voices=SCHOOL_TRUST,
        text=(
            "Every pupil with a medical condition has an individual healthcare plan written with "
            "the family, the school nursing team and, where relevant, the specialist nurse. "
            "The plans are short and practical: what staff should watch for, what to do, and "
            "what the child can do for themselves. {Eight|Ten|Twelve} staff are trained in "
            "diabetes management and emergency epilepsy medication, and the rota makes sure a "
            "trained adult goes on every trip.\n\n"
            "We changed our starting question from 'is it safe for this child to take part?' to "
            "'what do we need to do so that this child can take part?'. Pupils with fatigue "
            "conditions have rest breaks and a reduced homework load agreed in their plans, and "
            "work is sent home on days they cannot attend."
        ),
        short=(
            "Short, practical healthcare plans written with families and nurses, and trained "
            "staff on every trip, mean pupils with medical conditions join in everything."
        ),
    ),
    Practice(
        key="fasd_tourettes",
        principle="p1",
        titles=(
            "Understanding less familiar needs: FASD and Tourette's",
            "Specialist advice for pupils whose needs do not fit a familiar category",
        ),
        needs=("OTH", "SEMH"),
        need_descriptions=(
            "Pupils with fetal alcohol spectrum disorder and with Tourette's syndrome, whose "
            "impulsivity, memory difficulties and tics were misunderstood as poor behaviour.",
        ),
        types=("specialist_expertise",),
        phases=SCHOOL_AGE,
        voices=SCHOOL_TRUST,
        text=(
            "{Two|Three} of our pupils have fetal alcohol spectrum disorder and one has "
            "Tourette's syndrome. None of the usual behaviour strategies worked, and we were "
            "close to losing one placement. We asked for specialist advice from the Virtual "
            "School and a national charity, and every adult who works with these pupils had "
            "training on what the conditions mean day to day: that a pupil with FASD may "
            "genuinely not remember yesterday's rule, and that tics are not chosen.\n\n"
            "Each pupil now has a profile that explains their needs in plain language, written "
            "with them and their carers, and their teachers use external memory aids such as "
            "task cards and photos of routines. Tics are ignored in lessons, and classmates were "
            "told, with the pupil's agreement, what Tourette's is."
        ),
        short=(
            "Specialist training on fetal alcohol spectrum disorder and Tourette's changed how "
            "staff understood pupils whose needs had been read as poor behaviour."
        ),
    ),
    Practice(
        key="attention_autism_eyfs",
        principle="p1",
        titles=(
            "Attention Autism and PECS from the first weeks of Reception",
            "Early support for young autistic children before any diagnosis",
        ),
        needs=("ASD", "SLCN"),
        need_descriptions=(
            "Children aged three to five who are autistic or awaiting assessment, with limited "
            "shared attention and little functional spoken language.",
        ),
        types=("specialist_expertise", "specialist_assistants"),
        phases=EARLY,
        voices=SCHOOL_TRUST,
        text=(
            "Waiting lists for autism assessment in our area are {eighteen months|over two "
            "years}, so we act on need, not diagnosis. Our early years practitioners were "
            "trained in Attention Autism by the local specialist teaching service, and run the "
            "'bucket time' stages daily with small groups. Children who cannot yet use words to "
            "ask for things start on PECS (the Picture Exchange Communication System) with "
            "guidance from the speech and language therapist.\n\n"
            "Every child has a one-page profile written with parents in the first month, and "
            "parents are invited to watch and join Attention Autism sessions so that they can "
            "use the approach at home. By the time a diagnosis comes, the child already has a "
            "support plan that works."
        ),
        short=(
            "We act on need, not diagnosis: young children with social communication "
            "difficulties get daily Attention Autism sessions and start PECS with speech and "
            "language therapy advice."
        ),
    ),
    Practice(
        key="transition_y6_y7",
        principle="p1",
        titles=(
            "Enhanced transition from Year 6 to Year 7",
            "Starting secondary school before September: transition for pupils with SEND",
        ),
        needs=("ASD", "SEMH", "SLCN"),
        need_descriptions=(
            "Year 6 pupils with SEND, particularly autistic pupils and those with anxiety or "
            "language needs, for whom the move to a large secondary school is a point of high "
            "risk for attendance and wellbeing.",
        ),
        types=("other",),
        other_type="Enhanced transition programme",
        phases=SCHOOL_AGE,
        voices=SCHOOL_TRUST,
        text=(
            "Our SENCO meets every feeder primary SENCO in the spring term, and we visit every "
            "pupil with SEND in their primary school before they visit us. Pupils who need it "
            "have {three|four|five} extra visits in the summer term, in small groups, at quiet "
            "times, and they take photographs to make their own transition booklet with their "
            "form tutor's face, their locker, the toilets and the quiet room.\n\n"
            "Each pupil writes a one-page profile with their Year 6 teacher that goes to every "
            "subject teacher before September. In the first half term a key adult checks in "
            "every morning, and we hold a review with the family in October rather than waiting "
            "for the annual review. For autistic pupils we run a summer school for two days "
            "with the same staff they will see in September."
        ),
        short=(
            "Pupils with SEND visit us several extra times before September, make their own "
            "photo transition booklet and have a key adult checking in every morning for the "
            "first half term."
        ),
    ),
    Practice(
        key="preparing_for_adulthood",
        principle="p1",
        titles=(
            "Preparing for adulthood from Year 9",
            "Supported pathways into sixth form, college and work",
        ),
        needs=("ASD", "MLD", "SLD"),
        need_descriptions=(
            "Young people aged 14 to 19 with learning difficulties and autistic young people "
            "who were leaving school without a clear next step and were at risk of not being in "
            "education, employment or training.",
        ),
        types=("other",),
        other_type="Preparing for adulthood and supported transition",
        phases=POST16,
        voices=SCHOOL_TRUST,
        text=(
            "Preparing for adulthood starts at the Year 9 annual review, where every student "
            "with an EHC plan talks about their hopes for employment, independent living, "
            "friends and community, and health. We use person-centred planning so that the "
            "student, not the adults, leads the conversation. Our careers adviser attends every "
            "review from Year 9 onwards and arranges supported work experience with local "
            "employers who have been briefed in advance.\n\n"
            "Students who want to go to college start link courses in Year 11, with a learning "
            "assistant at first and then on their own. Students who stay with us in the sixth "
            "form can follow a pathway combining a supported internship with English and maths. "
            "Travel training is part of the plan for every student who will travel "
            "independently."
        ),
        short=(
            "From the Year 9 annual review every student with an EHC plan leads a "
            "person-centred plan for adulthood, with supported work experience and college "
            "link courses."
        ),
    ),
    Practice(
        key="sixth_form_college_support",
        principle="p3",
        titles=(
            "In-class learning support at a sixth form college",
            "Keeping students with SEND on course at 16 to 19",
        ),
        needs=("SPLD", "ASD", "SEMH"),
        need_descriptions=(
            "Students aged 16 to 19 with dyslexia, autism and anxiety, many of whom arrive "
            "without an EHC plan and whose needs become visible only when study becomes more "
            "independent.",
        ),
        types=("specialist_assistants", "other"),
        other_type="Learning support in further education",
        phases=COLLEGE,
        voices=SCHOOL,
        text=(
            "We enrol about {two hundred|two hundred and fifty} students each year who declare a "
            "learning difficulty or disability. Every applicant who does so has a conversation "
            "with our additional learning support team before enrolment, and we ask for their "
            "school's records and access arrangements so that support starts on day one. "
            "Learning support assistants work in A level and vocational classes, not in a "
            "separate room, and a specialist dyslexia tutor offers study skills sessions.\n\n"
            "We found that the first six weeks decide whether a student stays, so students with "
            "SEND have a named tutor who meets them weekly in that period. Autistic students can "
            "use a quiet study space and have advance notice of room changes."
        ),
        short=(
            "Every student who declares a need meets our learning support team before "
            "enrolment, and learning support assistants work in A level and vocational classes."
        ),
    ),
    Practice(
        key="nursery_school_inclusion",
        principle="p1",
        titles=(
            "An inclusive maintained nursery school at the heart of early identification",
            "Early identification and portage in a maintained nursery school",
        ),
        needs=("SLCN", "ASD", "PD", "SLD"),
        need_descriptions=(
            "Children aged two to four with emerging needs, including speech and language "
            "delay, social communication differences, global developmental delay and physical "
            "disabilities, most without any diagnosis when they arrive.",
        ),
        types=("specialist_expertise", "other"),
        other_type="Early years inclusion and outreach",
        phases=NURSERY,
        voices=SCHOOL,
        text=(
            "As a maintained nursery school around {a quarter|a third} of our children have "
            "identified SEND, and many more have emerging needs. Every child has a key person "
            "who completes a two-year-old progress check with the family and reviews it each "
            "term. Our SENCO holds the National Award for SEN Coordination and we have a "
            "portage home visitor who works with families of the youngest children.\n\n"
            "We use the SEN Inclusion Fund to add staff when a child needs more adult support, "
            "and we hold a weekly 'team around the child' slot where speech and language "
            "therapy, physiotherapy and health visitors come to us, so families are not sent to "
            "several clinics. We also support local childminders and pre-schools with advice "
            "and visits, because most young children with SEND are not in nursery schools."
        ),
        short=(
            "As a maintained nursery school we identify needs early through two-year-old "
            "checks, portage and a weekly team-around-the-child slot where therapists come to "
            "us."
        ),
    ),
    Practice(
        key="family_partnership",
        principle="p4",
        titles=(
            "Families as partners: co-produced plans and SEND coffee mornings",
            "Listening to parents: person-centred reviews and a parent SEND forum",
        ),
        needs=("ASD", "SEMH", "SLCN", "MLD"),
        need_descriptions=(
            "Pupils across the SEND register, including many on SEN support without EHC plans "
            "whose families told us they did not know what support their child was getting.",
        ),
        types=("other",),
        other_type="Co-production with families",
        phases=SCHOOL_AGE | NURSERY,
        voices=SCHOOL_TRUST,
        text=(
            "Our parent survey {two years ago|in 2023} told us that parents of children on SEN "
            "support did not know what support their child had or who to ask. We now hold an "
            "'assess, plan, do, review' meeting with every family three times a year, led by "
            "the class teacher with the SENCO available, and we write the support plan in the "
            "meeting, on screen, so that parents see and shape it.\n\n"
            "A monthly SEND coffee morning is run with parent volunteers, with a short talk "
            "on a topic they choose (sleep, toileting, the EHC needs assessment process) and "
            "time to talk. Annual reviews are person-centred: the child contributes through "
            "drawings, photographs or a short video, and the meeting begins with what people "
            "like and admire about them."
        ),
        short=(
            "Every family of a child on SEN support has three assess-plan-do-review meetings a "
            "year where the plan is written with them, and a monthly SEND coffee morning."
        ),
    ),
    Practice(
        key="graduated_approach_provision_map",
        principle="p3",
        titles=(
            "Making the graduated approach real with a provision map",
            "Assess, plan, do, review: a system that does not depend on the SENCO",
        ),
        needs=("MLD", "SPLD", "SEMH", "SLCN"),
        need_descriptions=(
            "Pupils on SEN support across the school, particularly those with cognition and "
            "learning needs whose interventions were not being reviewed, and pupils with "
            "emerging needs not yet on the register.",
        ),
        types=("other",),
        other_type="Graduated approach and provision mapping",
        phases=SCHOOL_AGE,
        voices=SCHOOL_TRUST,
        text=(
            "Three years ago our SENCO held everything in her head. We moved to a provision "
            "map on Edukey so that every intervention has an entry and exit point, a named "
            "adult, a timetable and a measure. Class teachers write and review their pupils' "
            "support plans each term, with the SENCO's support, because teachers are "
            "responsible for the progress of every pupil in their class, as the SEND Code of "
            "Practice says.\n\n"
            "We publish a tiered offer to staff and parents: what every pupil gets in good "
            "teaching (universal), what pupils get through time-limited interventions "
            "(targeted), and what specialist support looks like. Interventions that do not show "
            "impact after a cycle are stopped or changed. Our pupil progress meetings now "
            "include a standing question: who is not on the register but should we be "
            "worried about?"
        ),
        short=(
            "Every intervention is on a provision map with entry and exit points, and class "
            "teachers write and review support plans each term, so the system does not depend "
            "on the SENCO."
        ),
    ),
    Practice(
        key="governance_whole_school_send",
        principle="p5",
        titles=(
            "Inclusion as a governing board priority",
            "A SEND review that changed our school development plan",
        ),
        needs=("ASD", "SEMH", "MLD"),
        need_descriptions=(
            "All pupils with SEND, and in particular the growing number of autistic pupils and "
            "pupils with social, emotional and mental health needs whose experience of school "
            "was much worse than their peers', according to our attendance and pupil voice "
            "data.",
        ),
        types=("other",),
        other_type="Leadership and governance of inclusion",
        phases=SCHOOL_AGE,
        voices=SCHOOL_TRUST,
        text=(
            "We commissioned a SEND review using the Whole School SEND review guide, carried "
            "out by a SENCO from another school. It was uncomfortable: it showed that inclusion "
            "was seen as the SENCO's job. As a result our SENCO joined the senior leadership "
            "team, inclusion became one of three priorities in the school development plan, and "
            "every middle leader now has an inclusion objective in their appraisal.\n\n"
            "Our governing board has a SEND link governor who meets the SENCO each half term "
            "and visits lessons, and SEND is a standing item at every full governors' meeting, "
            "with attendance, suspensions and progress for pupils with SEND reported alongside "
            "the figures for all pupils. Governors ask about individual pupils' experiences as "
            "well as the numbers."
        ),
        short=(
            "After a Whole School SEND review, our SENCO joined the senior leadership team, "
            "inclusion became a school development plan priority and governors review SEND data "
            "at every meeting."
        ),
    ),
    Practice(
        key="neurodiversity_ambassadors",
        principle="p5",
        titles=(
            "Neurodiversity ambassadors: students shaping the school",
            "Pupil voice from autistic and ADHD students changed our environment",
        ),
        needs=("ASD", "OTH"),
        need_descriptions=(
            "Autistic students and students with ADHD who told us that corridors, uniform rules "
            "and unexplained changes made school exhausting.",
        ),
        types=("other",),
        other_type="Pupil voice and co-production",
        phases=SECONDARY | POST16,
        voices=SCHOOL_TRUST,
        text=(
            "A group of {twelve|fifteen|eighteen} neurodivergent students volunteered to become "
            "neurodiversity ambassadors. They surveyed other students, walked the school with "
            "the senior leadership team pointing out what was hard, and presented to governors. "
            "Several changes followed directly: a one-way system on the main corridor, quiet "
            "lunch spaces, a uniform adjustment pass for students with sensory needs and a rule "
            "that cover teachers are told about students' profiles before the lesson.\n\n"
            "The ambassadors now deliver part of the training for new staff, explaining in their "
            "own words what a good lesson feels like for them, and they run a neurodiversity "
            "celebration week every spring."
        ),
        short=(
            "Neurodivergent students act as ambassadors, walking the school with leaders to show "
            "what is hard, and several changes to corridors, lunch and uniform followed."
        ),
    ),
    Practice(
        key="ebsa_attendance",
        principle="p1",
        titles=(
            "Emotionally based school avoidance: early signs, quick plans",
            "Getting anxious students back into school, one step at a time",
        ),
        needs=("SEMH", "ASD"),
        need_descriptions=(
            "Students whose anxiety keeps them out of school, many of them autistic girls in "
            "Years 8 and 9 whose needs went unnoticed because they masked in lessons.",
        ),
        types=("other",),
        other_type="Emotionally based school avoidance (EBSA) support",
        phases=SECONDARY,
        voices=SCHOOL_TRUST,
        text=(
            "We track attendance weekly and look for patterns, such as Mondays, particular "
            "lessons or lateness, that can be the first signs of emotionally based school "
            "avoidance. A student whose attendance drops below {92|93} per cent over a half term "
            "is discussed at our weekly inclusion meeting and the family is contacted by "
            "someone the student knows, not by letter.\n\n"
            "Students who are already struggling have a phased return plan drawn up with them "
            "and their parents, using the local authority's EBSA guidance: a key adult who "
            "meets them at the gate, a safe base, and a timetable that starts with the lessons "
            "they find easiest. We review the plan every two weeks. The Mental Health Support "
            "Team offers CBT-based work on anxiety, and parents can join a parents' group run by "
            "the educational psychologist."
        ),
        short=(
            "Weekly attendance tracking picks up early signs of emotionally based school "
            "avoidance, and struggling students get a phased return plan with a key adult."
        ),
    ),
    Practice(
        key="mhst_cbt",
        principle="p4",
        titles=(
            "Working with the Mental Health Support Team",
            "Low-intensity CBT for anxiety through our Mental Health Support Team",
        ),
        needs=("SEMH",),
        need_descriptions=(
            "Pupils with mild to moderate anxiety, low mood and panic, who do not meet the "
            "threshold for specialist CAMHS but whose worries stop them learning.",
        ),
        types=("specialist_expertise",),
        phases=SCHOOL_AGE,
        voices=SCHOOL_TRUST,
        text=(
            "Since we joined the Mental Health Support Team programme, an education mental "
            "health practitioner has been in school {one day|two days} a week. She runs "
            "low-intensity CBT for pupils with anxiety, parent-led CBT for younger children, and "
            "workshops for whole year groups on exam stress and sleep. Our senior mental health "
            "lead meets her fortnightly to review referrals.\n\n"
            "Because she knows the school, advice is practical and shared with teachers. When "
            "a pupil's needs are beyond what she can offer, she helps us make a CAMHS referral "
            "with the right information, and we keep supporting the pupil while they wait."
        ),
        short=(
            "An education mental health practitioner from the Mental Health Support Team runs "
            "low-intensity CBT for anxious pupils in school and helps us refer to CAMHS well."
        ),
    ),
    Practice(
        key="unstructured_time",
        principle="p2",
        titles=(
            "Lunchtimes that work for everyone",
            "Lego-based therapy clubs and trained midday supervisors",
        ),
        needs=("ASD", "SEMH", "SLCN"),
        need_descriptions=(
            "Autistic pupils and pupils with social communication difficulties for whom "
            "playtimes and lunchtimes were the most stressful part of the day and the cause of "
            "most incidents.",
        ),
        types=("other",),
        other_type="Structured lunchtime provision",
        phases=PRIMARY,
        voices=SCHOOL_TRUST,
        text=(
            "When we mapped incidents against the timetable, {over 60 per cent|most} happened "
            "at lunchtime. We trained all midday supervisors in Emotion Coaching and in playing "
            "with children rather than supervising from the side, and gave them the same visual "
            "supports used in class. There is now a choice every lunchtime: the field, a "
            "structured games zone with a midday supervisor, a quiet library, or a Lego-based "
            "therapy club run by a trained teaching assistant.\n\n"
            "Lego club uses the roles of engineer, supplier and builder, so children practise "
            "turn-taking and communication while doing something they love, and it is open to "
            "friends, so it is not seen as a 'SEN club'."
        ),
        short=(
            "We trained midday supervisors in Emotion Coaching and offer quiet spaces and a "
            "Lego-based therapy club at lunchtime, where most incidents used to happen."
        ),
    ),
    Practice(
        key="sensory_sports_day",
        principle="p5",
        titles=(
            "A sports day designed for everyone",
            "Sensory-friendly sports day and inclusive competition",
        ),
        needs=("ASD", "PD", "SEMH"),
        need_descriptions=(
            "Autistic pupils, pupils with sensory processing differences and pupils with "
            "physical disabilities, who used to miss sports day or spend it upset.",
        ),
        types=("sport_and_pe",),
        phases=PRIMARY,
        voices=SCHOOL_TRUST,
        text=(
            "Sports day used to be the day several children stayed at home. We redesigned it "
            "with pupils and parents: small mixed teams that rotate around activity stations, "
            "no loudspeaker and no starting pistol, a quiet tent with ear defenders, and "
            "activities such as Boccia and target throwing that everyone can do. Children get a "
            "photo story of the day a week before.\n\n"
            "Our PE lead worked with the School Games Organiser to enter inclusive competitions "
            "as well, and {twenty|two dozen} pupils with SEND represented the school last year."
        ),
        short=(
            "We redesigned sports day with pupils and parents: rotating stations, no starting "
            "pistol, a quiet tent and activities that everyone can do."
        ),
    ),
    Practice(
        key="one_page_profiles",
        principle="p1",
        titles=(
            "One-page profiles written with pupils",
            "Pupil passports: knowing every child with SEND before the lesson starts",
        ),
        needs=("ASD", "SPLD", "SLCN", "SEMH"),
        need_descriptions=(
            "Pupils with SEND who were taught by many different adults in a week, including "
            "supply and cover staff who knew nothing about their needs.",
        ),
        types=("other",),
        other_type="Pupil profiles and pupil voice",
        phases=SCHOOL_AGE,
        voices=SCHOOL_TRUST,
        text=(
            "Every pupil on the SEND register has a one-page profile that they write with a "
            "trusted adult: what people like about me, what is important to me, and how to "
            "support me. The last section is specific ('give me instructions one at a time', "
            "'let me sit at the end of a row', 'do not ask me to read aloud without warning'). "
            "Profiles are updated each term and whenever something changes.\n\n"
            "Profiles are on our seating plan software, so every teacher, including cover "
            "staff, can see them in the lesson. Learning walks check whether the strategies in "
            "profiles are being used, and pupils are asked whether their profile is still right."
        ),
        short=(
            "Every pupil with SEND writes a one-page profile with a trusted adult, and it is on "
            "the seating plan so every teacher, including cover staff, sees it."
        ),
    ),
    # ---------------------------------------------------------------- trusts
    Practice(
        key="trust_inclusion_framework",
        principle="p5",
        titles=(
            "A trust-wide inclusion framework with peer SEND reviews",
            "Inclusion as the trust's first priority: strategy, data and peer review",
        ),
        needs=("ASD", "SEMH", "SLCN", "MLD"),
        need_descriptions=(
            "Pupils with SEND across our schools, whose outcomes, attendance and suspension "
            "rates varied widely from one school to another, and the growing number with "
            "social, emotional and mental health needs and autism.",
        ),
        types=("other",),
        other_type="Trust-wide inclusion strategy",
        phases=ANY,
        voices=TRUST,
        text=(
            "Our trustees made inclusion the first of the trust's strategic priorities in "
            "{2022|2023}. We appointed a director of inclusion who sits on the executive team, "
            "and wrote an inclusion framework with our SENCOs that sets out what every school "
            "will do (for example, every pupil with SEND has a current one-page profile, and "
            "every school publishes its graduated approach) while leaving schools free to "
            "decide how.\n\n"
            "Each school has an annual peer SEND review, led by a SENCO from another trust "
            "school using the Whole School SEND review framework, and the findings go to the "
            "local governing body and to the trust board. Our inclusion dashboard shows "
            "attendance, suspensions, progress and part-time timetables for pupils with SEND "
            "in every school, and the CEO's termly conversations with headteachers start with "
            "it."
        ),
        short=(
            "Inclusion is our trust's first strategic priority, with a director of inclusion on "
            "the executive team, an annual peer SEND review in every school and an inclusion "
            "dashboard for the board."
        ),
    ),
    Practice(
        key="trust_staff_development",
        principle="p2",
        titles=(
            "A trust professional development pathway for inclusion",
            "From induction to NPQ SENCO: developing every adult's expertise",
        ),
        needs=("ASD", "SLCN", "MLD", "SPLD"),
        need_descriptions=(
            "Pupils with cognition and learning, communication and interaction needs in our "
            "mainstream classes, whose teachers and teaching assistants told us they did not "
            "feel confident to meet their needs.",
        ),
        types=("other",),
        other_type="Trust-wide professional development",
        phases=SCHOOL_AGE,
        voices=TRUST,
        text=(
            "We mapped what every adult should know about SEND, from a new teaching assistant "
            "to a SENCO, and built a pathway to match. Every member of staff completes the "
            "Autism Education Trust's Making Sense of Autism training in their first term; "
            "teaching assistants complete a four-module programme on scaffolding, language and "
            "fostering independence drawn from the EEF guidance on making best use of teaching "
            "assistants; and teachers have instructional coaching focused on adaptive "
            "teaching.\n\n"
            "Every SENCO has completed or is completing the NPQ for SENCOs, and {three|four} "
            "experienced SENCOs lead a monthly SENCO network where they bring real cases. "
            "Training days are shared across schools, so a teaching assistant in a small "
            "primary has the same development as one in a large secondary."
        ),
        short=(
            "Our professional development pathway runs from AET autism training for every new "
            "member of staff to the NPQ for SENCOs, with a monthly SENCO network."
        ),
    ),
    Practice(
        key="trust_specialist_team",
        principle="p3",
        titles=(
            "A trust-employed specialist team: educational psychologist, speech and language "
            "therapist and occupational therapist",
            "Bringing specialist expertise in-house across the trust",
        ),
        needs=("SLCN", "ASD", "SEMH", "PD"),
        need_descriptions=(
            "Pupils across our schools waiting many months for external assessments, "
            "particularly children with language disorders, sensory and motor difficulties and "
            "complex social, emotional and mental health needs.",
        ),
        types=("specialist_expertise",),
        phases=SCHOOL_AGE,
        voices=TRUST,
        text=(
            "Waiting times for external therapy had reached {a year|eighteen months}. The trust "
            "now employs an educational psychologist, two speech and language therapists and an "
            "occupational therapist, funded by a top-slice that every school agreed to. They "
            "work on a consultation model: a school brings a concern to a fortnightly "
            "consultation, and the specialist decides with the school whether to give advice, "
            "observe, assess or train.\n\n"
            "Much of their time goes on building staff expertise. The speech and language "
            "therapists trained a language lead in every primary; the occupational therapist "
            "set up sensory circuits and handwriting groups that teaching assistants run; and "
            "the educational psychologist supervises our ELSAs. Statutory work for EHC needs "
            "assessments still goes through the local authority's educational psychology "
            "service."
        ),
        short=(
            "The trust employs an educational psychologist, speech and language therapists and "
            "an occupational therapist who work through consultation and staff training."
        ),
    ),
    Practice(
        key="trust_resourced_network",
        principle="p3",
        titles=(
            "A network of resourced provisions across the trust",
            "Resourced provisions that share expertise with every school in the trust",
        ),
        needs=("ASD", "SLCN", "HI"),
        need_descriptions=(
            "Pupils with EHC plans for autism, speech, language and communication needs and "
            "hearing impairment who need specialist teaching for part of the day but whose "
            "families want them in mainstream schools near home.",
        ),
        types=("resourced_provision", "specialist_expertise"),
        phases=SCHOOL_AGE,
        voices=TRUST,
        text=(
            "{Four|Five|Six} of our schools host resourced provisions commissioned by the local "
            "authority: two for autism, one for speech and language and one for hearing "
            "impairment. We agreed that the staff in these provisions would be a resource for "
            "the whole trust, not just for their own school. Each provision lead spends half a "
            "day a week supporting other schools, and teachers from other schools spend a day "
            "in a provision as part of their development.\n\n"
            "All provisions follow the same principles: pupils belong to a mainstream class, "
            "time in class is planned and increased, and every placement has outcomes reviewed "
            "with the family each term. The provision leads meet monthly to moderate and share "
            "resources."
        ),
        short=(
            "Our resourced provisions share their expertise with every school in the trust, and "
            "every pupil in them belongs to a mainstream class."
        ),
    ),
    Practice(
        key="trust_inclusive_pe",
        principle="p2",
        titles=(
            "Inclusive PE across the trust with the Youth Sport Trust",
            "Shared specialist sports equipment and a trust inclusive sports festival",
        ),
        needs=("PD", "ASD", "VI"),
        need_descriptions=(
            "Pupils with physical disabilities, vision impairment and autistic pupils whose "
            "participation in PE and school sport was far lower than their peers'.",
        ),
        types=("sport_and_pe",),
        phases=SCHOOL_AGE,
        voices=TRUST,
        text=(
            "Our PE leads completed the Youth Sport Trust's inclusive PE training together and "
            "agreed that every PE unit would be planned with the STEP model. The trust bought a "
            "shared bank of specialist equipment, including sports wheelchairs, Boccia sets, "
            "goalball and tactile balls, which moves between schools on a booking system.\n\n"
            "Each summer the trust runs an inclusive sports festival with {twelve|fifteen} "
            "adapted sports, organised by secondary sports leaders and open to all pupils, and "
            "we track participation in clubs for pupils with SEND in every school."
        ),
        short=(
            "All our PE leads plan with the STEP model, a shared bank of specialist sports "
            "equipment moves between schools, and an inclusive sports festival runs every "
            "summer."
        ),
    ),
    Practice(
        key="trust_relational",
        principle="p5",
        titles=(
            "Reducing suspensions across our secondary schools",
            "Relational practice as trust policy",
        ),
        needs=("SEMH", "SLCN", "ASD"),
        need_descriptions=(
            "Students with SEND, especially those with social, emotional and mental health "
            "needs and unidentified language needs, who were suspended at several times the "
            "rate of their peers.",
        ),
        types=("other",),
        other_type="Trust-wide relational behaviour policy",
        phases=GCSE,
        voices=TRUST,
        text=(
            "Trustees asked why students with SEND in our secondaries were suspended at "
            "{four|five} times the rate of other students. We rewrote the trust behaviour "
            "principles around relationships, with clear routines and high expectations but a "
            "requirement that a student's needs are considered before any suspension. Every "
            "suspension of a student with SEND is now reviewed by the SENCO and a senior leader "
            "within a day, and repeated suspensions trigger a review of the support plan with "
            "the family.\n\n"
            "All staff were trained in trauma-informed and restorative approaches, each "
            "secondary has an inclusion hub, and a speech and language therapist screens "
            "students with repeated incidents. We report suspensions by SEND status to the "
            "trust board every term."
        ),
        short=(
            "Every suspension of a student with SEND in our secondaries is reviewed within a "
            "day, and repeated suspensions trigger a support plan review with the family."
        ),
    ),
    Practice(
        key="trust_families",
        principle="p4",
        titles=(
            "Family support workers in every school",
            "A trust parent forum for SEND",
        ),
        needs=("SEMH", "ASD", "MLD"),
        need_descriptions=(
            "Families of children with SEND who found the system confusing, including families "
            "facing poverty, housing problems or language barriers, and whose children's "
            "attendance suffered.",
        ),
        types=("other",),
        other_type="Family support and engagement",
        phases=SCHOOL_AGE | NURSERY,
        voices=TRUST,
        text=(
            "Every school in the trust now has a family support worker, trained in Early Help "
            "assessments, who knows the families of children with SEND and helps them with "
            "everything from forms to hospital appointments. The trust runs a parent SEND forum "
            "each term, co-chaired by a parent, which has reviewed our SEND information report, "
            "our annual review paperwork and our policy on part-time timetables.\n\n"
            "We worked with the local parent carer forum to train staff in co-production, and "
            "every school now asks families to review its SEND offer each year."
        ),
        short=(
            "Every school in the trust has a family support worker, and a parent-co-chaired "
            "SEND forum reviews our policies and paperwork."
        ),
    ),
    Practice(
        key="trust_transition",
        principle="p1",
        titles=(
            "Transition between our primary and secondary schools",
            "One trust, one transition: sharing what we know about every child",
        ),
        needs=("ASD", "SEMH", "SLCN", "SPLD"),
        need_descriptions=(
            "Pupils with SEND moving from our primaries to our secondaries, for whom information "
            "was being lost at transition and whose attendance fell in Year 7.",
        ),
        types=("other",),
        other_type="Primary to secondary transition",
        phases=SCHOOL_AGE,
        voices=TRUST,
        text=(
            "Most pupils in our primaries move to one of our secondaries, yet we were losing "
            "information at transition. We now use one transition profile across the trust, "
            "written by the pupil with their Year 6 teacher, and Year 7 teachers visit Year 6 "
            "classes in the summer term. SENCOs from each secondary and its feeder primaries "
            "meet in February, so that support, including access arrangements and "
            "interventions, carries on from the first day.\n\n"
            "Pupils with SEND have a Year 7 mentor for the first term, and we review attendance "
            "of these pupils weekly in the autumn term and contact families at the first dip."
        ),
        short=(
            "One transition profile across the trust, written by each pupil with their Year 6 "
            "teacher, and a February SENCO meeting make sure support carries on in Year 7."
        ),
    ),
    Practice(
        key="trust_screening_data",
        principle="p1",
        titles=(
            "Knowing every pupil early: common screening across the trust",
            "Screening, not waiting: language, reading and wellbeing data in every school",
        ),
        needs=("SLCN", "SPLD", "SEMH"),
        need_descriptions=(
            "Pupils whose language, reading or wellbeing needs were being identified late, "
            "often only when their behaviour or attendance had already deteriorated.",
        ),
        types=("other",),
        other_type="Trust-wide screening and early identification",
        phases=SCHOOL_AGE,
        voices=TRUST,
        text=(
            "Every school in the trust uses the same screening calendar: LanguageScreen in "
            "Reception, Language Link in Year 3, the New Group Reading Test from Year 2 to "
            "Year 9, CAT4 in Year 7, and the Strengths and Difficulties Questionnaire for "
            "pupils about whom staff are concerned. Results go into a single data system, and "
            "each school's SENCO discusses the results with class teachers and our central "
            "team each term.\n\n"
            "The point is not the data but the conversation: which pupils are not where we "
            "would expect, what we are going to do about it and when we will look again. "
            "Screening has roughly {doubled|trebled} the number of pupils we identify with "
            "language needs before Year 3."
        ),
        short=(
            "All our schools follow one screening calendar for language, reading and wellbeing, "
            "and SENCOs discuss results with teachers each term."
        ),
    ),
    # ---------------------------------------------------------------- local authorities
    Practice(
        key="la_ordinarily_available",
        principle="p5",
        titles=(
            "Ordinarily available provision, written with schools and families",
            "A shared description of what every mainstream school offers",
        ),
        needs=("ASD", "SEMH", "SLCN", "MLD", "SPLD"),
        need_descriptions=(
            "Children and young people with SEND in mainstream schools across the authority, "
            "most on SEN support, whose families experienced very different offers from school "
            "to school.",
        ),
        types=("other",),
        other_type="Local authority inclusion guidance",
        phases=ANY,
        voices=LA,
        text=(
            "We co-produced our ordinarily available provision guidance with {thirty|forty} "
            "headteachers and SENCOs and the parent carer forum. It describes, need by need, "
            "what every mainstream setting in {la} should provide from its own resources before "
            "asking for an EHC needs assessment, with practical examples from local schools, "
            "and links to training and outreach.\n\n"
            "The guidance is backed by a training offer for SENCOs and by school-to-school "
            "support. Our SEND panel uses it to ask what a school has already tried, which has "
            "made conversations with schools and families more concrete. It is reviewed every "
            "year with the parent carer forum."
        ),
        short=(
            "Our ordinarily available provision guidance, written with headteachers, SENCOs and "
            "parents, describes what every mainstream school in {la} provides."
        ),
    ),
    Practice(
        key="la_locality_partnerships",
        principle="p3",
        titles=(
            "Locality inclusion partnerships with devolved funding",
            "Schools deciding together: locality panels for inclusion funding",
        ),
        needs=("SEMH", "ASD", "MLD"),
        need_descriptions=(
            "Pupils with emerging or complex needs who need additional support quickly, "
            "including those at risk of exclusion, and who were waiting months for an EHC needs "
            "assessment before any extra help arrived.",
        ),
        types=("other", "specialist_expertise"),
        other_type="Locality inclusion partnerships",
        phases=SCHOOL_AGE,
        voices=LA,
        text=(
            "Schools in {la} are grouped into {eight|ten|twelve} locality inclusion "
            "partnerships. Each partnership receives a share of high needs funding and meets "
            "monthly to decide, with an educational psychologist and an inclusion officer, how "
            "to support pupils that schools bring. Schools can get funding, outreach from a "
            "special school or a short placement in a resourced provision within weeks rather "
            "than months, without an EHC plan.\n\n"
            "Partnerships also commission shared training and keep a record of which "
            "approaches worked. Headteachers tell us that deciding together has made them "
            "feel jointly responsible for pupils who might once have been excluded."
        ),
        short=(
            "Locality inclusion partnerships of schools in {la} share devolved high needs "
            "funding and decide together how to support pupils, within weeks."
        ),
    ),
    Practice(
        key="la_pins_ep",
        principle="p4",
        titles=(
            "Partnerships for Inclusion of Neurodiversity in Schools (PINS) in {la}",
            "Health and education together for neurodivergent pupils",
        ),
        needs=("ASD", "SEMH", "SLCN"),
        need_descriptions=(
            "Neurodivergent pupils in primary schools, including autistic pupils and pupils "
            "with ADHD, many waiting for assessment, whose families felt unsupported.",
        ),
        types=("specialist_expertise",),
        phases=PRIMARY,
        voices=LA,
        text=(
            "{la} took part in the Partnerships for Inclusion of Neurodiversity in Schools "
            "(PINS) programme with the integrated care board and the parent carer forum. "
            "{Twenty|Twenty-five|Thirty} primary schools received a package of support: a "
            "whole-school self-evaluation, training for all staff, and visits from a speech and "
            "language therapist, an occupational therapist and an educational psychologist "
            "who worked alongside teachers to adapt classrooms.\n\n"
            "Parent carer forum members ran sessions for families in every school and helped "
            "schools to write more accessible information. We are now extending the model to "
            "further schools using the same mix of health and education staff."
        ),
        short=(
            "Through PINS, primary schools in {la} received whole-school training and "
            "classroom visits from therapists and educational psychologists, with the parent "
            "carer forum."
        ),
    ),
    Practice(
        key="la_senco_network",
        principle="p2",
        titles=(
            "A SENCO network and training offer for every school",
            "Supporting SENCOs: networks, supervision and the NPQ",
        ),
        needs=("ASD", "SPLD", "MLD", "SLCN", "SEMH"),
        need_descriptions=(
            "Pupils with the full range of SEND in mainstream schools, whose support depended "
            "heavily on the experience of one SENCO, many of whom were new to the role.",
        ),
        types=("other", "specialist_expertise"),
        other_type="SENCO development and training",
        phases=ANY,
        voices=LA,
        text=(
            "Around {a third|40 per cent} of SENCOs in {la} had been in post for less than two "
            "years. We built a termly network in every locality, an induction programme for new "
            "SENCOs, and group supervision led by educational psychologists. We fund the AET "
            "Schools Programme so that every school can train all staff in autism, and we "
            "support SENCOs through the NPQ for SENCOs with mentoring from experienced local "
            "SENCOs.\n\n"
            "New SENCOs are paired with an experienced SENCO for their first year. Network "
            "agendas are set by SENCOs themselves, and include case discussions, changes in "
            "statutory guidance and time with specialist services."
        ),
        short=(
            "Termly SENCO networks, induction and supervision for new SENCOs, and AET training "
            "funded for every school in {la}."
        ),
    ),
    Practice(
        key="la_early_help",
        principle="p4",
        titles=(
            "A team around the school for social, emotional and mental health needs",
            "Early Help and mental health support in every school",
        ),
        needs=("SEMH",),
        need_descriptions=(
            "Children and young people with social, emotional and mental health needs, "
            "including anxiety, attachment difficulties and the effects of domestic abuse, "
            "whose needs were escalating before services became involved.",
        ),
        types=("specialist_expertise",),
        phases=SCHOOL_AGE,
        voices=LA,
        text=(
            "Each school in {la} has a named Early Help worker, a link educational "
            "psychologist and a named contact in CAMHS, who meet with the school's designated "
            "mental health lead and SENCO each half term as a 'team around the school'. "
            "Together they look at the pupils the school is worried about and agree who will "
            "do what.\n\n"
            "Mental Health Support Teams now cover {60|70} per cent of schools, and schools "
            "without one can access a consultation line run by CAMHS clinicians. The Virtual "
            "School has trained designated teachers in Attachment Aware practice."
        ),
        short=(
            "Every school in {la} has a team around the school: an Early Help worker, a link "
            "educational psychologist and a CAMHS contact who meet the school each half term."
        ),
    ),
    Practice(
        key="la_inclusion_mark",
        principle="p5",
        titles=(
            "An inclusion quality mark based on peer review",
            "Recognising and spreading inclusive practice across {la}",
        ),
        needs=("ASD", "SEMH", "SLCN", "MLD"),
        need_descriptions=(
            "Pupils with SEND across the authority, particularly those on SEN support, whose "
            "experience varied greatly between schools with similar intakes.",
        ),
        types=("other",),
        other_type="Inclusion quality mark and peer review",
        phases=ANY,
        voices=LA,
        text=(
            "Our inclusion quality mark is awarded after a peer review by two headteachers and "
            "an inclusion officer, using a framework drawn from the Whole School SEND review "
            "guide and our ordinarily available provision. Schools gather evidence from pupils "
            "and families as well as staff, and the review looks at leadership, teaching, "
            "targeted support and partnership with families.\n\n"
            "{Sixty|Seventy|Eighty} schools have taken part so far. The schools that achieve the "
            "mark open their doors to others, and we use the reviews to decide our training "
            "offer for the following year."
        ),
        short=(
            "Our inclusion quality mark uses peer review by headteachers, and schools that "
            "achieve it open their doors to others."
        ),
    ),
    Practice(
        key="la_early_years",
        principle="p1",
        titles=(
            "Early identification across early years settings",
            "WellComm, the SEN Inclusion Fund and area SENCOs in the early years",
        ),
        needs=("SLCN", "ASD", "PD"),
        need_descriptions=(
            "Children aged two to five with emerging speech, language and communication needs, "
            "social communication differences and physical disabilities, many of whom were "
            "reaching Reception with no support in place.",
        ),
        types=("specialist_expertise", "other"),
        other_type="Early years inclusion service",
        phases=EARLY,
        voices=LA,
        text=(
            "{la} funds WellComm screening in every maintained nursery, school nursery class and "
            "pre-school that wants it, with training from our early years speech and language "
            "therapists. Area SENCOs support settings to act on the results and to apply to "
            "the SEN Inclusion Fund, which pays for extra adult time without the need for an "
            "EHC plan.\n\n"
            "We hold transition meetings each summer between early years settings and "
            "Reception teachers for every child with identified needs, and portage home "
            "visiting supports families of children under three with complex needs."
        ),
        short=(
            "Early years settings in {la} screen children with WellComm, area SENCOs support "
            "them to act on results, and the SEN Inclusion Fund pays for extra adult time."
        ),
    ),
    Practice(
        key="la_arp_network",
        principle="p3",
        titles=(
            "Resourced provisions that serve their communities",
            "Commissioning resourced provisions in mainstream schools",
        ),
        needs=("ASD", "SLCN", "HI", "PD"),
        need_descriptions=(
            "Children and young people with EHC plans for autism, speech and language needs, "
            "hearing impairment and physical disability whose families want a mainstream "
            "school but who need specialist teaching for part of the day.",
        ),
        types=("resourced_provision",),
        phases=SCHOOL_AGE,
        voices=LA,
        text=(
            "Over {three|four} years we have commissioned resourced provisions in the "
            "mainstream schools listed, each with clear service level agreements. Every "
            "resourced provision follows common principles: children belong to a mainstream "
            "class, specialist staff work in lessons as well as in the base, and the provision "
            "offers outreach to other local schools.\n\n"
            "Resourced provision leads meet termly as a network with our specialist teachers, "
            "and we review each provision annually with the school, using pupil outcomes, "
            "time spent in mainstream lessons and family views. Places are allocated through "
            "our SEND panel with the host school involved in every decision."
        ),
        short=(
            "We commission resourced provisions in mainstream schools with common principles: "
            "children belong to a mainstream class and specialist staff work in lessons."
        ),
    ),
    Practice(
        key="la_sensory_service",
        principle="p4",
        titles=(
            "A sensory impairment service working inside mainstream classrooms",
            "Teachers of the Deaf, QTVIs and habilitation specialists in mainstream schools",
        ),
        needs=("HI", "VI", "MSI"),
        need_descriptions=(
            "Children and young people from birth to 25 with hearing, vision or multi-sensory "
            "impairment, almost all of whom attend their local mainstream school.",
        ),
        types=("specialist_expertise", "specialist_assistants"),
        phases=ANY,
        voices=LA,
        text=(
            "Our Sensory Impairment Service has {ten|twelve} Qualified Teachers of the Deaf, "
            "{four|five} Qualified Teachers of Vision Impairment, two habilitation specialists "
            "and a multi-sensory impairment teacher. We work with the schools listed, where "
            "pupils on our caseload attend. Visits follow the NatSIP eligibility framework, "
            "and we support the school rather than just the child: every school receives staff "
            "training when a pupil joins, a classroom acoustic or lighting check and advice on "
            "equipment.\n\n"
            "We loan radio aids, video magnifiers and other technology, and we run termly "
            "events where deaf and visually impaired pupils from different schools meet, "
            "because many are the only one in their school."
        ),
        short=(
            "Our Sensory Impairment Service supports schools, not just children: staff "
            "training, acoustic and lighting checks and equipment loans for pupils with hearing, "
            "vision or multi-sensory impairment."
        ),
    ),
    Practice(
        key="la_inclusive_sport",
        principle="p2",
        titles=(
            "Inclusive school sport across {la}",
            "School Games, inclusive competitions and loanable sports equipment",
        ),
        needs=("PD", "ASD", "SLD"),
        need_descriptions=(
            "Disabled pupils and pupils with SEND in mainstream schools whose take-up of "
            "competitive school sport and clubs was much lower than their peers'.",
        ),
        types=("sport_and_pe",),
        phases=SCHOOL_AGE,
        voices=LA,
        text=(
            "With the School Games Organisers we run {six|eight} inclusive competitions a year, "
            "including Boccia, new-age kurling and adapted athletics, open to every school. "
            "We fund a loan bank of sports wheelchairs, Boccia sets and sensory equipment, and "
            "PE teachers from the schools listed have completed inclusive PE training.\n\n"
            "Young sports leaders from secondary schools, some of them disabled, officiate the "
            "competitions, and disability sport clubs attend to invite pupils to continue "
            "outside school."
        ),
        short=(
            "We run inclusive competitions with the School Games Organisers and fund a loan "
            "bank of sports wheelchairs and Boccia sets for schools in {la}."
        ),
    ),
    Practice(
        key="la_virtual_school",
        principle="p4",
        titles=(
            "Attachment Aware Schools with the Virtual School",
            "Trauma-informed practice for children who are looked after",
        ),
        needs=("SEMH", "OTH"),
        need_descriptions=(
            "Children who are looked after, previously looked after or have a social worker, "
            "many of whom also have SEND, and whose rates of suspension and part-time "
            "timetables were high.",
        ),
        types=("other", "specialist_expertise"),
        other_type="Virtual School training programme",
        phases=SCHOOL_AGE,
        voices=LA,
        text=(
            "The Virtual School offered the Attachment Aware Schools programme to the schools "
            "listed, chosen because they educate most of our children who are looked after. "
            "Each school trained all staff, appointed a key adult for each child and reviewed "
            "its behaviour policy. Designated teachers meet termly with the Virtual School's "
            "educational psychologist.\n\n"
            "Personal education plans now include the child's views and a section on what "
            "helps them regulate, and the Virtual School head reviews every suspension of a "
            "child in care within a day."
        ),
        short=(
            "The Virtual School trained the listed schools in the Attachment Aware Schools "
            "programme and reviews every suspension of a child in care within a day."
        ),
    ),
    Practice(
        key="la_transition_programme",
        principle="p1",
        titles=(
            "An authority-wide enhanced transition programme",
            "Summer transition for vulnerable pupils moving to secondary school",
        ),
        needs=("ASD", "SEMH", "SLCN"),
        need_descriptions=(
            "Year 6 pupils with SEND, including autistic pupils and pupils with anxiety, whose "
            "attendance and wellbeing had dropped sharply in Year 7 in previous years.",
        ),
        types=("other",),
        other_type="Enhanced transition",
        phases=SCHOOL_AGE,
        voices=LA,
        text=(
            "Our inclusion team coordinates enhanced transition for the listed primary and "
            "secondary schools. Every pupil identified by their primary school has a "
            "transition plan, a summer school place and a named contact in their new school "
            "before the holidays. A transition worker visits families at home where needed.\n\n"
            "Secondary SENCOs receive information by the end of May, not in September, and we "
            "check attendance of these pupils in the first six weeks of Year 7 with the "
            "schools."
        ),
        short=(
            "Every Year 6 pupil with SEND in the listed schools gets a transition plan, a summer "
            "school place and a named contact in their secondary school."
        ),
    ),
    # ---------------------------------------------------------------- SEND support providers
    Practice(
        key="prov_autism_outreach",
        principle="p4",
        titles=("Special school outreach for autism and learning difficulties",),
        needs=("ASD", "SLD", "SLCN"),
        need_descriptions=(
            "Autistic pupils and pupils with severe learning difficulties in mainstream schools, "
            "whose placements were at risk of breaking down.",
        ),
        types=("specialist_expertise",),
        phases=SCHOOL_AGE,
        voices=PROVIDER,
        text=(
            "Our outreach teachers are experienced special school teachers who spend part of "
            "their week in mainstream schools. A school requests support through a short form, "
            "and within {two|three} weeks an outreach teacher observes the pupil, meets the "
            "family and the class teacher, and agrees a plan. We model approaches in the "
            "classroom (TEACCH workstations, visual supports, Attention Autism, Intensive "
            "Interaction) and then coach staff as they use them.\n\n"
            "We also run training for whole staffs and a termly network for teaching assistants "
            "who support pupils with complex needs. Mainstream staff can spend a day in our "
            "special school to see approaches in action."
        ),
        short=(
            "Our outreach teachers from a special school model and coach approaches such as "
            "TEACCH and Attention Autism in mainstream classrooms."
        ),
    ),
    Practice(
        key="prov_sensory",
        principle="p4",
        titles=("A sensory support partnership for deaf, blind and deafblind pupils",),
        needs=("HI", "VI", "MSI"),
        need_descriptions=(
            "Children and young people with hearing impairment, vision impairment and "
            "multi-sensory impairment in mainstream schools and colleges.",
        ),
        types=("specialist_expertise", "specialist_assistants"),
        phases=ANY,
        voices=PROVIDER,
        text=(
            "We provide Teachers of the Deaf, Qualified Teachers of Vision Impairment, "
            "habilitation specialists and intervenors to {n} schools under contract with local "
            "authorities. Our priority is the child's access to ordinary "
            "teaching: we check equipment, train staff, modify resources and teach specialist "
            "skills such as Braille, touch-typing, use of assistive technology, and "
            "self-advocacy.\n\n"
            "Every pupil has a learning plan reviewed with them and their family each term. "
            "Habilitation specialists teach independent travel, which families tell us matters "
            "most as young people approach adulthood."
        ),
        short=(
            "We provide Teachers of the Deaf, QTVIs, habilitation specialists and intervenors "
            "who help schools give pupils with sensory impairment access to ordinary teaching."
        ),
    ),
    Practice(
        key="prov_salt",
        principle="p3",
        titles=("Speech and language therapy that builds school expertise",),
        needs=("SLCN", "ASD"),
        need_descriptions=(
            "Pupils with speech, language and communication needs, including developmental "
            "language disorder, speech sound disorder and social communication difficulties.",
        ),
        types=("specialist_expertise",),
        phases=EARLY | PRIMARY,
        voices=PROVIDER,
        text=(
            "We are an independent speech and language therapy service commissioned by schools "
            "and trusts. Instead of a waiting list for individual therapy, each school has a "
            "link therapist who visits on a set day and works in three ways: training (every "
            "school has trained Speech Link and Language Link leads, and we run ELKLAN courses "
            "for teaching assistants), consultation with teachers about individual pupils, and "
            "direct therapy for the pupils who need it most.\n\n"
            "We set up communication-friendly classrooms with schools, using a checklist of "
            "what the environment, the adults and the teaching should look like, and we revisit "
            "it each year."
        ),
        short=(
            "Our link speech and language therapists train school staff, consult with teachers "
            "and provide direct therapy for the pupils who need it most."
        ),
    ),
    Practice(
        key="prov_dyslexia",
        principle="p2",
        titles=("Dyslexia and literacy outreach for schools",),
        needs=("SPLD",),
        need_descriptions=(
            "Pupils with dyslexia and other specific learning difficulties affecting reading, "
            "spelling and writing, many without a formal assessment.",
        ),
        types=("specialist_expertise",),
        phases=SCHOOL_AGE,
        voices=PROVIDER,
        text=(
            "Our specialist teachers hold postgraduate qualifications in specific learning "
            "difficulties. We help schools move away from expensive individual assessments "
            "towards an assess-plan-do-review cycle they can run themselves: screening with "
            "tools they already have, a structured phonics programme for older readers, "
            "Precision Teaching and assistive technology.\n\n"
            "We run the Dyslexia Friendly Schools programme with schools over a year, "
            "including staff training, classroom audits and pupil voice. We still assess "
            "pupils where a diagnostic assessment will change what happens for them."
        ),
        short=(
            "Our specialist dyslexia teachers help schools run their own assess-plan-do-review "
            "cycle and work towards being dyslexia-friendly."
        ),
    ),
    Practice(
        key="prov_wellbeing",
        principle="p4",
        titles=("A school-based wellbeing and counselling service",),
        needs=("SEMH",),
        need_descriptions=(
            "Children and young people with anxiety, low mood, bereavement and trauma who need "
            "support in school before their difficulties become severe.",
        ),
        types=("specialist_expertise",),
        phases=SCHOOL_AGE,
        voices=PROVIDER,
        text=(
            "We are a charity that provides counsellors, play therapists and wellbeing "
            "practitioners to schools. We work alongside Mental Health Support Teams, taking "
            "pupils whose needs are more complex than low-intensity CBT can meet but who do not "
            "meet the threshold for CAMHS. We also train staff in Emotion Coaching and run "
            "consultation sessions where a teacher can talk through a pupil they are worried "
            "about.\n\n"
            "Pupils and parents complete outcome measures at the start and end of every piece "
            "of work, and we share anonymised results with schools each term."
        ),
        short=(
            "Our counsellors and wellbeing practitioners work in schools with pupils whose needs "
            "sit between low-intensity support and CAMHS, and train staff in Emotion Coaching."
        ),
    ),
    Practice(
        key="prov_ability_sport",
        principle="p2",
        titles=("Inclusive PE and disability sport in mainstream schools",),
        needs=("PD", "VI", "ASD", "SLD"),
        need_descriptions=(
            "Disabled pupils and pupils with SEND who are less active than their peers and "
            "rarely take part in competitive sport or clubs.",
        ),
        types=("sport_and_pe", "specialist_expertise"),
        phases=SCHOOL_AGE,
        voices=PROVIDER,
        text=(
            "We are a disability sport charity working with schools to make PE inclusive. "
            "Our coaches team-teach with PE staff for a half term, using the STEP model, and "
            "leave schools with lesson plans and a loan of equipment such as Boccia sets, "
            "sports wheelchairs and audible balls. We run inclusive festivals and train young "
            "sports leaders, including disabled young people, to lead activities.\n\n"
            "We connect schools to community clubs so that pupils can carry on playing outside "
            "school, and we collect participation data with schools before and after our work."
        ),
        short=(
            "Our coaches team-teach inclusive PE with school staff, lend specialist sports "
            "equipment and link pupils to community disability sport clubs."
        ),
    ),
    Practice(
        key="prov_ot",
        principle="p3",
        titles=("Occupational therapy that teachers can use every day",),
        needs=("PD", "SPLD", "ASD"),
        need_descriptions=(
            "Pupils with developmental coordination disorder, physical disabilities and sensory "
            "processing differences, whose handwriting, dressing and ability to sit and attend "
            "affect learning.",
        ),
        types=("specialist_expertise",),
        phases=PRIMARY,
        voices=PROVIDER,
        text=(
            "Our occupational therapists work with schools on a consultation and training "
            "model. We train teaching assistants to run motor skills groups and sensory "
            "circuits, advise on seating, equipment and classroom layout, and write programmes "
            "that fit into PE and classroom routines rather than taking children out of "
            "lessons.\n\n"
            "Schools can ask for an individual assessment where a child's needs are not "
            "improving, and we give the class teacher three practical strategies after every "
            "visit."
        ),
        short=(
            "Our occupational therapists train teaching assistants to run motor skills groups "
            "and sensory circuits and advise on seating, equipment and layout."
        ),
    ),
    Practice(
        key="prov_cognition_advisory",
        principle="p3",
        titles=("Specialist teacher advice on cognition and learning",),
        needs=("MLD", "SPLD", "SLD"),
        need_descriptions=(
            "Pupils with moderate and severe learning difficulties and specific learning "
            "difficulties in mainstream schools, whose progress had stalled despite "
            "interventions.",
        ),
        types=("specialist_expertise",),
        phases=SCHOOL_AGE,
        voices=PROVIDER,
        text=(
            "We are a team of advisory teachers for cognition and learning. We work with SENCOs "
            "to strengthen the graduated approach: reviewing a school's provision map, observing "
            "lessons, assessing pupils where needed and then modelling adaptations in the "
            "classroom. A large part of our work is helping schools stop interventions that are "
            "not working and replace them with fewer, better ones, such as Precision Teaching "
            "and pre-teaching.\n\n"
            "We run termly clinics where SENCOs bring anonymised cases, and we publish short "
            "guides for teachers on working memory, processing speed and overlearning."
        ),
        short=(
            "Our advisory teachers help SENCOs strengthen the graduated approach, model "
            "classroom adaptations and stop interventions that are not working."
        ),
    ),
    Practice(
        key="prov_ebsa_outreach",
        principle="p4",
        titles=("Outreach for attendance and emotionally based school avoidance",),
        needs=("SEMH", "ASD"),
        need_descriptions=(
            "Pupils who are not attending school because of anxiety, many of them autistic, "
            "and pupils at risk of permanent exclusion.",
        ),
        types=("specialist_expertise",),
        phases=SECONDARY,
        voices=PROVIDER,
        text=(
            "We are an alternative provision outreach service. Rather than taking pupils out of "
            "school, our practitioners work with schools and families to keep pupils in, or to "
            "bring them back. Each piece of work starts with a joint meeting with the pupil, "
            "family and school, and a plan that includes small, achievable steps, a key adult "
            "and adjustments to the school day.\n\n"
            "We train school staff in recognising early signs of emotionally based school "
            "avoidance and in relational approaches, and we stay involved until the pupil's "
            "attendance has been stable for a half term."
        ),
        short=(
            "Our practitioners work with schools and families to keep anxious pupils in school "
            "or bring them back, with small steps and a key adult."
        ),
    ),
    Practice(
        key="prov_complex_needs",
        principle="p3",
        titles=("Including children with complex needs in their local schools",),
        needs=("PMLD", "SLD", "PD", "MSI"),
        need_descriptions=(
            "Children with profound and multiple learning difficulties and severe learning "
            "difficulties, often with physical disabilities and sensory impairments, whose "
            "families want them to attend their local school.",
        ),
        types=("specialist_expertise", "specialist_assistants"),
        phases=INFANT,
        voices=PROVIDER,
        text=(
            "Our outreach team is based in a special school for pupils with complex needs. "
            "When a mainstream school admits a child with PMLD or SLD we train the staff who "
            "will work with them in Intensive Interaction, sensory stories, positioning and "
            "moving and handling, and we help plan a curriculum that runs alongside the class "
            "topic.\n\n"
            "We return half-termly for the first year, and the child's teaching assistant can "
            "spend days with us. We connect schools with community nursing and physiotherapy "
            "so that care and learning are planned together."
        ),
        short=(
            "Our special school outreach team trains mainstream staff to include children with "
            "PMLD and SLD, with half-termly visits in the first year."
        ),
    ),
    Practice(
        key="prov_portage",
        principle="p1",
        titles=("Portage and early years inclusion support",),
        needs=("SLCN", "ASD", "PD", "SLD"),
        need_descriptions=(
            "Children under five with developmental delay, complex needs or emerging social "
            "communication differences, and their families.",
        ),
        types=("specialist_expertise",),
        phases=EARLY,
        voices=PROVIDER,
        text=(
            "Our portage home visitors and early years inclusion advisers support families of "
            "young children with SEND and the nurseries, pre-schools and schools that the "
            "children attend. We use small-step teaching and play-based goals agreed with "
            "parents, and we help settings plan for children's start in Reception.\n\n"
            "We run training on early communication, Makaton and supporting children with "
            "physical needs, and our advisers attend transition meetings with every family who "
            "wants us there."
        ),
        short=(
            "Our portage home visitors and early years advisers support families and settings "
            "and help plan each child's start in Reception."
        ),
    ),
    Practice(
        key="prov_neurodiversity",
        principle="p4",
        titles=("Neurodiversity partnership between health and schools",),
        needs=("ASD", "SEMH", "OTH"),
        need_descriptions=(
            "Neurodivergent pupils, including autistic pupils and pupils with ADHD, many on "
            "long waiting lists for assessment, and their families.",
        ),
        types=("specialist_expertise", "other"),
        other_type="Health and education partnership",
        phases=SCHOOL_AGE,
        voices=PROVIDER,
        text=(
            "We are a partnership of clinicians and specialist teachers funded through the "
            "local health system to support neurodivergent pupils in mainstream schools, "
            "whether or not they have a diagnosis. Schools complete a needs-led profile with "
            "the family, and our team offers advice, classroom adaptations and parent "
            "workshops straight away, rather than after assessment.\n\n"
            "We train school staff in understanding neurodivergence, sensory needs and "
            "regulation, and we share anonymised information about the needs we see with the "
            "integrated care board to inform commissioning."
        ),
        short=(
            "Our health and education partnership supports neurodivergent pupils on a needs-led "
            "basis, with or without a diagnosis."
        ),
    ),
    # ---------------------------------------------------------------- other organisations
    Practice(
        key="other_hub_training",
        principle="p2",
        titles=("SEND professional development across a teaching school hub",),
        needs=("ASD", "SLCN", "SPLD", "MLD"),
        need_descriptions=(
            "Pupils with SEND in mainstream classes taught by early career teachers and "
            "teachers new to the area, who told us they felt unprepared for the range of needs.",
        ),
        types=("other",),
        other_type="Teacher professional development",
        phases=SCHOOL_AGE,
        voices=OTHER,
        text=(
            "As a teaching school hub we deliver the early career framework and the national "
            "professional qualifications, including the NPQ for SENCOs. We added SEND "
            "clinics to the early career programme, where early career teachers bring a pupil "
            "they are finding hard to teach and work through adaptations with an experienced "
            "SENCO.\n\n"
            "We also run a course for teaching assistants on scaffolding and independence, and "
            "we work intensively with the schools listed, which asked for whole-school support "
            "on adaptive teaching."
        ),
        short=(
            "Our teaching school hub added SEND clinics to the early career programme and runs "
            "adaptive teaching support for the schools listed."
        ),
    ),
    Practice(
        key="other_parent_forum",
        principle="p4",
        titles=("An inclusion charter written by parents, pupils and schools",),
        needs=("ASD", "SEMH", "SLCN", "PD"),
        need_descriptions=(
            "Children and young people with SEND and their families, particularly families who "
            "had lost trust in schools after difficult experiences.",
        ),
        types=("other",),
        other_type="Co-production with a parent carer forum",
        phases=SCHOOL_AGE,
        voices=OTHER,
        text=(
            "We are the parent carer forum for the area. With the schools listed we co-produced "
            "an inclusion charter: ten commitments that families can expect, such as a named "
            "person who replies within two days and a meeting before any change to a child's "
            "timetable. Parents and young people helped write it and each school's "
            "governors signed it.\n\n"
            "Forum members visit the schools each year to talk to families and report back to "
            "governors, and schools have changed practice as a result, for example holding "
            "meetings at times working parents can attend."
        ),
        short=(
            "With the schools listed, our parent carer forum co-produced an inclusion charter of "
            "ten commitments that families can expect."
        ),
    ),
    Practice(
        key="other_research_partnership",
        principle="p2",
        titles=("A research partnership on adaptive teaching",),
        needs=("MLD", "SLCN", "SPLD"),
        need_descriptions=(
            "Pupils with cognition and learning and language needs in mixed-attainment classes, "
            "whose access to the main lesson content was limited.",
        ),
        types=("other",),
        other_type="Research-practice partnership",
        phases=SCHOOL_AGE,
        voices=OTHER,
        text=(
            "We are a university school of education working in partnership with the schools "
            "listed on a two-year lesson study project. Teachers plan, teach and observe "
            "research lessons together, focusing on how two or three case pupils with SEND "
            "experience the lesson, and refine scaffolds such as worked examples and "
            "structured talk.\n\n"
            "We interview the case pupils after each lesson, and their views have often "
            "changed what teachers planned. We publish short practice notes with the teachers."
        ),
        short=(
            "Teachers in the schools listed use lesson study with our university team to see "
            "lessons through the eyes of pupils with SEND."
        ),
    ),
)

BY_KEY: dict[str, Practice] = {p.key: p for p in PRACTICES}
