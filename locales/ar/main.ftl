# Fridhem – العربية. المفاتيح مطابقة لملف sv/main.ftl وبالترتيب نفسه.
# فئات الجمع في العربية: zero, one, two, few, many, other.

site-name = الدعم في حالات العنف في العلاقات القريبة

## Snabb utgång
exit-button = مغادرة الصفحة بسرعة
exit-neutral-title = الطقس
exit-hint = عن هذا الزر وكيف تُخفي زيارتك
exit-progress = اضغط على مفتاح Shift { $remaining ->
    [zero] { $remaining } مرة
    [one] مرة واحدة أخرى
    [two] مرتين أخريين
    [few] { $remaining } مرات أخرى
    [many] { $remaining } مرة أخرى
   *[other] { $remaining } مرة أخرى
} لمغادرة الصفحة
skip-to-content = الانتقال إلى المحتوى

## Sidhuvud och meny
emergency-short = في حالة الخطر الفوري: اتصل بالرقم
nav-label = القائمة الرئيسية
nav-start = الصفحة الرئيسية
nav-help = جهات يمكنك اللجوء إليها
nav-worried = القلق على شخص آخر
nav-not-alone = لست وحدك
nav-month = شهر بلا عنف
last-updated = آخر تحديث:

## Sidfot
footer-report = الإبلاغ عن مشكلة في سهولة الوصول (بالسويدية)
footer-alt-format = طلب المحتوى بشكل آخر (بالسويدية)
footer-contact = تواصل معنا (بالسويدية)
footer-privacy-notice = البيانات الشخصية (بالسويدية)
footer-accessibility = بيان سهولة الوصول (بالسويدية)
footer-hide-visit = إخفاء زيارتك
footer-open-data = دليل المساعدة كبيانات مفتوحة (Open Referral)
footer-municipality = إلى موقع البلدية
footer-phone = الهاتف
footer-privacy = هذا الموقع لا يستخدم ملفات تعريف الارتباط (الكوكيز)، ولا يجلب أي شيء من مواقع أخرى.
contact-title = التواصل مع البلدية
contact-form-link = الكتابة إلى البلدية عبر نموذج التواصل (بالسويدية)

## Hjälprutan
help-box-title = هل أنت بحاجة إلى مساعدة؟
help-box-emergency = في حالة الخطر الفوري: اتصل بالرقم
help-box-more = جهات أخرى يمكنك اللجوء إليها
hours-always = مفتوح على مدار الساعة

## Hjälpkatalogen
help-filter-title = عرض المساعدة حسب الفئة
help-filter-all = الجميع
help-filter-unknown = لم نتعرّف على هذا الاختيار. تظهر هنا كل الجهات التي يمكنك اللجوء إليها.
help-count = { $count ->
    [zero] لا توجد جهات يمكنك اللجوء إليها
    [one] جهة واحدة يمكنك اللجوء إليها
    [two] جهتان يمكنك اللجوء إليهما
    [few] { $count } جهات يمكنك اللجوء إليها
    [many] { $count } جهة يمكنك اللجوء إليها
   *[other] { $count } جهة يمكنك اللجوء إليها
}
help-count-for = { $count ->
    [zero] لا توجد جهات موجّهة إلى { $audience }
    [one] جهة واحدة موجّهة إلى { $audience }
    [two] جهتان موجّهتان إلى { $audience }
    [few] { $count } جهات موجّهة إلى { $audience }
    [many] { $count } جهة موجّهة إلى { $audience }
   *[other] { $count } جهة موجّهة إلى { $audience }
}
help-group-emergency = الطوارئ
help-group-local = في { $place }
help-group-national = في كل أنحاء السويد
help-verified-on = جرى التحقق من أرقام الهواتف وأوقات العمل في { $date }.
help-verified-between = جرى التحقق من أرقام الهواتف وأوقات العمل بين { $first } و{ $last }.

service-for = موجّهة إلى:
service-languages = اللغات:
service-interpretation = الترجمة الفورية ولغات أخرى
service-call-safety = عن المكالمة
service-website = الموقع الإلكتروني
audience-utsatt = من يتعرض للعنف
audience-granne = جار أو قريب يشعر بالقلق
audience-barn = الأطفال والشباب
audience-utovare = من يمارس العنف
audience-yrkesverksam = المهنيون
audience-for-utsatt = من يتعرض للعنف
audience-for-granne = من يشعر بالقلق على جار أو قريب
audience-for-barn = الأطفال والشباب
audience-for-utovare = من يمارس العنف
audience-for-yrkesverksam = المهنيين

