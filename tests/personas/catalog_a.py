"""Personas 1-8: the night-shift nurse, the German parent, the gamer, the union member, the tiny export, the
Spanish parent, the French diabetic without children, the childfree teacher."""

from __future__ import annotations

import datetime as dt

from tests.personas.model import NOT_ASSESSED as NA
from tests.personas.model import Chat, Persona, Place, Stay, Watching

NO_LOCATION = {"home_work": NA, "sensitive_places": NA}

NURSE = Persona(
    name="night_nurse", language="en", me="Grace Holloway", tz="Europe/London",
    description="A ward nurse at St James's University Hospital, Leeds, on nights (21:30-07:30) four nights a week; "
                "sleeps by day in Roundhay; no children.",
    truth={"parent": False, "health": False, "religion": False, "trade_union": False, "political_expression": False,
           "financial_stress": False, "screen_time": False, "home_work": True, "sensitive_places": False,
           "sexual_orientation": False},
    traps=("works nights: the place she spends nights at is work, not home",
           "works at a hospital: clinical talk and hospital stays are her job, not her health",
           "messages at 3 a.m. are breaks on a night shift, not idleness",
           "the children's ward is her work, not her children"),
    hours={14: 2, 15: 2, 16: 2.5, 17: 2, 18: 2, 19: 1.5, 20: 1, 2: 1.2, 3: 1.2, 4: 0.6, 8: 0.5},
    places=(Place("14 Oakwood Grove", 53.82650, -1.50810, "home"),
            Place("St James's University Hospital", 53.80660, -1.52030, "work"),
            Place("Tesco Extra Seacroft", 53.82120, -1.46460, "shop"),
            Place("Roundhay Park", 53.83790, -1.49540, "park")),
    routine=(Stay("work", (0, 1, 2, 3), "21:30", "07:30"), Stay("work", (5,), "21:30", "07:30", every=2),
             Stay("shop", (4,), "16:00", "16:45"), Stay("park", (6,), "15:00", "16:30")),
    chats=(
        Chat("Hannah Price", share=0.55, signals=(
            "Handover ran over again, bay 4 was chaos", "On nights again this week, Monday to Thursday 😴",
            "Three admissions in an hour, finally on my break", "Just finished my shift, sleeping till 2",
            "Don't ring before 3 please, I'm on nights", "Ward's short-staffed so I've picked up an extra night",
            "Patient in bed 12 kept pulling his cannula out all night", "Doing the drug round then tea and toast",
            "Blackout blinds are honestly the best thing I ever bought", "Night shift at Jimmy's again tonight",
            "Covering the children's ward tonight, the little ones were so brave", "Handover at half 7 then bed",
            "Break at 3am, canteen's shut so it's a vending machine dinner", "Quiet night for once, touch wood",
            "The new F1 doctors are lovely but so nervous", "Matron wants us all on the sepsis training",
            "Swapped my Saturday night with Priya, so I'm free Sunday", "Had a lovely family thank the whole team today",
            "Woke up at 4pm and felt like a new person", "My body clock has no idea what day it is",
        ), flavour=("Just woke up ☕", "Sleep well? I didn't lol", "Coffee number three", "Off tonight finally!")),
        Chat("Mum", share=0.25, signals=(
            "I'm working tonight mum, ring me tomorrow afternoon", "Shift went fine, just home now",
            "Can't do Sunday lunch, I'm on that night", "Off Friday, shall I come over?",
        )),
        Chat("Ward 7 Nights", share=0.2, members=("Priya Nair", "Tom Ellis", "Hannah Price"), signals=(
            "Anyone want to swap Tuesday night for Thursday?", "Running 10 mins late for handover, sorry!",
            "Bay 2 obs are done", "Bringing doughnuts tonight 🍩",
        ), other_signals=("Handover at 21:30 sharp please", "Who's on tonight?", "Bed manager says two more coming up")),
    ),
)

