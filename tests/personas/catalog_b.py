"""Personas 9-16: the tennis player in Chapel Allerton, the German union member, the Spanish churchgoer, the
French person in debt, the platform-labels-only Facebook user, the Turkish-only chatter, the heavy video
watcher, the French Catholic campaigner."""

from __future__ import annotations

import datetime as dt

from tests.personas.model import NOT_ASSESSED as NA
from tests.personas.model import Chat, FacebookData, Persona, Place, Stay, Watching

NO_LOCATION = {"home_work": NA, "sensitive_places": NA}

TENNIS = Persona(
    name="tennis_chapel_allerton", language="en", me="Oliver Grant", tz="Europe/London",
    description="An accountant in Leeds city centre who plays at Chapel Allerton Lawn Tennis Club three times a week "
                "and has a pint in Chapel Allerton afterwards; not religious.",
    truth={"parent": False, "health": False, "religion": False, "trade_union": False, "political_expression": False,
           "financial_stress": False, "screen_time": False, "home_work": True, "sensitive_places": False,
           "sexual_orientation": False},
    traps=("'Chapel' in the district and club name Chapel Allerton is not a place of worship",
           "a tennis 'club' is not a union or party office"),
    hours={7: 1, 8: 1, 12: 1.5, 13: 1, 17: 1.5, 18: 2, 20: 1.5, 21: 2, 22: 1.5},
    places=(Place("41 Ash Road", 53.82150, -1.57900, "home"),
            Place("Wellington Place, Leeds", 53.79600, -1.55600, "work"),
            Place("Chapel Allerton Lawn Tennis Club", 53.82900, -1.53900, "tennis"),
            Place("The Regent, Chapel Allerton", 53.82980, -1.53600, "pub")),
    routine=(Stay("work", (0, 1, 2, 3, 4), "09:00", "17:30"), Stay("tennis", (1, 3), "18:30", "20:30"),
             Stay("pub", (3,), "20:45", "22:15"), Stay("tennis", (5,), "10:00", "12:30")),
    searches=(("chapel allerton tennis club court booking", 4), ("babolat pure drive review", 2),
              ("chapel allerton restaurants", 2), ("leeds weather", 5)),
    chats=(
        Chat("Sam Patel", share=0.6, signals=(
            "Court 3 at Chapel Allerton, 6:30 Tuesday?", "Lost the first set 6-4 then turned it round",
            "Meet at the club in Chapel Allerton, I'll bring new balls", "Doubles league fixture Saturday at 10",
            "Chapel Allerton courts are flooded, rain check?", "New racket arrived, string tension feels great",
            "Pint at the Regent after tennis?", "Club night Thursday, bring your A game", "That backhand down the line 🎾",
            "Booked two courts at the Chapel Allerton club for Saturday", "My serve has gone to pieces",
            "Quarter final of the club championship on Sunday", "Floodlights were on at last, great session",
            "Chapel Allerton festival this weekend, courts will be busy", "Practice my second serve before the match",
            "Coach says I need to move my feet more", "Won 7-5 in the third!", "Tennis Tuesday? 🎾",
        ), flavour=("Month-end close at work is brutal", "Spreadsheet hell today", "Finished early for once")),
        Chat("Mum", share=0.25, signals=("Playing tennis Saturday morning, can come for lunch after",
                                          "We won the league match!")),
        Chat("CALTC Men's Doubles", share=0.15, members=("Sam Patel", "Rob Hinds", "Tariq Aziz"), signals=(
            "I can play Thursday", "Court 2 is mine from 6:30",
        ), other_signals=("Who's free Saturday?", "Balls are in the clubhouse", "Chapel Allerton vs Roundhay at 2pm")),
    ),
)

