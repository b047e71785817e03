# Fridhem – English (second language). Keys mirror sv/main.ftl.

site-name = Support for violence in close relationships

## Quick exit
exit-button = Leave this page quickly
exit-neutral-title = Weather
exit-hint = About the button and hiding your visit
exit-progress = Press Shift { $remaining ->
    [one] { $remaining } more time
   *[other] { $remaining } more times
} to leave the page
skip-to-content = Skip to content

## Header and menu
emergency-short = In immediate danger: call
nav-label = Main menu
nav-start = Home
nav-help = Where to get help
nav-worried = Worried about someone
nav-not-alone = Not alone
nav-month = A month free from violence
last-updated = Last updated:

## Footer
footer-accessibility = Accessibility statement
footer-hide-visit = Hide your visit
footer-municipality = To the municipality's website
footer-phone = phone
footer-privacy = This website sets no cookies and loads nothing from other websites.
contact-title = Contact the municipality

## Help box
help-box-title = Do you need help?
help-box-emergency = In immediate danger: call
help-box-more = More places to turn to
hours-always = Open 24 hours

## Help directory
help-filter-title = Show help for
help-filter-all = Everyone
help-filter-unknown = We do not recognise that choice. All places to turn to are shown.
help-count = { $count ->
    [one] { $count } place to turn to
   *[other] { $count } places to turn to
}
help-count-for = { $count ->
    [one] { $count } place for: { $audience }
   *[other] { $count } places for: { $audience }
}
help-open-data = The directory as open data (Open Referral)
service-for = For
service-languages = Languages
service-interpretation = Interpreters and other languages
service-call-safety = About the call
service-website = Website
service-verified = Checked:
audience-utsatt = You who are subjected to violence
audience-granne = Worried neighbour or relative
audience-barn = Children and young people
audience-utovare = You who use violence
audience-yrkesverksam = Professionals

## Opening hours
status-open-until = Open now – closes { $time }
status-closed-opens = Closed – opens { $day } { $time }
status-closed = Closed
status-today = today
status-tomorrow = tomorrow
days-all = Every day
days-weekdays = Weekdays
days-weekend = Saturday and Sunday
hours-all-day = all day
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

## Campaign month
campaign-programme-later = The programme for A month free from violence { $year } will be published here later.
campaign-programme-on = The programme for A month free from violence { $year } will be published here on { $date }.

## Accessibility statement
statement-public-body = Responsible
statement-service = Website
statement-status = Status
statement-assessed = Assessed on
statement-updated = Statement updated on
statement-compliance-title = How accessible is the website?
statement-nonconformities = Content that is not accessible
statement-none = None.
statement-criterion = Requirement not met:
statement-burden = Disproportionate burden
statement-outside = Content outside the scope of the law
statement-method-title = How we tested the website
statement-feedback-title = Report a problem or request another format
statement-contact-link = Contact details on the municipality's website
statement-enforcement-title = Enforcement
statement-digg-link = Report to the Agency for Digital Government (DIGG)
compliance-full = Fully compliant with the law
compliance-partial = Partially compliant with the law
compliance-none = Not compliant with the law

## Error pages
error-404-title = Page not found
error-400-title = Something in the request was wrong
error-400-body = The website could not understand the request. Go back and try again, or start again from the home page.
error-405-title = That cannot be done here
error-405-body = The page exists, but it cannot be used that way. Go to the page through a link instead.
error-413-title = What you sent is too large
error-413-body = What you tried to send was larger than we can accept (at most 64 kB). Shorten the text and try again.
error-500-title = Something went wrong on our side
error-500-body = The page could not be shown right now. Try again in a while. In immediate danger: call 112.
