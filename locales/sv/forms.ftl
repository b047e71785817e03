# Fridhem – texter som bara finns på svenska: formulären, tillgänglighetsredogörelsen,
# personuppgiftssidan, e-post och personalens sidor.

## Tillgänglighetsredogörelsen
statement-public-body = Ansvarig
statement-service = Webbplats
statement-status = Status
statement-assessed = Bedömningen gjordes
statement-updated = Redogörelsen uppdaterades
statement-compliance-title = Hur tillgänglig är webbplatsen?
statement-nonconformities = Innehåll som inte är tillgängligt
statement-none = Inget.
statement-criterion = Kriterium i WCAG 2.1 som inte uppfylls:
statement-burden = Oskäligt betungande anpassning
statement-outside = Innehåll som inte omfattas av lagen
statement-method-title = Så har vi testat webbplatsen
statement-feedback-title = Rapportera brister eller begär ett annat format
statement-contact-link = Kontaktuppgifter på kommunens webbplats
statement-enforcement-title = Tillsyn
statement-digg-link = Anmäl till Myndigheten för digital förvaltning (DIGG)
compliance-full = Helt förenlig med lagen
compliance-partial = Delvis förenlig med lagen
compliance-none = Inte förenlig med lagen
statement-compliance-full = Webbplatsen är helt förenlig med lagen om tillgänglighet till digital offentlig service.
statement-compliance-partial = Webbplatsen är delvis förenlig med lagen om tillgänglighet till digital offentlig service, på grund av de brister mot kriterier som beskrivs nedan.
statement-compliance-none = Webbplatsen är inte förenlig med lagen om tillgänglighet till digital offentlig service, på grund av de brister mot kriterier som beskrivs nedan.
statement-standard = Lagen hänvisar till standarden EN 301 549 V3.2.1, som i sin tur hänvisar till kraven i WCAG 2.1 på nivå AA.
statement-no-nonconformities = Vi känner inte till något innehåll som bryter mot ett kriterium i WCAG 2.1 nivå AA.
statement-other-title = Annat vi arbetar med
statement-other-intro = Det här är inte krav i WCAG, men det gör webbplatsen svårare att använda för en del av er. Så här ser planen ut.
statement-plan = Plan:
statement-planned-fix = Planerad åtgärd:

## Formulär – gemensamt
form-error-summary-title = Det finns ett problem
form-error-title-prefix = Fel: { $title }
form-error-prefix = Fel:
form-honeypot-label = Lämna det här fältet tomt
form-optional = (frivilligt)
form-privacy = Vi sparar det du skickar som ett ärende hos kommunen. Skriv inte mer om dig själv eller andra än vad som behövs. Om du anger en e-postadress får du en bekräftelse utan det du har skrivit.
form-privacy-link = Så hanterar vi dina personuppgifter
form-submit = Skicka
form-max-chars = Du kan skriva högst { $max } tecken.
form-error-missing = Fyll i fältet
form-error-too-long = Texten får vara högst { $max } tecken
form-error-invalid-email = Skriv e-postadressen på formen namn@exempel.se
form-error-invalid-phone = Skriv ett telefonnummer med bara siffror, mellanslag, bindestreck och eventuellt + först, till exempel 070-123 45 67
form-error-unknown-choice = Välj ett av alternativen
form-error-need-contact = Skriv hur vi kan nå dig
form-error-control-characters = Fältet innehåller tecken som inte kan sparas, till exempel radbrytningar i ett fält för en rad
form-error-invisible-characters = Fältet innehåller osynliga tecken som kan ändra hur texten visas. Skriv in texten igen i stället för att klistra in den.
form-refused-cross-site = Formuläret skickades från en annan webbplats och togs inte emot. Fyll i det här och skicka igen.
form-refused-unreadable = Formuläret kunde inte läsas. Fyll i det igen och skicka.
form-refused-expired = Sidan hade varit öppen för länge. Det du skrev finns kvar – skicka igen.
form-refused-token = Formuläret kunde inte kontrolleras. Det du skrev finns kvar – skicka igen.
form-refused-rate-limited = Många formulär har skickats från samma nätverk den senaste timmen, så vi tar inte emot fler just nu. Vänta en stund och försök igen, eller ring kommunen på { $phone }.
form-refused-unavailable = Vi kunde inte ta emot formuläret just nu. Det du skrev finns kvar – försök igen om en stund.
form-receipt-title = Vi har tagit emot ditt ärende
form-receipt-reference = Ditt ärendenummer är
form-receipt-next-title = Vad händer nu?
form-receipt-save = Spara ärendenumret. Ange det om du kontaktar oss om ärendet.
form-receipt-back = Till startsidan
form-receipt-ack-limited = Vi har inte skickat någon bekräftelse till din e-post, eftersom många bekräftelser redan har skickats dit eller från samma nätverk i dag. Ditt ärende är ändå registrerat. Har du frågor kan du ringa kommunen på { $phone }.
privacy-controller-title = Vem som ansvarar för dina uppgifter
privacy-through = genom
privacy-dpo-title = Dataskyddsombud
privacy-retention-title = Så länge sparar vi uppgifterna
privacy-retention-intro = Uppgifterna sparas medan ärendet pågår. När ärendet är avslutat raderas namn, kontaktuppgifter och det du skrev efter den tid som står här. Kvar blir bara uppgifter utan koppling till dig, till exempel hur många ärenden som kom in och hur snabbt vi svarade.
privacy-retention-type = Typ av ärende
privacy-retention-time = Sparas efter att ärendet avslutats
privacy-months = månader
example = Exempel
answer-time = { $days ->
    [one] Vi svarar inom en arbetsdag.
   *[other] Vi svarar inom { $days } arbetsdagar.
}
case-type-tg = Brist i tillgängligheten
case-type-af = Begäran om innehåll i annat format
case-type-ko = Kontakt