DE_UNION = Persona(
    name="de_union", language="de", me="Thomas Richter", tz="Europe/Berlin",
    description="A logistics clerk in Hamburg, member of ver.di and of the works council; "
                "takes part in the pay round and a warning strike; no children.",
    truth={"parent": False, "health": False, "religion": False, "trade_union": True, "political_expression": False,
           "financial_stress": False, "screen_time": False, **NO_LOCATION, "sexual_orientation": False},
    traps=("a colleague's children are not his",),
    hours={6: 1, 7: 1, 12: 1.5, 16: 1, 17: 1.5, 18: 2, 19: 2, 20: 2, 21: 1.5},
    chats=(
        Chat("Jens", share=0.6, signals=(
            "Morgen ist Betriebsratssitzung, ich komme später", "ver.di hat zum Warnstreik am Donnerstag aufgerufen",
            "Die Urabstimmung läuft bis Freitag, stimm bitte ab", "Die Tarifverhandlung ist wieder geplatzt",
            "Ich bin jetzt seit zehn Jahren in der Gewerkschaft", "Streikgeld kommt nächste Woche",
            "Im Betriebsrat haben wir über die Schichtpläne gestritten", "Mitgliederversammlung der Gewerkschaft am Dienstag",
            "Der Arbeitgeber bietet 3 Prozent, das ist ein Witz", "Wir streiken ab 6 Uhr vor Tor 2",
            "Betriebsversammlung ist am 14., alle hin", "Ich kandidiere wieder für den Betriebsrat",
            "ver.di-Vertrauensleute treffen sich im Gewerkschaftshaus", "Urabstimmung: 91 Prozent für Streik!",
            "Die zweite Runde der Tarifverhandlungen ist am Montag", "Streikposten-Liste hängt am Schwarzen Brett",
            "Ohne Gewerkschaft hätten wir gar nichts erreicht", "Neue Kollegin ist heute ver.di beigetreten",
            "Tarifeinigung steht, 5,5 Prozent und Inflationsausgleich", "Betriebsrat hat die Überstunden abgelehnt",
        ), flavour=("Lange Schicht heute", "Im Lager war heute die Hölle los", "Feierabend endlich")),
        Chat("Anke", share=0.3, signals=("Am Donnerstag streiken wir, ich bin früher zu Hause",
                                         "Die Kinder von Jens sind echt süß", "Tarifrunde ist durch, endlich")),
        Chat("Betriebsrat Lager Nord", share=0.1, members=("Jens", "Petra Lange", "Ali Demir"), signals=(
            "Protokoll kommt heute Abend", "Ich übernehme die Frühschicht beim Streikposten",
        ), other_signals=("Sitzung Mittwoch 14 Uhr", "Die Geschäftsführung will reden")),
    ),
)

ES_CHURCH = Persona(
    name="es_churchgoer", language="es", me="Rosa Jiménez", tz="Europe/Madrid",
    description="An office administrator in Madrid who goes to Mass at the Parroquia de San José every Sunday, "
                "prays daily and helps with the parish's food bank.",
    truth={"parent": False, "health": False, "religion": True, "trade_union": False, "political_expression": False,
           "financial_stress": False, "screen_time": False, "home_work": True, "sensitive_places": True,
           "sexual_orientation": False},
    traps=("the parish food bank is volunteering, not money trouble",),
    hours={8: 1, 9: 1, 14: 1.5, 15: 1, 19: 1.5, 20: 2, 21: 2.5, 22: 2},
    places=(Place("Calle del Prado 14", 40.41460, -3.69820, "home"),
            Place("Oficinas Paseo de la Castellana 95", 40.44920, -3.69250, "work"),
            Place("Parroquia de San José", 40.41890, -3.69780, "church"),
            Place("Mercado de Antón Martín", 40.41210, -3.69950, "market")),
    routine=(Stay("work", (0, 1, 2, 3, 4), "09:00", "18:00"), Stay("church", (6,), "11:00", "12:20"),
             Stay("church", (2,), "19:30", "20:45", every=2), Stay("market", (5,), "10:30", "11:30")),
    chats=(
        Chat("Pilar", share=0.6, signals=(
            "¿Vienes a misa de 11 el domingo?", "Hoy he rezado por tu madre", "En la parroquia necesitan voluntarios para el banco de alimentos",
            "El padre Andrés dio una homilía preciosa", "Estoy leyendo la Biblia por las noches, el Evangelio de Juan",
            "Nos vemos en la iglesia a las 11", "Reza por mí, que mañana tengo la entrevista", "Grupo de oración el miércoles a las 19:30",
            "La misa del domingo estaba llenísima", "He encendido una vela en San José por tu padre",
            "Vamos a la parroquia a preparar las cestas de Navidad", "Rezamos el rosario todos los jueves",
            "La catequesis de confirmación empieza en octubre", "Qué bonita la iglesia con las flores del Pilar",
            "Después de misa tomamos un café", "Gracias a Dios salió todo bien", "Lectura de la Biblia en la parroquia el martes",
            "El domingo comulgo por primera vez después de la operación de mi tía", "Que Dios te bendiga, guapa",
        ), flavour=("Mucho lío en la oficina hoy", "Reunión eterna esta mañana", "Salgo de trabajar a las 6")),
        Chat("Mamá", share=0.3, signals=("Mamá, voy a misa y luego como contigo", "He rezado por la abuela",
                                         "El cura ha preguntado por ti")),
        Chat("Parroquia San José - Voluntarios", share=0.1, members=("Padre Andrés", "Pilar", "Encarna"), signals=(
            "Yo puedo el sábado por la mañana", "Llevo arroz y aceite para el banco de alimentos",
        ), other_signals=("Misa a las 11 y luego reparto", "Recemos por los enfermos de la parroquia")),
    ),
)

