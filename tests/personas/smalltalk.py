"""Everyday small talk in each language: the filler around the lines that carry a trait.

Written to carry no trait of its own: no children, illness, faith, unions, politics, money trouble, games or
places of a sensitive kind. Each persona's own life comes on top of this (``Chat.flavour``).
"""

OWN = {
    "en": [
        "Morning! ☀️", "Running a bit late, sorry", "On my way now", "Haha yes exactly", "Sounds good to me",
        "What time suits you?", "See you at 6", "Thanks so much!", "No worries at all", "Can't wait for the weekend",
        "Did you watch the Bake Off final? 😂", "It's absolutely chucking it down here", "Just got in, shattered",
        "Fancy a coffee on Saturday?", "I'll bring the wine 🍷", "Happy birthday!! Have a brilliant day 🎉",
        "Ha, typical", "Let me check and get back to you", "Sorry, missed your call", "Yes please!",
        "Tesco had run out of oat milk again", "That's hilarious", "Good shout", "Love that idea",
        "Heading to bed, speak tomorrow", "Are we still on for Friday?", "I'm easy, you choose",
        "Can you send me the address?", "Just finished dinner, stuffed", "Enjoy!!", "Ok cool 👍",
        "The train was packed this morning", "Honestly can't believe it's October already", "Omg same",
        "I've started that new Netflix series everyone's talking about", "Weather looks nicer on Sunday",
        "Shall I book a table?", "Nice one!", "Miss you! We need a proper catch-up", "All good here, you?",
        "Bit of a lazy day today", "Made a lasagne, turned out alright actually", "Ugh Mondays",
        "Traffic on the ring road was a nightmare", "I'm around after 7 if you want to ring",
    ],
    "de": [
        "Guten Morgen! ☀️", "Bin gleich da", "Sorry, bin etwas spät dran", "Haha ja genau", "Klingt gut!",
        "Wann passt es dir?", "Bis später 👋", "Danke dir!", "Kein Problem", "Freu mich aufs Wochenende",
        "Hast du den Tatort gestern gesehen?", "Hier regnet es schon den ganzen Tag", "Bin gerade heimgekommen, total platt",
        "Lust auf einen Kaffee am Samstag?", "Ich bring Kuchen mit 🍰", "Alles Gute zum Geburtstag!! 🎉",
        "Typisch 😅", "Ich schau nach und melde mich", "Sorry, hab deinen Anruf verpasst", "Ja gerne!",
        "Der Edeka hatte schon wieder keine Hafermilch", "Wie lustig", "Gute Idee", "Machen wir so",
        "Ich geh jetzt schlafen, bis morgen", "Bleibt es bei Freitag?", "Mir egal, such du aus",
        "Schick mir mal die Adresse", "Gerade gegessen, bin pappsatt", "Viel Spaß!!", "Ok super 👍",
        "Die S-Bahn war heute Morgen wieder rappelvoll", "Kaum zu glauben, dass schon Oktober ist", "Geht mir genauso",
        "Ich hab mit der neuen Serie angefangen, ziemlich gut", "Am Sonntag soll es schöner werden",
        "Soll ich einen Tisch reservieren?", "Prima!", "Wir müssen uns mal wieder richtig treffen", "Alles gut bei dir?",
        "Heute mache ich gar nichts", "Hab Lasagne gemacht, war echt lecker", "Montag halt",
        "Auf der A100 war wieder Stau", "Ab sieben bin ich zu Hause, ruf ruhig an", "Schönen Abend noch!",
    ],
    "es": [
        "¡Buenos días! ☀️", "Voy un poco tarde, perdona", "Ya voy de camino", "Jajaja sí, total", "Me parece bien",
        "¿A qué hora te viene bien?", "Nos vemos a las 6", "¡Muchas gracias!", "Nada, tranquila", "Qué ganas de que llegue el finde",
        "¿Viste el partido anoche?", "Aquí está diluviando", "Acabo de llegar a casa, estoy muerta",
        "¿Te apetece un café el sábado?", "Yo llevo el vino 🍷", "¡¡Feliz cumpleaños!! 🎉",
        "Típico 😅", "Lo miro y te digo", "Perdona, no vi tu llamada", "¡Sí, porfa!",
        "En el Mercadona no quedaba leche de avena otra vez", "Qué risa", "Buena idea", "Me encanta el plan",
        "Me voy a dormir, hablamos mañana", "¿Seguimos en pie para el viernes?", "Me da igual, elige tú",
        "¿Me pasas la dirección?", "Acabo de cenar, no puedo más", "¡Disfruta!", "Vale 👍",
        "El metro iba a tope esta mañana", "No me puedo creer que ya sea octubre", "A mí igual",
        "He empezado la serie nueva de la que todo el mundo habla", "El domingo dicen que hará bueno",
        "¿Reservo mesa?", "¡Genial!", "Te echo de menos, a ver si quedamos", "Todo bien por aquí, ¿y tú?",
        "Hoy día de sofá", "He hecho tortilla y me ha salido buenísima", "Odio los lunes",
        "Había un atasco horrible en la M-30", "A partir de las 7 estoy en casa si quieres llamar",
    ],
    "fr": [
        "Coucou ! ☀️", "J'ai un peu de retard, désolée", "J'arrive", "Haha oui carrément", "Ça me va",
        "Quelle heure t'arrange ?", "On se voit à 18h", "Merci beaucoup !", "Pas de souci", "Vivement le week-end",
        "Tu as vu le match hier soir ?", "Il pleut des cordes ici", "Je viens de rentrer, je suis crevée",
        "Un café samedi, ça te dit ?", "J'apporte le vin 🍷", "Joyeux anniversaire !! 🎉",
        "Classique 😅", "Je regarde et je te redis", "Désolée, j'ai raté ton appel", "Oui avec plaisir !",
        "Plus de lait d'avoine au Monoprix, encore", "Trop drôle", "Bonne idée", "J'adore l'idée",
        "Je vais me coucher, on s'appelle demain", "On maintient vendredi ?", "Comme tu veux, choisis",
        "Tu peux m'envoyer l'adresse ?", "Je sors de table, j'ai trop mangé", "Profite bien !", "Ok top 👍",
        "Le métro était bondé ce matin", "Je n'arrive pas à croire qu'on soit déjà en octobre", "Pareil pour moi",
        "J'ai commencé la nouvelle série dont tout le monde parle", "Il paraît qu'il fera beau dimanche",
        "Je réserve une table ?", "Génial !", "Tu me manques, il faut qu'on se voie", "Tout va bien ici, et toi ?",
        "Journée canapé aujourd'hui", "J'ai fait une quiche, pas mal du tout", "Ah les lundis…",
        "Gros bouchons sur le périph ce soir", "Je suis chez moi après 19h si tu veux m'appeler",
    ],
    "tr": [
        "Günaydın! ☀️", "Biraz geç kalıyorum, kusura bakma", "Yoldayım", "Haha aynen öyle", "Bence de olur",
        "Saat kaç uyar sana?", "Akşam altıda görüşürüz", "Çok teşekkürler!", "Önemli değil", "Hafta sonunu iple çekiyorum",
        "Dün akşamki maçı izledin mi?", "Burada bardaktan boşanırcasına yağmur yağıyor", "Eve yeni geldim, çok yorgunum",
        "Cumartesi kahve içelim mi?", "Ben tatlı getiririm 🍰", "Doğum günün kutlu olsun!! 🎉",
        "Tam bir klasik 😅", "Bakıp sana dönerim", "Aramanı kaçırdım, pardon", "Olur tabii!",
        "Markette yine yulaf sütü kalmamış", "Çok komik", "İyi fikir", "Süper plan",
        "Ben yatıyorum, yarın konuşuruz", "Cuma hâlâ geçerli mi?", "Fark etmez, sen seç",
        "Adresi atar mısın?", "Yemeği yeni bitirdim, patladım", "İyi eğlenceler!", "Tamam 👍",
        "Metrobüs bu sabah tıklım tıklımdı", "Ekim gelmiş inanamıyorum", "Bende de aynısı",
        "Herkesin konuştuğu yeni diziye başladım", "Pazar günü hava güzel olacakmış",
        "Masa ayırtayım mı?", "Harika!", "Seni özledim, bir buluşalım artık", "Buralar iyi, sende ne var ne yok?",
        "Bugün tembellik günü", "Mercimek çorbası yaptım, çok güzel oldu", "Pazartesi sendromu",
        "Köprüde trafik felaketti", "Yedide evdeyim, istersen ara",
    ],
}

