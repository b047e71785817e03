# Fridhem – suomi. Tekstit sivuille, jotka ovat kaikilla kielillä;
# avaimet ovat samat kuin tiedostossa sv/main.ftl.

site-name = Tukea lähisuhdeväkivaltaan

## Nopea poistuminen
exit-button = Poistu sivulta nopeasti
exit-neutral-title = Sää
exit-hint = Tietoa painikkeesta ja käynnin piilottamisesta
exit-progress = Paina vaihtonäppäintä (Shift) { $remaining ->
    [one] vielä kerran
   *[other] vielä { $remaining } kertaa
}, niin poistut sivulta
skip-to-content = Siirry sisältöön

## Ylätunniste ja valikko
emergency-short = Hätätilanteessa soita
nav-label = Päävalikko
nav-start = Etusivu
nav-help = Mistä saat apua
nav-worried = Huoli toisesta
nav-not-alone = Et ole yksin
nav-month = Kuukausi ilman väkivaltaa
last-updated = Päivitetty viimeksi:

## Alatunniste
footer-report = Ilmoita saavutettavuuden puutteesta (ruotsiksi)
footer-alt-format = Pyydä sisältöä toisessa muodossa (ruotsiksi)
footer-contact = Ota yhteyttä (ruotsiksi)
footer-privacy-notice = Henkilötiedot (ruotsiksi)
footer-accessibility = Saavutettavuusseloste (ruotsiksi)
footer-hide-visit = Piilota käyntisi
footer-open-data = Tukipalvelujen luettelo avoimena datana (Open Referral)
footer-municipality = Kunnan verkkosivuille
footer-phone = puhelin
footer-privacy = Tämä sivusto ei käytä evästeitä eikä lataa mitään muilta sivustoilta.
contact-title = Ota yhteyttä kuntaan
contact-form-link = Kirjoita kunnalle yhteydenottolomakkeella (ruotsiksi)

## Apulaatikko
help-box-title = Tarvitsetko apua?
help-box-emergency = Hätätilanteessa soita
help-box-more = Lisää paikkoja, joista saat apua
hours-always = Auki ympäri vuorokauden

## Avun luettelo
help-filter-title = Näytä apu
help-filter-all = Kaikille
help-filter-unknown = Emme tunnista tätä valintaa. Tässä näkyvät kaikki paikat, joista saat apua.
help-count = { $count ->
    [one] { $count } paikka, josta saat apua
   *[other] { $count } paikkaa, joista saat apua
}
help-count-for = { $count ->
    [one] { $count } paikka { $audience }
   *[other] { $count } paikkaa { $audience }
}
help-group-emergency = Hätätilanne
help-group-local = Paikallinen apu: { $place }
help-group-national = Koko Ruotsissa
help-verified-on = Puhelinnumerot ja aukioloajat tarkistettiin { $date }.
help-verified-between = Puhelinnumerot ja aukioloajat tarkistettiin aikavälillä { $first } – { $last }.

service-for = Tarkoitettu
service-languages = Kielet:
service-interpretation = Tulkki ja muut kielet
service-call-safety = Puhelusta
service-website = Verkkosivusto
audience-utsatt = Väkivaltaa kokevalle
audience-granne = Huolestuneelle naapurille tai läheiselle
audience-barn = Lapsille ja nuorille
audience-utovare = Väkivaltaa käyttävälle
audience-yrkesverksam = Ammattilaisille
audience-for-utsatt = sinulle, joka koet väkivaltaa
audience-for-granne = sinulle, joka olet huolissasi naapurista tai läheisestä
audience-for-barn = lapsille ja nuorille
audience-for-utovare = sinulle, joka käytät väkivaltaa
audience-for-yrkesverksam = ammattilaisille

## Aukioloajat
status-open-until = Auki nyt – sulkeutuu klo { $time }
status-closed-opens = Suljettu – avautuu { $day } klo { $time }
status-closed = Suljettu
status-holiday = Tänään on pyhäpäivä – aukioloajat voivat olla toiset
status-closed-holiday-next = Suljettu – { $day } on pyhäpäivä, aukioloajat voivat olla toiset
status-today = tänään
status-tomorrow = huomenna
days-all = Joka päivä
days-weekdays = Arkisin
days-weekend = Lauantaisin ja sunnuntaisin
hours-all-day = koko vuorokauden
day-mon = maanantai
day-tue = tiistai
day-wed = keskiviikko
day-thu = torstai
day-fri = perjantai
day-sat = lauantai
day-sun = sunnuntai
day-short-mon = ma
day-short-tue = ti
day-short-wed = ke
day-short-thu = to
day-short-fri = pe
day-short-sat = la
day-short-sun = su

