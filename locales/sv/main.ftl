# Fridhem – svenska. Det här är texterna på de sidor som finns på alla språk;
# varje nyckel här finns också i fi, en, ar, fa, so och lattlast.
# Texter som bara finns på svenska (formulär, redogörelsen, e-post,
# personalens sidor) står i forms.ftl.

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
footer-report = Rapportera brist i tillgängligheten
footer-alt-format = Begär innehåll i annat format
footer-contact = Kontakta oss
footer-privacy-notice = Personuppgifter
footer-accessibility = Tillgänglighetsredogörelse
footer-hide-visit = Dölj ditt besök
footer-open-data = Hjälpkatalogen som öppna data (Open Referral)
footer-municipality = Till kommunens webbplats
footer-phone = telefon
footer-privacy = Den här webbplatsen sätter inga kakor och hämtar ingenting från andra webbplatser.
contact-title = Kontakta kommunen
contact-form-link = Skriv till kommunen via kontaktformuläret

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
    [one] { $count } ställe för { $audience }
   *[other] { $count } ställen för { $audience }
}
help-group-emergency = Akut
help-group-local = I { $place }
help-group-national = I hela landet
help-verified-on = Telefonnummer och öppettider kontrollerades { $date }.
help-verified-between = Telefonnummer och öppettider kontrollerades mellan { $first } och { $last }.

service-for = För
service-languages = Språk:
service-interpretation = Tolk och andra språk
service-call-safety = Om samtalet
service-website = Webbplats
audience-utsatt = Dig som är utsatt
audience-granne = Orolig granne eller anhörig
audience-barn = Barn och unga
audience-utovare = Dig som utövar våld
audience-yrkesverksam = Yrkesverksamma
audience-for-utsatt = dig som är utsatt
audience-for-granne = dig som är orolig för en granne eller anhörig
audience-for-barn = barn och unga
audience-for-utovare = dig som utövar våld
audience-for-yrkesverksam = yrkesverksamma

## Öppettider
status-open-until = Öppet nu – stänger { $time }
status-closed-opens = Stängt – öppnar { $day } { $time }
status-closed = Stängt
status-holiday = Helgdag i dag – öppettiderna kan vara andra
status-closed-holiday-next = Stängt – på { $day } är det helgdag, öppettiderna kan vara andra
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
# Ett datum: dag, månad (ord ovan), år.
date = { $day } { $month } { $year }

## Kampanjmånaden
campaign-programme-on = Programmet för En månad fri från våld { $year } publiceras här den { $date }.
campaign-before = En månad fri från våld { $year } pågår 1–30 november. Programmet publiceras här när det är klart.
campaign-during = Just nu pågår En månad fri från våld { $year }, 1–30 november.
campaign-after = En månad fri från våld { $year } är avslutad. Nästa kampanj pågår 1–30 november { $next }.
campaign-programme-link = Se programmet för En månad fri från våld

## Felsidor
error-404-title = Sidan finns inte
error-400-title = Något i förfrågan var fel
error-400-body = Webbplatsen kunde inte förstå förfrågan. Gå tillbaka och försök igen, eller börja om från startsidan.
error-403-title = Du har inte behörighet
error-403-body = Du får inte göra det här. Gå tillbaka, eller börja om från startsidan.
error-409-title = Någon hann före
error-409-body = Det du försökte ändra har ändrats av någon annan under tiden. Ladda om sidan och försök igen.
error-405-title = Det går inte att göra så här
error-405-body = Sidan finns, men den går inte att använda på det sättet. Gå till sidan via en länk i stället.
error-413-title = Det du skickade är för stort
error-413-body = Det du försökte skicka var större än vi kan ta emot (högst 64 kB). Korta texten och försök igen.
error-500-title = Något gick fel hos oss
error-500-body = Sidan kunde inte visas just nu. Försök igen om en stund. Vid akut fara: ring 112.

## Språk och översättningar
# Rubrik för listan över språk på varje sida.
language-list-label = Språk
# När sidan inte finns på det valda språket visas den svenska sidan med den här texten.
language-fallback = Den här sidan finns inte på det språk du valde än. Här visas den på svenska.
# När den svenska sidan har ändrats efter översättningen.
translation-behind = Den svenska texten har ändrats sedan den här översättningen skrevs. Den svenska sidan kan ha nyare uppgifter.
translation-behind-link = Läs sidan på svenska
# Visas diskret tills någon med språket som modersmål har granskat texten.
translation-not-reviewed = Den här översättningen är inte granskad av någon som har språket som modersmål.
# Hur man kontaktar kommunen på sidans språk. { $phone } är kommunens nummer.
contact-language-title = Kontakta kommunen
contact-language = Ring kommunen på { $phone }. Säg vilket språk du talar, så får du hjälp av en tolk. Tolken är gratis. Formulären på webbplatsen är på svenska.
# { $number } är Kvinnofridslinjens nummer.
contact-language-kvinnofridslinjen = Kvinnofridslinjen på { $number } kan koppla in en tolk i samtalet. Det är gratis och öppet dygnet runt.
