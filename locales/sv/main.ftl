# Fridhem – svenska (komplett). Varje nyckel finns också i en/main.ftl.

site-name = Stöd vid våld i nära relationer

## Snabb utgång
exit-button = Lämna sidan snabbt
exit-neutral-title = Väder
exit-hint = Om knappen och hur du döljer ditt besök
exit-progress = Tryck Skift { $remaining ->
    [one] { $remaining } gång till
   *[other] { $remaining } gånger till
} för att lämna sidan
skip-to-content = Hoppa till innehållet

## Sidhuvud och meny
emergency-short = Vid akut fara: ring
nav-label = Huvudmeny
nav-start = Start
nav-help = Hit kan du vända dig
nav-worried = Orolig för någon
nav-not-alone = Inte ensam
nav-month = En månad fri från våld
last-updated = Senast uppdaterad:

## Sidfot
footer-accessibility = Tillgänglighetsredogörelse
footer-hide-visit = Dölj ditt besök
footer-municipality = Till kommunens webbplats
footer-phone = telefon
footer-privacy = Den här webbplatsen sätter inga kakor och hämtar ingenting från andra webbplatser.
contact-title = Kontakta kommunen

## Hjälprutan
help-box-title = Behöver du hjälp?
help-box-emergency = Vid akut fara: ring
help-box-more = Fler ställen att vända sig till
hours-always = Öppet dygnet runt

## Hjälpkatalogen
help-filter-title = Visa hjälp för
help-filter-all = Alla
help-filter-unknown = Vi känner inte igen det valet. Här visas alla ställen du kan vända dig till.
help-count = { $count ->
    [one] { $count } ställe att vända sig till
   *[other] { $count } ställen att vända sig till
}
help-count-for = { $count ->
    [one] { $count } ställe för: { $audience }
   *[other] { $count } ställen för: { $audience }
}
help-open-data = Katalogen som öppna data (Open Referral)
service-for = För
service-languages = Språk
service-interpretation = Tolk och andra språk
service-call-safety = Om samtalet
service-website = Webbplats
service-verified = Kontrollerad:
audience-utsatt = Dig som är utsatt
audience-granne = Orolig granne eller anhörig
audience-barn = Barn och unga
audience-utovare = Dig som utövar våld
audience-yrkesverksam = Yrkesverksamma

## Öppettider
status-open-until = Öppet nu – stänger { $time }
status-closed-opens = Stängt – öppnar { $day } { $time }
status-closed = Stängt
status-today = i dag
status-tomorrow = i morgon
days-all = Alla dagar
days-weekdays = Vardagar
days-weekend = Lördag och söndag
hours-all-day = hela dygnet
day-mon = måndag
day-tue = tisdag
day-wed = onsdag
day-thu = torsdag
day-fri = fredag
day-sat = lördag
day-sun = söndag
day-short-mon = mån
day-short-tue = tis
day-short-wed = ons
day-short-thu = tor
day-short-fri = fre
day-short-sat = lör
day-short-sun = sön

## Språk
lang-sv = svenska
lang-en = engelska
lang-fi = finska
lang-ar = arabiska
lang-fa = persiska
lang-so = somaliska

## Datum
month-1 = januari
month-2 = februari
month-3 = mars
month-4 = april
month-5 = maj
month-6 = juni
month-7 = juli
month-8 = augusti
month-9 = september
month-10 = oktober
month-11 = november
month-12 = december

## Kampanjmånaden
campaign-programme-later = Programmet för En månad fri från våld { $year } publiceras här senare.
campaign-programme-on = Programmet för En månad fri från våld { $year } publiceras här den { $date }.

## Tillgänglighetsredogörelsen
statement-public-body = Ansvarig
statement-service = Webbplats
statement-status = Status
statement-assessed = Bedömningen gjordes
statement-updated = Redogörelsen uppdaterades
statement-compliance-title = Hur tillgänglig är webbplatsen?
statement-nonconformities = Innehåll som inte är tillgängligt
statement-none = Inget.
statement-criterion = Krav som inte uppfylls:
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

## Felsidor
error-404-title = Sidan finns inte
error-400-title = Något i förfrågan var fel
error-400-body = Webbplatsen kunde inte förstå förfrågan. Gå tillbaka och försök igen, eller börja om från startsidan.
error-405-title = Det går inte att göra så här
error-405-body = Sidan finns, men den går inte att använda på det sättet. Gå till sidan via en länk i stället.
error-413-title = Det du skickade är för stort
error-413-body = Det du försökte skicka var större än vi kan ta emot (högst 64 kB). Korta texten och försök igen.
error-500-title = Något gick fel hos oss
error-500-body = Sidan kunde inte visas just nu. Försök igen om en stund. Vid akut fara: ring 112.