DE_PARENT = Persona(
    name="de_parent", language="de", me="Julia Brandt", tz="Europe/Berlin",
    description="A mother in Berlin-Pankow with a daughter at the Kita and a baby son; office job; a colleague "
                "testifies in court; train strikes in the news.",
    truth={"parent": True, "health": False, "religion": False, "trade_union": False, "political_expression": False,
           "financial_stress": False, "screen_time": False, **NO_LOCATION, "sexual_orientation": False},
    traps=("'Eid' is an oath (unter Eid aussagen), not the Muslim festival",
           "a train strike mentioned in passing is not union membership",
           "the paediatrician is the child's doctor, not the owner's health"),
    hours={6: 1, 7: 1.5, 12: 1.5, 13: 1, 17: 1, 19: 1.5, 20: 2.5, 21: 2.5, 22: 1},
    chats=(
        Chat("Markus", share=0.6, signals=(
            "Meine Tochter hat heute zum ersten Mal allein geschaukelt 🥹", "Kannst du Windeln mitbringen? Größe 3",
            "Die Kita ruft an, Lena hat Fieber, kannst du sie abholen?", "Elternabend ist am Donnerstag um 19 Uhr",
            "Wir haben morgen um 9 den Termin beim Kinderarzt für die U6", "Die Windeln sind schon wieder alle 🙈",
            "Lena will nur noch Nudeln essen", "Kita-Eingewöhnung bei Paul fängt im November an",
            "Die Kinder schlafen endlich", "Paul zahnt, die Nacht war kurz", "Mit den Kindern in den Zoo am Samstag?",
            "Ich hab im dm die Feuchttücher und Windeln im Angebot gesehen", "Der Kinderarzt sagt, Paul wächst super",
            "Die Erzieherin meinte, Lena teilt jetzt ihre Spielsachen", "Kannst du Lena heute von der Kita holen?",
            "Schnuller vergessen, Drama im Auto", "Beim Elternabend ging es nur um die Laternenfeier",
            "Bei den Kindern ist abends immer Chaos", "Unsere Tochter hat ein Bild für dich gemalt",
            "Kollege musste heute vor Gericht unter Eid aussagen, der war total nervös",
            "Wegen dem Bahnstreik fahr ich morgen mit dem Auto",
        ), other_signals=("Bring ich mit!", "Hat Lena wieder Fieber?")),
        Chat("Sabine", share=0.25, signals=(
            "Unsere Kleine ist jetzt drei, kaum zu glauben", "Mit zwei Kindern bleibt echt keine Zeit für Sport",
            "Lena fragt jeden Tag nach deinem Hund 😄", "Wir sind mit dem Kinderwagen am Schlosspark",
        ), other_signals=("Morgen ist wieder Streik bei der Bahn, denk dran",
                          "Mein Chef musste unter Eid aussagen, stell dir vor")),
        Chat("Kita Sonnenblume Eltern", share=0.15, members=("Anja Köhler", "Murat Yilmaz", "Sabine"), signals=(
            "Danke für die Fotos vom Laternenfest!", "Lena bringt am Freitag den Kuchen mit",
        ), other_signals=("Erinnerung: Elternabend Donnerstag 19 Uhr", "Wer hat eine gelbe Matschhose verloren?")),
    ),
)

GAMER = Persona(
    name="gamer", language="en", me="Kai Turner", tz="Europe/London", whatsapp_style="ios",
    description="A 24-year-old in Manchester who plays Counter-Strike 2 every evening and watches hours of gaming "
                "videos a day, late into the night; works part-time in a phone shop.",
    truth={"parent": False, "health": False, "religion": False, "trade_union": False, "political_expression": False,
           "financial_stress": False, "screen_time": True, **NO_LOCATION, "sexual_orientation": False},
    traps=("'strike' and 'Counter-Strike' are a game, not a labour dispute",
           "'clutch', 'ranked', 'kill' are game talk, not politics or violence"),
    hours={11: 1, 13: 1, 17: 1, 18: 1.5, 19: 2, 20: 2.5, 21: 3, 22: 3, 23: 2.5, 0: 1.5, 1: 1},
    youtube=Watching(videos=(
        ("CS2 Mirage smokes every T side needs", "NadeKing"), ("s1mple insane clutch compilation", "CS Highlights"),
        ("Counter-Strike 2 major final highlights", "HLTV Clips"), ("How to actually rank up in CS2 premier", "Aim Lab Coach"),
        ("1v5 ace on Inferno", "CS Highlights"), ("Valorant vs CS2 honest comparison", "GameTalk"),
        ("Elden Ring boss rush no hits", "SoulsBorne Central"), ("Minecraft hardcore day 100", "BlockBuilders"),
        ("Ranked grind until sunrise", "NightOwl Plays"), ("CS2 update patch notes explained", "HLTV Clips"),
    ), per_day=(16, 24), hours={17: 1, 19: 2, 20: 2, 21: 2.5, 22: 2.5, 23: 2, 0: 1.5, 1: 1}, minutes=(11, 18)),
    play_games=("Clash Royale", "Brawl Stars"),
    searches=(("cs2 best crosshair code", 4), ("faceit elo levels", 3), ("mirage smokes t side", 3),
              ("counter strike 2 case prices", 3), ("weather manchester", 4), ("gaming mouse under 50", 2)),
    chats=(
        Chat("Leon", share=0.6, signals=(
            "Ranked tonight? We need a fifth", "Clutched a 1v4 on Mirage last night 🔥", "That strike from B site was insane",
            "Counter-Strike update dropped, new map pool", "CS2 servers down again ffs", "Premier at 9?",
            "Hit Faceit level 8 finally", "My aim is actual trash today", "Strike first, ask questions later lol",
            "New mouse came, the old one was double clicking", "One more game then bed, promise", "GG that was close",
            "Who's on CS tonight", "I'm literally one win off the next rank", "That smoke was perfect wtf",
            "Queue up, I'm on in 5", "Lost 13-11 on Overpass, so tilted", "Counter-Strike tonight or Valorant?",
            "Ranked is so sweaty this season", "Clutch or kick 😂",
        ), flavour=("Just got off work", "Shop was dead today", "Pizza tonight")),
        Chat("Mum", share=0.2, signals=("Yes I've eaten mum", "Working Saturday, can come Sunday")),
        Chat("CS Squad", share=0.2, members=("Leon", "Jamal", "Rhys", "Tobi"), signals=(
            "On in 10", "Strike from long was filthy", "Gg lads", "I'll IGL tonight",
        ), other_signals=("Ranked at 8?", "Who's playing tonight", "That clutch was insane Kai", "Counter-Strike major this weekend")),
    ),
)