FR_MONEY = Persona(
    name="fr_money", language="fr", me="Nicolas Lefèvre", tz="Europe/Paris",
    description="A delivery driver in Lille, overdrawn every month, a consumer loan he cannot keep up with, a "
                "bailiff's letter; searches for loan consolidation; no children.",
    truth={"parent": False, "health": False, "religion": False, "trade_union": False, "political_expression": False,
           "financial_stress": True, "screen_time": False, **NO_LOCATION, "sexual_orientation": False},
    traps=("money trouble expressed in French only",),
    hours={7: 1, 11: 1, 13: 1.5, 18: 1.5, 19: 2, 20: 2, 21: 2, 22: 2, 23: 1},
    searches=(("rachat de crédit", 5), ("rachat de crédit sans justificatif", 2), ("découvert bancaire frais", 3),
              ("huissier saisie sur salaire que faire", 3), ("météo lille", 4), ("horaires piscine lille", 2)),
    chats=(
        Chat("Karim", share=0.6, signals=(
            "Encore à découvert ce mois-ci, la banque m'a pris 40 euros de frais", "J'ai reçu une relance pour le crédit de la voiture",
            "Un huissier a laissé un avis de passage 😰", "Le crédit à la consommation me bouffe la moitié du salaire",
            "Tu pourrais me prêter 100 balles jusqu'au 5 ?", "J'ai deux impayés sur ma carte Cetelem",
            "Je vais demander un rachat de crédit à la banque", "La banque refuse d'augmenter mon découvert autorisé",
            "Encore une lettre de relance, je n'ose plus ouvrir le courrier", "Je dois rembourser le prêt avant la fin du mois",
            "Le conseiller m'a parlé du dossier de surendettement", "Je te rembourse dès que la paie tombe, promis",
            "Rejet de prélèvement pour l'électricité, 20 euros de frais encore", "L'huissier veut une saisie sur salaire",
            "J'ai fait une simulation de rachat de crédit, ça passerait sur 7 ans", "Fin du mois, compte dans le rouge",
            "Ils m'ont bloqué la carte, plus un rond", "Impayé de loyer ce mois-ci, la proprio n'est pas contente",
        ), flavour=("Trente livraisons aujourd'hui", "La camionnette est encore tombée en panne", "Fini ma tournée")),
        Chat("Maman", share=0.3, signals=("Maman, tu peux me dépanner pour le loyer ?", "Je suis encore à découvert, désolé",
                                          "La banque m'a appelé pour le prêt")),
        Chat("Potes du foot", share=0.1, members=("Karim", "Théo", "Bastien"), signals=(
            "Je peux pas ce week-end, plus de sous", "Match jeudi 20h ?",
        ), other_signals=("Foot jeudi ?", "Qui ramène le ballon ?")),
    ),
)

PLATFORM_ONLY = Persona(
    name="platform_labels_only", language="en", me="Priya Desai", tz="Europe/London", days=60, own_messages=0,
    description="A Facebook user whose export holds only neutral Messenger small talk (80 own messages over 60 "
                "days) and Facebook's own ad interests: Parenting, Diabetes, Islam, LGBT culture, Labour Party.",
    truth={"parent": False, "health": False, "religion": False, "trade_union": False, "political_expression": False,
           "financial_stress": False, "screen_time": False, **NO_LOCATION, "sexual_orientation": False},
    traps=("platform labels alone (Parenting, Diabetes, Islam, LGBT culture, Labour Party) make no finding",
           "the same label in two files is counted once"),
    facebook=FacebookData(interests=("Parenting", "Diabetes", "Islam", "LGBT culture", "Labour Party (UK)",
                                     "Gardening", "Coffee"),
                          categories=("Parents (All)", "Away from hometown", "Engaged Shoppers"),
                          friend="Anita Rao", own_messages=80),
)

