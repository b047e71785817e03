# Fridhem – lättläst svenska. Samma nycklar som sv/main.ftl.

site-name = Stöd vid våld i nära relationer

## Snabb utgång
exit-button = Lämna sidan snabbt
exit-neutral-title = Väder
exit-hint = Om knappen och hur du döljer att du varit här
exit-progress = Tryck på Skift { $remaining ->
    [one] { $remaining } gång till
   *[other] { $remaining } gånger till
} så lämnar du sidan
skip-to-content = Gå direkt till texten

## Sidhuvud och meny
emergency-short = Är du i fara nu? Ring
nav-label = Meny
nav-start = Start
nav-help = Här kan du få hjälp
nav-worried = Orolig för någon
nav-not-alone = Inte ensam
nav-month = En månad fri från våld
last-updated = Senast ändrad:

## Sidfot
footer-report = Säg till om sidan är svår att använda
footer-alt-format = Be om texten på ett annat sätt
footer-contact = Kontakta oss
footer-privacy-notice = Om dina uppgifter
footer-accessibility = Hur lätt är webbplatsen att använda?
footer-hide-visit = Dölj att du varit här
footer-open-data = Listan med hjälp som öppna data (Open Referral)
footer-municipality = Till kommunens webbplats
footer-phone = telefon
footer-privacy = Den här webbplatsen använder inga kakor (cookies). Den hämtar inget från andra webbplatser.
contact-title = Kontakta kommunen
contact-form-link = Skriv till kommunen

## Hjälprutan
help-box-title = Behöver du hjälp?
help-box-emergency = Är du i fara nu? Ring
help-box-more = Fler som kan hjälpa dig
hours-always = Öppet dygnet runt

## Hjälpkatalogen
help-filter-title = Visa hjälp för
help-filter-all = Alla
help-filter-unknown = Vi förstår inte det valet. Här ser du alla som kan hjälpa dig.
help-count = { $count ->
    [one] { $count } ställe som kan hjälpa dig
   *[other] { $count } ställen som kan hjälpa dig
}
help-count-for = { $count ->
    [one] { $count } ställe för { $audience }
   *[other] { $count } ställen för { $audience }
}
help-group-emergency = Akut hjälp
help-group-local = I { $place }
help-group-national = I hela Sverige
help-verified-on = Vi kollade telefonnummer och öppettider { $date }.
help-verified-between = Vi kollade telefonnummer och öppettider mellan { $first } och { $last }.

service-for = För
service-languages = Språk:
service-interpretation = Tolk och andra språk
service-call-safety = Om samtalet
service-website = Webbplats
audience-utsatt = Du som utsätts för våld
audience-granne = Du som är orolig för en granne eller någon nära
audience-barn = Barn och unga
audience-utovare = Du som använder våld mot någon
audience-yrkesverksam = Du som möter våld i ditt arbete
audience-for-utsatt = dig som utsätts för våld
audience-for-granne = dig som är orolig för en granne eller någon nära
audience-for-barn = barn och unga
audience-for-utovare = dig som använder våld mot någon
audience-for-yrkesverksam = dig som möter våld i ditt arbete

## Öppettider
status-open-until = Öppet nu. Stänger klockan { $time }
status-closed-opens = Stängt. Öppnar { $day } klockan { $time }
status-closed = Stängt
status-holiday = Det är helgdag i dag. Då kan tiderna vara andra.
status-closed-holiday-next = Stängt. Det är helgdag på { $day }. Då kan tiderna vara andra.
status-today = i dag
status-tomorrow = i morgon
days-all = Alla dagar
days-weekdays = Måndag till fredag
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
# A date: day, month (the words above), year.
date = { $day } { $month } { $year }

## Kampanjmånaden
campaign-programme-on = Den { $date } kan du läsa här vad som händer under En månad fri från våld { $year }.
campaign-before = En månad fri från våld { $year } är 1–30 november. Vi skriver här vad som händer när planen är klar.
campaign-during = Just nu är det En månad fri från våld { $year }. Den är 1–30 november.
campaign-after = En månad fri från våld { $year } är slut. Nästa gång är 1–30 november { $next }.
campaign-programme-link = Läs vad som händer under månaden

## Felsidor
error-404-title = Sidan finns inte
error-400-title = Något blev fel
error-400-body = Webbplatsen förstod inte vad du ville göra. Gå tillbaka och försök igen. Du kan också börja om på startsidan.
error-403-title = Du får inte göra det här
error-403-body = Du har inte lov att göra det här. Gå tillbaka. Eller börja om på startsidan.
error-409-title = Någon annan hann först
error-409-body = Någon annan har ändrat samma sak under tiden. Ladda sidan igen och försök en gång till.
error-405-title = Det går inte att göra så här
error-405-body = Sidan finns. Men du kan inte använda den på det här sättet. Gå till sidan med en länk i stället.
error-413-title = Det du skickade är för stort
error-413-body = Vi kan ta emot högst 64 kB (kilobyte). Det du skickade var större. Gör texten kortare och försök igen.
error-500-title = Något gick fel hos oss
error-500-body = Vi kan inte visa sidan just nu. Försök igen om en stund. Är du i fara nu? Ring 112.

## Språk och översättningar
# Rubrik för listan över språk på varje sida.
language-list-label = Språk
# När sidan inte finns på lättläst svenska visas den vanliga svenska sidan med den här texten.
language-fallback = Den här sidan finns inte på lättläst svenska än. Här under står den på vanlig svenska.
# När den svenska sidan har ändrats efter att den lättlästa texten skrevs.
translation-behind = Texten på vanlig svenska har ändrats efter att vi skrev den här texten. Sidan på vanlig svenska kan ha nyare uppgifter.
translation-behind-link = Läs sidan på vanlig svenska
# Visas diskret tills någon som kan lättläst har granskat texten.
translation-not-reviewed = Ingen expert på lättläst svenska har läst och kollat den här texten än.
# Hur man kontaktar kommunen. { $phone } är kommunens nummer.
contact-language-title = Kontakta kommunen
contact-language = Du kan ringa kommunen på { $phone }. Be dem att förklara på ett enkelt sätt. Talar du ett annat språk? Då kan du få hjälp av en tolk. En tolk översätter det ni säger. Tolken är gratis. Formulären på webbplatsen är på vanlig svenska.
# { $number } är Kvinnofridslinjens nummer.
contact-language-kvinnofridslinjen = Kvinnofridslinjen har numret { $number }. Där kan en tolk vara med i samtalet. Det kostar inget. Du kan ringa dag och natt.
