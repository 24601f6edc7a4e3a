"""Starter course: HIPAA and 42 CFR Part 2 confidentiality for behavioral health."""

COURSE: dict = {
    "slug": "hipaa-part2",
    "title": "HIPAA and 42 CFR Part 2 for behavioral-health staff",
    "summary": (
        "How to protect clients' health information under HIPAA, the extra protection "
        "42 CFR Part 2 gives substance use disorder records, and what to do if "
        "information goes where it should not."
    ),
    "estimated_minutes": 60,
    "ce_hours": None,
    "retrain_months": 12,
    "tags": ["privacy", "hipaa", "42-cfr-part-2", "compliance", "orientation"],
    "objectives": [
        {
            "key": "O1",
            "text": (
                "Identify protected health information (PHI) and apply the minimum "
                "necessary standard."
            ),
        },
        {
            "key": "O2",
            "text": (
                "Use workforce security safeguards for passwords, screens, devices, "
                "email and texting."
            ),
        },
        {
            "key": "O3",
            "text": (
                "Explain what 42 CFR Part 2 adds for SUD records, including consent "
                "and the re-disclosure notice."
            ),
        },
        {
            "key": "O4",
            "text": "Describe the main changes made by the 2024 Part 2 final rule.",
        },
        {
            "key": "O5",
            "text": (
                "Recognise disclosures allowed without consent and when to ask the "
                "privacy officer."
            ),
        },
        {
            "key": "O6",
            "text": (
                "Recognise a possible breach and report it to the privacy officer "
                "immediately."
            ),
        },
    ],
    "lessons": [
        {
            "title": "HIPAA basics: PHI, the Privacy Rule and minimum necessary",
            "intro": (
                "What counts as protected health information and how much of it you "
                "may use."
            ),
            "body": [
                ("heading", "Who HIPAA covers"),
                (
                    "paragraph",
                    "<p>HIPAA is a federal law. Its Privacy Rule and Security Rule "
                    "apply to <strong>covered entities</strong>, which are health "
                    "plans, health care clearinghouses and health care providers that "
                    "bill electronically, and to their <strong>business "
                    "associates</strong>, such as a billing company or an electronic "
                    "health record vendor. Your agency is a covered entity. As a "
                    "member of its workforce, including as a volunteer, intern or "
                    "temporary staff member, you must follow its privacy policies.</p>",
                ),
                ("heading", "What PHI is"),
                (
                    "paragraph",
                    "<p><strong>Protected health information (PHI)</strong> is "
                    "information about a person's physical or mental health, the care "
                    "they receive, or payment for that care, that identifies them or "
                    "could be used to identify them. It is PHI whether it is on "
                    "paper, on a screen or spoken aloud. Examples on a unit or in a "
                    "clinic:</p><ul>"
                    "<li>a census board or whiteboard with names and room numbers</li>"
                    "<li>a front-desk sign-in sheet or appointment list</li>"
                    "<li>a progress note, a medication administration record or a "
                    "urine drug screen result</li>"
                    "<li>a photo of a client, or a phone number or date of birth "
                    "linked to care</li>"
                    "<li>the simple fact that a person is a client of a "
                    "behavioral-health program</li></ul>"
                    "<p>Information with all identifiers properly removed is not PHI. "
                    "Your own employee file held by HR is not PHI either.</p>",
                ),
                ("heading", "The Privacy Rule in short"),
                (
                    "paragraph",
                    "<p>The agency may use and share PHI for <strong>treatment, "
                    "payment and health care operations</strong> (TPO), such as care "
                    "planning, billing and quality review. Most other uses need the "
                    "client's written authorization, unless a specific exception "
                    "applies, such as reporting required by law. Clients have rights "
                    "too: to a notice of privacy practices, to see and get a copy of "
                    "their records, to ask for corrections, and to get a list of "
                    "certain disclosures. Psychotherapy notes kept separately by a "
                    "therapist have extra protection.</p>",
                ),
                ("heading", "Minimum necessary"),
                (
                    "paragraph",
                    "<p>Use, share or ask for only the PHI needed for the task. A "
                    "technician checking who is due for a group needs the schedule, "
                    "not the full psychiatric evaluation. This rule does not block a "
                    "provider from sharing what another provider needs to treat the "
                    "client. It does mean you never open a record out of curiosity: a "
                    "neighbour, a relative, a co-worker or someone in the news. "
                    "Record systems log every look, and snooping is a violation even "
                    "if you tell no one.</p>"
                    "<p>Some sharing happens by accident despite care, like a visitor "
                    "overhearing a name. HIPAA allows for this only if you took "
                    "reasonable precautions: speak quietly, talk about clients in "
                    "private spaces, and turn papers face down.</p>",
                ),
                (
                    "key_point",
                    "If it identifies a client and relates to their health or care, "
                    "it is PHI. Look at and share only what your task needs.",
                ),
                (
                    "vignette",
                    {
                        "scenario": (
                            "On her third day, Tasha sees her cousin's name on the "
                            "outpatient appointment list. She is worried about him and "
                            "thinks about opening his chart to see how he is doing. "
                            "Later, her aunt calls her and asks whether he has been "
                            "coming to the clinic."
                        ),
                        "question": (
                            "What should Tasha do about the chart, and what should she "
                            "say to her aunt?"
                        ),
                    },
                ),
                (
                    "check",
                    {
                        "question": (
                            "You are driving a resident to a dental appointment. What "
                            "client information do you need?"
                        ),
                        "choices": [
                            "The resident's full psychiatric history, in case "
                            "something happens",
                            "The resident's name, the appointment time and address, "
                            "and any safety needs the team tells you about",
                            "None at all, because transport staff may never see PHI",
                        ],
                        "answer": 1,
                        "explanation": (
                            "Minimum necessary means the information the task needs, "
                            "not everything and not nothing. The full history is more "
                            "than the trip requires."
                        ),
                    },
                ),
            ],
        },
        {
            "title": "Security basics for every staff member",
            "intro": (
                "Most privacy incidents start with everyday habits: passwords, "
                "screens, phones and messages."
            ),
            "body": [
                ("heading", "What the Security Rule asks"),
                (
                    "paragraph",
                    "<p>The HIPAA Security Rule protects PHI in electronic form. The "
                    "agency must keep it confidential, accurate and available when "
                    "needed, using administrative, physical and technical safeguards. "
                    "The agency provides the systems. You are the safeguard that uses "
                    "them properly every shift.</p>",
                ),
                ("heading", "Passwords and logins"),
                (
                    "paragraph",
                    "<ul>"
                    "<li>Use only your own login. Never share your password or let "
                    "someone chart under your name, even a co-worker whose account is "
                    "locked.</li>"
                    "<li>Use a long passphrase and the multi-factor sign-in your "
                    "agency sets up.</li>"
                    "<li>Do not write passwords on sticky notes or save them in a "
                    "shared browser.</li></ul>"
                    "<p>Everything done under your login is recorded as you.</p>",
                ),
                ("heading", "Screens and paper"),
                (
                    "paragraph",
                    "<ul>"
                    "<li>Lock the screen every time you step away, even for a minute. "
                    "On most Windows computers, press the Windows key and L.</li>"
                    "<li>Turn screens away from clients and visitors, and log out of "
                    "shared nursing station computers.</li>"
                    "<li>Pick up printouts right away, keep charts and logs in locked "
                    "areas, and put paper PHI in the shred bin, never the trash.</li>"
                    "<li>Never take records home unless your role and policy allow "
                    "it.</li></ul>",
                ),
                ("heading", "Phones, laptops and other devices"),
                (
                    "paragraph",
                    "<ul>"
                    "<li>Use only agency-approved devices for PHI. Agency devices are "
                    "encrypted, which protects the information if one is lost.</li>"
                    "<li>Do not store PHI on USB sticks or personal phones, and do "
                    "not photograph clients, whiteboards or records with a personal "
                    "phone.</li>"
                    "<li>Report a lost or stolen work device to your supervisor and "
                    "IT the same day.</li></ul>",
                ),
                ("heading", "Email, texting and social media"),
                (
                    "paragraph",
                    "<ul>"
                    "<li>Use agency email for work, follow the policy for sending PHI "
                    "outside the agency, such as encryption, and check the address "
                    "before you press send. Keep PHI out of subject lines.</li>"
                    "<li>Text about clients only in the secure messaging app your "
                    "agency approves, never by regular text from a personal "
                    "phone.</li>"
                    "<li>Never post about clients or your shift on social media, even "
                    "without names. Small details such as a date, a place or an event "
                    "can identify someone.</li>"
                    "<li>Treat unexpected emails asking you to log in or open an "
                    "attachment as possible phishing. Do not click; report them to "
                    "IT.</li></ul>",
                ),
                (
                    "key_point",
                    "Your login is your signature. Lock your screen, use approved "
                    "devices and apps, and never put client information on a personal "
                    "phone or social media.",
                ),
                (
                    "vignette",
                    {
                        "scenario": (
                            "At shift change, Marcus is running late. To save time, "
                            "his co-worker Erin takes a photo of the census whiteboard "
                            "with her own phone and texts it to him so he knows who is "
                            "on the unit and who is on close observation."
                        ),
                        "question": (
                            "What risks does this create, and how could the handoff "
                            "have been done safely?"
                        ),
                    },
                ),
                (
                    "check",
                    {
                        "question": (
                            "A float staff member's login is not working yet and she "
                            "asks to use yours to chart her shift notes. What should "
                            "you do?"
                        ),
                        "choices": [
                            "Log her in under your account, since she is agency staff.",
                            "Give her your password but ask her to change nothing "
                            "else.",
                            "Decline, and help her contact IT or the supervisor for "
                            "access.",
                        ],
                        "answer": 2,
                        "explanation": (
                            "Logins are personal. Anything she entered would be "
                            "recorded as you, and sharing access breaks security "
                            "policy. IT or the supervisor can arrange proper access or "
                            "a downtime process."
                        ),
                    },
                ),
            ],
        },
        {
            "title": "42 CFR Part 2: extra protection for SUD records",
            "intro": (
                "Substance use disorder records carry stricter federal confidentiality "
                "rules than other health records."
            ),
            "body": [
                ("heading", "Why Part 2 exists"),
                (
                    "paragraph",
                    "<p>People may avoid treatment for alcohol or drug use if they "
                    "fear that their records will reach an employer, a landlord, the "
                    "police or a court. The federal regulation 42 CFR Part 2 gives "
                    "these records stronger protection than HIPAA alone. It applies "
                    "to federally assisted programs that offer substance use disorder "
                    "(SUD) diagnosis, treatment or referral, and to anyone who "
                    "lawfully receives their records. It protects any information "
                    "that would identify a person as having, or having had, an "
                    "SUD.</p>",
                ),
                ("heading", "What it adds"),
                (
                    "paragraph",
                    "<ul>"
                    "<li><strong>Even confirming a person is a client is a "
                    "disclosure.</strong> If someone calls asking whether a person is "
                    "in your program, do not confirm or deny it without the client's "
                    "written consent. Use your program's script.</li>"
                    "<li><strong>Written consent is the general rule.</strong> Most "
                    "disclosures need a signed consent that meets Part 2 "
                    "requirements.</li>"
                    "<li><strong>A notice goes with every disclosure made with "
                    "consent.</strong> It tells the recipient that federal law "
                    "prohibits unauthorized use or disclosure of the records. This is "
                    "the re-disclosure notice.</li></ul>",
                ),
                ("heading", "What a Part 2 consent contains"),
                (
                    "paragraph",
                    "<p>A valid consent form includes, among other things:</p><ul>"
                    "<li>the client's name, and who is allowed to make the "
                    "disclosure</li>"
                    "<li>how much and what kind of information may be shared, clearly "
                    "including any SUD information</li>"
                    "<li>the name of the recipient, or for treatment, payment and "
                    "health care operations a general description such as 'my "
                    "treating providers'</li>"
                    "<li>the purpose of the disclosure</li>"
                    "<li>the client's right to revoke the consent and how to do "
                    "it</li>"
                    "<li>an expiration date or event, which for a TPO consent may "
                    "simply be 'none'</li>"
                    "<li>the client's signature and the date</li></ul>"
                    "<p>Staff who release records are trained to check consents. If "
                    "you are asked to send records, route the request to medical "
                    "records or the privacy officer.</p>",
                ),
                ("heading", "The 2024 final rule"),
                (
                    "paragraph",
                    "<p>In February 2024, HHS issued a final rule that brings Part 2 "
                    "closer to HIPAA. The compliance date is February 16, 2026. The "
                    "main changes:</p><ul>"
                    "<li><strong>One consent for TPO.</strong> A client can sign a "
                    "single consent for all future uses and disclosures for "
                    "treatment, payment and health care operations, until they revoke "
                    "it. Covered entities and business associates that receive "
                    "records this way may generally re-disclose them as HIPAA "
                    "allows.</li>"
                    "<li><strong>Stronger protection in legal proceedings.</strong> "
                    "Records, and testimony about them, may not be used against the "
                    "client in civil, criminal, administrative or legislative "
                    "proceedings without the client's specific consent or a court "
                    "order that meets Part 2 requirements. A subpoena alone is not "
                    "enough.</li>"
                    "<li><strong>Breach notification.</strong> HIPAA's breach "
                    "notification requirements now apply to Part 2 records.</li>"
                    "<li><strong>Enforcement like HIPAA.</strong> HIPAA's civil and "
                    "criminal penalties now apply, and clients can complain directly "
                    "to HHS.</li>"
                    "<li><strong>SUD counseling notes</strong> that a clinician keeps "
                    "separately need their own consent.</li></ul>",
                ),
                (
                    "key_point",
                    "Under Part 2, never confirm that someone is a client without "
                    "consent. The 2024 rule allows one consent for TPO but still bars "
                    "use against the client in court without consent or a court order.",
                ),
                (
                    "vignette",
                    {
                        "scenario": (
                            "A man phones the outpatient SUD clinic and says he is "
                            "Jamal's probation officer. He asks whether Jamal has been "
                            "attending group this month and what his last drug screen "
                            "showed. The front-desk worker, Rosa, is not sure whether "
                            "Jamal has signed a consent."
                        ),
                        "question": (
                            "What should Rosa say on the call, and who should check "
                            "whether a valid consent exists?"
                        ),
                    },
                ),
                (
                    "check",
                    {
                        "question": (
                            "A caller asks, 'Is my son Ben a patient at your treatment "
                            "program?' You see no consent on file. What do you say?"
                        ),
                        "choices": [
                            "'Yes, but I can't tell you anything else.'",
                            "'I can't confirm or deny whether anyone is a client "
                            "here.'",
                            "'No, he isn't here.'",
                        ],
                        "answer": 1,
                        "explanation": (
                            "Under Part 2, confirming that someone is a client is "
                            "itself a disclosure, and a false 'no' is dishonest. The "
                            "neutral answer protects the client. Follow your program's "
                            "script for offering to pass on a message."
                        ),
                    },
                ),
            ],
        },
        {
            "title": "Disclosures without consent, and breaches",
            "intro": (
                "Part 2 allows a few disclosures without consent, and every suspected "
                "breach must be reported at once."
            ),
            "body": [
                ("heading", "Disclosures Part 2 allows without consent"),
                (
                    "paragraph",
                    "<p>Part 2 permits some disclosures without the client's consent, "
                    "each with conditions:</p><ul>"
                    "<li><strong>Medical emergencies:</strong> to medical personnel, "
                    "as much as needed to treat a real emergency when consent cannot "
                    "be obtained first. The program records who received the "
                    "information, when and why.</li>"
                    "<li><strong>Research:</strong> only under strict conditions set "
                    "by the rule and approved by the program.</li>"
                    "<li><strong>Audits and evaluations:</strong> for example by "
                    "government agencies, payers or accreditors, who must protect the "
                    "records.</li>"
                    "<li><strong>Child abuse and neglect reports</strong> required by "
                    "state law. The initial report is allowed, but using the records "
                    "in a later court case needs a court order.</li>"
                    "<li><strong>Other limited cases</strong>, such as communication "
                    "within the program on a need-to-know basis, a qualified service "
                    "organization under a written agreement, crimes on program "
                    "premises or against program staff, and court orders that meet "
                    "Part 2 requirements.</li></ul>"
                    "<p>HIPAA has its own list of exceptions, and state law may add "
                    "stricter rules. When you are not sure, do not disclose. Ask your "
                    "supervisor or the privacy officer first, unless it is a medical "
                    "emergency.</p>",
                ),
                ("heading", "What a breach is"),
                (
                    "paragraph",
                    "<p>A breach is any access, use or disclosure of PHI or Part 2 "
                    "information that the rules do not allow and that puts its "
                    "privacy or security at risk. Examples:</p><ul>"
                    "<li>an email, fax or letter sent to the wrong person</li>"
                    "<li>a lost or stolen phone, laptop or bag of paperwork</li>"
                    "<li>a staff member looking at records out of curiosity</li>"
                    "<li>talking about a client with friends or family</li>"
                    "<li>a hacked account after someone clicked a phishing "
                    "link</li></ul>",
                ),
                ("heading", "What to do"),
                (
                    "paragraph",
                    "<ol>"
                    "<li><strong>Report it to the privacy officer "
                    "immediately</strong>, and tell your supervisor, even if you are "
                    "not sure it counts. Report incidents you caused and ones you "
                    "notice.</li>"
                    "<li>Do not try to fix it quietly, delete messages or wait to see "
                    "whether anyone notices.</li>"
                    "<li>Follow the privacy officer's instructions, for example "
                    "contacting the wrong recipient or keeping evidence.</li></ol>"
                    "<p>The privacy officer assesses the risk and decides on "
                    "notifications. If notice is required, affected clients must be "
                    "told without unreasonable delay and within 60 days of discovery, "
                    "and HHS must be told too. The law generally treats the agency as "
                    "knowing about a breach from the day a staff member knows, so "
                    "delay eats into that time. Your agency may not retaliate against "
                    "you for reporting in good faith. Staff who break privacy rules "
                    "face discipline, and serious violations can bring civil or "
                    "criminal penalties.</p>",
                ),
                (
                    "key_point",
                    "When in doubt, report it. Tell the privacy officer about any "
                    "suspected breach right away, even if you caused it.",
                ),
                (
                    "vignette",
                    {
                        "scenario": (
                            "Before leaving for the day, Kevin faxes a discharge "
                            "summary to a client's new outpatient provider. The next "
                            "morning the provider's office calls: they never got it. "
                            "Kevin checks the fax log and sees he mistyped one digit "
                            "of the number."
                        ),
                        "question": (
                            "What should Kevin do first, and why does it matter that "
                            "he acts today?"
                        ),
                    },
                ),
                (
                    "check",
                    {
                        "question": (
                            "A client collapses in group and is not breathing "
                            "normally. Paramedics ask what drugs she has been using "
                            "and what medications she takes. What may staff do?"
                        ),
                        "choices": [
                            "Share nothing until the client can sign a consent.",
                            "Share what the paramedics need to treat the emergency, "
                            "and make sure it is documented.",
                            "Give the paramedics a copy of her whole chart.",
                        ],
                        "answer": 1,
                        "explanation": (
                            "Part 2 allows disclosure to medical personnel in a real "
                            "medical emergency, limited to what is needed, and the "
                            "disclosure must be recorded. The whole chart is more than "
                            "necessary."
                        ),
                    },
                ),
            ],
        },
    ],
    "quiz": {
        "title": "HIPAA and 42 CFR Part 2: check your understanding",
        "intro": (
            "Answer these questions about protecting client information. You need 80% "
            "to pass."
        ),
        "pass_mark": 80,
        "attempts_allowed": 3,
        "shuffle": True,
        "questions": [
            {
                "kind": "single",
                "prompt": "Which of these is protected health information (PHI)?",
                "objective": "O1",
                "choices": [
                    {
                        "text": (
                            "A clinic sign-in sheet with clients' names and "
                            "appointment times"
                        ),
                        "correct": True,
                        "feedback": "Right. It identifies people receiving care.",
                    },
                    {
                        "text": "The staff schedule for next week",
                        "correct": False,
                        "feedback": (
                            "No. This is employment information, not health "
                            "information about clients."
                        ),
                    },
                    {
                        "text": (
                            "A report of last month's total admissions with no "
                            "identifiers"
                        ),
                        "correct": False,
                        "feedback": "No. Information with no identifiers is not PHI.",
                    },
                    {
                        "text": "A blank intake form",
                        "correct": False,
                        "feedback": (
                            "No. A blank form holds no information about anyone."
                        ),
                    },
                ],
            },
            {
                "kind": "true_false",
                "prompt": (
                    "Opening a neighbour's chart out of concern is allowed as long as "
                    "you do not tell anyone what you read."
                ),
                "objective": "O1",
                "choices": [
                    {
                        "text": "True",
                        "correct": False,
                        "feedback": (
                            "It is false. Looking at a record you do not need for your "
                            "job breaks the minimum necessary standard, even if you "
                            "tell no one."
                        ),
                    },
                    {
                        "text": "False",
                        "correct": True,
                        "feedback": (
                            "Correct. Access must be for your work, and record systems "
                            "log every look."
                        ),
                    },
                ],
            },
            {
                "kind": "multiple",
                "prompt": (
                    "Which of these are good security practices? Select all that apply."
                ),
                "objective": "O2",
                "choices": [
                    {
                        "text": "Locking your screen every time you step away",
                        "correct": True,
                        "feedback": (
                            "Yes. An unlocked screen lets anyone see or act under your "
                            "login."
                        ),
                    },
                    {
                        "text": "Reporting a lost work phone the same day",
                        "correct": True,
                        "feedback": (
                            "Yes. Quick reporting lets IT lock or wipe the device."
                        ),
                    },
                    {
                        "text": (
                            "Sharing your login with a trusted co-worker whose account "
                            "is locked"
                        ),
                        "correct": False,
                        "feedback": (
                            "No. Logins are personal; everything done under yours is "
                            "recorded as you."
                        ),
                    },
                    {
                        "text": (
                            "Using only the agency-approved secure app to message "
                            "about clients"
                        ),
                        "correct": True,
                        "feedback": (
                            "Yes. Approved apps protect the information in transit and "
                            "on the device."
                        ),
                    },
                    {
                        "text": (
                            "Keeping a photo of the census board on your phone for "
                            "shift change"
                        ),
                        "correct": False,
                        "feedback": "No. PHI does not belong on a personal phone.",
                    },
                ],
            },
            {
                "kind": "single",
                "prompt": (
                    "A co-worker asks you to text her the names of clients due for a "
                    "drug screen tomorrow. You only have your personal phone. What "
                    "should you do?"
                ),
                "objective": "O2",
                "choices": [
                    {
                        "text": "Text first names only, which is safe enough.",
                        "correct": False,
                        "feedback": (
                            "No. First names with a drug screen still identify clients."
                        ),
                    },
                    {
                        "text": "Text the list and delete it afterwards.",
                        "correct": False,
                        "feedback": (
                            "No. The message is still stored on both phones and "
                            "carrier systems."
                        ),
                    },
                    {
                        "text": (
                            "Send it through the approved secure system or let her "
                            "check the record at work."
                        ),
                        "correct": True,
                        "feedback": (
                            "Right. Client information goes only through approved, "
                            "secure channels."
                        ),
                    },
                    {
                        "text": "Email it to her personal email address instead.",
                        "correct": False,
                        "feedback": (
                            "No. Personal email is not an approved channel for PHI."
                        ),
                    },
                ],
            },
            {
                "kind": "multiple",
                "prompt": (
                    "Which of these must a valid 42 CFR Part 2 consent include? Select "
                    "all that apply."
                ),
                "objective": "O3",
                "choices": [
                    {
                        "text": (
                            "How much and what kind of information may be disclosed"
                        ),
                        "correct": True,
                        "feedback": (
                            "Yes. The consent must describe the information to be "
                            "shared."
                        ),
                    },
                    {
                        "text": "The client's right to revoke the consent",
                        "correct": True,
                        "feedback": (
                            "Yes. The client must be told they can revoke it and how."
                        ),
                    },
                    {
                        "text": "The client's Social Security number",
                        "correct": False,
                        "feedback": (
                            "No. This is not a required element and adds needless risk."
                        ),
                    },
                    {
                        "text": "The client's signature and the date it was signed",
                        "correct": True,
                        "feedback": (
                            "Yes. An unsigned or undated form is not a valid consent."
                        ),
                    },
                    {
                        "text": (
                            "A statement that the client gives up all future privacy "
                            "rights"
                        ),
                        "correct": False,
                        "feedback": "No. A consent cannot waive the client's rights.",
                    },
                ],
            },
            {
                "kind": "single",
                "prompt": (
                    "With the client's written consent, your program sends SUD "
                    "treatment records to another provider. What must go with them?"
                ),
                "objective": "O3",
                "choices": [
                    {
                        "text": (
                            "A written notice that federal law prohibits unauthorized "
                            "use or disclosure of the records"
                        ),
                        "correct": True,
                        "feedback": (
                            "Right. This re-disclosure notice must accompany each "
                            "disclosure made with consent."
                        ),
                    },
                    {
                        "text": "The client's full chart, so the recipient has context",
                        "correct": False,
                        "feedback": (
                            "No. Send only what the consent covers and the purpose "
                            "needs."
                        ),
                    },
                    {
                        "text": "A copy of the sending staff member's ID badge",
                        "correct": False,
                        "feedback": (
                            "No. This is not required and does not protect the records."
                        ),
                    },
                    {
                        "text": (
                            "Nothing, because once consent is signed the records lose "
                            "their protection"
                        ),
                        "correct": False,
                        "feedback": (
                            "No. The records stay protected, and the notice tells the "
                            "recipient so."
                        ),
                    },
                ],
            },
            {
                "kind": "single",
                "prompt": (
                    "Under the 2024 Part 2 final rule, what may a client now sign?"
                ),
                "objective": "O4",
                "choices": [
                    {
                        "text": (
                            "A single consent for all future uses and disclosures for "
                            "treatment, payment and health care operations, until "
                            "revoked"
                        ),
                        "correct": True,
                        "feedback": (
                            "Right. This is the main change that aligns Part 2 with "
                            "HIPAA."
                        ),
                    },
                    {
                        "text": (
                            "A consent allowing any court to use their records against "
                            "them without an order"
                        ),
                        "correct": False,
                        "feedback": (
                            "No. Use against the client in proceedings still needs "
                            "specific consent or a court order that meets Part 2."
                        ),
                    },
                    {
                        "text": "Nothing, because Part 2 consent is no longer needed",
                        "correct": False,
                        "feedback": (
                            "No. Consent is still the general rule under Part 2."
                        ),
                    },
                    {
                        "text": (
                            "Only a separate consent for each single disclosure to "
                            "each named doctor"
                        ),
                        "correct": False,
                        "feedback": (
                            "No. The rule allows one consent to cover future TPO "
                            "disclosures."
                        ),
                    },
                ],
            },
            {
                "kind": "true_false",
                "prompt": (
                    "Since the 2024 Part 2 final rule, HIPAA's breach notification "
                    "requirements also apply to breaches of Part 2 records."
                ),
                "objective": "O4",
                "choices": [
                    {
                        "text": "True",
                        "correct": True,
                        "feedback": (
                            "True. Breaches of Part 2 records are handled like HIPAA "
                            "breaches, including notifying affected clients."
                        ),
                    },
                    {
                        "text": "False",
                        "correct": False,
                        "feedback": (
                            "It is true. The 2024 rule applied HIPAA breach "
                            "notification to Part 2 records."
                        ),
                    },
                ],
            },
            {
                "kind": "multiple",
                "prompt": (
                    "Which disclosures does 42 CFR Part 2 allow without the client's "
                    "consent? Select all that apply."
                ),
                "objective": "O5",
                "choices": [
                    {
                        "text": (
                            "To medical personnel, as needed, in a real medical "
                            "emergency"
                        ),
                        "correct": True,
                        "feedback": (
                            "Yes. The disclosure is limited to what is needed and is "
                            "documented."
                        ),
                    },
                    {
                        "text": (
                            "An initial report of suspected child abuse required by "
                            "state law"
                        ),
                        "correct": True,
                        "feedback": "Yes. Part 2 allows reports required by state law.",
                    },
                    {
                        "text": (
                            "To an accreditation surveyor auditing records under Part "
                            "2 conditions"
                        ),
                        "correct": True,
                        "feedback": (
                            "Yes. Audits and evaluations are allowed with safeguards."
                        ),
                    },
                    {
                        "text": (
                            "To a client's employer who asks whether he is attending "
                            "treatment"
                        ),
                        "correct": False,
                        "feedback": (
                            "No. An employer needs the client's written consent."
                        ),
                    },
                    {
                        "text": (
                            "To a police officer who phones asking whether a named "
                            "person is in treatment"
                        ),
                        "correct": False,
                        "feedback": (
                            "No. Without consent, police generally need a court order "
                            "that meets Part 2 requirements."
                        ),
                    },
                ],
            },
            {
                "kind": "single",
                "prompt": (
                    "An attorney faxes a subpoena for a client's SUD treatment records "
                    "and asks for them today. There is no court order. What should you "
                    "do?"
                ),
                "objective": "O5",
                "choices": [
                    {
                        "text": "Fax the records, because a subpoena is a legal order.",
                        "correct": False,
                        "feedback": (
                            "No. Under Part 2 a subpoena alone does not allow "
                            "disclosure of SUD records."
                        ),
                    },
                    {
                        "text": "Send a short summary instead of the full record.",
                        "correct": False,
                        "feedback": "No. A summary is still a disclosure.",
                    },
                    {
                        "text": (
                            "Release nothing and give the subpoena to the privacy "
                            "officer or medical records right away."
                        ),
                        "correct": True,
                        "feedback": (
                            "Right. Legal requests go to the privacy officer, who "
                            "knows what Part 2 requires and how to respond in time."
                        ),
                    },
                    {
                        "text": (
                            "Phone the client and release the records if they say they "
                            "do not mind."
                        ),
                        "correct": False,
                        "feedback": (
                            "No. Verbal agreement is not a valid Part 2 consent, and "
                            "the request should be handled by the privacy officer."
                        ),
                    },
                ],
            },
            {
                "kind": "single",
                "prompt": (
                    "You realise you emailed a client's treatment plan to the wrong "
                    "outside address. What should you do first?"
                ),
                "objective": "O6",
                "choices": [
                    {
                        "text": (
                            "Delete it from your sent folder so there is no record."
                        ),
                        "correct": False,
                        "feedback": (
                            "No. Deleting evidence hides the problem and is itself a "
                            "violation of policy."
                        ),
                    },
                    {
                        "text": "Ask the recipient to delete it and tell no one.",
                        "correct": False,
                        "feedback": (
                            "No. The privacy officer must know so the risk can be "
                            "assessed."
                        ),
                    },
                    {
                        "text": (
                            "Report it to the privacy officer immediately and follow "
                            "their instructions."
                        ),
                        "correct": True,
                        "feedback": (
                            "Right. Immediate reporting lets the agency limit harm and "
                            "meet its deadlines."
                        ),
                    },
                    {
                        "text": "Wait to see whether the recipient replies.",
                        "correct": False,
                        "feedback": (
                            "No. Delay wastes time the agency needs to respond."
                        ),
                    },
                ],
            },
            {
                "kind": "true_false",
                "prompt": (
                    "You should wait until you are sure a breach has happened before "
                    "telling the privacy officer."
                ),
                "objective": "O6",
                "choices": [
                    {
                        "text": "True",
                        "correct": False,
                        "feedback": (
                            "It is false. Report suspected breaches right away. The "
                            "privacy officer decides whether it is a breach."
                        ),
                    },
                    {
                        "text": "False",
                        "correct": True,
                        "feedback": (
                            "Correct. Deciding is the privacy officer's job; yours is "
                            "to report promptly."
                        ),
                    },
                ],
            },
        ],
    },
    "sources": [
        "HHS Office for Civil Rights, Summary of the HIPAA Privacy Rule",
        "HHS Office for Civil Rights, Summary of the HIPAA Security Rule",
        "45 CFR Parts 160 and 164 (HIPAA Privacy, Security, Breach Notification and "
        "Enforcement Rules)",
        "42 CFR Part 2, Confidentiality of Substance Use Disorder Patient Records",
        "HHS, Confidentiality of Substance Use Disorder (SUD) Patient Records, Final "
        "Rule, 89 Fed. Reg. 12472 (February 16, 2024)",
        "HHS, Fact Sheet: 42 CFR Part 2 Final Rule (February 2024)",
        "SAMHSA, Substance Abuse Confidentiality Regulations: Frequently Asked "
        "Questions",
    ],
    "attestation": {
        "title": "HIPAA and 42 CFR Part 2 confidentiality attestation",
        "policy_version": "2026.1",
        "body": (
            "<p>Clients trust this agency with some of the most private facts of their "
            "lives. Protecting that information is part of every job here.</p>"
            "<p>As a member of the workforce, I will:</p><ul>"
            "<li>access, use and share client information only as my job requires, and "
            "only the minimum necessary;</li>"
            "<li>treat information that identifies a person as receiving substance use "
            "disorder services as protected by 42 CFR Part 2, and never confirm that "
            "anyone is a client without valid consent or a permitted exception;</li>"
            "<li>send requests for records to medical records or the privacy officer "
            "rather than releasing records myself, unless my role allows it;</li>"
            "<li>use only my own login, keep my password private and lock my screen "
            "whenever I step away;</li>"
            "<li>use only agency-approved devices, email and messaging for client "
            "information, and never place it on personal devices, personal accounts or "
            "social media;</li>"
            "<li>discuss clients only with people who need to know, in private "
            "places;</li>"
            "<li>report any suspected breach or privacy concern to the privacy officer "
            "immediately, including mistakes I make myself.</li></ul>"
            "<p>I understand that the agency monitors access to records, that these "
            "duties continue after my employment ends, and that violations may lead to "
            "discipline up to and including termination, as well as civil or criminal "
            "penalties under federal and state law. I understand that I will not face "
            "retaliation for reporting a concern in good faith.</p>"
        ),
        "statement": (
            "I have read and understand the confidentiality policy above and agree to "
            "follow it."
        ),
    },
}