## E-post (skickas utan det personen skrev)
mail-ack-subject = Vi har tagit emot ditt ärende { $reference }
mail-ack-body = Hej!

    Vi har tagit emot ditt ärende. Ärendenummer: { $reference }
    Typ av ärende: { $type }

    { $next }

    Det här är ett automatiskt meddelande. Svara inte på det. Ange ärendenumret om du kontaktar oss.
mail-handler-subject = Nytt ärende { $reference }: { $type }
mail-handler-body = Ett nytt ärende har kommit in.

    Ärendenummer: { $reference }
    Typ av ärende: { $type }

    Läs ärendet i kommunens system. Av sekretesskäl står innehållet inte i det här meddelandet.

## Formulär: rapportera brist i tillgängligheten (TG)
form-tg-title = Rapportera brist i tillgängligheten
form-tg-intro = Berätta om något på webbplatsen som du inte kan använda eller som är svårt att använda. Alla fält som inte är märkta med ”frivilligt” måste fyllas i.
form-tg-next = Vi läser din rapport och rättar bristen om vi kan. Om du har valt att få svar kontaktar vi dig.
form-tg-sida-label = Vilken sida gäller det?
form-tg-sida-hint = Sidans adress eller namn, till exempel /hjalp eller ”Hit kan du vända dig”.
form-tg-sida-missing = Skriv vilken sida det gäller
form-tg-problem-label = Vad är problemet?
form-tg-problem-hint = Beskriv vad du försökte göra och vad som hände. Skriv gärna vilken webbläsare eller vilket hjälpmedel du använder.
form-tg-problem-missing = Beskriv problemet
form-tg-namn-label = Ditt namn
form-tg-epost-label = E-postadress
form-tg-telefon-label = Telefonnummer
form-tg-svar-label = Hur vill du få svar?
form-tg-svar-option-epost = Via e-post
form-tg-svar-option-telefon = Via telefon
form-tg-svar-option-inget = Jag behöver inget svar
form-tg-svar-missing = Välj hur du vill få svar
form-tg-epost-need-contact = Skriv din e-postadress, eftersom du vill få svar via e-post
form-tg-telefon-need-contact = Skriv ditt telefonnummer, eftersom du vill få svar via telefon

## Formulär: begär innehåll i annat format (AF)
form-af-title = Begär innehåll i annat format
form-af-intro = Om du inte kan ta del av något på webbplatsen kan du be att få det i ett annat format. Vi behöver kunna nå dig för att leverera det.
form-af-next = Vi tar fram innehållet i det format du har bett om och skickar det till dig. Om det tar längre tid hör vi av oss.
form-af-innehall-label = Vilket innehåll vill du ha?
form-af-innehall-hint = Till exempel sidans namn eller adress, eller vilken del av sidan.
form-af-innehall-missing = Skriv vilket innehåll du vill ha
form-af-format-label = Vilket format behöver du?
form-af-format-option-lattlast = Lättläst svenska
form-af-format-option-ljud = Uppläst, som ljud
form-af-format-option-punktskrift = Punktskrift
form-af-format-option-storre-text = Större text
form-af-format-option-annat = Annat format
form-af-format-missing = Välj vilket format du behöver
form-af-annat_format-label = Om du valde annat format: vilket?
form-af-annat_format-missing = Skriv vilket format du behöver
form-af-namn-label = Ditt namn
form-af-namn-missing = Skriv ditt namn
form-af-epost-label = E-postadress
form-af-telefon-label = Telefonnummer
form-af-adress-label = Postadress
form-af-adress-hint = Fyll i minst ett av e-post, telefon och postadress.
form-af-epost-need-contact = Skriv e-postadress, telefonnummer eller postadress så att vi kan leverera innehållet

## Formulär: kontakt (KO)
form-ko-title = Kontakta oss
form-ko-intro = Här kan bostadsbolag och organisationer kontakta kommunen om Inte ensam, En månad fri från våld och annat. Är någon i fara just nu? Ring 112.
form-help-first = Behöver du själv stöd, eller är du orolig för någon? Se
form-ko-next = Ditt meddelande går till den som ansvarar för ämnet. Vi svarar via e-post eller telefon.
form-ko-amne-label = Vad gäller det?
form-ko-amne-option-inte-ensam = Inte ensam – för bostadsbolag
form-ko-amne-option-manad = En månad fri från våld
form-ko-amne-option-ovrigt = Övrigt
form-ko-amne-missing = Välj vad det gäller
form-ko-organisation-label = Organisation eller bostadsbolag
form-ko-namn-label = Ditt namn
form-ko-namn-missing = Skriv ditt namn
form-ko-epost-label = E-postadress
form-ko-telefon-label = Telefonnummer
form-ko-telefon-hint = Fyll i e-postadress, telefonnummer eller båda.
form-ko-meddelande-label = Meddelande
form-ko-meddelande-missing = Skriv ditt meddelande
form-ko-epost-need-contact = Skriv e-postadress eller telefonnummer så att vi kan svara

## Personalens sidor
admin-name = för personal
admin-error-401-title = Du behöver logga in
admin-error-401-body = Logga in för att se den här sidan.
admin-error-403-title = Du har inte behörighet
admin-error-403-body = Ditt konto får inte se den här sidan. Kontakta en administratör om du behöver den.
admin-error-404-title = Sidan finns inte
admin-error-404-body = Den här sidan finns inte i Fridhem.
admin-error-500-body = Något gick fel hos oss. Det du skrev kan ha gått förlorat; försök igen om en stund.
admin-error-public-site = Till den publika webbplatsen
