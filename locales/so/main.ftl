# Fridhem – af-Soomaali.

site-name = Taageero ku saabsan rabshadda xiriirka dhow

## Snabb utgång
exit-button = Si dhakhso ah uga bax bogga
exit-neutral-title = Cimilada
exit-hint = Ku saabsan badhanka iyo sida aad u qarin karto booqashadaada
exit-progress = Riix Shift { $remaining ->
    [one] { $remaining } jeer oo kale
   *[other] { $remaining } jeer oo kale
} si aad bogga uga baxdo
skip-to-content = U gudub qoraalka bogga

## Sidhuvud och meny
emergency-short = Khatar degdeg ah: wac
nav-label = Liiska weyn
nav-start = Bogga hore
nav-help = Meelaha aad u jeesan karto
nav-worried = Ka walaacsan qof kale
nav-not-alone = Inte ensam
nav-month = En månad fri från våld
last-updated = Markii ugu dambeysay la cusbooneysiiyay:

## Sidfot
footer-report = Soo sheeg cillad ku jirta helitaanka bogga (af-Iswiidhish)
footer-alt-format = Codso qoraalka oo qaab kale ah (af-Iswiidhish)
footer-contact = Nala soo xiriir (af-Iswiidhish)
footer-privacy-notice = Xogta shakhsiga ah (af-Iswiidhish)
footer-accessibility = Warbixinta helitaanka bogga (af-Iswiidhish)
footer-hide-visit = Qari booqashadaada
footer-open-data = Liiska caawimaadda oo ah xog furan (Open Referral)
footer-municipality = U gudub bogga degmada
footer-phone = taleefan
footer-privacy = Boggani ma dhigo kukiyo (cookies), waxna kama soo qaato bogag kale.
contact-title = La xiriir degmada
contact-form-link = U qor degmada adigoo isticmaalaya foomka xiriirka (af-Iswiidhish)

## Hjälprutan
help-box-title = Ma u baahan tahay caawimaad?
help-box-emergency = Khatar degdeg ah: wac
help-box-more = Meelo kale oo aad u jeesan karto
hours-always = Furan habeen iyo maalin

## Hjälpkatalogen
help-filter-title = Muuji caawimaadda loogu talagalay
help-filter-all = Dhammaan
help-filter-unknown = Doorashadaas ma aanu aqoonsan. Halkan waxaa ku qoran dhammaan meelaha aad u jeesan karto.
help-count = { $count ->
    [one] { $count } meel oo aad u jeesan karto
   *[other] { $count } meelood oo aad u jeesan karto
}
help-count-for = { $count ->
    [one] { $count } meel oo loogu talagalay { $audience }
   *[other] { $count } meelood oo loogu talagalay { $audience }
}
help-group-emergency = Degdeg
help-group-local = Gudaha { $place }
help-group-national = Dalka oo dhan
help-verified-on = Lambarrada taleefannada iyo saacadaha furitaanka waxaa la hubiyay { $date }.
help-verified-between = Lambarrada taleefannada iyo saacadaha furitaanka waxaa la hubiyay inta u dhexeysa { $first } iyo { $last }.

service-for = Loogu talagalay
service-languages = Luqadaha:
service-interpretation = Turjubaan iyo luqado kale
service-call-safety = Ku saabsan wicitaanka
service-website = Bogga internetka
audience-utsatt = Adiga oo rabshad laguu geysto
audience-granne = Deris ama qaraabo ka walaacsan
audience-barn = Carruur iyo dhallinyaro
audience-utovare = Adiga oo rabshad geysta
audience-yrkesverksam = Xirfadlayaal
audience-for-utsatt = adiga oo rabshad laguu geysto
audience-for-granne = adiga oo ka walaacsan deris ama qaraabo
audience-for-barn = carruurta iyo dhallinyarada
audience-for-utovare = adiga oo rabshad u geysta qof kale
audience-for-yrkesverksam = xirfadlayaasha