UNION_EN = Persona(
    name="union_en", language="en", me="Dave Whitfield", tz="Europe/London",
    description="A bus depot engineer in Sheffield, shop steward for Unite, campaigning on pay; signs petitions and "
                "goes to protests; lives alone.",
    truth={"parent": False, "health": False, "religion": False, "trade_union": True, "political_expression": True,
           "financial_stress": False, "screen_time": False, **NO_LOCATION, "sexual_orientation": False},
    traps=("talk of the lads at the depot is not parenthood",),
    hours={6: 1, 7: 1, 12: 1.5, 13: 1, 17: 1.5, 18: 2, 19: 2, 20: 2, 21: 1.5},
    chats=(
        Chat("Steve Ward", share=0.6, signals=(
            "Union meeting Thursday at 7 in the social club", "As shop steward I've got to be at the branch meeting",
            "Strike ballot papers went out today, get them back", "Turnout on the ballot was 78%, brilliant",
            "Picket line from 5am Monday, bring a flask", "Unite have backed the action officially",
            "Had a chat with the UNISON lot from the council depot, they're with us", "Strike pay should land Friday",
            "Management want to talk before the walkout", "Can you sign the petition on the bus funding cuts?",
            "Marching on Saturday against the cuts, meet at the town hall", "Reps training at the regional office Tuesday",
            "Another member signed up today, that's six this month", "The union's lawyer is looking at the dismissal",
            "Pay offer is an insult, we'll ballot again", "Protest outside the council at 12, bring a placard",
            "Signed the petition for the Sheffield bus franchise", "Told the lads the picket's moved to the front gate",
            "Branch secretary's retiring, might stand for it", "Writing to our MP about the bus cuts",
            "Vote in the council elections Thursday, it matters", "We won the back pay claim! ✊",
        ), flavour=("Early shift tomorrow", "Depot canteen's gone downhill", "Long day at the depot")),
        Chat("Sis", share=0.25, signals=("Can't do Saturday, I'm at the demo", "The strike's been called off, deal agreed")),
        Chat("Depot Reps", share=0.15, members=("Steve Ward", "Aisha Khan", "Mick Doyle"), signals=(
            "Minutes from the union meeting attached", "I'll take the early picket",
        ), other_signals=("Ballot result tomorrow", "Picket rota is up", "Strike is ON")),
    ),
)

TINY = Persona(
    name="tiny", language="en", me="Ben Carter", tz="Europe/London",
    description="Someone who exported one chat with three messages of their own.",
    truth={k: NA for k in ("parent", "health", "religion", "trade_union", "political_expression", "financial_stress",
                           "screen_time", "home_work", "sensitive_places", "sexual_orientation")},
    traps=("three messages are below any minimum: one mention of kids must not make a parent",),
    own_messages=3, days=1,
    script=(("2024-10-05 17:02", "Ben Carter", "hi"), ("2024-10-05 17:05", "Lucy", "hey! how are things?"),
            ("2024-10-05 17:06", "Ben Carter", "all good, kids are fine, see you at 6"),
            ("2024-10-05 17:07", "Lucy", "great"), ("2024-10-05 17:30", "Ben Carter", "thanks!")),
)

