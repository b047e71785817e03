# Fridhem – English. These are the texts of the pages that exist in every
# language; the keys are the same as in sv/main.ftl, in the same order.
# Texts that exist only in Swedish (forms, the accessibility statement,
# e-mails, staff pages) are in sv/forms.ftl.

site-name = Support for violence in close relationships

## Quick exit
exit-button = Leave this page quickly
exit-neutral-title = Weather
exit-hint = About this button and how to hide your visit
exit-progress = Press Shift { $remaining ->
    [one] { $remaining } more time
   *[other] { $remaining } more times
} to leave the page
skip-to-content = Skip to main content

## Header and menu
emergency-short = In danger now? Call
nav-label = Main menu
nav-start = Home
nav-help = Where to get help
nav-worried = Worried about someone
nav-not-alone = Inte ensam
nav-month = En månad fri från våld
last-updated = Last updated:

## Footer
footer-report = Report an accessibility problem (in Swedish)
footer-alt-format = Ask for content in another format (in Swedish)
footer-contact = Contact us (in Swedish)
footer-privacy-notice = Personal data (in Swedish)
footer-accessibility = Accessibility statement (in Swedish)
footer-hide-visit = Hide your visit
footer-open-data = The help directory as open data (Open Referral)
footer-municipality = Go to the municipality's website
footer-phone = phone
footer-privacy = This website does not set any cookies and does not load anything from other websites.
contact-title = Contact the municipality
contact-form-link = Write to the municipality using the contact form (in Swedish)

## Help box
help-box-title = Do you need help?
help-box-emergency = In danger now? Call
help-box-more = More places to get help
hours-always = Open day and night

## Help directory
help-filter-title = Show help for
help-filter-all = Everyone
help-filter-unknown = We do not recognise that choice. Here are all the places you can get help.
help-count = { $count ->
    [one] { $count } place to get help
   *[other] { $count } places to get help
}
help-count-for = { $count ->
    [one] { $count } place for { $audience }
   *[other] { $count } places for { $audience }
}
help-group-emergency = Emergency
help-group-local = In { $place }
help-group-national = Across Sweden
help-verified-on = Phone numbers and opening hours were checked on { $date }.
help-verified-between = Phone numbers and opening hours were checked between { $first } and { $last }.

service-for = For
service-languages = Languages:
service-interpretation = Interpreters and other languages
service-call-safety = About the call
service-website = Website
audience-utsatt = People experiencing violence
audience-granne = Worried neighbour or relative
audience-barn = Children and young people
audience-utovare = People who use violence
audience-yrkesverksam = Professionals
audience-for-utsatt = people experiencing violence
audience-for-granne = people worried about a neighbour or relative
audience-for-barn = children and young people
audience-for-utovare = people who use violence
audience-for-yrkesverksam = professionals

## Opening hours
status-open-until = Open now – closes at { $time }
status-closed-opens = Closed – opens { $day } at { $time }
status-closed = Closed
status-holiday = Public holiday today – opening hours may be different
status-closed-holiday-next = Closed – { $day } is a public holiday, so opening hours may be different
status-today = today
status-tomorrow = tomorrow
days-all = Every day
days-weekdays = Monday to Friday
days-weekend = Saturday and Sunday
hours-all-day = 24 hours
day-mon = Monday
day-tue = Tuesday
day-wed = Wednesday
day-thu = Thursday
day-fri = Friday
day-sat = Saturday
day-sun = Sunday
day-short-mon = Mon
day-short-tue = Tue
day-short-wed = Wed
day-short-thu = Thu
day-short-fri = Fri
day-short-sat = Sat
day-short-sun = Sun

## Languages
lang-sv = Swedish
lang-en = English
lang-fi = Finnish
lang-ar = Arabic
lang-fa = Persian
lang-so = Somali

## Dates
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
# A date: day, month (the words above), year.
date = { $day } { $month } { $year }

## Campaign month
campaign-programme-on = The programme for En månad fri från våld { $year } will be published here on { $date }.
campaign-before = En månad fri från våld { $year } runs from 1 to 30 November. The programme will be published here when it is ready.
campaign-during = En månad fri från våld { $year } is happening now, from 1 to 30 November.
campaign-after = En månad fri från våld { $year } has ended. The next campaign runs from 1 to 30 November { $next }.
campaign-programme-link = See the programme of events (in Swedish)

## Error pages
error-404-title = Page not found
error-400-title = Something was wrong with the request
error-400-body = The website could not understand the request. Go back and try again, or start again from the home page.
error-403-title = You do not have permission
error-403-body = You are not allowed to do this. Go back, or start again from the home page.
error-409-title = Someone else got there first
error-409-body = Someone else changed what you were trying to change. Reload the page and try again.
error-405-title = This cannot be done here
error-405-body = The page exists, but it cannot be used in that way. Go to the page using a link instead.
error-413-title = What you sent is too big
error-413-body = What you tried to send was bigger than we can accept (64 kB at most). Make the text shorter and try again.
error-500-title = Something went wrong on our side
error-500-body = We cannot show the page right now. Try again in a few minutes. If you are in danger now, call 112.

## Languages and translations
# Heading of the list of languages on every page.
language-list-label = Language
# Shown above the Swedish page when the page does not exist in this language.
language-fallback = This page is not available in English yet. It is shown in Swedish below.
# Shown when the Swedish page has changed after it was translated.
translation-behind = The Swedish text has changed since this translation was written. The Swedish page may have newer information.
translation-behind-link = Read this page in Swedish
# Shown quietly until a native speaker has checked the text.
translation-not-reviewed = This translation has not yet been checked by a native speaker of English.
# How to contact the municipality in this language. { $phone } is the municipality's number.
contact-language-title = Contact the municipality
contact-language = Call the municipality on { $phone }. Say which language you speak, and an interpreter will help you. The interpreter is free. The forms on this website are in Swedish.
# { $number } is Kvinnofridslinjen's number.
contact-language-kvinnofridslinjen = Kvinnofridslinjen (the national helpline for women) on { $number } can bring an interpreter into the call. It is free and open day and night.