## Öppettider
status-open-until = Hadda waa furan yahay – waxa la xirayaa { $time }
status-closed-opens = Xiran – waxa la furayaa { $day } { $time }
status-closed = Xiran
status-holiday = Maanta waa maalin fasax ah – saacadaha furitaanku way ka duwanaan karaan
status-closed-holiday-next = Xiran – { $day } waa maalin fasax ah, saacadaha furitaanku way ka duwanaan karaan
status-today = maanta
status-tomorrow = berri
days-all = Maalin kasta
days-weekdays = Maalmaha shaqada
days-weekend = Sabti iyo Axad
hours-all-day = 24 saacadood
day-mon = Isniin
day-tue = Talaado
day-wed = Arbaco
day-thu = Khamiis
day-fri = Jimce
day-sat = Sabti
day-sun = Axad
day-short-mon = Isn
day-short-tue = Tldo
day-short-wed = Arbc
day-short-thu = Khms
day-short-fri = Jmc
day-short-sat = Sbti
day-short-sun = Axd

## Språk
lang-sv = af-Iswiidhish
lang-en = af-Ingiriis
lang-fi = af-Fiinish
lang-ar = af-Carabi
lang-fa = af-Faarsi
lang-so = af-Soomaali

## Datum
month-1 = Janaayo
month-2 = Febraayo
month-3 = Maarso
month-4 = Abriil
month-5 = Maajo
month-6 = Juun
month-7 = Luulyo
month-8 = Agoosto
month-9 = Sebtembar
month-10 = Oktoobar
month-11 = Nofembar
month-12 = Desembar
# A date: day, month (the words above), year.
date = { $day } { $month } { $year }

## Kampanjmånaden
campaign-programme-on = Barnaamijka En månad fri från våld { $year } waxaa halkan lagu daabici doonaa { $date }.
campaign-before = En månad fri från våld { $year } waxay socon doontaa 1–30 Nofembar. Barnaamijka waxaa halkan lagu daabici doonaa marka uu diyaar noqdo.
campaign-during = Hadda waxaa socda En månad fri från våld { $year }, 1–30 Nofembar.
campaign-after = En månad fri från våld { $year } way dhammaatay. Ololaha xiga wuxuu socon doonaa 1–30 Nofembar { $next }.
campaign-programme-link = Eeg barnaamijka dhacdooyinka (af Iswiidhish)

## Felsidor
error-404-title = Boggan ma jiro
error-400-title = Khalad ayaa ku jiray codsiga
error-400-body = Boggu ma fahmin codsiga. Dib u noqo oo mar kale isku day, ama ka bilow bogga hore.
error-403-title = Ogolaansho uma lihid
error-403-body = Uma oggolid inaad tan samayso. Dib u noqo, ama ka bilow bogga hore.
error-409-title = Qof kale ayaa kaa hormaray
error-409-body = Inta aad ku jirtay, qof kale ayaa beddelay waxa aad isku dayday inaad beddesho. Bogga dib u soo rar oo mar kale isku day.
error-405-title = Sidan looma samayn karo
error-405-body = Boggu wuu jiraa, laakiin sidaas looma isticmaali karo. Halkii, bogga ka gal link (xiriiriye).
error-413-title = Waxa aad dirtay aad ayuu u weyn yahay
error-413-body = Waxa aad isku dayday inaad dirto wuu ka weynaa inta aan qaadan karno (ugu badnaan 64 kB). Qoraalka gaabi oo mar kale isku day.
error-500-title = Khalad ayaa dhankayaga ka dhacay
error-500-body = Boggu hadda lama muujin karo. Wax yar kadib mar kale isku day. Khatar degdeg ah: wac 112.

## Språk och översättningar
language-list-label = Luqadaha
language-fallback = Boggan weli laguma helo af-Soomaali. Hoos waxaa ku qoran isagoo af-Iswiidhish ah.
translation-behind = Qoraalka af-Iswiidhishka ah waa la beddelay tan iyo markii tarjumaaddan la qoray. Bogga af-Iswiidhishka ah waxaa laga yaabaa inuu leeyahay xog ka cusub.
translation-behind-link = Ku akhri bogga af-Iswiidhish
translation-not-reviewed = Tarjumaaddan weli ma eegin qof uu af-Soomaaligu yahay afkiisa hooyo.
contact-language-title = La xiriir degmada
contact-language = Wac degmada { $phone }. Sheeg luqadda aad ku hadasho, turjubaan ayaana ku caawin doona. Turjubaanku waa bilaash. Foomamka boggan ku yaal waa af-Iswiidhish.
contact-language-kvinnofridslinjen = Kvinnofridslinjen (khadka taageerada haweenka), oo lambarkeedu yahay { $number }, waxay wicitaanka ku dari kartaa turjubaan. Waa bilaash, waana furan tahay habeen iyo maalin.