ES_PARENT = Persona(
    name="es_parent", language="es", me="Lucía Moreno", tz="Europe/Madrid",
    description="A mother in Valencia with a son of two at the guardería; her sister has no children.",
    truth={"parent": True, "health": False, "religion": False, "trade_union": False, "political_expression": False,
           "financial_stress": False, "screen_time": False, **NO_LOCATION, "sexual_orientation": False},
    traps=("'mi hermana no tiene hijos' is about the sister, and negated",
           "the paediatrician and the child's fever are the child's health, not the owner's"),
    hours={7: 1, 8: 1, 14: 1.5, 15: 1, 18: 1, 20: 2, 21: 2.5, 22: 2.5, 23: 1},
    chats=(
        Chat("Javier", share=0.6, signals=(
            "Mi hijo ha dicho 'agua' por primera vez 😍", "¿Puedes comprar pañales al volver? Talla 5",
            "Han llamado de la guardería, Mateo tiene fiebre", "Mañana a las 9 tenemos el pediatra",
            "La reunión de padres es el jueves a las 17:30", "Se han acabado los pañales otra vez",
            "El pediatra dice que es una otitis, nada grave", "Mateo no quiere dormir la siesta en la guardería",
            "¿Recoges tú al niño hoy?", "Nuestro hijo está enorme, ya no le vale nada",
            "En la reunión de padres hablaron del festival de Navidad", "He comprado toallitas y pañales en oferta",
            "Mateo ya come solo con la cuchara", "Mi hijo se ha quedado dormido en el coche",
            "La seño de la guardería dice que Mateo comparte mucho", "Mañana hay que llevar el babi limpio",
            "Mateo lleva toda la tarde jugando con los bloques", "¿Vamos con el niño al parque del Turia el sábado?",
        ), other_signals=("¿Cómo está Mateo?", "Compro pañales al salir")),
        Chat("Carmen", share=0.3, signals=(
            "Mi hermana no tiene hijos, pero es la tía más cariñosa del mundo", "Mateo te manda besos",
            "Con el peque no hay manera de salir a cenar", "El pediatra nos ha dado cita para las vacunas",
        ), other_signals=("Yo tampoco tengo hijos jaja", "¡Dale un beso al peque!")),
        Chat("Padres Guardería Los Pinos", share=0.1, members=("Marta Gil", "Pablo Ruiz", "Carmen"), signals=(
            "¡Gracias por las fotos de la excursión!", "Mateo también ha tenido fiebre esta semana",
        ), other_signals=("Recordatorio: reunión de padres el jueves", "¿Alguien ha visto una chaqueta azul?")),
    ),
)

FR_HEALTH = Persona(
    name="fr_health", language="fr", me="Claire Dubois", tz="Europe/Paris",
    description="A graphic designer in Lyon, type 1 diabetic, followed by an endocrinologist; has no children and "
                "says so often when friends ask.",
    truth={"parent": False, "health": True, "religion": False, "trade_union": False, "political_expression": False,
           "financial_stress": False, "screen_time": False, **NO_LOCATION, "sexual_orientation": False},
    traps=("'je n'ai pas d'enfants' (many times) is negated: not a parent",),
    hours={8: 1, 12: 1.5, 13: 1.5, 18: 1.5, 19: 2, 20: 2, 21: 2, 22: 1.5},
    chats=(
        Chat("Sophie", share=0.6, signals=(
            "Ma glycémie est montée à 2,8 cette nuit, j'ai mal dormi", "Rendez-vous chez l'endocrinologue jeudi à 10h",
            "J'ai oublié mon stylo d'insuline au bureau 🙄", "Non, je n'ai pas d'enfants, je te l'ai déjà dit 😄",
            "Mon diabète est bien équilibré en ce moment", "Le capteur de glycémie s'est décollé encore",
            "Je n'ai pas d'enfants mais j'adore tes neveux", "L'endocrinologue veut que j'augmente l'insuline lente",
            "Hypo à 0,6 dans le métro, heureusement j'avais du sucre", "Je n'ai pas d'enfants, donc je suis libre le mercredi",
            "Prise de sang pour l'hémoglobine glyquée demain matin", "Mon HbA1c est à 6,9 👍",
            "Je n'ai pas d'enfants et honnêtement ça me va très bien", "Pharmacie pour récupérer l'insuline avant 19h",
            "Le diabète de type 1 au quotidien, c'est du calcul mental permanent", "Je n'ai pas d'enfants, je peux garder ton chat",
            "Nouvelle pompe à insuline en janvier peut-être", "Je n'ai pas d'enfants mais une plante verte qui survit",
        ), other_signals=("Tu as des enfants toi ?", "Et ta glycémie ça va ?")),
        Chat("Maman", share=0.25, signals=(
            "Non maman, je n'ai pas d'enfants et je n'en veux pas pour l'instant", "L'endocrinologue est contente de moi",
            "Je n'ai pas d'enfants, arrête de me demander 😅", "J'ai pris mon insuline, ne t'inquiète pas",
        )),
        Chat("Collègues Atelier", share=0.15, members=("Hugo", "Inès", "Sophie"), signals=(
            "Je n'ai pas d'enfants, je prends le pont de mai si personne ne le veut",
            "Je pars à 16h, rendez-vous médical",
        ), other_signals=("Qui a des enfants pour les vacances de Toussaint ?", "Réunion à 14h")),
    ),
)

