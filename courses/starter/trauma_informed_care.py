"""Starter course: trauma-informed care for staff of behavioral-health programs."""

COURSE: dict = {
    "slug": "trauma-informed-care",
    "title": "Trauma-informed care",
    "summary": (
        "What trauma is, the six principles and four R's of a trauma-informed "
        "approach, and everyday ways to avoid re-traumatising clients on a residential "
        "unit or in a clinic."
    ),
    "estimated_minutes": 60,
    "ce_hours": None,
    "retrain_months": 12,
    "tags": ["trauma-informed-care", "clinical-practice", "safety", "orientation"],
    "objectives": [
        {
            "key": "O1",
            "text": (
                "Describe SAMHSA's concept of trauma using the three E's: event, "
                "experience and effects."
            ),
        },
        {
            "key": "O2",
            "text": (
                "Name the six key principles of a trauma-informed approach and give an "
                "example of each."
            ),
        },
        {
            "key": "O3",
            "text": "Explain the four R's that describe a trauma-informed program.",
        },
        {
            "key": "O4",
            "text": (
                "Recognise trauma responses in clients and stress reactions in "
                "yourself and co-workers."
            ),
        },
        {
            "key": "O5",
            "text": (
                "Replace practices that can re-traumatise clients in a residential "
                "milieu with safer ones."
            ),
        },
    ],
    "lessons": [
        {
            "title": "What trauma is: event, experience and effects",
            "intro": (
                "Trauma is common among the people we serve, and it shapes how they "
                "react to us."
            ),
            "body": [
                ("heading", "Trauma is common"),
                (
                    "paragraph",
                    "<p>Many of the clients you will meet have lived through abuse, "
                    "neglect, violence, sudden loss or other frightening events. "
                    "Large studies of adverse childhood experiences found that more "
                    "than half of adults had at least one, and the more they had, the "
                    "higher their later risk of substance use, depression and "
                    "physical illness. In behavioral-health programs, a trauma "
                    "history is the rule rather than the exception. Staff have trauma "
                    "histories too.</p>",
                ),
                ("heading", "The three E's"),
                (
                    "paragraph",
                    "<p>SAMHSA describes trauma with three linked parts. All three "
                    "matter.</p><ul>"
                    "<li><strong>Event:</strong> something that happened, once or "
                    "many times, or a situation that went on for a long time. "
                    "Examples are physical or sexual abuse, neglect, domestic or "
                    "community violence, a serious accident, a disaster, war, the "
                    "sudden death of someone close, or being removed from home.</li>"
                    "<li><strong>Experience:</strong> how the person lived through "
                    "it. Two people can go through the same event and be affected "
                    "very differently. Age, support from others, culture, and "
                    "feelings of shame, betrayal or helplessness all shape the "
                    "experience.</li>"
                    "<li><strong>Effects:</strong> harm that lasts. Effects can show "
                    "up right away or years later. They can touch a person's body, "
                    "feelings, thinking, relationships and sense of meaning.</li></ul>",
                ),
                ("heading", "What effects can look like on the unit"),
                (
                    "paragraph",
                    "<p>Trauma responses are the body's survival system doing its job "
                    "in the wrong place. A person may be always on guard, startle "
                    "easily, or react strongly to small things. Others go numb, seem "
                    "far away, or cannot remember parts of the day. You may see "
                    "trouble sleeping, nightmares, avoiding certain places or people, "
                    "anger at authority, difficulty trusting staff, self-harm, or "
                    "using alcohol or drugs to cope.</p>"
                    "<p>Behaviour that looks defiant or 'attention seeking' may be a "
                    "fight, flight or freeze response. A trauma-informed question "
                    "changes from 'What is wrong with you?' to 'What happened to you, "
                    "and what do you need now?' That does not mean there are no "
                    "expectations. It means we try to understand behaviour before we "
                    "respond to it.</p>",
                ),
                ("heading", "Your role"),
                (
                    "paragraph",
                    "<p>You do not need to know a client's trauma story to be "
                    "trauma-informed, and you should not ask for details. Trauma "
                    "therapy is done by trained clinicians. If a client tells you "
                    "about past harm, listen calmly, thank them for telling you, do "
                    "not press for more, and let their clinician know. If what they "
                    "tell you suggests a child or vulnerable adult is being harmed, "
                    "follow your mandated reporting duties.</p>",
                ),
                (
                    "key_point",
                    "Trauma is an event, how the person experienced it, and the "
                    "lasting effects. Ask 'what happened to you?' rather than 'what "
                    "is wrong with you?'",
                ),
                (
                    "vignette",
                    {
                        "scenario": (
                            "Maya, 16, has been on the residential unit for a week. "
                            "During night checks she wakes up screaming when the "
                            "flashlight hits her face, and once threw her pillow at a "
                            "staff member. The day staff describe her as 'defiant at "
                            "night'."
                        ),
                        "question": (
                            "What might Maya be experiencing, and how could the night "
                            "checks be done differently while still keeping her safe?"
                        ),
                    },
                ),
                (
                    "check",
                    {
                        "question": (
                            "Two brothers were in the same car accident. One has "
                            "nightmares and avoids cars; the other seems unaffected. "
                            "Which of the three E's explains the difference?"
                        ),
                        "choices": [
                            "Event",
                            "Experience",
                            "Neither; one brother must be hiding his symptoms.",
                        ],
                        "answer": 1,
                        "explanation": (
                            "The event was the same. How each person experienced it, "
                            "shaped by age, support and meaning, differs, and that "
                            "helps explain why the effects differ."
                        ),
                    },
                ),
            ],
        },
        {
            "title": "The six key principles",
            "intro": (
                "Six principles guide a trauma-informed approach in every role, from "
                "the front desk to the night shift."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>SAMHSA names six key principles. They are not a checklist or "
                    "a script. They are a way of working that shows up in small, "
                    "everyday choices.</p>",
                ),
                ("heading", "1. Safety"),
                (
                    "paragraph",
                    "<p>Clients and staff feel physically and emotionally safe. "
                    "Safety is defined by the person, not only by staff. Examples: "
                    "posting the daily schedule, warning clients before fire drills, "
                    "keeping shared spaces calm, and never using threats to get "
                    "compliance.</p>",
                ),
                ("heading", "2. Trustworthiness and transparency"),
                (
                    "paragraph",
                    "<p>Decisions are explained and staff do what they say they will "
                    "do. Example: 'Your pass was put on hold because your team wants "
                    "to review your safety plan first. Your counsellor will meet you "
                    "at 2 pm.' If you promise to come back in ten minutes, come "
                    "back.</p>",
                ),
                ("heading", "3. Peer support"),
                (
                    "paragraph",
                    "<p>People with lived experience of trauma, mental illness or "
                    "addiction help build hope and trust. Examples: peer recovery "
                    "specialists on the team, mutual support groups, and older "
                    "residents welcoming new ones.</p>",
                ),
                ("heading", "4. Collaboration and mutuality"),
                (
                    "paragraph",
                    "<p>Power differences between staff and clients are reduced where "
                    "possible, and healing happens in relationships. Everyone, from "
                    "the cook to the psychiatrist, has a part. Example: making unit "
                    "rules with residents at a community meeting, doing things "
                    "<em>with</em> people rather than <em>to</em> them.</p>",
                ),
                ("heading", "5. Empowerment, voice and choice"),
                (
                    "paragraph",
                    "<p>Clients' strengths are noticed and built on, and they have "
                    "real choices. Examples: asking which staff member a client would "
                    "like to talk to when upset, involving them in their treatment "
                    "plan, and letting them choose the order of chores.</p>",
                ),
                ("heading", "6. Cultural, historical and gender issues"),
                (
                    "paragraph",
                    "<p>The program moves past stereotypes and biases, respects "
                    "culture and gender identity, and recognises historical trauma, "
                    "such as the harm done to Native American families through "
                    "boarding schools or to Black communities through racism. "
                    "Examples: using a client's chosen name and pronouns, offering an "
                    "interpreter rather than using a family member, and respecting "
                    "religious and dietary practices.</p>",
                ),
                (
                    "key_point",
                    "The six principles are safety; trustworthiness and transparency; "
                    "peer support; collaboration and mutuality; empowerment, voice "
                    "and choice; and cultural, historical and gender issues.",
                ),
                (
                    "vignette",
                    {
                        "scenario": (
                            "At an outpatient SUD clinic, group times were changed "
                            "without notice. Denise, who has two jobs, arrives at the "
                            "old time, is told she missed group and is marked absent. "
                            "She says, 'This is exactly why I never trust places like "
                            "this.'"
                        ),
                        "question": (
                            "Which principles were not followed here, and what could "
                            "the clinic do differently now and next time?"
                        ),
                    },
                ),
                (
                    "check",
                    {
                        "question": (
                            "A technician asks a resident whether she would rather "
                            "have her room searched by a female or male staff member, "
                            "where policy allows. Which principle does this mainly "
                            "show?"
                        ),
                        "choices": [
                            "Peer support",
                            "Empowerment, voice and choice",
                            "Trustworthiness and transparency",
                        ],
                        "answer": 1,
                        "explanation": (
                            "Offering a real choice gives the resident a voice in "
                            "something that happens to her. Peer support involves "
                            "people with lived experience, and transparency is about "
                            "explaining decisions."
                        ),
                    },
                ),
            ],
        },
        {
            "title": "The four R's and caring for yourself",
            "intro": (
                "A trauma-informed program realizes, recognizes, responds and resists "
                "re-traumatization."
            ),
            "body": [
                ("heading", "The four R's"),
                (
                    "paragraph",
                    "<p>SAMHSA describes a trauma-informed program by four things it "
                    "does. Each one applies to a whole agency and to you on your "
                    "shift.</p><ol>"
                    "<li><strong>Realizes</strong> how widespread trauma is, how it "
                    "affects people, families and communities, and that recovery is "
                    "possible.</li>"
                    "<li><strong>Recognizes</strong> the signs of trauma in clients, "
                    "families and staff. This lesson and the last one helped you with "
                    "this.</li>"
                    "<li><strong>Responds</strong> by building that knowledge into "
                    "policies, procedures, daily practice, language and the physical "
                    "space.</li>"
                    "<li><strong>Resists re-traumatization</strong> by changing "
                    "practices that remind people of past harm or repeat it.</li></ol>",
                ),
                ("heading", "What 'responds' looks like"),
                (
                    "paragraph",
                    "<p>Responding is more than knowing about trauma. It shows up in "
                    "details: an admission process that explains each step, intake "
                    "forms that ask about trauma only when the answers will be used, "
                    "quiet spaces clients can choose to use, rules written in plain "
                    "language, and staff training and supervision that include "
                    "trauma. It also shows up in how you talk. 'Time for meds, do you "
                    "want to come now or after this show?' lands very differently "
                    "from 'Meds. Now.'</p>",
                ),
                ("heading", "Trauma-informed is not the same as trauma treatment"),
                (
                    "paragraph",
                    "<p>A trauma-informed approach is how the whole program works "
                    "with everyone. Trauma-specific treatment is therapy for trauma, "
                    "offered by trained clinicians using specific models. Technicians "
                    "and support staff are essential to the first, and support the "
                    "second by keeping the milieu safe and predictable.</p>",
                ),
                ("heading", "Stress in staff"),
                (
                    "paragraph",
                    "<p>Hearing about trauma and responding to crises every week "
                    "affects staff. <strong>Secondary traumatic stress</strong> can "
                    "look like trauma symptoms: intrusive thoughts about a client's "
                    "story, dread before shifts, feeling numb or irritable, or "
                    "sleeping badly. <strong>Burnout</strong> is exhaustion and "
                    "cynicism from ongoing workload and stress. Both make it harder "
                    "to stay calm and kind on the floor.</p><ul>"
                    "<li>Use supervision to talk about hard incidents, not only "
                    "tasks.</li>"
                    "<li>Take your breaks and leave work at work where you can.</li>"
                    "<li>Notice changes in co-workers and check in with them.</li>"
                    "<li>Use the employee assistance program if your agency has "
                    "one.</li></ul>",
                ),
                (
                    "key_point",
                    "Realize, recognize, respond, resist re-traumatization. A program "
                    "cannot be trauma-informed for clients if it ignores the stress "
                    "on its staff.",
                ),
                (
                    "vignette",
                    {
                        "scenario": (
                            "Luis has worked three incidents in two weeks, including a "
                            "restraint. He finds himself snapping at residents over "
                            "small things, dreads coming in, and keeps replaying the "
                            "restraint at night. He has not mentioned it to anyone "
                            "because he thinks it is just part of the job."
                        ),
                        "question": (
                            "What might Luis be experiencing, and what could he and "
                            "his supervisor do about it?"
                        ),
                    },
                ),
                (
                    "check",
                    {
                        "question": (
                            "A program rewrites its search policy so staff explain the "
                            "reason and let clients be present. Which of the four R's "
                            "is this mainly an example of?"
                        ),
                        "choices": ["Realizes", "Recognizes", "Responds"],
                        "answer": 2,
                        "explanation": (
                            "Changing a written policy and practice puts trauma "
                            "knowledge into action, which is what 'responds' means. It "
                            "also helps resist re-traumatization."
                        ),
                    },
                ),
            ],
        },
        {
            "title": "Avoiding re-traumatisation in the residential milieu",
            "intro": (
                "Routine tasks on a unit can feel like past harm to a client; small "
                "changes make them safer."
            ),
            "body": [
                ("heading", "Why routine tasks can hurt"),
                (
                    "paragraph",
                    "<p>Many things a residential program must do, such as checks, "
                    "searches, locked doors and rules about belongings, can echo what "
                    "a client lived through: being watched, controlled, touched "
                    "without permission or punished without warning. The task may "
                    "still be needed. How you do it makes the difference.</p>",
                ),
                ("heading", "Common practices and safer ways to do them"),
                (
                    "paragraph",
                    "<ul>"
                    "<li><strong>Room and property searches:</strong> tell the client "
                    "why and what will happen, let them be present where policy "
                    "allows, use same-gender staff for any pat-down, handle "
                    "belongings with respect, and put things back. Never use a search "
                    "as a punishment.</li>"
                    "<li><strong>Night checks:</strong> knock or announce softly, "
                    "keep the flashlight pointed at the floor, and agree with the "
                    "client in advance how checks will happen.</li>"
                    "<li><strong>Restraint and seclusion:</strong> these are among "
                    "the most re-traumatising things a program can do. Prevention, "
                    "de-escalation and safety plans come first, every time.</li>"
                    "<li><strong>Loud commands:</strong> shouting across the unit or "
                    "giving orders in front of peers can trigger a fight or flight "
                    "response. Walk over, get close enough to talk quietly, and use "
                    "the person's name.</li>"
                    "<li><strong>Power struggles:</strong> insisting on winning a "
                    "small point can feel like past control and abuse. Offer choices "
                    "and let minor things go.</li>"
                    "<li><strong>Unexpected touch:</strong> approach from the front, "
                    "say what you are going to do, and ask before touching, even for "
                    "a friendly pat on the shoulder.</li>"
                    "<li><strong>Group consequences and public shaming:</strong> "
                    "avoid punishing everyone for one person's behaviour or "
                    "discussing a client's consequences in front of others.</li>"
                    "<li><strong>Observed procedures</strong> such as supervised "
                    "showers or observed urine drug screens: explain each step, give "
                    "as much privacy as the protocol allows, and use same-gender "
                    "staff.</li></ul>",
                ),
                ("heading", "Use what the client tells you"),
                (
                    "paragraph",
                    "<p>Many programs ask at admission what upsets a client and what "
                    "helps them calm down, and write it into a safety or crisis plan. "
                    "Read it and use it. If a resident says closed doors make her "
                    "panic, or that a certain tone of voice reminds him of his "
                    "father, that knowledge can prevent a crisis.</p>",
                ),
                (
                    "key_point",
                    "Explain before you act, offer choices, ask before touching and "
                    "keep your voice low. How you do a necessary task decides whether "
                    "it feels safe or harmful.",
                ),
                (
                    "vignette",
                    {
                        "scenario": (
                            "A peer reports that Keisha, 17, has a vape hidden in her "
                            "room. Policy requires a room search. The last time her "
                            "room was searched, staff went in while she was at school, "
                            "and she came back to find her things piled on the bed. "
                            "She cried for an hour and refused to speak to staff for "
                            "two days."
                        ),
                        "question": (
                            "How would you plan and carry out this search so it "
                            "follows policy and reduces the risk of re-traumatising "
                            "Keisha?"
                        ),
                    },
                ),
                (
                    "check",
                    {
                        "question": (
                            "You need a resident to come inside from the yard. Which "
                            "approach best avoids re-traumatisation?"
                        ),
                        "choices": [
                            "Shout his name from the doorway so he hears you over the "
                            "noise.",
                            "Walk over, use his name, tell him it is time to come in "
                            "and give him a two-minute warning.",
                            "Take him by the arm and guide him inside so there is no "
                            "argument.",
                        ],
                        "answer": 1,
                        "explanation": (
                            "Approaching calmly, explaining and giving a warning "
                            "supports safety, transparency and choice. Shouting and "
                            "unexpected touch can trigger a trauma response."
                        ),
                    },
                ),
            ],
        },
    ],
    "quiz": {
        "title": "Trauma-informed care: check your understanding",
        "intro": (
            "Answer these questions about trauma and a trauma-informed approach. You "
            "need 80% to pass."
        ),
        "pass_mark": 80,
        "attempts_allowed": 3,
        "shuffle": True,
        "questions": [
            {
                "kind": "single",
                "prompt": "What are SAMHSA's three E's of trauma?",
                "objective": "O1",
                "choices": [
                    {
                        "text": "Event, experience, effects",
                        "correct": True,
                        "feedback": (
                            "Right. Trauma is the event, how it was experienced, and "
                            "its lasting effects."
                        ),
                    },
                    {
                        "text": "Emotion, escalation, exhaustion",
                        "correct": False,
                        "feedback": (
                            "No. The three E's are event, experience and effects."
                        ),
                    },
                    {
                        "text": "Exposure, evaluation, empowerment",
                        "correct": False,
                        "feedback": (
                            "No. The three E's are event, experience and effects."
                        ),
                    },
                    {
                        "text": "Engage, explain, encourage",
                        "correct": False,
                        "feedback": (
                            "No. These are helpful staff actions, not the three E's."
                        ),
                    },
                ],
            },
            {
                "kind": "true_false",
                "prompt": (
                    "Two people who go through the same event will be affected by it "
                    "in the same way."
                ),
                "objective": "O1",
                "choices": [
                    {
                        "text": "True",
                        "correct": False,
                        "feedback": (
                            "It is false. How each person experiences an event "
                            "differs, so the effects differ too."
                        ),
                    },
                    {
                        "text": "False",
                        "correct": True,
                        "feedback": (
                            "Correct. Age, support, culture and meaning shape the "
                            "experience and its effects."
                        ),
                    },
                ],
            },
            {
                "kind": "multiple",
                "prompt": (
                    "Which of these are among SAMHSA's six key principles of a "
                    "trauma-informed approach? Select all that apply."
                ),
                "objective": "O2",
                "choices": [
                    {
                        "text": "Safety",
                        "correct": True,
                        "feedback": "Yes. Safety is the first principle.",
                    },
                    {
                        "text": "Peer support",
                        "correct": True,
                        "feedback": (
                            "Yes. People with lived experience help build trust and "
                            "hope."
                        ),
                    },
                    {
                        "text": "Strict compliance",
                        "correct": False,
                        "feedback": (
                            "No. Compliance is not one of the principles; "
                            "collaboration is."
                        ),
                    },
                    {
                        "text": "Empowerment, voice and choice",
                        "correct": True,
                        "feedback": "Yes. Clients' strengths and choices are central.",
                    },
                    {
                        "text": "Diagnosis before support",
                        "correct": False,
                        "feedback": "No. This is not one of the six principles.",
                    },
                ],
            },
            {
                "kind": "single",
                "prompt": (
                    "A technician tells a client, 'Your weekend pass is on hold until "
                    "your team meets on Thursday, and I will let you know their "
                    "decision that afternoon,' and then does so. Which principle is "
                    "this mainly an example of?"
                ),
                "objective": "O2",
                "choices": [
                    {
                        "text": "Peer support",
                        "correct": False,
                        "feedback": (
                            "No. Peer support involves people with lived experience."
                        ),
                    },
                    {
                        "text": "Trustworthiness and transparency",
                        "correct": True,
                        "feedback": (
                            "Right. The decision is explained and the promise is kept."
                        ),
                    },
                    {
                        "text": "Cultural, historical and gender issues",
                        "correct": False,
                        "feedback": (
                            "No. Nothing here concerns culture, history or gender."
                        ),
                    },
                    {
                        "text": "Collaboration and mutuality",
                        "correct": False,
                        "feedback": (
                            "Not mainly. The client is informed, not sharing in the "
                            "decision."
                        ),
                    },
                ],
            },
            {
                "kind": "single",
                "prompt": (
                    "A Spanish-speaking mother arrives for a family session. Which "
                    "response best reflects the principle of cultural, historical and "
                    "gender issues?"
                ),
                "objective": "O2",
                "choices": [
                    {
                        "text": "Ask her 12-year-old son to interpret.",
                        "correct": False,
                        "feedback": (
                            "No. Using a child as interpreter puts him in an unfair "
                            "role and risks errors and privacy problems."
                        ),
                    },
                    {
                        "text": "Arrange a qualified interpreter.",
                        "correct": True,
                        "feedback": (
                            "Right. A qualified interpreter respects her language and "
                            "her right to take part fully."
                        ),
                    },
                    {
                        "text": (
                            "Speak slowly in English and skip the parts that are hard "
                            "to explain."
                        ),
                        "correct": False,
                        "feedback": "No. She would miss important information.",
                    },
                    {
                        "text": "Reschedule until she can bring an English speaker.",
                        "correct": False,
                        "feedback": (
                            "No. This shifts the burden onto her and delays care."
                        ),
                    },
                ],
            },
            {
                "kind": "single",
                "prompt": (
                    "Which list gives SAMHSA's four R's of a trauma-informed program?"
                ),
                "objective": "O3",
                "choices": [
                    {
                        "text": (
                            "Realizes, recognizes, responds, resists re-traumatization"
                        ),
                        "correct": True,
                        "feedback": (
                            "Right. These four describe what a trauma-informed program "
                            "does."
                        ),
                    },
                    {
                        "text": "Restrains, reports, reviews, returns to routine",
                        "correct": False,
                        "feedback": "No. These are not the four R's.",
                    },
                    {
                        "text": "Relates, reassures, redirects, rewards",
                        "correct": False,
                        "feedback": (
                            "No. These may be staff actions, but they are not the four "
                            "R's."
                        ),
                    },
                    {
                        "text": "Recalls, relives, re-experiences, recovers",
                        "correct": False,
                        "feedback": (
                            "No. These describe trauma symptoms, not the four R's."
                        ),
                    },
                ],
            },
            {
                "kind": "true_false",
                "prompt": (
                    "Being trauma-informed means technicians should ask clients for "
                    "details of their trauma so they can help them process it."
                ),
                "objective": "O3",
                "choices": [
                    {
                        "text": "True",
                        "correct": False,
                        "feedback": (
                            "It is false. Trauma therapy is done by trained "
                            "clinicians. Staff listen if a client shares, without "
                            "pressing for details."
                        ),
                    },
                    {
                        "text": "False",
                        "correct": True,
                        "feedback": (
                            "Correct. A trauma-informed approach does not require "
                            "knowing the story, and asking for details can cause harm."
                        ),
                    },
                ],
            },
            {
                "kind": "multiple",
                "prompt": (
                    "Which of these can be trauma responses in a client? Select all "
                    "that apply."
                ),
                "objective": "O4",
                "choices": [
                    {
                        "text": "Startling strongly at sudden noises",
                        "correct": True,
                        "feedback": (
                            "Yes. Being on high alert is a common trauma response."
                        ),
                    },
                    {
                        "text": "Seeming numb or far away during a conversation",
                        "correct": True,
                        "feedback": (
                            "Yes. Numbing and dissociation are freeze-type responses."
                        ),
                    },
                    {
                        "text": "Angry reactions to staff who give orders",
                        "correct": True,
                        "feedback": (
                            "Yes. Authority can remind a person of past control or "
                            "abuse."
                        ),
                    },
                    {
                        "text": "Using alcohol or drugs to sleep or to stop memories",
                        "correct": True,
                        "feedback": (
                            "Yes. Substance use is a common way of coping with trauma "
                            "effects."
                        ),
                    },
                    {
                        "text": "Laughing and joking with peers during an outing",
                        "correct": False,
                        "feedback": (
                            "No. Enjoying time with others is not a trauma response."
                        ),
                    },
                ],
            },
            {
                "kind": "single",
                "prompt": (
                    "A co-worker has become irritable, dreads shifts and keeps "
                    "thinking about a client's story at home. What is the most helpful "
                    "thing to do?"
                ),
                "objective": "O4",
                "choices": [
                    {
                        "text": "Ignore it, because stress is part of the job.",
                        "correct": False,
                        "feedback": (
                            "No. These can be signs of secondary traumatic stress that "
                            "get worse if ignored."
                        ),
                    },
                    {
                        "text": (
                            "Check in with them privately and encourage them to use "
                            "supervision or the employee assistance program."
                        ),
                        "correct": True,
                        "feedback": (
                            "Right. Noticing and pointing toward support is how teams "
                            "look after each other."
                        ),
                    },
                    {
                        "text": "Report them to HR for poor performance.",
                        "correct": False,
                        "feedback": (
                            "No. Support comes first; these are common stress "
                            "reactions."
                        ),
                    },
                    {
                        "text": "Tell them to take on more shifts to keep busy.",
                        "correct": False,
                        "feedback": (
                            "No. More exposure without support tends to make it worse."
                        ),
                    },
                ],
            },
            {
                "kind": "multiple",
                "prompt": (
                    "A resident's room must be searched. Which steps reduce the risk "
                    "of re-traumatisation? Select all that apply."
                ),
                "objective": "O5",
                "choices": [
                    {
                        "text": (
                            "Explain why the search is happening and what will be done"
                        ),
                        "correct": True,
                        "feedback": "Yes. Predictability and transparency reduce fear.",
                    },
                    {
                        "text": "Let the resident be present where policy allows",
                        "correct": True,
                        "feedback": (
                            "Yes. Being present gives some control over what happens."
                        ),
                    },
                    {
                        "text": (
                            "Search while the resident is out so they do not get upset"
                        ),
                        "correct": False,
                        "feedback": (
                            "No. Coming back to a searched room without warning can "
                            "feel like a violation."
                        ),
                    },
                    {
                        "text": "Put belongings back the way they were",
                        "correct": True,
                        "feedback": (
                            "Yes. Respect for belongings shows respect for the person."
                        ),
                    },
                    {
                        "text": (
                            "Do the search in front of peers so everyone learns the "
                            "rule"
                        ),
                        "correct": False,
                        "feedback": "No. Public searches shame the person.",
                    },
                ],
            },
            {
                "kind": "single",
                "prompt": "Which night-check practice is most trauma-informed?",
                "objective": "O5",
                "choices": [
                    {
                        "text": (
                            "Shine the flashlight on each resident's face to confirm "
                            "they are asleep."
                        ),
                        "correct": False,
                        "feedback": "No. Sudden light in the face can trigger panic.",
                    },
                    {
                        "text": (
                            "Open doors quickly and quietly without a word so no one "
                            "is woken."
                        ),
                        "correct": False,
                        "feedback": (
                            "No. An unannounced entry at night can feel like past harm."
                        ),
                    },
                    {
                        "text": (
                            "Agree with each resident in advance how checks will "
                            "happen, knock or announce softly, and keep the light "
                            "pointed at the floor."
                        ),
                        "correct": True,
                        "feedback": (
                            "Right. Predictable, announced checks keep safety without "
                            "alarm."
                        ),
                    },
                    {
                        "text": "Skip checks for residents who complain about them.",
                        "correct": False,
                        "feedback": (
                            "No. Checks are required for safety; change how they are "
                            "done."
                        ),
                    },
                ],
            },
        ],
    },
    "sources": [
        "SAMHSA, SAMHSA's Concept of Trauma and Guidance for a Trauma-Informed "
        "Approach, HHS Publication No. (SMA) 14-4884 (2014)",
        "SAMHSA, Trauma-Informed Care in Behavioral Health Services, Treatment "
        "Improvement Protocol (TIP) 57, HHS Publication No. (SMA) 13-4801 (2014)",
        "SAMHSA, Practical Guide for Implementing a Trauma-Informed Approach (2023)",
        "Felitti VJ et al., Relationship of Childhood Abuse and Household Dysfunction "
        "to Many of the Leading Causes of Death in Adults: The Adverse Childhood "
        "Experiences (ACE) Study, American Journal of Preventive Medicine 14(4) (1998)",
        "SAMHSA, Roadmap to Seclusion and Restraint Free Mental Health Services, DHHS "
        "Publication No. (SMA) 05-4055",
    ],
    "attestation": None,
}
