"""Starter course: crisis prevention and de-escalation for direct-care staff."""

COURSE: dict = {
    "slug": "crisis-prevention",
    "title": "Crisis prevention and de-escalation",
    "summary": (
        "How to notice a crisis building, help a person calm down with words and "
        "space, keep restraint and seclusion for imminent danger only, and debrief, "
        "document and report afterwards."
    ),
    "estimated_minutes": 60,
    "ce_hours": None,
    "retrain_months": 12,
    "tags": [
        "crisis",
        "de-escalation",
        "safety",
        "restraint-and-seclusion",
        "orientation",
    ],
    "objectives": [
        {
            "key": "O1",
            "text": (
                "Recognise early warning signs and the phases of the escalation cycle."
            ),
        },
        {
            "key": "O2",
            "text": (
                "Use verbal and non-verbal de-escalation skills to help a person "
                "regain control."
            ),
        },
        {
            "key": "O3",
            "text": (
                "Explain least-restrictive intervention and when restraint or "
                "seclusion may be used."
            ),
        },
        {
            "key": "O4",
            "text": "Take part in client and staff debriefing after an incident.",
        },
        {
            "key": "O5",
            "text": "Document an incident objectively and report it on time.",
        },
    ],
    "lessons": [
        {
            "title": "Seeing a crisis coming: warning signs and the escalation cycle",
            "intro": (
                "Most crises build up over minutes or hours, and the early signs give "
                "you time to help."
            ),
            "body": [
                ("heading", "Why early matters"),
                (
                    "paragraph",
                    "<p>A crisis rarely comes out of nowhere. In most incidents on a "
                    "unit or in a clinic, there were signs earlier in the day: a bad "
                    "phone call, a refused pass, a poor night of sleep. The earlier "
                    "you notice that someone is struggling, the more options you both "
                    "have. A short talk at the first sign of stress is easier and "
                    "safer than any response later on.</p>"
                    "<p>To notice change, you first need to know the person's "
                    "<strong>baseline</strong>: how they usually look, sound and act "
                    "when they are doing fine. Read the shift log, ask the staff who "
                    "know the client, and read the crisis or safety plan if there is "
                    "one. It often lists the person's own triggers and what helps "
                    "them.</p>",
                ),
                ("heading", "Common triggers"),
                (
                    "paragraph",
                    "<ul>"
                    "<li><strong>Inside the person:</strong> pain, hunger, tiredness, "
                    "withdrawal or cravings, side effects of medication, fear, shame, "
                    "memories of past trauma, anniversaries.</li>"
                    "<li><strong>Around the person:</strong> noise and crowding, a "
                    "change in routine, being told no, losing a privilege, conflict "
                    "with a peer, bad news from family, court or a caseworker.</li>"
                    "<li><strong>From staff:</strong> a raised voice, an order given "
                    "in front of peers, standing too close, rules applied "
                    "unevenly.</li></ul>",
                ),
                ("heading", "Warning signs"),
                (
                    "paragraph",
                    "<p>Look for a <em>change</em> from baseline. Common signs are "
                    "pacing, clenched fists or jaw, a flushed face, fast breathing, "
                    "staring or avoiding eye contact, a louder or sharper voice, "
                    "swearing, refusing simple requests, and slamming doors. Some "
                    "people go the other way: they become very quiet, withdraw to "
                    "their room or stop eating. Sudden calm after a period of "
                    "distress can also be a warning sign, for example in a person "
                    "thinking about suicide.</p>"
                    "<p>Agitation can have a medical cause, such as low blood sugar, "
                    "a head injury, intoxication, withdrawal, infection or confusion "
                    "in an older adult. Tell the nurse or medical staff about any "
                    "sudden change.</p>",
                ),
                ("heading", "The escalation cycle"),
                (
                    "paragraph",
                    "<p>A common way to describe how a crisis unfolds has six phases. "
                    "Your job changes with each one.</p><ol>"
                    "<li><strong>Baseline:</strong> the person is calm. Build the "
                    "relationship and keep routines predictable.</li>"
                    "<li><strong>Trigger:</strong> something upsets them. Notice it "
                    "and check in early.</li>"
                    "<li><strong>Escalation:</strong> stress rises and warning signs "
                    "appear. Listen, give space, offer choices and reduce "
                    "demands.</li>"
                    "<li><strong>Crisis:</strong> the person may lose control and put "
                    "themselves or others in danger. Focus on safety and call for "
                    "help.</li>"
                    "<li><strong>Recovery:</strong> the person starts to calm down "
                    "but can re-escalate easily. Keep things quiet and do not "
                    "lecture.</li>"
                    "<li><strong>Post-crisis:</strong> the person may feel tired, "
                    "ashamed or low. Offer support, check for injuries and plan a "
                    "debrief.</li></ol>",
                ),
                (
                    "key_point",
                    "Know each client's baseline. A change from baseline, noticed "
                    "early, is your best chance to prevent a crisis.",
                ),
                (
                    "vignette",
                    {
                        "scenario": (
                            "Jordan, 15, has been cheerful all morning on the "
                            "adolescent unit. After a phone call with his mother he "
                            "walks straight to his room, slams the door and ignores "
                            "the call for lunch. Twenty minutes later he is pacing the "
                            "hallway and muttering."
                        ),
                        "question": (
                            "Which phase of the cycle is Jordan in, what might have "
                            "triggered him, and what would you do in the next five "
                            "minutes?"
                        ),
                    },
                ),
                (
                    "check",
                    {
                        "question": (
                            "Malik, usually talkative, has sat alone in silence since "
                            "returning from court. What is the best first step?"
                        ),
                        "choices": [
                            "Leave him alone, since quiet clients are not a safety "
                            "concern.",
                            "Check in with him privately and calmly, and let the team "
                            "know about the change.",
                            "Tell him he must join group or lose his evening "
                            "privileges.",
                        ],
                        "answer": 1,
                        "explanation": (
                            "Withdrawal is a change from his baseline after a likely "
                            "trigger. An early, private check-in and a heads-up to the "
                            "team gives the most options. A threat adds pressure, and "
                            "ignoring the change wastes the early window."
                        ),
                    },
                ),
            ],
        },
        {
            "title": "Verbal de-escalation",
            "intro": (
                "What you say, how you say it and where you stand can help a person "
                "regain control."
            ),
            "body": [
                ("heading", "Start with safety and yourself"),
                (
                    "paragraph",
                    "<p>Before you speak, take a breath and check the space. Keep at "
                    "least two arm's lengths between you and the person. Stand a "
                    "little to the side rather than square in front. Make sure "
                    "neither of you is blocked from a door. Move other clients away "
                    "if you can, because an audience makes it harder for anyone to "
                    "back down. Let a co-worker know what is happening.</p>"
                    "<p>Notice your own body too. A fast heart and a tight voice are "
                    "normal, but the person will mirror them. Slow your breathing and "
                    "lower your voice. What the person says in a crisis is usually "
                    "about their distress, not about you.</p>",
                ),
                ("heading", "Body language"),
                (
                    "paragraph",
                    "<ul>"
                    "<li>Keep your hands open and visible. Do not point, cross your "
                    "arms or put your hands on your hips.</li>"
                    "<li>Make normal eye contact but do not stare.</li>"
                    "<li>Move slowly and say what you are going to do before you do "
                    "it.</li>"
                    "<li>Do not touch a person who is upset unless it is needed for "
                    "safety.</li></ul>",
                ),
                ("heading", "What to say"),
                (
                    "paragraph",
                    "<ol>"
                    "<li><strong>One voice.</strong> One staff member talks. Several "
                    "people giving orders at once feels like an attack.</li>"
                    "<li><strong>Introduce yourself and use their name.</strong> "
                    "'Sam, it's Alex. I'm here to help.'</li>"
                    "<li><strong>Keep it short.</strong> A stressed brain cannot "
                    "follow long explanations. Use short sentences and repeat them if "
                    "needed.</li>"
                    "<li><strong>Listen and name the feeling.</strong> 'You're really "
                    "angry that your visit got cancelled.' Let them talk without "
                    "interrupting.</li>"
                    "<li><strong>Find something to agree with.</strong> 'You're "
                    "right, nobody told you about the change. That's not fair.'</li>"
                    "<li><strong>Offer real choices.</strong> 'Do you want to talk "
                    "here or out on the porch?' Choices give back a sense of "
                    "control.</li>"
                    "<li><strong>Set limits calmly.</strong> State the limit and the "
                    "reason, then the options. 'I can't let you throw things, because "
                    "someone could get hurt. You can sit in the quiet room or walk "
                    "with me.'</li></ol>",
                ),
                ("heading", "What to avoid"),
                (
                    "paragraph",
                    "<p>Avoid saying 'calm down', which rarely works. Do not argue, "
                    "use sarcasm, threaten, or give an ultimatum you cannot or should "
                    "not carry out. Do not make promises you cannot keep. Do not turn "
                    "it into a contest about who wins. If a rule can wait until the "
                    "person is calm, let it wait. If it is not working, it is fine to "
                    "let a colleague take over.</p>",
                ),
                (
                    "key_point",
                    "Listen more than you talk. Short sentences, a calm voice, real "
                    "choices and clear limits help a person regain control without "
                    "force.",
                ),
                (
                    "vignette",
                    {
                        "scenario": (
                            "At the outpatient clinic, Mr. Alvarez arrives to find his "
                            "counselling appointment was moved and nobody called him. "
                            "He raises his voice at the front desk, says he took time "
                            "off work for nothing and slaps the counter. Other clients "
                            "in the waiting room go quiet and watch."
                        ),
                        "question": (
                            "Where would you talk with him, what would you say first, "
                            "and what can you honestly agree with?"
                        ),
                    },
                ),
                (
                    "check",
                    {
                        "question": (
                            "Which response is most likely to de-escalate an angry "
                            "client?"
                        ),
                        "choices": [
                            "'Calm down right now or you'll lose your phone time.'",
                            "'Let me explain all of the program rules again so you "
                            "understand them.'",
                            "'You sound really frustrated. Do you want to talk here "
                            "or in the office?'",
                        ],
                        "answer": 2,
                        "explanation": (
                            "Naming the feeling and offering a real choice shows you "
                            "are listening and gives back some control. Threats and "
                            "long explanations tend to raise tension."
                        ),
                    },
                ),
            ],
        },
        {
            "title": "Least-restrictive intervention, restraint and seclusion",
            "intro": (
                "Restraint and seclusion are emergency safety measures of last resort, "
                "never treatment or punishment."
            ),
            "body": [
                ("heading", "The least-restrictive principle"),
                (
                    "paragraph",
                    "<p>Always use the least restrictive response that keeps everyone "
                    "safe. Think of it as a ladder you climb only as far as you "
                    "must:</p><ol>"
                    "<li>Prevention: predictable routines, respectful relationships, "
                    "knowing triggers.</li>"
                    "<li>Verbal de-escalation, listening and choices.</li>"
                    "<li>Changing the environment: lowering noise, moving peers away, "
                    "offering a quiet space the person chooses to use.</li>"
                    "<li>Calling for more help, a nurse, or a clinician. A prescriber "
                    "may offer medication the person agrees to take.</li>"
                    "<li>Physical intervention, only when there is imminent danger of "
                    "serious harm and the steps above have failed or are clearly not "
                    "enough.</li></ol>",
                ),
                ("heading", "What counts as restraint and seclusion"),
                (
                    "paragraph",
                    "<p><strong>Physical restraint</strong> is any hands-on method or "
                    "device that stops a person moving their arms, legs, body or head "
                    "freely. Holding the arm of someone who cannot easily pull away "
                    "is a restraint, even if you call it an escort. A medication used "
                    "to control behaviour or movement, rather than as standard "
                    "treatment, is a <strong>chemical restraint</strong>. "
                    "<strong>Seclusion</strong> is keeping a person alone in a room "
                    "or area they are prevented from leaving.</p>"
                    "<p>Under federal Medicare and Medicaid (CMS) rules, restraint "
                    "and seclusion may be used only to keep the person or others "
                    "physically safe right now. They must end as soon as the danger "
                    "is over. They may never be used as punishment, to force "
                    "compliance, for staff convenience or in retaliation. CMS rules "
                    "apply to hospitals, to psychiatric residential treatment "
                    "facilities for people under 21 and to some other settings. State "
                    "licensing rules and accreditors add their own limits. Some "
                    "programs and states ban seclusion or certain holds entirely. "
                    "Your program's policy tells you exactly what applies.</p>",
                ),
                ("heading", "If physical intervention happens"),
                (
                    "paragraph",
                    "<ul>"
                    "<li>Only staff with current certification may take part, using "
                    "only the holds their agency approves. Agencies certify staff "
                    "through programs such as CPI, Pro-ACT or Safety-Care. This "
                    "course does not replace that training.</li>"
                    "<li>Never put weight on a person's back, chest, neck or belly, "
                    "and never cover their face. Holds that restrict breathing can "
                    "kill.</li>"
                    "<li>One staff member watches the person's breathing, colour and "
                    "responses the whole time. If the person says they cannot "
                    "breathe, vomits or goes limp, release and call for medical help "
                    "at once.</li>"
                    "<li>Keep talking calmly and tell the person what they need to do "
                    "for the hold to end. Release as soon as the danger has "
                    "passed.</li>"
                    "<li>Orders, time limits, monitoring and a face-to-face check by "
                    "a qualified practitioner follow strict rules, for example within "
                    "one hour in hospitals and under-21 residential "
                    "facilities.</li></ul>",
                ),
                (
                    "paragraph",
                    "<p>Restraint and seclusion injure clients and staff, and they "
                    "can re-traumatise people with histories of abuse. The national "
                    "six core strategies to reduce seclusion and restraint show that "
                    "strong leadership, use of data, staff training, prevention tools "
                    "such as individual safety plans, peer roles and debriefing can "
                    "make them rare.</p>",
                ),
                (
                    "key_point",
                    "Restraint and seclusion are only for imminent danger of serious "
                    "harm when less restrictive steps have failed. They end the "
                    "moment the danger ends.",
                ),
                (
                    "vignette",
                    {
                        "scenario": (
                            "At bedtime Tyler, 14, refuses to leave the TV room. He "
                            "swears at staff and says he is not going anywhere. He is "
                            "not threatening anyone or hurting himself. A new staff "
                            "member suggests two of you 'just walk him' to his room by "
                            "the arms."
                        ),
                        "question": (
                            "Is there imminent danger here? What less restrictive "
                            "options would you try, and how would you respond to your "
                            "co-worker?"
                        ),
                    },
                ),
                (
                    "check",
                    {
                        "question": "When may a physical restraint be used?",
                        "choices": [
                            "When a client refuses to follow a reasonable staff "
                            "instruction.",
                            "As a consequence after a client assaulted someone "
                            "earlier in the day.",
                            "When a client's behaviour poses an imminent risk of "
                            "serious harm and less restrictive measures have failed.",
                        ],
                        "answer": 2,
                        "explanation": (
                            "Restraint is only for immediate physical safety when less "
                            "restrictive steps have not worked. Refusal alone is not "
                            "danger, and restraint as a consequence is punishment, "
                            "which is never allowed."
                        ),
                    },
                ),
            ],
        },
        {
            "title": "After the crisis: debriefing, documentation and reporting",
            "intro": (
                "What happens after an incident helps prevent the next one and "
                "protects everyone involved."
            ),
            "body": [
                ("heading", "Right after the incident"),
                (
                    "paragraph",
                    "<p>Once the situation is safe, check everyone for injuries, "
                    "including staff and clients who watched. Ask the nurse or "
                    "medical staff to check anyone who was held. Tell your "
                    "supervisor. Notifications to a parent, guardian or case manager "
                    "follow your program's policy and the client's consent. Help the "
                    "unit return to its normal routine. Other clients may be scared "
                    "or upset and need a calm word too.</p>",
                ),
                ("heading", "Debriefing with the client"),
                (
                    "paragraph",
                    "<p>When the person is calm, often later the same day, a staff "
                    "member they trust talks with them in private. This is not a "
                    "lecture or a consequence. Ask what was going on before things "
                    "got hard, what felt bad, what helped, and what staff or the "
                    "client could do differently next time. Share what you noticed "
                    "without blame. Update the crisis or safety plan with what you "
                    "learn. A good debrief also repairs the relationship: the client "
                    "needs to know they are still welcome.</p>",
                ),
                ("heading", "Debriefing with staff"),
                (
                    "paragraph",
                    "<p>Staff involved meet briefly before the end of the shift. The "
                    "aim is learning, not blame. Useful questions: What were the "
                    "early signs? What did we try, and in what order? What worked? "
                    "Was any physical intervention really needed? Is anyone hurt or "
                    "shaken? A fuller review with a supervisor or quality team may "
                    "follow, especially after a restraint, seclusion or injury. "
                    "Incidents are stressful. Talk to your supervisor or the employee "
                    "assistance program if one stays with you.</p>",
                ),
                ("heading", "Documenting"),
                (
                    "paragraph",
                    "<p>Write your note and any incident report before you leave, "
                    "while your memory is fresh. Stick to facts anyone could "
                    "observe:</p><ul>"
                    "<li>date, times and place, and who was present</li>"
                    "<li>what happened just before: the trigger, if known</li>"
                    "<li>what the person said and did, with their words in quotation "
                    "marks</li>"
                    "<li>each step staff took, in order, and how the person "
                    "responded</li>"
                    "<li>start and end times of any restraint or seclusion, and how "
                    "the person was monitored</li>"
                    "<li>injuries, medical checks, and who was notified and "
                    "when</li></ul>"
                    "<p>Avoid labels and guesses such as 'aggressive', 'manipulative' "
                    "or 'attention seeking'. Describe behaviour instead: 'threw a "
                    "chair that hit the wall two feet from a peer'. Never change a "
                    "record after the fact. If you remember something later, add a "
                    "dated late entry.</p>",
                ),
                ("heading", "Reporting"),
                (
                    "paragraph",
                    "<p>Your agency decides which events need an incident report and "
                    "how fast. Many incidents, such as serious injuries, restraints, "
                    "elopements and suicide attempts, must also be reported to state "
                    "licensing or other authorities within strict time limits, so "
                    "tell your supervisor right away. If you suspect abuse or "
                    "neglect, you may be a mandated reporter under state law, and "
                    "telling a supervisor does not replace your own report where the "
                    "law requires one.</p>",
                ),
                (
                    "key_point",
                    "Debrief to learn, not to blame. Document what you saw and heard, "
                    "in order, before the end of your shift.",
                ),
                (
                    "vignette",
                    {
                        "scenario": (
                            "After a loud argument in the dining room, Priya wrote: "
                            "'Client was aggressive and manipulative and had to be "
                            "redirected.' Her co-worker wrote: 'At 5:40 pm D. stood "
                            "up, shouted that he would punch R., and pushed his tray "
                            "off the table. Staff asked him to walk to the porch; he "
                            "did so at 5:43 pm.'"
                        ),
                        "question": (
                            "Which note would help a supervisor, a surveyor or the "
                            "client's team understand what happened, and why?"
                        ),
                    },
                ),
                (
                    "check",
                    {
                        "question": (
                            "What is the main purpose of a staff debrief after an "
                            "incident?"
                        ),
                        "choices": [
                            "To learn what happened and what could prevent the next "
                            "incident.",
                            "To decide which staff member was at fault.",
                            "To agree on one version of events so all the notes match.",
                        ],
                        "answer": 0,
                        "explanation": (
                            "Debriefing is for learning and support. Each person still "
                            "documents what they saw themselves; notes should never be "
                            "aligned to match."
                        ),
                    },
                ),
            ],
        },
    ],
    "quiz": {
        "title": "Crisis prevention: check your understanding",
        "intro": (
            "Answer these questions about preventing and responding to a crisis. You "
            "need 80% to pass."
        ),
        "pass_mark": 80,
        "attempts_allowed": 3,
        "shuffle": True,
        "questions": [
            {
                "kind": "single",
                "prompt": "What does a client's 'baseline' mean?",
                "objective": "O1",
                "choices": [
                    {
                        "text": (
                            "How the person usually looks, sounds and acts when they "
                            "are doing well."
                        ),
                        "correct": True,
                        "feedback": (
                            "Right. Knowing the baseline lets you spot a change early."
                        ),
                    },
                    {
                        "text": "The lowest point a person reaches during a crisis.",
                        "correct": False,
                        "feedback": "No. Baseline is the person's usual, calm state.",
                    },
                    {
                        "text": "The first behaviour written on the admission form.",
                        "correct": False,
                        "feedback": (
                            "No. Baseline is learned from knowing the person over "
                            "time, not one form."
                        ),
                    },
                    {
                        "text": "The rules every client must follow on the unit.",
                        "correct": False,
                        "feedback": (
                            "No. Those are program expectations, not the person's "
                            "baseline."
                        ),
                    },
                ],
            },
            {
                "kind": "multiple",
                "prompt": (
                    "Which of these can be early warning signs of escalation? Select "
                    "all that apply."
                ),
                "objective": "O1",
                "choices": [
                    {
                        "text": "Pacing and clenched fists",
                        "correct": True,
                        "feedback": (
                            "Yes. Restless movement and tense muscles often come "
                            "before a crisis."
                        ),
                    },
                    {
                        "text": (
                            "A usually talkative client suddenly withdrawing to their "
                            "room"
                        ),
                        "correct": True,
                        "feedback": (
                            "Yes. Withdrawal is a change from baseline worth checking "
                            "on."
                        ),
                    },
                    {
                        "text": "A louder, sharper voice and swearing",
                        "correct": True,
                        "feedback": (
                            "Yes. Changes in voice and language are common early signs."
                        ),
                    },
                    {
                        "text": (
                            "Joining a group activity as usual and chatting with peers"
                        ),
                        "correct": False,
                        "feedback": (
                            "No. This is usual behaviour, not a change from baseline."
                        ),
                    },
                ],
            },
            {
                "kind": "single",
                "prompt": (
                    "A client is shouting about a cancelled home visit. Which staff "
                    "response is most likely to help?"
                ),
                "objective": "O2",
                "choices": [
                    {
                        "text": (
                            "Three staff surround the client and each tell them to "
                            "stop shouting."
                        ),
                        "correct": False,
                        "feedback": (
                            "No. Several voices and a crowd feel threatening. One "
                            "person should talk."
                        ),
                    },
                    {
                        "text": (
                            "One staff member says, 'You're really disappointed about "
                            "your visit. Want to talk on the porch?'"
                        ),
                        "correct": True,
                        "feedback": (
                            "Right. One calm voice, naming the feeling and offering a "
                            "choice."
                        ),
                    },
                    {
                        "text": (
                            "A staff member explains the visit policy in detail and "
                            "asks for agreement."
                        ),
                        "correct": False,
                        "feedback": (
                            "No. Long explanations are hard to follow when someone is "
                            "upset."
                        ),
                    },
                    {
                        "text": (
                            "Staff tell the client to calm down or the next visit will "
                            "be cancelled too."
                        ),
                        "correct": False,
                        "feedback": (
                            "No. Threats and 'calm down' usually raise tension."
                        ),
                    },
                ],
            },
            {
                "kind": "multiple",
                "prompt": (
                    "Which of these are good de-escalation practices? Select all that "
                    "apply."
                ),
                "objective": "O2",
                "choices": [
                    {
                        "text": (
                            "Keeping at least two arm's lengths of space and not "
                            "blocking the exit"
                        ),
                        "correct": True,
                        "feedback": (
                            "Yes. Space and a clear exit make both of you safer."
                        ),
                    },
                    {
                        "text": "Moving other clients away so there is no audience",
                        "correct": True,
                        "feedback": (
                            "Yes. An audience makes it harder for anyone to back down."
                        ),
                    },
                    {
                        "text": "Pointing at the person so they know you are serious",
                        "correct": False,
                        "feedback": (
                            "No. Pointing feels aggressive. Keep your hands open and "
                            "visible."
                        ),
                    },
                    {
                        "text": "Offering two acceptable choices",
                        "correct": True,
                        "feedback": (
                            "Yes. Real choices give the person back a sense of control."
                        ),
                    },
                    {
                        "text": (
                            "Insisting the person admits they are wrong before moving "
                            "on"
                        ),
                        "correct": False,
                        "feedback": (
                            "No. That turns it into a power struggle. Focus on safety "
                            "first."
                        ),
                    },
                ],
            },
            {
                "kind": "true_false",
                "prompt": (
                    "If a rule can safely wait until a client is calm, it is usually "
                    "better to address it later than to enforce it in the middle of an "
                    "escalation."
                ),
                "objective": "O2",
                "choices": [
                    {
                        "text": "True",
                        "correct": True,
                        "feedback": (
                            "True. Avoiding a power struggle now keeps everyone safer, "
                            "and the issue can be handled when the person can think "
                            "clearly."
                        ),
                    },
                    {
                        "text": "False",
                        "correct": False,
                        "feedback": (
                            "It is true. Pushing a non-urgent rule during escalation "
                            "often makes things worse."
                        ),
                    },
                ],
            },
            {
                "kind": "single",
                "prompt": "Which situation could justify a physical restraint?",
                "objective": "O3",
                "choices": [
                    {
                        "text": (
                            "A client refuses to go to group and sits on the floor."
                        ),
                        "correct": False,
                        "feedback": (
                            "No. Refusal is not imminent danger. Use verbal skills and "
                            "choices."
                        ),
                    },
                    {
                        "text": (
                            "A client swore at staff this morning and needs a "
                            "consequence."
                        ),
                        "correct": False,
                        "feedback": (
                            "No. Restraint is never a consequence or punishment."
                        ),
                    },
                    {
                        "text": (
                            "A client is repeatedly hitting their head hard against a "
                            "wall and verbal interventions have not worked."
                        ),
                        "correct": True,
                        "feedback": (
                            "Right. This is imminent risk of serious harm after less "
                            "restrictive steps failed."
                        ),
                    },
                    {
                        "text": (
                            "Staff are short-handed and need a client to stay in their "
                            "room."
                        ),
                        "correct": False,
                        "feedback": (
                            "No. Restraint or seclusion for staff convenience is "
                            "prohibited."
                        ),
                    },
                ],
            },
            {
                "kind": "true_false",
                "prompt": (
                    "Holding the arm of a resisting client who cannot easily pull free "
                    "to move them to another room counts as a physical restraint."
                ),
                "objective": "O3",
                "choices": [
                    {
                        "text": "True",
                        "correct": True,
                        "feedback": (
                            "True. If the person cannot easily get free, it restricts "
                            "their movement and is a restraint, whatever it is called."
                        ),
                    },
                    {
                        "text": "False",
                        "correct": False,
                        "feedback": (
                            "It is true. Calling it an escort does not change what it "
                            "is."
                        ),
                    },
                ],
            },
            {
                "kind": "single",
                "prompt": "When should a client debrief happen after an incident?",
                "objective": "O4",
                "choices": [
                    {
                        "text": (
                            "Immediately, while the client is still upset, so details "
                            "are fresh."
                        ),
                        "correct": False,
                        "feedback": (
                            "No. A debrief in the recovery phase can re-escalate the "
                            "person."
                        ),
                    },
                    {
                        "text": (
                            "When the client is calm, in private, with a staff member "
                            "they trust."
                        ),
                        "correct": True,
                        "feedback": (
                            "Right. Calm, private and trusted makes real reflection "
                            "possible."
                        ),
                    },
                    {
                        "text": "Only if the client asks for one.",
                        "correct": False,
                        "feedback": (
                            "No. Staff should offer a debrief after every significant "
                            "incident."
                        ),
                    },
                    {
                        "text": "At the next community meeting, in front of peers.",
                        "correct": False,
                        "feedback": (
                            "No. A public debrief can shame the client. Keep it "
                            "private."
                        ),
                    },
                ],
            },
            {
                "kind": "multiple",
                "prompt": (
                    "Which belong in a good staff debrief? Select all that apply."
                ),
                "objective": "O4",
                "choices": [
                    {
                        "text": (
                            "What early signs were present and when staff noticed them"
                        ),
                        "correct": True,
                        "feedback": (
                            "Yes. This helps the team catch the next crisis earlier."
                        ),
                    },
                    {
                        "text": (
                            "Whether any physical intervention was really necessary"
                        ),
                        "correct": True,
                        "feedback": (
                            "Yes. Honest review of restrictive steps is how their use "
                            "goes down."
                        ),
                    },
                    {
                        "text": "Checking whether any staff member is hurt or shaken",
                        "correct": True,
                        "feedback": "Yes. Staff well-being is part of the debrief.",
                    },
                    {
                        "text": (
                            "Agreeing on a shared wording so everyone's notes match"
                        ),
                        "correct": False,
                        "feedback": (
                            "No. Each person documents what they saw; records are "
                            "never aligned."
                        ),
                    },
                ],
            },
            {
                "kind": "single",
                "prompt": (
                    "Which sentence is the best example of objective documentation?"
                ),
                "objective": "O5",
                "choices": [
                    {
                        "text": "Client was manipulative and trying to get attention.",
                        "correct": False,
                        "feedback": (
                            "No. This is an opinion about motives, not an observation."
                        ),
                    },
                    {
                        "text": "Client became aggressive for no reason.",
                        "correct": False,
                        "feedback": (
                            "No. 'Aggressive' is a label, and 'for no reason' is a "
                            "guess."
                        ),
                    },
                    {
                        "text": (
                            "At 3:15 pm client shouted 'Get away from me' and kicked "
                            "the door twice."
                        ),
                        "correct": True,
                        "feedback": (
                            "Right. It gives the time, the exact words and the "
                            "observable actions."
                        ),
                    },
                    {
                        "text": "Client had a bad day, as usual.",
                        "correct": False,
                        "feedback": "No. This is vague and judgemental.",
                    },
                ],
            },
            {
                "kind": "single",
                "prompt": (
                    "You remember an important detail about an incident the day after "
                    "you wrote your note. What should you do?"
                ),
                "objective": "O5",
                "choices": [
                    {
                        "text": (
                            "Edit the original note so it reads as if the detail was "
                            "always there."
                        ),
                        "correct": False,
                        "feedback": (
                            "No. Changing a record after the fact without a trace is "
                            "never allowed."
                        ),
                    },
                    {
                        "text": "Leave it out, because the note is already signed.",
                        "correct": False,
                        "feedback": "No. Important facts should be recorded.",
                    },
                    {
                        "text": (
                            "Add a clearly dated late entry following agency policy."
                        ),
                        "correct": True,
                        "feedback": (
                            "Right. A late entry adds the fact and shows honestly when "
                            "it was written."
                        ),
                    },
                    {
                        "text": (
                            "Tell a co-worker and ask them to put it in their note."
                        ),
                        "correct": False,
                        "feedback": (
                            "No. Each person documents what they themselves observed."
                        ),
                    },
                ],
            },
        ],
    },
    "sources": [
        "Centers for Medicare & Medicaid Services, Conditions of Participation for "
        "Hospitals: Patient's rights, 42 CFR 482.13 (restraint and seclusion)",
        "Centers for Medicare & Medicaid Services, Condition of Participation for the "
        "use of restraint or seclusion in psychiatric residential treatment "
        "facilities providing inpatient psychiatric services for individuals under "
        "age 21, 42 CFR Part 483, Subpart G",
        "SAMHSA, Roadmap to Seclusion and Restraint Free Mental Health Services, DHHS "
        "Publication No. (SMA) 05-4055",
        "National Association of State Mental Health Program Directors (NASMHPD), Six "
        "Core Strategies to Reduce the Use of Seclusion and Restraint",
        "The Joint Commission, accreditation standards on the use of restraint and "
        "seclusion",
        "Richmond JS et al., Verbal De-escalation of the Agitated Patient: Consensus "
        "Statement of the American Association for Emergency Psychiatry Project BETA "
        "De-escalation Workgroup, Western Journal of Emergency Medicine 13(1) (2012)",
        "SAMHSA, Trauma-Informed Care in Behavioral Health Services, Treatment "
        "Improvement Protocol (TIP) 57, HHS Publication No. (SMA) 13-4801 (2014)",
    ],
    "attestation": None,
}