TEACHER = Persona(
    name="childfree_teacher", language="en", me="Fiona MacLeod", tz="Europe/London",
    description="A primary teacher at Meadowbank Primary School in Edinburgh; has no children of her own and says so; "
                "talks about the kids in her class.",
    truth={"parent": False, "health": False, "religion": False, "trade_union": False, "political_expression": False,
           "financial_stress": False, "screen_time": False, "home_work": True, "sensitive_places": False,
           "sexual_orientation": False},
    traps=("'I don't have kids' x14 is negated: not a parent",
           "'the kids in my class' are her pupils, not her children",
           "working at a school (and its parents' evening) is not being a parent"),
    hours={7: 1, 12: 1.5, 15: 1, 16: 1.5, 17: 2, 18: 2, 19: 2, 20: 2, 21: 1.5},
    places=(Place("27 Warrender Park Road", 55.93900, -3.20210, "home"),
            Place("Meadowbank Primary School", 55.95600, -3.15300, "work"),
            Place("Stockbridge Market", 55.95850, -3.20900, "market"),
            Place("Bruntsfield Links", 55.93740, -3.20560, "park")),
    routine=(Stay("work", (0, 1, 2, 3, 4), "08:05", "16:15"), Stay("market", (6,), "10:30", "12:00"),
             Stay("park", (5,), "11:00", "12:15")),
    chats=(
        Chat("Morag", share=0.6, signals=(
            "I don't have kids, so honestly the school holidays are my favourite thing", "No kids for me, thanks 😂",
            "I don't have kids but I'm shattered like I have thirty", "The kids in my class made me a birthday card 🥹",
            "I don't have kids, I have a cat and that's plenty", "Parents' evening at school till 7 tonight",
            "I don't have kids so I'm always the one covering the Christmas concert", "Marking jotters all evening",
            "The kids in my class are obsessed with dinosaurs this term", "I don't have kids and people still ask when",
            "I don't have kids but I know every Julia Donaldson book by heart", "Report cards due Friday, send help",
            "I don't have kids, I just look after 28 of them five days a week", "School trip to Dynamic Earth on Thursday",
            "The kids in my class did a brilliant assembly", "I don't have kids, it was never really for me",
        ), flavour=("Long day at school", "Staff room cake situation is dire", "Half term can't come soon enough")),
        Chat("Mum", share=0.25, signals=(
            "Mum, I don't have kids and I'm fine with it", "I don't have kids, stop sending me baby clothes adverts 😂",
            "Term ends on the 20th, I'll come up then", "The kids in my class loved the conkers you sent",
        )),
        Chat("Book Club", share=0.15, members=("Morag", "Ailsa", "Jen"), signals=(
            "I don't have kids so I can host this month", "I don't have kids, Saturdays are easy for me",
            "I don't have kids, so anytime after 5 works",
            "I don't have kids, I'll do the snacks",
        ), other_signals=("Next book?", "Can't do Saturday, kids' football", "Wine o'clock")),
    ),
)

PERSONAS_A = (NURSE, DE_PARENT, GAMER, UNION_EN, TINY, ES_PARENT, FR_HEALTH, TEACHER)