## Öppettider
status-open-until = مفتوح الآن – يُغلق الساعة { $time }
status-closed-opens = مغلق – يفتح { $day } الساعة { $time }
status-closed = مغلق
status-holiday = اليوم عطلة رسمية – قد تختلف أوقات العمل
status-closed-holiday-next = مغلق – يوم { $day } عطلة رسمية، وقد تختلف أوقات العمل
status-today = اليوم
status-tomorrow = غدًا
days-all = كل يوم
days-weekdays = من الاثنين إلى الجمعة
days-weekend = السبت والأحد
hours-all-day = على مدار الساعة
day-mon = الاثنين
day-tue = الثلاثاء
day-wed = الأربعاء
day-thu = الخميس
day-fri = الجمعة
day-sat = السبت
day-sun = الأحد
day-short-mon = الاثنين
day-short-tue = الثلاثاء
day-short-wed = الأربعاء
day-short-thu = الخميس
day-short-fri = الجمعة
day-short-sat = السبت
day-short-sun = الأحد

## Språk
lang-sv = السويدية
lang-en = الإنجليزية
lang-fi = الفنلندية
lang-ar = العربية
lang-fa = الفارسية
lang-so = الصومالية

## Datum
month-1 = كانون الثاني
month-2 = شباط
month-3 = آذار
month-4 = نيسان
month-5 = أيار
month-6 = حزيران
month-7 = تموز
month-8 = آب
month-9 = أيلول
month-10 = تشرين الأول
month-11 = تشرين الثاني
month-12 = كانون الأول
# A date: day, month (the words above), year.
date = { $day } { $month } { $year }

## Kampanjmånaden
campaign-programme-on = سيُنشر هنا برنامج حملة En månad fri från våld (شهر بلا عنف) لعام { $year } في { $date }.
campaign-before = تُقام حملة En månad fri från våld (شهر بلا عنف) لعام { $year } من 1 إلى 30 تشرين الثاني. سننشر البرنامج هنا عندما يصبح جاهزًا.
campaign-during = حملة En månad fri från våld (شهر بلا عنف) لعام { $year } جارية الآن، من 1 إلى 30 تشرين الثاني.
campaign-after = انتهت حملة En månad fri från våld (شهر بلا عنف) لعام { $year }. الحملة القادمة من 1 إلى 30 تشرين الثاني { $next }.
campaign-programme-link = اطّلع على برنامج الفعاليات (باللغة السويدية)

## Felsidor
error-404-title = الصفحة غير موجودة
error-400-title = هناك خطأ في الطلب
error-400-body = لم يستطع الموقع فهم الطلب. ارجع وحاول مرة أخرى، أو ابدأ من جديد من الصفحة الرئيسية.
error-403-title = ليس لديك إذن
error-403-body = لا يُسمح لك بالقيام بهذا. ارجع، أو ابدأ من جديد من الصفحة الرئيسية.
error-409-title = سبقك شخص آخر
error-409-body = ما حاولت تغييره غيّره شخص آخر في هذه الأثناء. أعد تحميل الصفحة وحاول مرة أخرى.
error-405-title = لا يمكن القيام بذلك بهذه الطريقة
error-405-body = الصفحة موجودة، لكن لا يمكن استخدامها بهذه الطريقة. افتح الصفحة عن طريق رابط بدلًا من ذلك.
error-413-title = ما أرسلته كبير جدًا
error-413-body = ما حاولت إرساله أكبر مما نستطيع استقباله (64 kB على الأكثر). اجعل النص أقصر وحاول مرة أخرى.
error-500-title = حدث خطأ من جهتنا
error-500-body = لا يمكن عرض الصفحة الآن. حاول مرة أخرى بعد قليل. في حالة الخطر الفوري: اتصل بالرقم 112.

## Språk och översättningar
# عنوان قائمة اللغات في كل صفحة.
language-list-label = اللغات
# يظهر فوق الصفحة السويدية عندما لا تتوفر الصفحة بالعربية.
language-fallback = هذه الصفحة غير متوفرة باللغة العربية بعد. تظهر أدناه باللغة السويدية.
# عندما تتغير الصفحة السويدية بعد الترجمة.
translation-behind = تغيّر النص السويدي بعد كتابة هذه الترجمة. قد تحتوي الصفحة السويدية على معلومات أحدث.
translation-behind-link = اقرأ الصفحة باللغة السويدية
# يظهر بشكل هادئ حتى يراجع النص شخص لغته الأم العربية.
translation-not-reviewed = لم يراجع هذه الترجمة بعدُ شخصٌ لغته الأم العربية.
# { $phone } هو رقم البلدية.
contact-language-title = التواصل مع البلدية
contact-language = اتصل بالبلدية على الرقم { $phone }. قل إنك تتحدث العربية (بالسويدية: arabiska)، وسيساعدك مترجم فوري. المترجم مجاني. النماذج على هذا الموقع باللغة السويدية.
# { $number } هو رقم Kvinnofridslinjen.
contact-language-kvinnofridslinjen = يستطيع Kvinnofridslinjen (الخط الوطني لدعم النساء) على الرقم { $number } أن يضيف مترجمًا فوريًا إلى المكالمة. الخدمة مجانية ومفتوحة على مدار الساعة.