TURKISH = Persona(
    name="turkish_only", language="tr", me="Elif Yıldız", tz="Europe/Istanbul", days=90, own_messages=400,
    description="A mother in Istanbul whose chats, all in Turkish, are about her two sons and her thyroid "
                "treatment; datavault has no Turkish word lists.",
    truth={"parent": NA, "health": NA, "religion": NA, "trade_union": NA, "political_expression": NA,
           "financial_stress": NA, "screen_time": False, **NO_LOCATION, "sexual_orientation": NA},
    traps=("Turkish texts cannot be read: parent and health must be 'not assessed', never 'nothing found'",),
    hours={7: 1, 9: 1, 13: 1.5, 16: 1, 19: 2, 20: 2.5, 21: 2.5, 22: 2, 23: 1},
    chats=(
        Chat("Ayşe", share=0.6, signals=(
            "Oğlum bugün okulda ilk kez şiir okudu 🥹", "Çocuklar nihayet uyudu", "Yarın oğlumu doktora götüreceğim, ateşi var",
            "Tiroid ilacımı yine unuttum", "Endokrinoloji randevum perşembe saat onda", "Çocukları okuldan sen alabilir misin?",
            "Küçük oğlum diş çıkarıyor, bütün gece uyumadık", "Kan tahlili sonuçlarım çıktı, TSH biraz yüksek",
            "Çocuklarla parka gidiyoruz", "Veli toplantısı salı akşamı", "Oğlumun ödevleri bitmek bilmiyor",
            "Doktor ilacın dozunu artırdı", "Çocuklar sana selam söylüyor", "Bebek bezi indirimi varmış, haber vereyim",
            "Oğlum futbol kursuna başladı", "Başım çok ağrıyor, migrenim yine tuttu", "Çocuklara kışlık mont aldım",
            "Hastanede sıra bekliyorum, iki saat oldu", "Büyük oğlum karne aldı, hepsi pekiyi", "Çocuklar hasta, ikisi de öksürüyor",
            "Tiroid ameliyatı konusunu doktorla konuştum", "Oğlumun doğum günü partisi cumartesi", "Çocukların aşı günü yarın",
        ), flavour=("İşten yeni çıktım", "Bugün çok yoğundu", "Akşam yemeği hazır")),
        Chat("Annem", share=0.3, signals=("Anne, çocuklar hafta sonu sana gelsin mi?", "İlaçlarımı aldım, merak etme",
                                          "Oğlum seni çok özlemiş", "Doktor her şey yolunda dedi")),
        Chat("3-B Sınıfı Veliler", share=0.1, members=("Zeynep Hoca", "Ayşe", "Mehmet Bey"), signals=(
            "Teşekkürler hocam", "Oğlum yarın gelemeyecek, hasta",
        ), other_signals=("Veli toplantısı salı 18:00", "Gezi izin kağıtlarını unutmayın")),
    ),
)

