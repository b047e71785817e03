# Fridhem – فارسی. Keys mirror sv/main.ftl.

site-name = حمایت در برابر خشونت در روابط نزدیک

## Snabb utgång
exit-button = خروج سریع از صفحه
exit-neutral-title = آب‌وهوا
exit-hint = درباره‌ی این دکمه و پنهان کردن بازدیدتان
exit-progress = برای خروج از صفحه، کلید Shift را { $remaining ->
    [one] { $remaining } بار دیگر
   *[other] { $remaining } بار دیگر
} فشار دهید
skip-to-content = رفتن به محتوای اصلی

## Sidhuvud och meny
emergency-short = در خطر فوری تماس بگیرید:
nav-label = منوی اصلی
nav-start = صفحه‌ی اصلی
nav-help = کجا کمک بگیرید
nav-worried = نگران کسی هستید؟
nav-not-alone = تنها نیستید
nav-month = یک ماه بدون خشونت
last-updated = آخرین به‌روزرسانی:

## Sidfot
footer-report = گزارش مشکل در دسترس‌پذیری (به زبان سوئدی)
footer-alt-format = درخواست محتوا در قالبی دیگر (به زبان سوئدی)
footer-contact = تماس با ما (به زبان سوئدی)
footer-privacy-notice = اطلاعات شخصی (به زبان سوئدی)
footer-accessibility = بیانیه‌ی دسترس‌پذیری (به زبان سوئدی)
footer-hide-visit = پنهان کردن بازدید
footer-open-data = فهرست مراکز کمک به صورت داده‌ی باز (Open Referral)
footer-municipality = به وب‌سایت شهرداری
footer-phone = تلفن
footer-privacy = این وب‌سایت هیچ کوکی‌ای ذخیره نمی‌کند و چیزی از وب‌سایت‌های دیگر بارگیری نمی‌کند.
contact-title = تماس با شهرداری
contact-form-link = با فرم تماس برای شهرداری بنویسید (به زبان سوئدی)

## Hjälprutan
help-box-title = به کمک نیاز دارید؟
help-box-emergency = در خطر فوری تماس بگیرید:
help-box-more = جاهای دیگری که می‌توانید از آن‌ها کمک بگیرید
hours-always = شبانه‌روز باز است

## Hjälpkatalogen
help-filter-title = نمایش کمک برای
help-filter-all = همه
help-filter-unknown = این انتخاب را نمی‌شناسیم. اینجا همه‌ی جاهایی را می‌بینید که می‌توانید از آن‌ها کمک بگیرید.
help-count = { $count ->
    [one] { $count } جا برای کمک گرفتن
   *[other] { $count } جا برای کمک گرفتن
}
help-count-for = { $count ->
    [one] { $count } جا برای { $audience }
   *[other] { $count } جا برای { $audience }
}
help-group-emergency = فوری
help-group-local = در { $place }
help-group-national = در سراسر کشور
help-verified-on = شماره‌های تلفن و ساعت‌های کار در تاریخ { $date } بررسی شدند.
help-verified-between = شماره‌های تلفن و ساعت‌های کار بین { $first } و { $last } بررسی شدند.

service-for = برای
service-languages = زبان‌ها:
service-interpretation = مترجم و زبان‌های دیگر
service-call-safety = درباره‌ی تماس
service-website = وب‌سایت
audience-utsatt = شما که با خشونت روبه‌رو هستید
audience-granne = همسایه یا خویشاوند نگران
audience-barn = کودکان و نوجوانان
audience-utovare = شما که خشونت می‌کنید
audience-yrkesverksam = کارکنان حرفه‌ای
audience-for-utsatt = شما که با خشونت روبه‌رو هستید
audience-for-granne = شما که نگران یک همسایه یا خویشاوند هستید
audience-for-barn = کودکان و نوجوانان
audience-for-utovare = شما که خشونت می‌کنید
audience-for-yrkesverksam = کارکنان حرفه‌ای

## Öppettider
status-open-until = الان باز است – ساعت { $time } بسته می‌شود
status-closed-opens = بسته است – { $day } ساعت { $time } باز می‌شود
status-closed = بسته است
status-holiday = امروز تعطیل رسمی است – ساعت‌های کار ممکن است فرق کند
status-closed-holiday-next = بسته است – { $day } تعطیل رسمی است و ساعت‌های کار ممکن است فرق کند
status-today = امروز
status-tomorrow = فردا
days-all = همه‌ی روزها
days-weekdays = دوشنبه تا جمعه
days-weekend = شنبه و یکشنبه
hours-all-day = شبانه‌روز
day-mon = دوشنبه
day-tue = سه‌شنبه
day-wed = چهارشنبه
day-thu = پنجشنبه
day-fri = جمعه
day-sat = شنبه
day-sun = یکشنبه
day-short-mon = دوشنبه
day-short-tue = سه‌شنبه
day-short-wed = چهارشنبه
day-short-thu = پنجشنبه
day-short-fri = جمعه
day-short-sat = شنبه
day-short-sun = یکشنبه