## Kielet
lang-sv = ruotsi
lang-en = englanti
lang-fi = suomi
lang-ar = arabia
lang-fa = persia
lang-so = somali

## Päivämäärät
month-1 = tammikuuta
month-2 = helmikuuta
month-3 = maaliskuuta
month-4 = huhtikuuta
month-5 = toukokuuta
month-6 = kesäkuuta
month-7 = heinäkuuta
month-8 = elokuuta
month-9 = syyskuuta
month-10 = lokakuuta
month-11 = marraskuuta
month-12 = joulukuuta
# Päivämäärä: päivä, kuukausi, vuosi.
date = { $day }. { $month } { $year }

## Kampanjakuukausi
campaign-programme-on = Kampanjan En månad fri från våld { $year } ohjelma julkaistaan täällä { $date }.
campaign-before = Kampanja En månad fri från våld { $year } järjestetään 1.–30. marraskuuta. Ohjelma julkaistaan täällä, kun se on valmis.
campaign-during = Kampanja En månad fri från våld { $year } on nyt käynnissä, 1.–30. marraskuuta.
campaign-after = Kampanja En månad fri från våld { $year } on päättynyt. Seuraava kampanja järjestetään 1.–30. marraskuuta { $next }.
campaign-programme-link = Katso tapahtumien ohjelma (ruotsiksi)

## Virhesivut
error-404-title = Sivua ei löydy
error-400-title = Pyynnössä oli jotain vikaa
error-400-body = Sivusto ei ymmärtänyt pyyntöä. Palaa takaisin ja yritä uudelleen, tai aloita alusta etusivulta.
error-403-title = Sinulla ei ole oikeutta tähän
error-403-body = Et voi tehdä tätä. Palaa takaisin tai aloita alusta etusivulta.
error-409-title = Joku ehti ensin
error-409-body = Joku muu muutti samaa asiaa sillä välin. Lataa sivu uudelleen ja yritä uudestaan.
error-405-title = Näin ei voi tehdä
error-405-body = Sivu on olemassa, mutta sitä ei voi käyttää näin. Avaa sivu linkin kautta.
error-413-title = Lähettämäsi tieto on liian suuri
error-413-body = Yritit lähettää enemmän kuin voimme ottaa vastaan (enintään 64 kt). Lyhennä tekstiä ja yritä uudelleen.
error-500-title = Meillä meni jotain vikaan
error-500-body = Sivua ei voi näyttää juuri nyt. Yritä hetken päästä uudelleen. Hätätilanteessa soita 112.

## Kielet ja käännökset
# Otsikko kielivalikolle jokaisella sivulla.
language-list-label = Kieli
# Näytetään ruotsinkielisen sivun yläpuolella, kun sivua ei vielä ole suomeksi.
language-fallback = Tätä sivua ei ole vielä suomeksi. Alla se näkyy ruotsiksi.
# Kun ruotsinkielistä sivua on muutettu käännöksen jälkeen.
translation-behind = Ruotsinkielistä tekstiä on muutettu sen jälkeen, kun tämä käännös kirjoitettiin. Ruotsinkielisellä sivulla voi olla uudempia tietoja.
translation-behind-link = Lue sivu ruotsiksi
# Näytetään huomaamattomasti, kunnes joku suomea äidinkielenään puhuva on tarkistanut tekstin.
translation-not-reviewed = Tätä käännöstä ei ole vielä tarkistanut kukaan, jonka äidinkieli on suomi.
# Miten kuntaan saa yhteyden suomeksi. { $phone } on kunnan numero.
contact-language-title = Ota yhteyttä kuntaan
contact-language = Järfälla kuuluu suomen kielen hallintoalueeseen. Siksi sinulla on lain mukaan oikeus käyttää suomea kunnan kanssa, sekä puhuen että kirjoittaen. Soita kuntaan numeroon { $phone } ja pyydä palvelua suomeksi.
# { $number } on Kvinnofridslinjenin numero.
contact-language-kvinnofridslinjen = Kvinnofridslinjen (naisten valtakunnallinen auttava puhelin) voi ottaa puheluun mukaan tulkin. Numero on { $number }. Palvelu on maksuton ja auki ympäri vuorokauden.
