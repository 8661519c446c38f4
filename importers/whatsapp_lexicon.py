"""The words WhatsApp writes into chat exports, per UI language.

The strings themselves are data: ``whatsapp_locales.toml`` (beside this module) holds every language's
placeholders, markers, system phrases, day-period words and export file names, each with its source. This module
turns that table into the sets and patterns the parser uses, and adds hand-written patterns (below) that cover
more variants of the same phrases in English, German, Spanish, French and Portuguese.

Kept apart from the parser so that a workshop can read and extend them. Every pattern here is matched against
a *whole* line body (anchored at both ends), never as a substring, so "I added sugar" written by someone is
never taken for a group event. ``{A}`` stands for a person (an actor or a target): any text without ": ".
Sources: the strings quoted in ../shared/formats/WHATSAPP.md §6 (WhatsR's catalogue, chat-analytics' media
strings, timelinize's fixture) and WhatsApp's own UI texts in each language.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

LOCALES: dict[str, dict] = tomllib.loads((Path(__file__).with_name("whatsapp_locales.toml")).read_text("utf-8"))
# the kinds of the table (see the toml's head) that are system lines, with the event name the parser records
SYSTEM_KINDS = {
    "encryption": "encryption", "created": "group_created", "added": "member_added",
    "removed": "member_removed", "left": "member_left", "joined": "joined_by_link",
    "subject_changed": "subject_changed", "icon_changed": "icon_changed", "number_changed": "number_changed",
    "disappearing": "disappearing_messages", "security_code": "security_code_changed", "admin": "admin",
    "business": "business", "community": "community",
}
BODY_KINDS = ("media_omitted", "contact_card", "view_once", "attached", "file_attached", "deleted_other",
              "deleted_self", "edited", "missed_voice_call", "missed_video_call", "location", "live_location",
              "poll")


def table(kind: str) -> list[str]:
    """Every language's strings of one kind, in the table's order, without repeats."""
    seen: dict[str, None] = {}
    for locale in LOCALES.values():
        for value in locale.get(kind, ()):
            seen[value] = None
    return list(seen)


BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"

# chat file names: "<prefix><chat name>.txt"
CHAT_FILE_PREFIXES = (
    "WhatsApp Chat with ", "WhatsApp Chat mit ", "WhatsApp-Chat mit ", "Chat de WhatsApp con ",
    "Discussion WhatsApp avec ", "Conversa do WhatsApp com ", "Conversa no WhatsApp com ", "Chat WhatsApp con ",
    "WhatsApp-chat met ", "WhatsApp Chat met ", "WhatsApp Chat - ", "WhatsApp Chat – ",
)
CHAT_FILE_PREFIXES = tuple(dict.fromkeys((*CHAT_FILE_PREFIXES, *table("file_prefixes"))))
# whole names with words after the chat's name too (Chinese "与X的 WhatsApp 聊天")
CHAT_FILE_NAMES = [re.compile(re.escape(t).replace(re.escape("{N}"), "(?P<n>.+?)")) for t in table("file_names")]

ENCRYPTION_PREFIXES = (
    "Messages and calls are end-to-end encrypted", "Messages to this group are now secured",
    "Messages you send to this group are now secured", "Messages you send to this chat and calls are now secured",
    "Messages to this chat and calls are now secured",
    "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt", "Nachrichten an diese Gruppe sind jetzt",
    "Nachrichten, die du in diesem Chat sendest", "Nachrichten, die du an diese Gruppe sendest",
    "Los mensajes y las llamadas están cifrados de extremo a extremo", "Los mensajes que envíes a este",
    "Los mensajes enviados a este grupo",
    "Les messages et les appels sont chiffrés de bout en bout", "Les messages envoyés dans cette discussion",
    "Les messages envoyés dans ce groupe",
    "As mensagens e as chamadas são protegidas", "As mensagens e ligações são protegidas",
    "As mensagens e chamadas estão protegidas", "Mensagens e ligações são protegidas",
    "As mensagens que você envia para este",
    "I messaggi e le chiamate sono crittografati end-to-end",
)
ENCRYPTION_PREFIXES = tuple(dict.fromkeys((*ENCRYPTION_PREFIXES, *table("encryption"))))

_A = r"(?:(?!: ).)+?"  # a person: anything without ": " (so "Ana: I added sugar" is never an event)
_Q = r"[\"“„«»”']"  # quotes around group names

# (subtype, pattern); {A} = a person
_SYSTEM = [
    # --- English
    ("encryption", r"(?:" + "|".join(re.escape(p) for p in ENCRYPTION_PREFIXES) + r").*"),
    ("group_created", r"{A} created (?:group {Q}.*{Q}|this group)"),
    ("member_added", r"{A} added {A}|You were added|{A} were added|{A} was added"),
    ("member_removed", r"{A} removed {A}|You were removed|{A} was removed"),
    ("member_left", r"{A} left(?: the group)?"),
    ("joined_by_link", r"{A} joined using (?:this group's|a group|the group's) (?:invite )?link"),
    ("subject_changed", r"{A} changed (?:the subject|the group name|this group's name)(?: from {Q}.*{Q})? to {Q}.*{Q}"),
    ("icon_changed", r"{A} (?:changed|deleted|removed) (?:this group's icon|the group icon|the group photo)"),
    ("description_changed", r"{A} (?:changed|deleted) the group description"),
    ("settings_changed", r"{A} changed (?:this group's|the group) settings.*"),
    ("admin", r"You're now an admin|{A} (?:is|are) now an admin|You're no longer an admin"),
    ("security_code_changed", r"(?:Your security code with {A} changed|{A}'s security code changed)\..*"),
    ("number_changed", r"{A} changed their phone number(?: to a new number)?.*|{A} changed to {A}"),
    ("disappearing_messages", r"(?:{A} turned (?:on|off)|Disappearing messages were turned (?:on|off)|{A} updated the message timer|You turned (?:on|off)).*(?:disappearing messages|timer|ephemeral).*"),
    ("blocked", r"You (?:un)?blocked this contact\..*|You (?:un)?blocked this contact"),
    ("chat_privacy", r"{A} turned (?:on|off) advanced chat privacy.*"),
    # --- German
    ("group_created", r"(?:{A} hat|Du hast) die Gruppe {Q}?.*?{Q}? erstellt\.?"),
    ("member_added", r"(?:{A} hat|Du hast) {A} hinzugefügt\.?|{A} hat dich hinzugefügt\.?|{A} (?:wurde|wurden) hinzugefügt\.?"),
    ("member_removed", r"(?:{A} hat|Du hast) {A} entfernt\.?|{A} hat dich entfernt\.?"),
    ("member_left", r"(?:{A} hat|Du hast) die Gruppe verlassen\.?"),
    ("joined_by_link", r"{A} (?:ist|bist) (?:der Gruppe )?über den Einladungslink(?: dieser Gruppe)? beigetreten\.?"),
    ("subject_changed", r"(?:{A} hat|Du hast) (?:den Betreff|den Gruppennamen).* geändert\.?"),
    ("icon_changed", r"(?:{A} hat|Du hast) (?:das Gruppenbild|das Gruppenfoto|das Gruppensymbol) (?:geändert|gelöscht)\.?"),
    ("description_changed", r"(?:{A} hat|Du hast) die Gruppenbeschreibung (?:geändert|gelöscht)\.?"),
    ("admin", r"Du bist jetzt (?:ein(?:\*e|e)? )?Admin\.?"),
    ("security_code_changed", r"(?:Deine Sicherheitsnummer|Dein Sicherheitscode) für {A} hat sich geändert.*"),
    ("number_changed", r"{A} hat (?:seine|ihre|die) Telefonnummer (?:zu einer neuen Nummer )?geändert.*|{A} hat zu {A} gewechselt.*"),
    ("disappearing_messages", r"(?:{A} hat|Du hast) (?:selbstlöschende|verschwindende) Nachrichten (?:aktiviert|deaktiviert).*"),
    ("blocked", r"Du hast diesen Kontakt (?:blockiert|freigegeben).*"),
    # --- Spanish
    ("group_created", r"(?:{A} creó|Creaste) (?:el grupo {Q}.*{Q}|este grupo)\.?"),
    ("member_added", r"{A} (?:añadió|agregó) a {A}|(?:Añadiste|Agregaste) a {A}|{A} te (?:añadió|agregó)"),
    ("member_removed", r"{A} eliminó a {A}|Eliminaste a {A}|{A} te eliminó"),
    ("member_left", r"{A} salió del grupo|Saliste del grupo|{A} salió"),
    ("joined_by_link", r"{A} se unió (?:usando|mediante|con) el enlace de invitación.*"),
    ("subject_changed", r"(?:{A} cambió|Cambiaste) (?:el asunto|el nombre del grupo).*"),
    ("icon_changed", r"(?:{A} cambió|Cambiaste|{A} eliminó|Eliminaste) (?:el ícono|el icono|la imagen|la foto) (?:de este|del) grupo"),
    ("description_changed", r"(?:{A} cambió|Cambiaste) la descripción del grupo"),
    ("admin", r"Ahora eres (?:admin|administrador)(?: del grupo)?\.?"),
    ("security_code_changed", r"Tu código de seguridad con {A} cambió.*"),
    ("number_changed", r"{A} cambió su número de teléfono.*|{A} cambió a {A}"),
    ("disappearing_messages", r"(?:{A} activó|{A} desactivó|Activaste|Desactivaste) los mensajes temporales.*"),
    ("blocked", r"(?:Bloqueaste|Desbloqueaste) este contacto.*"),
    # --- French
    ("group_created", r"(?:{A} a créé|Vous avez créé) (?:le groupe {Q}.*{Q}|ce groupe)\.?"),
    ("member_added", r"{A} a ajouté {A}|Vous avez ajouté {A}|{A} vous a ajouté(?:e)?"),
    ("member_removed", r"{A} a retiré {A}|Vous avez retiré {A}|{A} vous a retiré(?:e)?"),
    ("member_left", r"{A} est parti(?:e)?|Vous êtes parti(?:e)?|{A} a quitté le groupe"),
    ("joined_by_link", r"{A} a rejoint (?:ce groupe |le groupe )?(?:via|avec|en utilisant) le lien d['’]invitation.*"),
    ("subject_changed", r"(?:{A} a|Vous avez) (?:modifié|changé) (?:le sujet|le nom du groupe).*"),
    ("icon_changed", r"(?:{A} a|Vous avez) (?:modifié|changé|supprimé) (?:l['’]icône|la photo) (?:de ce|du) groupe"),
    ("description_changed", r"(?:{A} a|Vous avez) (?:modifié|changé) la description du groupe"),
    ("admin", r"Vous êtes (?:désormais|maintenant) admin.*"),
    ("security_code_changed", r"Votre code de sécurité avec {A} a changé.*"),
    ("number_changed", r"{A} a changé (?:son|de) numéro de téléphone.*"),
    ("disappearing_messages", r"(?:{A} a|Vous avez) (?:activé|désactivé) les messages éphémères.*"),
    ("blocked", r"Vous avez (?:bloqué|débloqué) ce contact.*"),
    # --- Portuguese
    ("group_created", r"(?:{A} criou|Você criou) (?:o grupo {Q}.*{Q}|este grupo)\.?"),
    ("member_added", r"{A} adicionou {A}|Você adicionou {A}|{A} adicionou você|{A} te adicionou"),
    ("member_removed", r"{A} removeu {A}|Você removeu {A}|{A} removeu você"),
    ("member_left", r"{A} saiu(?: do grupo)?|Você saiu(?: do grupo)?"),
    ("joined_by_link", r"{A} entrou (?:usando|através d)o link de convite.*"),
    ("subject_changed", r"(?:{A}|Você) (?:mudou|alterou) (?:o assunto|o nome do grupo).*"),
    ("icon_changed", r"(?:{A}|Você) (?:mudou|alterou|apagou) (?:a imagem|o ícone|a foto) (?:deste|do) grupo"),
    ("description_changed", r"(?:{A}|Você) (?:mudou|alterou) a descrição do grupo"),
    ("admin", r"Agora você é (?:um )?admin.*"),
    ("security_code_changed", r"(?:O seu|Seu) código de segurança com {A} (?:mudou|foi alterado).*"),
    ("number_changed", r"{A} mudou (?:seu|o seu) número de telefone.*|{A} mudou para {A}"),
    ("disappearing_messages", r"(?:{A}|Você) (?:ativou|desativou) as mensagens temporárias.*"),
    ("blocked", r"Você (?:bloqueou|desbloqueou) (?:este|esse) contato.*"),
]


def _template(text: str) -> str:
    """A system phrase of the table as a pattern: {A}/{B} a person, {G} a group name, {*} any tail."""
    parts = re.split(r"(\{[ABG*F]\})", text)
    out = []
    for part in parts:
        if part in ("{A}", "{B}"):
            out.append("{A}")
        elif part == "{G}":
            out.append(".+?")
        elif part in ("{*}", "{F}"):
            out.append(".*")
        else:
            out.append(re.escape(part))
    return "".join(out)


def _from_table() -> list[tuple[str, str]]:
    """The table's system phrases as (subtype, pattern), the most specific first (most literal text), so that
    "{A} added this group to the community {G}" is a community notice before "{A} added {B}" is tried."""
    found = {}
    for locale in LOCALES.values():
        for kind, subtype in SYSTEM_KINDS.items():
            if kind == "encryption":
                continue  # the encryption pattern is built from ENCRYPTION_PREFIXES, the table's included
            for phrase in locale.get(kind, ()):
                found.setdefault(_template(phrase), (subtype, len(re.sub(r"\{[ABG*F]\}", "", phrase))))
    ranked = sorted(found.items(), key=lambda item: -item[1][1])
    return [(subtype, pattern) for pattern, (subtype, _) in ranked]


# the table's exact phrases first, then the hand-written patterns above (broader: more spellings of a phrase)
_SYSTEM[:0] = _from_table()


@functools.lru_cache(maxsize=1)
def _system_union() -> tuple[re.Pattern, dict[str, str]]:
    """Every system pattern, in order, as one alternation whose alternative ``s<i>`` is pattern i (none has a
    group of its own), and each alternative's subtype. Matched whole, the alternation takes the first pattern
    that matches the whole line, as trying them one by one would: one compiled pattern instead of 431 more
    (Python's regex compiler is written in Python: compiling them was 48 ms of every import's start-up). Made
    at the first system line asked about, so an import with no chat in it does not compile it (61 ms)."""
    alternatives, subtypes = [], {}
    for i, (subtype, pattern) in enumerate(_SYSTEM):
        alternatives.append(f"(?P<s{i}>{pattern.replace('{A}', _A).replace('{Q}', _Q)})")
        subtypes[f"s{i}"] = subtype
    return re.compile("|".join(alternatives), re.DOTALL), subtypes


def system_subtype(text: str) -> str | None:
    """The event a whole line body is (``member_added``, ...), or None when it is no system line."""
    pattern, subtypes = _system_union()
    match = pattern.fullmatch(text)
    return None if match is None else subtypes[match.lastgroup]


# a message body that is nothing but one of these (after bidi marks) is not text
MEDIA_OMITTED = {
    "<Media omitted>", "<media omitted>", "<Video message omitted>", "<Video note omitted>",
    "<Medien ausgeschlossen>", "<Medien weggelassen>", "<Multimedia omitido>", "<multimedia omitido>",
    "<Archivo omitido>", "<Mídia omitida>", "<Mídia oculta>", "<Arquivo de mídia oculto>",
    "<ficheiro não revelado>", "<Médias omis>", "<médias omis>", "<Fichier omis>", "<Media omessi>",
    "<Media weggelaten>",
}
MEDIA_OMITTED |= set(table("media_omitted"))
VIEW_ONCE = set(table("view_once"))  # a view-once photo or video, not in the export: media
CONTACT_OMITTED = set(table("contact_card"))
OMITTED_SUFFIXES = (
    " omitted", " weggelassen", " ausgelassen", " omitida", " omitido", " omis", " omise", " absente",
    " ocultada", " ocultado", " oculta", " omessa", " omesso",
)
CONTACT_WORDS = ("contact card", "kontaktkarte", "tarjeta de contacto", "fiche contact", "carte de contact",
                 "cartão do contato", "cartão de contacto", "contatto")

DELETED = {
    "This message was deleted", "You deleted this message", "Message deleted", "This message was deleted by admin",
    "Diese Nachricht wurde gelöscht", "Du hast diese Nachricht gelöscht",
    "Se eliminó este mensaje", "Eliminaste este mensaje", "Este mensaje fue eliminado",
    "Ce message a été supprimé", "Vous avez supprimé ce message",
    "Esta mensagem foi apagada", "Você apagou esta mensagem", "Mensagem apagada", "Apagou esta mensagem",
    "Questo messaggio è stato eliminato", "Hai eliminato questo messaggio",
}
# the owner wrote these: an iOS export gives them the owner's name as author
DELETED_BY_OWNER = {"You deleted this message", "Du hast diese Nachricht gelöscht", "Eliminaste este mensaje",
                    "Vous avez supprimé ce message", "Você apagou esta mensagem", "Hai eliminato questo messaggio"}
DELETED_BY_OWNER |= {d.rstrip(".") for d in table("deleted_self")}
DELETED |= DELETED_BY_OWNER | {d.rstrip(".") for d in table("deleted_other")}

EDITED_SUFFIX = re.compile(
    r"\s*[" + BIDI + r"]*<(?:This message was edited|Diese Nachricht wurde bearbeitet|Se editó este mensaje|"
    r"Ce message a été modifié|Mensagem editada|Esta mensagem foi editada|Messaggio modificato|"
    + "|".join(re.escape(e.rstrip(".")) for e in table("edited")) + r")\.?>$")

# "<attached: file>", "file (file attached)", old iOS "file <attached>"
_ATTACHED_WORDS = dict.fromkeys(["attached", "Anhang", "adjunto", "archivo adjunto", "pièce jointe", "anexado",
                                  "allegato"] + [a[1:].split(":")[0].strip() for a in table("attached")])
_FILE_ATTACHED_WORDS = dict.fromkeys(["file attached", "Datei angehängt", "archivo adjunto", "fichier joint",
                                      "arquivo anexado", "ficheiro anexado", "file allegato"]
                                     + [a.split("(", 1)[1].rstrip(")") for a in table("file_attached")])
ATTACHMENT = re.compile(
    r"(?:.*?[" + BIDI + r"]?)?<\s*(?:" + "|".join(map(re.escape, _ATTACHED_WORDS)) + r")\s*:\s*(?P<a>[^>]+?)\s*>"
    r"|(?P<b>.+?) \((?:" + "|".join(map(re.escape, _FILE_ATTACHED_WORDS)) + r")\)"
    r"|(?P<c>\S+) <[" + BIDI + r"]?attached>", re.DOTALL)

LOCATION_PREFIXES = ("location: ", "Location: ", "Standort: ", "Ubicación: ", "ubicación: ", "Localização: ",
                     "localização: ", "Localisation : ", "Localisation: ", "Position: ", "Posizione: ")
LOCATION_PREFIXES = tuple(dict.fromkeys((*LOCATION_PREFIXES, *table("location"))))
LIVE_LOCATION = {"live location shared", "Live location shared", "Live-Standort wird geteilt.",
                 "Live-Standort wird geteilt", "Ubicación en tiempo real compartida",
                 "Position en direct partagée", "Localização em tempo real partilhada",
                 "Localização em tempo real compartilhada", "Posizione in tempo reale condivisa"}
LIVE_LOCATION |= set(table("live_location"))
MAPS_COORDS = re.compile(r"[?&]q=(-?\d+(?:\.\d+)?),\s*(-?\d+(?:\.\d+)?)")

POLL_WORDS = {"POLL:", "ENCUESTA:", "UMFRAGE:", "SONDAGE :", "SONDAGE:", "ENQUETE:", "SONDAGGIO:", "PEILING:"}
POLL_WORDS |= set(table("poll"))
POLL_OPTION = re.compile(r"[" + BIDI + r"]*[^\W\d_]+ ?: (?P<label>.*) \((?P<votes>\d+) [^\W\d_]+\)\s*$")

CALL = re.compile(
    r"(?:Missed (?:group )?(?:voice|video) call|(?:Group )?(?:[Vv]oice|[Vv]ideo) call|Silenced (?:voice|video) call|"
    r"Verpasster (?:Sprach|Video|Gruppensprach|Gruppenvideo)anruf|(?:Sprach|Video|Gruppen)anruf|"
    r"Llamada (?:de voz|de video|grupal)?(?: perdida)?|Videollamada(?: perdida)?|"
    r"Appel (?:vocal|vidéo)(?: manqué)?|Appel manqué|"
    r"Chamada (?:de voz|de vídeo)(?: perdida)?|Chamada perdida|Ligação (?:de voz|de vídeo)(?: perdida)?|Videochamada(?: perdida)?|"
    + "|".join(re.escape(c) for c in sorted(set(table("missed_voice_call") + table("missed_video_call")), key=len, reverse=True))
    + r")"
    r"(?:[.,]?\s*[" + BIDI + r"]*(?:\d+\s*(?:min|sec|s|hr|h|Min\.|Sek\.|Std\.)\w*|No answer|Tap to call back|"
    r"Keine Antwort|Sin respuesta|Pas de réponse|Sem resposta|Click to call back|Zum Zurückrufen tippen)\.?)*")
CALL_PLACEHOLDERS = {"null"}  # old Android exports write a call attempt as "null"


# 12-hour day-period markers of every language, before or after the time ("오후 2:05", "下午2:05", "2:05 م")
AM_WORDS = tuple(dict.fromkeys(w for w in table("day_am")))
PM_WORDS = tuple(dict.fromkeys(w for w in table("day_pm")))