## Språk
lang-sv = سوئدی
lang-en = انگلیسی
lang-fi = فنلاندی
lang-ar = عربی
lang-fa = فارسی
lang-so = سومالیایی

## Datum
month-1 = ژانویه
month-2 = فوریه
month-3 = مارس
month-4 = آوریل
month-5 = مه
month-6 = ژوئن
month-7 = ژوئیه
month-8 = اوت
month-9 = سپتامبر
month-10 = اکتبر
month-11 = نوامبر
month-12 = دسامبر
# A date: day, month (the words above), year.
date = { $day } { $month } { $year }

## Kampanjmånaden
campaign-programme-on = برنامه‌ی «یک ماه بدون خشونت» سال { $year } در تاریخ { $date } در اینجا منتشر می‌شود.
campaign-before = «یک ماه بدون خشونت» سال { $year } از 1 تا 30 نوامبر برگزار می‌شود. برنامه وقتی آماده شد، در اینجا منتشر می‌شود.
campaign-during = همین حالا «یک ماه بدون خشونت» سال { $year } در جریان است، از 1 تا 30 نوامبر.
campaign-after = «یک ماه بدون خشونت» سال { $year } به پایان رسیده است. کارزار بعدی از 1 تا 30 نوامبر { $next } برگزار می‌شود.
campaign-programme-link = برنامه‌ی رویدادها را ببینید (به زبان سوئدی)

## Felsidor
error-404-title = این صفحه وجود ندارد
error-400-title = درخواست شما مشکلی داشت
error-400-body = وب‌سایت درخواست شما را نفهمید. به صفحه‌ی قبل برگردید و دوباره امتحان کنید، یا از صفحه‌ی اصلی شروع کنید.
error-403-title = شما اجازه‌ی این کار را ندارید
error-403-body = شما اجازه ندارید این کار را انجام دهید. به صفحه‌ی قبل برگردید، یا از صفحه‌ی اصلی شروع کنید.
error-409-title = کس دیگری زودتر تغییر داد
error-409-body = چیزی که می‌خواستید تغییر دهید، در این فاصله توسط کس دیگری تغییر کرده است. صفحه را دوباره بارگیری کنید و دوباره امتحان کنید.
error-405-title = این کار به این شکل ممکن نیست
error-405-body = این صفحه وجود دارد، اما نمی‌شود از آن به این شکل استفاده کرد. به‌جای آن، با یک پیوند به این صفحه بروید.
error-413-title = چیزی که فرستادید خیلی بزرگ است
error-413-body = چیزی که می‌خواستید بفرستید، بزرگ‌تر از حدی است که ما می‌توانیم دریافت کنیم (حداکثر 64 kB). متن را کوتاه‌تر کنید و دوباره امتحان کنید.
error-500-title = در سیستم ما مشکلی پیش آمد
error-500-body = این صفحه الان نمایش داده نمی‌شود. کمی بعد دوباره امتحان کنید. در خطر فوری با 112 تماس بگیرید.

## Språk och översättningar
language-list-label = زبان
language-fallback = این صفحه هنوز به فارسی موجود نیست. در پایین، متن سوئدی آن را می‌بینید.
translation-behind = متن سوئدی بعد از نوشته شدن این ترجمه تغییر کرده است. ممکن است صفحه‌ی سوئدی اطلاعات تازه‌تری داشته باشد.
translation-behind-link = این صفحه را به سوئدی بخوانید
translation-not-reviewed = این ترجمه هنوز توسط کسی که زبان مادری‌اش فارسی است بازبینی نشده است.
contact-language-title = تماس با شهرداری
contact-language = با شماره‌ی { $phone } به شهرداری زنگ بزنید. بگویید به چه زبانی صحبت می‌کنید تا یک مترجم به شما کمک کند. مترجم رایگان است. فرم‌های این وب‌سایت به زبان سوئدی هستند.
contact-language-kvinnofridslinjen = Kvinnofridslinjen (خط تلفن ملی حمایت از زنان) با شماره‌ی { $number } می‌تواند یک مترجم را وارد تماس کند. این کار رایگان است و این خط شبانه‌روز باز است.