OTHER = {
    "en": [
        "Haha", "On my way", "Sure, what time?", "Ok 👍", "Sounds good", "Lol same", "Night night",
        "Did you see the match?", "Call me later?", "Yes!!", "No rush", "Thanks x", "Brilliant",
        "Where are you?", "Be there in 10", "Aw that's lovely", "Ha, knew it", "I'm in", "Speak soon",
        "Ooh tell me more", "Can't make it tonight sorry", "What are you up to this weekend?", "Perfect",
        "Enjoy the rest of your day", "Same time next week?", "Nice!", "Argh, nightmare", "❤️",
    ],
    "de": [
        "Haha", "Bin unterwegs", "Klar, wann?", "Ok 👍", "Klingt gut", "Geht mir auch so", "Gute Nacht",
        "Hast du das Spiel gesehen?", "Ruf mich später an?", "Ja!!", "Kein Stress", "Danke dir", "Super",
        "Wo bist du?", "Bin in 10 Minuten da", "Wie schön", "Wusste ich's doch", "Bin dabei", "Bis bald",
        "Erzähl!", "Heute schaffe ich es leider nicht", "Was machst du am Wochenende?", "Perfekt",
        "Schönen Tag noch", "Nächste Woche gleiche Zeit?", "Cool!", "Oh nein", "❤️",
    ],
    "es": [
        "Jajaja", "Voy de camino", "Claro, ¿a qué hora?", "Vale 👍", "Perfecto", "Jaja yo igual", "Buenas noches",
        "¿Viste el partido?", "¿Me llamas luego?", "¡¡Sí!!", "Sin prisa", "Gracias guapa", "Genial",
        "¿Dónde estás?", "Llego en 10", "Qué bonito", "Lo sabía", "Me apunto", "Hablamos",
        "Cuéntame", "Hoy no puedo, lo siento", "¿Qué haces el finde?", "Perfecto entonces",
        "Que vaya bien el día", "¿La semana que viene a la misma hora?", "¡Qué bien!", "Uf, qué rollo", "❤️",
    ],
    "fr": [
        "Haha", "J'arrive", "Bien sûr, à quelle heure ?", "Ok 👍", "Parfait", "Pareil", "Bonne nuit",
        "Tu as vu le match ?", "Tu m'appelles plus tard ?", "Oui !!", "Rien ne presse", "Merci", "Top",
        "Tu es où ?", "J'arrive dans 10 min", "Trop mignon", "Je le savais", "Je suis partante", "À plus",
        "Raconte !", "Ce soir je ne peux pas, désolée", "Tu fais quoi ce week-end ?", "Super",
        "Bonne fin de journée", "Même heure la semaine prochaine ?", "Cool !", "Oh la galère", "❤️",
    ],
    "tr": [
        "Haha", "Yoldayım", "Tabii, saat kaçta?", "Tamam 👍", "Olur", "Ben de aynı", "İyi geceler",
        "Maçı izledin mi?", "Sonra arar mısın?", "Evet!!", "Acelesi yok", "Sağ ol", "Süper",
        "Neredesin?", "10 dakikaya oradayım", "Ne güzel", "Biliyordum", "Ben varım", "Görüşürüz",
        "Anlat anlat", "Bu akşam gelemiyorum, kusura bakma", "Hafta sonu ne yapıyorsun?", "Mükemmel",
        "İyi günler", "Haftaya aynı saatte?", "Harika!", "Off, ne kötü", "❤️",
    ],
}

MEDIA = {"en": "<Media omitted>", "de": "<Medien ausgeschlossen>", "es": "<Multimedia omitido>",
         "fr": "<Médias omis>", "tr": "<Medya dahil edilmedi>"}

SYSTEM = {
    "en": "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or "
          "listen to them. Tap to learn more.",
    "de": "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen "
          "oder anhören, nicht einmal WhatsApp. Tippe, um mehr zu erfahren.",
    "es": "Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni siquiera "
          "WhatsApp, puede leerlos ni escucharlos. Toca para obtener más información.",
    "fr": "Les messages et les appels sont chiffrés de bout en bout. Aucun tiers, pas même WhatsApp, ne peut les lire "
          "ou les écouter. Appuyez pour en savoir plus.",
    "tr": "Mesajlar ve aramalar uçtan uca şifrelidir. WhatsApp dahil olmak üzere bu sohbetin dışında bulunan hiç "
          "kimse mesajlarınızı okuyamaz ve aramalarınızı dinleyemez. Daha fazla bilgi edinmek için dokunun.",
}
