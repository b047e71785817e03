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
footer-open-data = The help directory as open data (Open Referral)
footer-municipality = To the municipality's website
footer-phone = phone
footer-privacy = This website sets no cookies and loads nothing from other websites.
contact-title = Contact the municipality
contact-form-link = Write to the municipality through the contact form

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
audience-utsatt = You who are subjected to violence
audience-granne = Worried neighbour or relative
audience-barn = Children and young people
audience-utovare = You who use violence
audience-yrkesverksam = Professionals
audience-for-utsatt = you if you are subjected to violence
audience-for-granne = you if you are worried about a neighbour or relative
audience-for-barn = children and young people
audience-for-utovare = you if you use violence
audience-for-yrkesverksam = professionals

## Opening hours
status-open-until = Open now – closes { $time }
status-closed-opens = Closed – opens { $day } { $time }
status-closed = Closed
status-holiday = Public holiday today – opening hours may differ
status-closed-holiday-next = Closed – { $day } is a public holiday, opening hours may differ
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
campaign-programme-on = The programme for A month free from violence { $year } will be published here on { $date }.
campaign-before = En månad fri från våld { $year } runs 1–30 November. The programme is published here when it is ready.
campaign-during = En månad fri från våld { $year } is running now, 1–30 November.
campaign-after = En månad fri från våld { $year } is over. The next campaign runs 1–30 November { $next }.

## Accessibility statement
statement-public-body = Responsible
statement-service = Website
statement-status = Status
statement-assessed = Assessed on
statement-updated = Statement updated on
statement-compliance-title = How accessible is the website?
statement-nonconformities = Content that is not accessible
statement-none = None.
statement-criterion = WCAG 2.1 criterion not met:
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
statement-compliance-full = The website fully complies with the Swedish act on accessibility to digital public services.
statement-compliance-partial = The website partially complies with the Swedish act on accessibility to digital public services, because of the failures against criteria described below.
statement-compliance-none = The website does not comply with the Swedish act on accessibility to digital public services, because of the failures against criteria described below.
statement-standard = The act refers to the standard EN 301 549 V3.2.1, which in turn refers to the requirements of WCAG 2.1 at level AA.
statement-no-nonconformities = We know of no content that fails a criterion of WCAG 2.1 level AA.
statement-other-title = Other things we are working on
statement-other-intro = These are not WCAG requirements, but they make the website harder to use for some of you. This is the plan.
statement-plan = Plan:
statement-planned-fix = Planned fix:

## Error pages
error-404-title = Page not found
error-400-title = Something in the request was wrong
error-400-body = The website could not understand the request. Go back and try again, or start again from the home page.
error-403-title = You are not allowed
error-403-body = You may not do this. Go back, or start again from the start page.
error-409-title = Someone got there first
error-409-body = What you tried to change was changed by someone else meanwhile. Reload the page and try again.
error-405-title = That cannot be done here
error-405-body = The page exists, but it cannot be used that way. Go to the page through a link instead.
error-413-title = What you sent is too large
error-413-body = What you tried to send was larger than we can accept (at most 64 kB). Shorten the text and try again.
error-500-title = Something went wrong on our side
error-500-body = The page could not be shown right now. Try again in a while. In immediate danger: call 112.

## Forms – shared
footer-report = Report an accessibility problem
footer-alt-format = Request content in another format
footer-contact = Contact us
footer-privacy-notice = Personal data
form-error-summary-title = There is a problem
form-error-title-prefix = Error: { $title }
form-error-prefix = Error:
form-honeypot-label = Leave this field empty
form-optional = (optional)
form-privacy = What you send is kept as a case at the municipality. Do not write more about yourself or others than needed. If you give an e-mail address you get a confirmation without what you wrote.
form-privacy-link = How we handle your personal data
form-submit = Send
form-max-chars = You can write at most { $max } characters.
form-error-missing = Fill in the field
form-error-too-long = The text must be at most { $max } characters
form-error-invalid-email = Enter the e-mail address in the form name@example.com
form-error-invalid-phone = Enter a phone number with only digits, spaces, hyphens and an optional leading +, for example 070-123 45 67
form-error-unknown-choice = Choose one of the options
form-error-need-contact = Enter how we can reach you
form-error-control-characters = The field contains characters that cannot be saved, such as line breaks in a one-line field
form-error-invisible-characters = The field contains invisible characters that can change how the text is shown. Type the text again instead of pasting it.
form-refused-cross-site = The form was sent from another website and was not accepted. Fill it in here and send it again.
form-refused-unreadable = The form could not be read. Fill it in again and send it.
form-refused-expired = The page had been open for too long. What you wrote is still here – send it again.
form-refused-token = The form could not be checked. What you wrote is still here – send it again.
form-refused-rate-limited = Many forms have been sent from the same network in the last hour, so we cannot take more right now. Wait a while and try again, or call the municipality on { $phone }.
form-refused-unavailable = We could not receive the form right now. What you wrote is still here – try again in a while.
form-receipt-title = We have received your case
form-receipt-reference = Your case number is
form-receipt-next-title = What happens next?
form-receipt-save = Keep the case number. Give it if you contact us about the case.
form-receipt-back = To the home page
form-receipt-ack-limited = We have not sent a confirmation to your e-mail, because many confirmations have already gone there or from the same network today. Your case is registered all the same. If you have questions, call the municipality on { $phone }.
privacy-controller-title = Who is responsible for your data
privacy-through = through
privacy-dpo-title = Data protection officer
privacy-retention-title = How long we keep the data
privacy-retention-intro = The data is kept while the case is open. When the case is closed, names, contact details and what you wrote are deleted after the time given here. Only data that cannot be linked to you remains, such as how many cases came in and how quickly we answered.
privacy-retention-type = Kind of case
privacy-retention-time = Kept after the case is closed
privacy-months = months
example = Example
answer-time = { $days ->
    [one] We answer within one working day.
   *[other] We answer within { $days } working days.
}
case-type-tg = Accessibility problem
case-type-af = Request for content in another format
case-type-ko = Contact