HEAVY_VIDEO = Persona(
    name="heavy_video", language="en", me="Megan Shaw", tz="Europe/London",
    description="A Bristol call-centre worker who watches five to seven hours of YouTube a day (cooking, true crime, "
                "vlogs, documentaries), evenings and nights.",
    truth={"parent": False, "health": False, "religion": False, "trade_union": False, "political_expression": False,
           "financial_stress": False, "screen_time": True, **NO_LOCATION, "sexual_orientation": False},
    traps=("video watching without any gaming: screen time from video alone",),
    hours={8: 1, 12: 1.5, 13: 1, 17: 1.5, 18: 2, 19: 2, 20: 2, 21: 2, 22: 1.5, 23: 1},
    youtube=Watching(videos=(
        ("15 minute dinners that actually taste good", "Kitchen Quick"), ("The strangest unsolved case of 1994", "Casefile Stories"),
        ("A week in my life in Bristol", "Ellie Vlogs"), ("Inside the world's largest container ship", "MegaStructures"),
        ("Sourdough for complete beginners", "Bake With Jack"), ("Day in the life of a London barista", "City Stories"),
        ("The rise and fall of Blockbuster", "Business Explained"), ("Cosy autumn reset routine", "Ellie Vlogs"),
        ("Deep sea creatures documentary", "Ocean Deep"), ("Reacting to the worst-rated restaurants", "FoodCritic"),
        ("Full moon hike in the Lake District", "Wild Walks"), ("The history of the Tube in 20 minutes", "Rail Story"),
    ), per_day=(20, 26), hours={7: 0.5, 12: 1, 17: 1.5, 18: 2, 19: 2.5, 20: 2.5, 21: 2.5, 22: 2, 23: 1.5, 0: 1},
        minutes=(14, 20)),
    searches=(("slow cooker recipes", 3), ("bristol weather", 5), ("true crime podcasts", 2)),
    chats=(
        Chat("Chloe", share=0.7, signals=(
            "Watched about six YouTube videos on sourdough last night 😂", "Did you see the new Casefile Stories video?",
            "I've been binge-watching that documentary channel again", "YouTube at 1am again, oops",
            "Ellie's new vlog is so cosy", "Fell asleep with a video still playing",
        ), flavour=("Calls were non-stop today", "Headset's broken again", "Lunch break finally")),
        Chat("Dad", share=0.3, signals=("All fine dad, quiet weekend in", "Watching a programme about ships you'd love")),
    ),
)

FR_CATHOLIC_CAMPAIGNER = Persona(
    name="fr_catholic_campaigner", language="fr", me="Anne-Marie Laurent", tz="Europe/Paris",
    description="A retired teacher in Nantes who goes to Mass, prays daily, and campaigns for a green candidate in "
                "the municipal elections (leaflets, meetings, voting).",
    truth={"parent": False, "health": False, "religion": True, "trade_union": False, "political_expression": True,
           "financial_stress": False, "screen_time": False, **NO_LOCATION, "sexual_orientation": False},
    traps=("former pupils ('mes anciens élèves') are not children",),
    hours={8: 1.5, 9: 1, 11: 1, 14: 1.5, 17: 1.5, 18: 2, 19: 2, 20: 1.5, 21: 1},
    chats=(
        Chat("Bernadette", share=0.65, signals=(
            "On se retrouve à la messe de 10h30 dimanche ?", "J'ai prié pour ton frère ce matin", "Tractage au marché de Talensac samedi 9h",
            "Réunion de campagne mardi soir chez Jean-Luc", "N'oublie pas d'aller voter dimanche !", "Le curé a fait une belle homélie sur la Création",
            "J'ai distribué 200 tracts pour la liste écologiste", "Prière du chapelet à la cathédrale jeudi",
            "Meeting de notre candidate à la salle municipale vendredi", "Je milite pour les pistes cyclables depuis des années",
            "La messe de la Toussaint était très belle", "Porte-à-porte dans le quartier Zola ce week-end",
            "Je t'ai inscrite sur la liste des assesseurs pour le bureau de vote", "Carême: je lis un psaume chaque soir",
            "Signe la pétition pour sauver le parc, c'est important", "Débat public sur le tramway, il faut y aller",
            "Le dépouillement a fini à 23h, on a gagné le bureau 12 !", "Messe puis café avec l'équipe paroissiale",
            "Je vote pour eux depuis 2014", "Que Dieu te garde", "Collage d'affiches électorales ce soir, tu viens ?",
        ), flavour=("Une belle balade le long de l'Erdre", "Mes anciens élèves m'ont écrit, quelle joie", "Jardinage tout l'après-midi")),
        Chat("Paroisse Saint-Félix", share=0.2, members=("Père Michel", "Bernadette", "Yvonne"), signals=(
            "Je m'occupe des lectures dimanche", "Je prierai pour les malades de la paroisse",
        ), other_signals=("Messe à 10h30", "Adoration jeudi soir")),
        Chat("Équipe de campagne", share=0.15, members=("Jean-Luc", "Samia", "Bernadette"), signals=(
            "Je prends le tractage de mercredi", "Les tracts sont chez moi",
        ), other_signals=("Réunion de campagne à 19h", "Bilan du porte-à-porte ?", "Votez et faites voter !")),
    ),
)

PERSONAS_B = (TENNIS, DE_UNION, ES_CHURCH, FR_MONEY, PLATFORM_ONLY, TURKISH, HEAVY_VIDEO, FR_CATHOLIC_CAMPAIGNER)