## E-mail (sent without what the person wrote)
mail-ack-subject = We have received your case { $reference }
mail-ack-body = Hello,

    We have received your case. Case number: { $reference }
    Type of case: { $type }

    { $next }

    This is an automatic message. Do not reply to it. Give the case number if you contact us.
mail-handler-subject = New case { $reference }: { $type }
mail-handler-body = A new case has arrived.

    Case number: { $reference }
    Type of case: { $type }

    Read the case in the municipality's system. For confidentiality its content is not in this message.

## Form: report an accessibility problem (TG)
form-tg-title = Report an accessibility problem
form-tg-intro = Tell us about something on the website that you cannot use or that is hard to use. All fields not marked "optional" must be filled in.
form-tg-next = We read your report and fix the problem if we can. If you chose to get an answer, we will contact you.
form-tg-sida-label = Which page is it about?
form-tg-sida-hint = The page's address or name, for example /hjalp or "Where to get help".
form-tg-sida-missing = Enter which page it is about
form-tg-problem-label = What is the problem?
form-tg-problem-hint = Describe what you tried to do and what happened. You may tell us which browser or assistive technology you use.
form-tg-problem-missing = Describe the problem
form-tg-namn-label = Your name
form-tg-epost-label = E-mail address
form-tg-telefon-label = Phone number
form-tg-svar-label = How do you want an answer?
form-tg-svar-option-epost = By e-mail
form-tg-svar-option-telefon = By phone
form-tg-svar-option-inget = I do not need an answer
form-tg-svar-missing = Choose how you want an answer
form-tg-epost-need-contact = Enter your e-mail address, since you want an answer by e-mail
form-tg-telefon-need-contact = Enter your phone number, since you want an answer by phone

## Form: request content in another format (AF)
form-af-title = Request content in another format
form-af-intro = If you cannot use something on the website, you can ask for it in another format. We need to be able to reach you to deliver it.
form-af-next = We prepare the content in the format you asked for and send it to you. If it takes longer, we will let you know.
form-af-innehall-label = Which content do you want?
form-af-innehall-hint = For example the page's name or address, or which part of the page.
form-af-innehall-missing = Enter which content you want
form-af-format-label = Which format do you need?
form-af-format-option-lattlast = Easy-to-read Swedish
form-af-format-option-ljud = Read aloud, as audio
form-af-format-option-punktskrift = Braille
form-af-format-option-storre-text = Larger text
form-af-format-option-annat = Another format
form-af-format-missing = Choose which format you need
form-af-annat_format-label = If you chose another format: which?
form-af-annat_format-missing = Enter which format you need
form-af-namn-label = Your name
form-af-namn-missing = Enter your name
form-af-epost-label = E-mail address
form-af-telefon-label = Phone number
form-af-adress-label = Postal address
form-af-adress-hint = Fill in at least one of e-mail, phone and postal address.
form-af-epost-need-contact = Enter an e-mail address, phone number or postal address so that we can deliver the content

## Form: contact (KO)
form-ko-title = Contact us
form-ko-intro = Housing companies and organisations can contact the municipality here about Inte ensam, En månad fri från våld and other matters. Is someone in danger right now? Call 112.
form-help-first = Do you need support yourself, or are you worried about someone? See
form-ko-next = Your message goes to the person responsible for the subject. We answer by e-mail or phone.
form-ko-amne-label = What is it about?
form-ko-amne-option-inte-ensam = Not alone – for housing companies
form-ko-amne-option-manad = A month free from violence
form-ko-amne-option-ovrigt = Other
form-ko-amne-missing = Choose what it is about
form-ko-organisation-label = Organisation or housing company
form-ko-namn-label = Your name
form-ko-namn-missing = Enter your name
form-ko-epost-label = E-mail address
form-ko-telefon-label = Phone number
form-ko-telefon-hint = Fill in e-mail address, phone number or both.
form-ko-meddelande-label = Message
form-ko-meddelande-missing = Enter your message
form-ko-epost-need-contact = Enter an e-mail address or phone number so that we can answer

## Staff pages
admin-name = for staff
admin-error-401-title = You need to sign in
admin-error-401-body = Sign in to see this page.
admin-error-403-title = You are not allowed
admin-error-403-body = Your account may not see this page. Ask an administrator if you need it.
admin-error-404-title = Page not found
admin-error-404-body = This page does not exist in Fridhem.
admin-error-500-body = Something went wrong on our side. What you wrote may have been lost; try again in a moment.
admin-error-public-site = To the public website
